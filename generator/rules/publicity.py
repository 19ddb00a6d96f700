"""公示期, 公开记录 (postings), 明白纸 and 公示名单: the fields that say where, how and how long a record is shown.

The JSON Schema has already checked their shapes; this module checks what a schema cannot (real dates, an end
that is not before its start) and turns the YAML into frozen model objects.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from ..model import BOARD, Leaflet, NoticePeriod, Posting, Recipient
from ..problems import WARNING, Problems
from ..schema_check import field_label
from ..sourcefile import YamlDocument
from .dates import impossible_date_hint, parse_date


@dataclass(frozen=True)
class Publicity:
    notice_period: NoticePeriod | None = None
    postings: tuple[Posting, ...] = ()
    leaflet: Leaflet | None = None
    recipients: tuple[Recipient, ...] = ()


def read_publicity(data: Mapping, doc: YamlDocument, file: str, schema: Mapping, problems: Problems) -> Publicity:
    """Every problem is added to problems; the caller drops a record whose error count grew."""

    def add(path: tuple, message: str, **kw) -> None:
        problems.add(file, doc.line_of(path), field_label(schema, path), message, **kw)

    def real_date(path: tuple):
        text = _get(data, path)
        if text is None:
            return None
        value = parse_date(text)
        if value is None:
            add(path, "日期不存在", expected="真实存在的日期，格式 YYYY-MM-DD", got=text,
                hint=impossible_date_hint(text))
        return value

    notice = None
    if "notice_period" in data:
        start, end = real_date(("notice_period", "start")), real_date(("notice_period", "end"))
        if start and end and end < start:
            add(("notice_period", "end"), "公示结束日期早于开始日期", expected=f"不早于开始日期 {start.isoformat()}",
                got=end.isoformat(), hint="请核对公示期：结束日期应在开始日期当天或之后")
        elif start and end:
            notice = NoticePeriod(start, end)

    postings = []
    for i, item in enumerate(data.get("postings", ())):
        posted, removed = real_date(("postings", i, "posted_on")), real_date(("postings", i, "removed_on"))
        if posted and removed and removed < posted:
            add(("postings", i, "removed_on"), "撤除日期早于张贴日期", expected=f"不早于张贴日期 {posted.isoformat()}",
                got=removed.isoformat(), hint="请核对张贴和撤除日期")
            continue
        if posted:
            postings.append(Posting(item["form"], item["place"].strip(), posted, removed))
        # A 公示 taken off the board before its period ends has not been 公示 for the period the rule requires.
        if notice and item["form"] == BOARD and removed and posted and removed < notice.end:
            add(("postings", i, "removed_on"), "公示期未满就从公开栏撤除", severity=WARNING,
                expected=f"不早于公示结束日期 {notice.end.isoformat()}", got=removed.isoformat(),
                hint="公示材料应张贴满整个公示期；如确需提前撤除，请在正文中说明原因")

    leaflet = None
    if "leaflet" in data:
        text = {k: v.strip() for k, v in data["leaflet"].items()}
        leaflet = Leaflet(who=text["who"], how_to_apply=text["how_to_apply"], contact=text["contact"],
                          how_much=text.get("how_much", ""), title=text.get("title", ""))

    recipients = tuple(
        Recipient(name=row["name"].strip(), village=row["village"].strip(),
                  household_size=row.get("household_size"),
                  monthly_amount=Decimal(str(row["monthly_amount"])) if "monthly_amount" in row else None,
                  kind=row.get("kind", "").strip(), approved_month=row.get("approved_month", ""))
        for row in data.get("recipients", ()))

    return Publicity(notice, tuple(postings), leaflet, recipients)


def _get(data: Mapping, path: tuple):
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node
