"""The build date: what 公示中 / 公示已结束 is measured against.

A static page cannot change by itself, so a site with 公示 lists must be rebuilt every day (see README); lists
come off the pages on the first build after their 公示期. GK_TODAY=YYYY-MM-DD fixes the date for tests and
for previewing how a page will look on a given day.
"""
from __future__ import annotations

import os
from datetime import date


def today() -> date:
    fixed = os.environ.get("GK_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()
