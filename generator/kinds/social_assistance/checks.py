"""社会救助: 保障标准, statistics and 公示名单 — their arithmetic, vocabulary and 公示期.

- statistics: parts add up to their row, the stated 合计 to the rows, persons ≥ households, amounts ≥ 0 with
  at most two decimals (万元), year-to-date ≥ the period;
- 公示名单: a 公示类型 from the category's `notices`, a 公示期 (default: that type's days from 发布日期), 批准月份
  within 所属期间, 类别 from the vocabulary, no list for programmes published as totals only (医疗救助), and
  no name list in the body or attachments, where it could not be taken down after the 公示期;
- 保障标准: item and unit from the vocabulary; one amount per item and 执行日期 across the whole site.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Mapping

from . import model as a
from ...datasets import money
from ...model import Category, NoticePeriod, Recipient
from ...problems import WARNING
from ...rules.dates import impossible_date_hint, parse_date
from ...rules.privacy import NAME_HEADERS, header_word, markdown_tables
from ...rules.spot import Spot, amount_places, difference

ZERO = Decimal("0")
LABELS = {"households": "对象户数", "persons": "对象人数", "times": "救助人次", "spending": "本期资金支出",
          "spending_ytd": "本年累计支出"}


def read(data: Mapping, spot: Spot) -> list:
    out = []
    period = None
    if "period" in data:
        period = a.Period.parse(data["period"])
    if "allowance_standards" in data:
        out.append(_standards(data["allowance_standards"], spot))
    if "statistics" in data:
        if period is None:
            spot.add(("statistics",), "所属期间 (period)", "统计数据缺少所属期间",
                     hint="在信息头中加一行 period: 2025-Q2（季度）或 period: 2025-06（月份）")
        else:
            out.append(_statistics(data["statistics"], period, spot))
    return out


# ---- 保障标准 ----

def _standards(items: list, spot: Spot) -> a.Standards | None:
    before = spot.errors()
    vocabulary = a.spec()["standard_items"]
    result = []
    for i, s in enumerate(items):
        path = ("allowance_standards", i)
        where = f"保障标准 (allowance_standards) 第 {i + 1} 项（{s['item']}）"
        if s["item"] not in vocabulary:
            spot.add(path + ("item",), where, "未知的保障标准项目", expected="、".join(vocabulary), got=s["item"],
                     hint="新的项目请先在 generator/data/assistance.yml 的 standard_items 中登记")
            continue
        if s["unit"] not in vocabulary[s["item"]]:
            spot.add(path + ("unit",), where, "单位与项目不符", expected="、".join(vocabulary[s["item"]]), got=s["unit"])
        for key in ("amount", "previous"):
            if key in s:
                amount_places(spot, path + (key,), where, s[key], unit="元")
        effective = parse_date(s["effective_from"])
        if effective is None:
            spot.add(path + ("effective_from",), where, "日期不存在", got=s["effective_from"],
                     hint=impossible_date_hint(s["effective_from"]))
            continue
        if "previous" in s and Decimal(s["previous"]) > Decimal(s["amount"]):
            spot.add(path + ("previous",), where, "新标准低于原标准", severity=WARNING,
                     expected=f"不低于原标准 {s['previous']}", got=str(s["amount"]), hint="请核对新旧标准是否写反")
        result.append(a.Standard(s["item"], Decimal(s["amount"]), s["unit"], effective,
                                 Decimal(s["previous"]) if "previous" in s else None))
    return a.Standards(tuple(result)) if spot.errors() == before else None


# ---- statistics ----

def _figures(raw: Mapping, name: str) -> a.Figures:
    return a.Figures(name, raw.get("households"), raw.get("persons"), raw.get("times"),
                     Decimal(raw["spending"]) if "spending" in raw else None,
                     Decimal(raw["spending_ytd"]) if "spending_ytd" in raw else None)


def _statistics(raw: Mapping, period: a.Period, spot: Spot) -> a.Statistics | None:
    before = spot.errors()
    programmes = a.spec()["programmes"]
    rows = []
    for i, r in enumerate(raw["rows"]):
        path = ("statistics", "rows", i)
        name = r["programme"]
        where = f"救助对象和资金支出 第 {i + 1} 行（{name}）"
        if name not in programmes:
            spot.add(path + ("programme",), where, "未知的救助项目", expected="、".join(programmes), got=name,
                     hint="救助项目的写法见 generator/data/assistance.yml")
        figures = _figures(r, name)
        _one_line(spot, path, where, r, figures, programmes.get(name, {}).get("by"))
        parts = []
        for j, p in enumerate(r.get("parts", ())):
            part = _figures(p, p["name"])
            _one_line(spot, path + ("parts", j), f"{where} 其中第 {j + 1} 项（{p['name']}）", p, part, None)
            parts.append(part)
        for key in a.FIGURE_FIELDS:
            stated = [getattr(p, key) for p in parts]
            if parts and all(v is not None for v in stated) and getattr(figures, key) is not None:
                want = sum(stated, ZERO if key.startswith("spending") else 0)
                if getattr(figures, key) != want:
                    spot.add(path + (key,), f"{where}{LABELS[key]}", f"{LABELS[key]}不等于“其中”各项之和",
                             expected=f"{_num(want)}（{'、'.join(p.name for p in parts)} 之和）",
                             got=_diff(getattr(figures, key), want), hint="请核对这一行和下面的“其中”各项")
        rows.append(a.StatisticsRow(figures, tuple(parts)))
    total = None
    if "total" in raw:
        total = _figures(raw["total"], "合计")
        _one_line(spot, ("statistics", "total"), "救助对象和资金支出 合计", raw["total"], total, None)
        for key in a.FIGURE_FIELDS:
            if key in raw["total"]:
                want = sum((getattr(r.figures, key) or 0 for r in rows), ZERO if key.startswith("spending") else 0)
                if getattr(total, key) != want:
                    spot.add(("statistics", "total", key), f"救助对象和资金支出 合计{LABELS[key]}",
                             f"合计不等于各救助项目之和", expected=f"{_num(want)}（各行{LABELS[key]}之和）",
                             got=_diff(getattr(total, key), want), hint="请核对合计行和各行的数字")
    if spot.errors() != before:
        return None
    return a.Statistics(period, tuple(rows), total)


def _one_line(spot: Spot, path: tuple, where: str, raw: Mapping, f: a.Figures, by: str | None) -> None:
    for key in ("spending", "spending_ytd"):
        if key in raw:
            amount_places(spot, path + (key,), f"{where}{LABELS[key]}", raw[key])
    if f.households is not None and f.persons is not None and f.persons < f.households:
        spot.add(path + ("persons",), f"{where}对象人数", "对象人数少于户数", expected=f"不少于户数 {f.households}",
                 got=str(f.persons), hint="每户至少一人；请核对户数和人数是否写反")
    if f.spending is not None and f.spending_ytd is not None and f.spending_ytd < f.spending:
        spot.add(path + ("spending_ytd",), f"{where}本年累计支出", "本年累计支出少于本期支出",
                 expected=f"不少于本期 {money.money(f.spending)}", got=money.money(f.spending_ytd))
    if by == "times" and f.times is None:
        spot.add(path, where, "这个项目按救助人次统计，缺少 times（救助人次）", hint="例如 times: 339")


def _num(value) -> str:
    return money.money(value) if isinstance(value, Decimal) else f"{value:,}"


def _diff(got, want) -> str:
    if isinstance(got, Decimal):
        return difference(got, want)
    return f"{got:,}，相差 {got - want:+,}"


# ---- 公示名单 ----

def read_notice(data: Mapping, category: Category, spot: Spot, published: date | None,
                stated: NoticePeriod | None, body: str, body_line: int) -> tuple[a.NoticeList | None, NoticePeriod | None]:
    """The 公示 list of a record and, when the record gave none, the default 公示期 of its 公示类型."""
    kind = data.get("notice_kind")
    recipients = data.get("recipients")
    if category.notices and (kind or stated or recipients):
        names_outside_list(body, body_line, data, spot)
    if kind is None:
        if recipients and category.notices:
            spot.add(("recipients",), "公示类型 (notice_kind)", "公示名单缺少公示类型",
                     expected="、".join(category.notices), hint="例如 notice_kind: 初审；公示期满后页面按公示类型决定是否继续显示名单")
            return None, None
        if recipients and stated is not None:
            # A category without 公示类型: the list is a 公示 for its 公示期, then totals only.
            return a.NoticeList("公示", stated, False, tuple(_recipient(r) for r in recipients)), None
        return None, None
    if kind not in category.notices:
        spot.add(("notice_kind",), "公示类型 (notice_kind)", "未知的公示类型",
                 expected="、".join(category.notices) or "（本分类没有在 _category.yml 的 notices 中登记公示类型）", got=kind,
                 hint="公示类型及其默认公示期在分类的 _category.yml 的 notices 中登记")
        return None, None
    rule = category.notices[kind]
    default = None
    period = stated
    if stated is None and published is not None:
        default = period = NoticePeriod(published, published + timedelta(days=rule["days"] - 1))
    elif stated is not None and stated.days < rule["days"]:
        spot.add(("notice_period", "end"), "公示期 (notice_period)", f"公示期短于{kind}公示规定的 {rule['days']} 天",
                 expected=f"至少 {rule['days']} 天（{stated.start.isoformat()} 至 "
                          f"{(stated.start + timedelta(days=rule['days'] - 1)).isoformat()}）",
                 got=f"{stated.days} 天", hint="公示期首尾两天都算在内", severity=WARNING)
    if not recipients or period is None:
        return None, default
    before = spot.errors()
    list_period = a.Period.parse(data["period"]) if "period" in data else None
    kinds = a.spec()["recipient_kinds"]
    hidden = a.spec()["aggregates_only"]
    rows = []
    for i, r in enumerate(recipients):
        path = ("recipients", i)
        where = f"公示名单 (recipients) 第 {i + 1} 行（{r['name']}）"
        kind_of_row = r.get("kind", "").strip()
        if any(h in kind_of_row for h in hidden):
            spot.add(path + ("kind",), where, f"{kind_of_row}只公开汇总数据，不得公示名单", got=kind_of_row,
                     hint="医疗救助涉及健康信息（敏感个人信息），请改为在统计数据中公开人次和金额")
        elif kind_of_row and kind_of_row not in kinds:
            spot.add(path + ("kind",), where, "未知的类别", expected="、".join(kinds), got=kind_of_row)
        if "monthly_amount" in r:
            amount_places(spot, path + ("monthly_amount",), where, r["monthly_amount"], unit="元")
        month = r.get("approved_month")
        if month and list_period and not list_period.contains_month(month):
            spot.add(path + ("approved_month",), where, "批准月份不在名单的所属期间内",
                     expected=f"{list_period.label}（{list_period.first:%Y-%m} 至 {list_period.last:%Y-%m}）", got=month,
                     hint="请核对批准月份，或信息头中的 period")
        rows.append(_recipient(r))
    if any(h in kind for h in hidden):
        spot.add(("notice_kind",), "公示类型 (notice_kind)", "这个项目只公开汇总数据，不得公示名单", got=kind)
    if "recipients_total" in data:
        _list_totals(data["recipients_total"], rows, spot)
    if spot.errors() != before:
        return None, default
    return a.NoticeList(kind, period, bool(rule.get("long_term")), tuple(rows)), default


def _recipient(r: Mapping) -> Recipient:
    return Recipient(r["name"].strip(), r["village"].strip(), r.get("household_size"),
                     Decimal(r["monthly_amount"]) if "monthly_amount" in r else None, r.get("kind", "").strip(),
                     r.get("approved_month", ""))


def _list_totals(stated: Mapping, rows: list[Recipient], spot: Spot) -> None:
    sums = {"households": len(rows), "persons": sum(r.household_size or 0 for r in rows),
            "monthly_amount": sum((r.monthly_amount or ZERO for r in rows), ZERO)}
    labels = {"households": "户数", "persons": "保障人数", "monthly_amount": "月保障金额合计"}
    for key, want in sums.items():
        if key in stated and stated[key] != want:
            got = stated[key]
            spot.add(("recipients_total", key), f"名单合计 (recipients_total) {labels[key]}", f"{labels[key]}与名单逐行相加不一致",
                     expected=f"{_num(want)}（名单 {len(rows)} 行相加）",
                     got=_diff(Decimal(got), want) if key == "monthly_amount" else _diff(got, want),
                     hint="请核对名单和合计；正文中的合计数也请一并核对")
    if "households" in stated and "persons" in stated and stated["persons"] < stated["households"]:
        spot.add(("recipients_total", "persons"), "名单合计 (recipients_total) 保障人数", "保障人数少于户数",
                 expected=f"不少于户数 {stated['households']}", got=str(stated["persons"]))


def names_outside_list(body: str, body_line: int, data: Mapping, spot: Spot) -> None:
    """A name list in the body stays on the page after the 公示期: it belongs in `recipients`."""
    for table, lines in markdown_tables(body, body_line):
        if any(header_word(h) in NAME_HEADERS for h in table.header):
            spot.problems.add(spot.file, lines[0] - 2 if lines else body_line, "正文表格",
                              "公示名单写在了正文表格中", expected="名单写在信息头的 recipients 中",
                              hint="正文中的名单在公示期满后无法自动撤下；请把各行移到 recipients，正文只写说明")
            return
    for i, item in enumerate(data.get("attachments", ())):
        if str(item.get("file", "")).lower().endswith((".csv", ".xlsx")) and "名单" in str(item.get("file", "")) + str(item.get("title", "")):
            spot.add(("attachments", i), f"附件 (attachments) 第 {i + 1} 项", "公示名单作为附件发布，公示期满后仍会留在网站上",
                     got=item.get("file"), hint="名单请写在 recipients 中（页面和下载会在公示期满后只保留汇总数），并删除这个附件",
                     severity=WARNING)


# ---- between records ----

def check_across(records, spots: dict[str, Spot]) -> None:
    """One 保障标准 per item and 执行日期 across the site (a statistics page repeats the standards in force)."""
    first: dict[tuple[str, date], tuple] = {}
    for r in sorted(records, key=lambda r: (r.published_on, r.source)):
        for d in r.datasets:
            if not isinstance(d, a.Standards):
                continue
            for i, s in enumerate(d.items):
                key = (s.item, s.effective_from)
                if key not in first:
                    first[key] = (r, s)
                elif first[key][1].amount != s.amount:
                    other = first[key]
                    spots[r.source].add(("allowance_standards", i, "amount"), f"保障标准 (allowance_standards) 第 {i + 1} 项（{s.item}）",
                                        f"与 {other[0].source} 中同一执行日期的标准不一致",
                                        expected=f"{money.money(other[1].amount)} {s.unit}（{s.effective_from.isoformat()} 起执行）",
                                        got=difference(s.amount, other[1].amount), hint="同一项目同一执行日期只能有一个标准")
