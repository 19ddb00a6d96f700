"""Compliance: where an office stands against the law, computed from its records and its 依申请 register.

| module | what it answers |
|---|---|
| workdays.py | which days are working days (工作日), and the n-th working day after a date |
| deadlines.py | when each record was due (公开时限 of its category or kind) and how late it was |
| coverage.py | which periods of a 定期公开 cadence have no record, and which 栏目 went stale |
| consistency.py | documents and interpretations that do not match (三同步, validity, 废止) |
| request_register.py | the 依申请公开 register (request_register): requests, due dates (补正 and 延期), the annual tables 三 and 四 |
| annual.py | the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号 format) |
| findings.py | one finding as `report` lists it |
| report.py | the `report` command's table, HTML page and JSON |

Every number a rule depends on (holidays, answer types, the annual tables' rows) is read from generator/data/.
"""
