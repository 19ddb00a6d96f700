"""A content tree for the compliance tests: the mini fixture (测试县) plus what the compliance engine reads.

Added on top of tests/fixtures/mini: a 统计 category with a monthly cadence, an annual-report category, an
enforcement category with typed decisions, and a 依申请 register (content/_requests) whose requests cover every
answer type of the 2021 format. Applicants' names are fictional and appear nowhere else.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import MINI

APPLICANTS = ("欧阳振华", "司马文静", "诸葛明远")     # must never reach any built file
REQUEST_TEXT = "申请公开测试县某某事项的全部会议记录"   # neither

GOV, CIVIL = "11999900MB0B00001X", "11999900MB0B00002Y"


def record(path: Path, front: str, body: str = "正文。") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front.strip()}\n---\n\n{body.strip()}\n", encoding="utf-8")
    return path


def stats(content: Path, month: str, seq: int, publisher="测试县民政局", code=CIVIL, published=None) -> Path:
    """One monthly statistics record for `month` (YYYY-MM)."""
    y, m = int(month[:4]), int(month[5:])
    published = published or (f"{y + (m == 12)}-{(m % 12) + 1:02d}-06")
    return record(content / "stats" / published[:4] / f"stats-{month}-{code[-1].lower()}.md", f"""
index_no: {code}/{published[:4]}-{seq:05d}
title: 测试县{y}年{m}月统计数据
topic: 民政、扶贫、救灾
publisher: {publisher}
written_on: {published}
published_on: {published}
summary: 公布{y}年{m}月的统计数据。
period: "{month}"
""")


def answer_keys() -> list[str]:
    from generator.compliance.request_register import answer_keys as keys
    return keys()


def register_yaml(year: int = 2025) -> str:
    """A register with one answered request of every answer type, spread over the applicant types, plus a
    carried-over request from last year and one still open at the year's end."""
    types = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    lines = [f"year: {year}", "requests:",
             f"  - {{id: {year - 1}-009, publisher: civil, received_on: {year - 1}-12-20, channel: 邮寄, "
             f"applicant_type: 自然人, applicant: {APPLICANTS[1]}, request: 申请公开上年结转的事项, "
             f"answered_on: {year}-01-10, answer: 予以公开}}"]
    for i, key in enumerate(answer_keys()):
        month = 1 + i % 11
        lines.append(f"  - {{id: {year}-{i + 1:03d}, publisher: gov, received_on: {year}-{month:02d}-05, channel: 电子邮件, "
                     f"applicant_type: {types[i % len(types)]}, applicant: {APPLICANTS[0]}, request: {REQUEST_TEXT}{i}, "
                     f"answered_on: {year}-{month:02d}-20, answer: {key}}}")
    lines.append(f"  - {{id: {year}-900, publisher: gov, received_on: {year}-12-22, channel: 当面提交, "
                 f"applicant_type: 自然人, applicant: {APPLICANTS[2]}, request: 年底收到的申请}}")
    lines.append(f"  - {{id: {year}-901, publisher: civil, received_on: {year}-03-02, channel: 邮寄, "
                 f"applicant_type: 商业企业, request: 复议和诉讼, answered_on: {year}-03-20, answer: 不予公开-第三方权益, "
                 f"review: {{result: 纠正}}, litigation: {{route: 复议后起诉, result: 维持}}}}")
    return "\n".join(lines) + "\n"


def build_tree(target: Path) -> Path:
    """The compliance fixture content tree at target; returns it."""
    shutil.copytree(MINI, target)
    (target / "stats").mkdir()
    (target / "stats" / "_category.yml").write_text("""title: 统计数据
description: 测试用的定期公开分类。
order: 5
default_publisher: 测试县民政局
default_topic: 民政、扶贫、救灾
deadline: {n: 10, unit: 工作日, anchor: 形成}
period: {every: 月, from: 2025-01}
""", encoding="utf-8")
    (target / "stats" / "_schema.yml").write_text("properties:\n  period: {title: 所属期间, type: string}\n",
                                                  encoding="utf-8")
    for i, month in enumerate(("2025-01", "2025-02", "2025-04", "2025-05", "2025-06"), 1):
        stats(target, month, 10 + i)
    (target / "reports").mkdir()
    (target / "reports" / "_category.yml").write_text("""title: 年度报告
description: 测试用的年度报告分类。
order: 6
default_publisher: 测试县人民政府办公室
default_topic: 综合政务
deadline: {by: 01-31}
period: {every: 年, from: 2025-01, publishers: [gov]}
""", encoding="utf-8")
    (target / "reports" / "_schema.yml").write_text("""required: [annual_report]
properties:
  annual_report:
    type: object
    required: [year]
    additionalProperties: false
    properties:
      year: {type: integer}
      publishers: {type: array, items: {type: string}}
      administrative_fees: {type: number}
""", encoding="utf-8")
    record(target / "reports" / "2026" / "annual-report-2025.md", f"""
index_no: {GOV}/2026-00001
title: 测试县2025年政府信息公开工作年度报告
topic: 综合政务
publisher: 测试县人民政府办公室
written_on: 2026-01-20
published_on: 2026-01-22
summary: 报告2025年政府信息公开工作情况。
annual_report: {{year: 2025, administrative_fees: 1.5}}
""", """## 一、总体情况

测试县本年度总体情况良好。

## 五、存在的主要问题及改进情况

测试县的问题和改进。

## 六、其他需要报告的事项

测试县本年度未收取信息处理费。
""")
    (target / "docs" / "_category.yml").write_text(
        (target / "docs" / "_category.yml").read_text(encoding="utf-8") + "instrument: 行政规范性文件\n", encoding="utf-8")
    (target / "enf").mkdir()
    (target / "enf" / "_category.yml").write_text("""title: 行政执法
description: 测试用的执法分类。
order: 7
default_publisher: 测试县民政局
default_topic: 民政、扶贫、救灾
deadline: {n: 7, unit: 工作日, anchor: 形成}
""", encoding="utf-8")
    (target / "enf" / "_schema.yml").write_text("""required: [decision_type]
properties:
  decision_type: {enum: [行政许可, 行政处罚, 行政强制, 行政检查, 其他]}
  decisions: {type: integer, minimum: 1}
""", encoding="utf-8")
    for i, (kind, count, day) in enumerate((("行政许可", 3, "2025-05-06"), ("行政处罚", 1, "2025-06-03"),
                                            ("行政强制", 1, "2025-07-01"), ("行政处罚", 1, "2024-07-01")), 1):
        record(target / "enf" / day[:4] / f"decision-{i}.md", f"""
index_no: {CIVIL}/{day[:4]}-{20 + i:05d}
title: 测试县执法决定公示{i}
topic: 民政、扶贫、救灾
publisher: 测试县民政局
written_on: {day}
published_on: {day}
summary: 测试用的执法决定公示。
decision_type: {kind}
decisions: {count}
""")
    (target / "_requests").mkdir()
    (target / "_requests" / "2025.yml").write_text(register_yaml(2025), encoding="utf-8")
    (target / "_requests" / "2024.yml").write_text(
        "year: 2024\nrequests:\n"
        f"  - {{id: 2024-009, publisher: civil, received_on: 2024-12-20, channel: 邮寄, applicant_type: 自然人, "
        f"applicant: {APPLICANTS[1]}, request: 申请公开上年结转的事项}}\n", encoding="utf-8")
    return target
