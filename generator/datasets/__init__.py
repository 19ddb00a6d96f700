"""Structured data in records: the tables of the four mission categories, as frozen models.

A record's front matter may carry one or more datasets under their own keys:

| key | model | category |
|---|---|---|
| `budget` | budget.BudgetReport: the 预算 / 决算 standard tables | budgets |
| `standards`, `statistics` | assistance.Standards, assistance.Statistics | social_assistance |
| (`recipients` + `notice_kind`) | assistance.NoticeList: a 公示 list and its status | social_assistance |
| `project`, `plan`, `allocation` | poverty.Project, poverty.Plan, poverty.Allocation | poverty_relief |
| `air_quality`, `forecast` | environment.AirQualityMonth, environment.Forecast | environment |
| `water_quality` | environment.WaterQuality | environment |
| `key_polluters` | environment.KeyPolluters | environment |
| `eia` | environment.EiaStage | environment |

Shapes are checked by the category's _schema.yml; arithmetic and vocabulary by generator/rules/*_checks.py,
which build these models. Every number a rule depends on (AQI breakpoints, table definitions, vocabularies)
is read from the YAML files in generator/data/. Each model offers `grids()`: the tables as shown on the
page and written to CSV, so what a reader sees and what they download are the same rows.
"""
