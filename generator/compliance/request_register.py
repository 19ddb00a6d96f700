"""The 依申请公开 register: content/_requests/YEAR.yml, one file a year, kept with the content and never published.

Each request gets its due date: 20 个工作日 from receipt (条例第三十三条), 20 more with an approved 延期, and with a
补正 the clock starts again from receipt of the corrected application (第三十条). Requests received in an earlier
year and still open at its end are carried over: they appear in both years' files, and the check holds the two
files to the annual report's 勾稽关系 (新收 + 上年结转 = 办理结果总计 + 结转下年).
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..datasets.spec import load
from ..model import Organisation, Settings
from ..problems import Problems, display_path
from ..rules.dates import parse_date
from ..schema_check import check_against
from ..settings import load_schema
from ..sourcefile import SourceError, YamlDocument, parse_yaml, read_text
from .workdays import WorkCalendar

REGISTER_DIR = "_requests"
OPEN = "办理中"


def spec():
    return load("annual-report")


def answer_keys() -> list[str]:
    out = []
    for group in spec()["results"]:
        out += [row["key"] for row in group.get("rows", [group])]
    return out


def applicant_types() -> list[str]:
    a = spec()["applicants"]
    return [a["natural"]] + list(a["organisations"])


def _schema() -> dict:
    schema = copy.deepcopy(load_schema("requests.schema.yml"))
    item = schema["properties"]["requests"]["items"]["properties"]
    item["channel"]["enum"] = list(spec()["channels"])
    item["applicant_type"]["enum"] = applicant_types()
    item["answer"]["enum"] = answer_keys()
    results = list(spec()["appeals"]["results"])
    item["review"]["properties"]["result"]["enum"] = results
    item["litigation"]["properties"]["result"]["enum"] = results
    return schema


@dataclass(frozen=True)
class Request:
    id: str
    file: str
    line: int | None
    publisher: Organisation
    received_on: date
    channel: str
    applicant_type: str
    request: str
    correction_requested: date | None = None
    correction_received: date | None = None
    extension_approved: date | None = None
    extension_days: int = 0
    answered_on: date | None = None
    answer: str = ""
    review: str = ""                 # 维持 | 纠正 | 其他 | 未审结
    litigation_route: str = ""       # 未经复议直接起诉 | 复议后起诉
    litigation: str = ""

    @property
    def start(self) -> date | None:
        """The day the time limit runs from; None while a 补正 is awaited (the clock stands still)."""
        if self.correction_requested:
            return self.correction_received
        return self.received_on

    def due(self, calendar: WorkCalendar) -> date | None:
        if self.start is None:
            return None
        return calendar.add(self.start, spec()["limits"]["answer"] + self.extension_days)

    def open_at(self, day: date) -> bool:
        """Received by that day and not yet answered on it."""
        return self.received_on <= day and (self.answered_on is None or self.answered_on > day)


@dataclass(frozen=True)
class RequestRegister:
    year: int
    file: str
    requests: tuple[Request, ...]

    @property
    def year_end(self) -> date:
        return date(self.year, 12, 31)

    def received(self) -> list[Request]:
        return [r for r in self.requests if r.received_on.year == self.year]

    def carried_in(self) -> list[Request]:
        return [r for r in self.requests if r.received_on.year < self.year]

    def answered(self) -> list[Request]:
        return [r for r in self.requests if r.answered_on and r.answered_on.year == self.year]

    def carried_out(self) -> list[Request]:
        return [r for r in self.requests if r.open_at(self.year_end)]


def register_files(content: Path) -> list[Path]:
    folder = content / REGISTER_DIR
    return sorted(folder.glob("*.yml")) if folder.is_dir() else []


def load_request_registers(content: Path, settings: Settings, problems: Problems) -> dict[int, RequestRegister]:
    """Every register file, checked; a file with errors is left out (its problems say why)."""
    registers: dict[int, RequestRegister] = {}
    schema = _schema()
    for path in register_files(content):
        shown = display_path(path)
        try:
            doc = parse_yaml(read_text(path))
        except SourceError as exc:
            problems.add(shown, exc.line, None, exc.message, got=exc.got, hint=exc.hint)
            continue
        if check_against(schema, doc.data, doc, shown, problems):
            continue
        before = len(problems.errors)
        register = _read(doc, shown, path, settings, problems)
        if register is not None and len(problems.errors) == before:
            registers[register.year] = register
    for year, register in sorted(registers.items()):
        previous = registers.get(year - 1)
        if previous is not None:
            _check_carry(previous, register, problems)
    return registers


def _publisher(settings: Settings, name: str) -> Organisation | None:
    return next((o for o in settings.organisations if name in (o.id, o.name, o.short_name)), None)


def _read(doc: YamlDocument, shown: str, path: Path, settings: Settings, problems: Problems) -> RequestRegister | None:
    data = doc.data
    year = data["year"]
    if not re.fullmatch(rf"{year}(\D.*)?", path.stem):
        problems.add(shown, doc.line_of(("year",)), "年度 (year)", "年度与文件名不一致", expected=path.stem[:4],
                     got=str(year), hint="每年一个登记文件，文件名写年度，例如 2025.yml 中写 year: 2025")
    requests, seen = [], {}
    fields = _schema()["properties"]["requests"]["items"]["properties"]
    for i, item in enumerate(data["requests"]):
        def add(key, message, *, sub=None, **kw):
            keys = ("requests", i, key) + ((sub,) if sub else ())
            node = fields[key]["properties"][sub] if sub else fields[key]
            name = f"{node['title']} ({key}{'.' + sub if sub else ''})"
            problems.add(shown, doc.line_of(keys), f"第 {i + 1} 件申请（{item['id']}） {name}", message, **kw)

        if item["id"] in seen:
            add("id", "申请编号重复", got=item["id"], hint=f"与第 {seen[item['id']] + 1} 件相同；每件申请的编号必须唯一")
        seen.setdefault(item["id"], i)
        org = _publisher(settings, item["publisher"])
        if org is None:
            add("publisher", "未知办理机关", got=item["publisher"],
                expected="site.yml 中登记的机构：" + "、".join(o.name for o in settings.organisations))

        dates = {}
        for keys in (("received_on",), ("answered_on",), ("correction", "requested_on"), ("correction", "received_on"),
                     ("extension", "approved_on")):
            node = item
            for k in keys:
                node = node.get(k) if isinstance(node, dict) else None
            if node is None:
                continue
            value = parse_date(node)
            if value is None:
                add(keys[0], "日期不存在", sub=keys[1] if len(keys) > 1 else None, got=node,
                    expected="真实存在的日期，格式 YYYY-MM-DD")
            dates[keys] = value
        received = dates.get(("received_on",))
        answered = dates.get(("answered_on",))
        asked = dates.get(("correction", "requested_on"))
        corrected = dates.get(("correction", "received_on"))
        extended = dates.get(("extension", "approved_on"))
        if received and received.year > year:
            add("received_on", f"收到日期不在 {year} 年或之前", got=item["received_on"],
                hint=f"{received.year} 年收到的申请请登记在 {received.year}.yml 中")
        if received and asked and asked < received:
            add("correction", "告知补正的日期早于收到申请的日期", sub="requested_on", got=item["correction"]["requested_on"])
        if asked and corrected and corrected < asked:
            add("correction", "收到补正的日期早于告知补正的日期", sub="received_on", got=item["correction"]["received_on"])
        if received and answered and answered < (corrected or received):
            add("answered_on", "答复日期早于" + ("收到补正" if corrected else "收到申请") + "的日期", got=item["answered_on"])
        if bool(item.get("answered_on")) != bool(item.get("answer")):
            add("answer" if item.get("answered_on") else "answered_on",
                "答复日期和办理结果要一起填写", got="只填了" + ("答复日期" if item.get("answered_on") else "办理结果"),
                hint="已答复的申请写 answered_on 和 answer；还在办理的两项都不写")
        if received and answered and answered.year < year:
            add("answered_on", f"{answered.year} 年已答复的申请不应出现在 {year} 年的登记中", got=item["answered_on"],
                hint="只有上年收到、年底仍在办理的申请才结转到下一年")
        if None in (org, received) or any(v is None for v in dates.values()):
            continue
        requests.append(Request(
            id=item["id"], file=shown, line=doc.line_of(("requests", i, "id")), publisher=org, received_on=received,
            channel=item["channel"], applicant_type=item["applicant_type"], request=item["request"],
            correction_requested=asked, correction_received=corrected, extension_approved=extended,
            extension_days=(item["extension"].get("days", spec()["limits"]["extension"]) if extended else 0),
            answered_on=answered, answer=item.get("answer", ""), review=item.get("review", {}).get("result", ""),
            litigation_route=item.get("litigation", {}).get("route", ""),
            litigation=item.get("litigation", {}).get("result", "")))
    return RequestRegister(year, shown, tuple(requests))


def _check_carry(previous: RequestRegister, register: RequestRegister, problems: Problems) -> None:
    """上年结转 of this year = 结转下年 of the last: the same requests, by number."""
    out_ids = {r.id for r in previous.carried_out()}
    in_ids = {r.id for r in register.carried_in()}
    for missing in sorted(out_ids - in_ids):
        problems.add(register.file, None, "上年结转",
                     f"{previous.year} 年登记中年底仍在办理的申请 {missing} 没有结转到 {register.year} 年",
                     expected=f"新收 + 上年结转 = 办理结果总计 + 结转下年：{previous.year} 年结转下年 {len(out_ids)} 件，"
                              f"{register.year} 年上年结转 {len(in_ids)} 件",
                     hint=f"请把申请 {missing} 抄到 {register.year} 年的登记中，并填写答复日期和办理结果")
    for extra in sorted(in_ids - out_ids):
        problems.add(register.file, None, "上年结转",
                     f"申请 {extra} 登记为上年结转，但在 {previous.year} 年的登记中不是年底仍在办理的申请",
                     expected=f"{previous.year} 年结转下年的申请：" + ("、".join(sorted(out_ids)) or "无"),
                     hint=f"请核对 {previous.file} 中这件申请的答复日期，或删除本年登记中的这一项")


@dataclass(frozen=True)
class Standing:
    """A request measured against its time limit on a day."""
    request: Request
    due: date | None
    status: str            # 办理中 | 等待补正 | 逾期未答复 | 已答复 | 逾期答复
    days: int              # 办理中: working days left; 逾期…: working days past due
    correction_late: int   # working days the 补正 notice came after the 7 allowed (0: in time)


def standing(request: Request, today: date, calendar: WorkCalendar) -> Standing:
    limits = spec()["limits"]
    notice_late = 0
    if request.correction_requested:
        latest = calendar.add(request.received_on, limits["correction_notice"])
        notice_late = calendar.between(latest, request.correction_requested)
    due = request.due(calendar)
    if request.answered_on:
        late = calendar.between(due, request.answered_on) if due else 0
        return Standing(request, due, "逾期答复" if late else "已答复", late, notice_late)
    if due is None:
        return Standing(request, None, "等待补正", 0, notice_late)
    if today > due:
        return Standing(request, due, "逾期未答复", calendar.between(due, today), notice_late)
    return Standing(request, due, OPEN, calendar.between(today, due), notice_late)
