"""Frozen records: the only shape that stages after validation see."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

PUBLIC, INTERNAL, EXEMPT = "public", "internal", "exempt"

SERVICE_ELEMENT_LABELS = (
    ("basis", "办事依据"),
    ("duties", "办事职责"),
    ("conditions", "办事条件"),
    ("procedure", "办事程序"),
    ("discipline", "办事纪律"),
    ("result", "办事结果"),
)


def freeze(value):
    """Deep read-only copy of YAML data, so no stage can change what validation approved."""
    if isinstance(value, dict):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    short_name: str
    kind: str
    org_code: str
    address: str = ""
    phone: str = ""
    email: str = ""             # where readers write about its records (「对本信息有疑问」); else the supervision email
    office_hours: str = ""
    doc_prefix: str = ""        # 机关代字: the part of its 文号 before 〔年份〕
    # What `new` writes for this organisation's records (site.yml `defaults`, e.g. topic).
    defaults: Mapping = field(default_factory=lambda: MappingProxyType({}), compare=False, hash=False)


@dataclass(frozen=True)
class Supervision:
    office: str
    phone: str
    email: str = ""
    address: str = ""
    postcode: str = ""
    office_hours: str = ""
    fax: str = ""


@dataclass(frozen=True)
class ComplianceSettings:
    """site.yml `compliance`: how working days are counted, and when a 栏目 counts as not updated."""
    first_day: str = "次日"          # 次日: the day after the anchor is day 1; 当日: the anchor day counts
    adjusted_workdays: bool = True   # 调休上班日 count as working days
    stale_days: int = 183            # a 栏目 without a new record for longer is reported (国办秘函〔2019〕19号: 6 months)


@dataclass(frozen=True)
class Settings:
    name: str
    host: str
    base_url: str
    site_code: str
    icp: str
    police_record: str
    page_size: int
    latest_count: int
    index_template: str
    supervision: Supervision
    organisations: tuple[Organisation, ...]
    topics: tuple[str, ...]
    attachment_types: Mapping[str, str]
    public_numbers: frozenset[str] = frozenset()   # digits only: numbers that may appear in published text
    compliance: "ComplianceSettings" = field(default_factory=lambda: ComplianceSettings())
    engine: str = "mkdocs"     # the program that draws the pages: mkdocs or properdocs (site.py)
    # Years everything published stays at its address (manifest: a record may leave content/ only after them).
    retention_years: int = 10

    def organisation_named(self, name: str) -> Organisation | None:
        return next((o for o in self.organisations if o.name == name), None)

    def organisation(self, org_id: str) -> Organisation | None:
        return next((o for o in self.organisations if o.id == org_id), None)


@dataclass(frozen=True)
class Deadline:
    """公开时限, e.g. 20 working days from the day the information was formed (generator/compliance/deadlines.py).

    Either n days (工作日 or 日) from an anchor date, or a fixed day of the following year (by: 01-31, the
    年度报告)."""
    n: int = 0
    unit: str = "工作日"  # 工作日 | 日
    anchor: str = ""     # 形成 | 变更 | 批复 | 收到 | 印发 (generator/data/deadlines.yml)
    field: str = ""      # the record field holding the anchor date; default per anchor in the data file
    by: str = ""         # MM-DD of the year after the record's period

    def describe(self) -> str:
        from .compliance.deadlines import describe
        return describe(self)


@dataclass(frozen=True)
class Cadence:
    """定期公开: one record per period (日 | 月 | 季 | 年) from a first period on, per publisher."""
    every: str
    start: str                        # the first period: YYYY-MM
    publishers: tuple[str, ...] = ()  # organisation ids; empty: every publisher with a record of this kind

    def describe(self) -> str:
        return f"每{self.every}（自 {self.start[:4]} 年 {int(self.start[5:7])} 月起）"


@dataclass(frozen=True)
class KindRules:
    """What a kind of record (a dataset key such as statistics) has of its own: title, 公开时限, cadence; for a
    declared table (generator/kinds), whether it is a list kept in force (current: the newest record per
    publisher is the list in force) and the 年度报告 row each of its rows counts under (decision_type)."""
    title: str
    deadline: Deadline | None = None
    cadence: Cadence | None = None
    current: bool = False
    decision_type: str = ""


# Forms a record can be made public in (登记簿 column 公开形式).
WEBSITE, BOARD, LEAFLET = "网站", "公开栏", "明白纸"
POSTING_FORMS = (WEBSITE, BOARD, LEAFLET, "政务新媒体", "其他")


@dataclass(frozen=True)
class PrintSettings:
    """_category.yml `print`: paper of the category's board sheets; board=True puts every record on the board."""
    paper: str = "A4"          # A4 | A3
    board: bool = False
    site_days: int = 366       # the website offers board sheets of this category for this many days


@dataclass(frozen=True)
class Category:

    id: str
    title: str
    description: str
    order: int
    default_publisher: str | None
    default_topic: str | None
    catalogue_columns: tuple[str, ...]
    archive_by: str                 # year | month
    deadline: Deadline | None
    period: str
    schema: Mapping = field(repr=False, compare=False, hash=False)
    directory: Path = field(repr=False, compare=False, hash=False)
    printing: PrintSettings = field(default_factory=lambda: PrintSettings())
    requires_interpretation: bool = False   # 三同步: each document is published with its 政策解读
    # 公示类型 (notice_kind) -> {days: default 公示期 in days, long_term: the list stays published (长期公布)}
    notices: Mapping = field(default_factory=lambda: MappingProxyType({}), compare=False, hash=False)
    # Compliance (generator/compliance): the cadence of the whole category, rules per record kind, how long the
    # 栏目 may go without a new record, and the 年度报告 row its documents count under (规章 | 行政规范性文件).
    cadence: Cadence | None = None
    kinds: Mapping = field(default_factory=lambda: MappingProxyType({}), compare=False, hash=False)
    stale_days: int | None = None
    instrument: str = ""
    # Generic kinds (generator/kinds): table | recipients | consultation, the tables the category declares in
    # its _schema.yml (kinds/columns.py TableSpec), the kind's own settings (recipients:, consultation:), and
    # declared fields used as search facets, rows of the 信息属性 grid and columns of the list in force.
    kind: str = ""
    tables: tuple = ()
    options: Mapping = field(default_factory=lambda: MappingProxyType({}), compare=False, hash=False)
    facets: tuple[str, ...] = ()
    meta_fields: tuple[str, ...] = ()
    listing_columns: tuple[str, ...] = ()

    def label(self, key: str) -> str:
        """A front-matter field as messages name it: its title in the schema and its key, or the key."""
        title = self.schema["properties"].get(key, {}).get("title")
        return f"{title} ({key})" if title else key


@dataclass(frozen=True)
class Attachment:
    source: Path        # absolute path inside content/
    docs_path: str      # path under build/docs, posix
    title: str
    kind: str           # display label: PDF, Word, Excel ...
    size: int           # bytes

    @property
    def size_text(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"


@dataclass(frozen=True)
class NoticePeriod:
    """公示期; both the first and the last day count."""
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def overlaps(self, first: date, last: date) -> bool:
        return self.start <= last and self.end >= first


@dataclass(frozen=True)
class Posting:
    """One line of the 登记簿: where a record was made public, from when until when."""
    form: str                       # one of POSTING_FORMS
    place: str
    posted_on: date
    removed_on: date | None = None  # None: still posted

    def overlaps(self, first: date, last: date) -> bool:
        return self.posted_on <= last and (self.removed_on is None or self.removed_on >= first)


@dataclass(frozen=True)
class Leaflet:
    """明白纸: the plain-language summary printed on one A4 page."""
    who: str
    how_to_apply: str
    contact: str
    how_much: str = ""
    title: str = ""


@dataclass(frozen=True)
class Recipient:
    """One row of a published list. Only whitelisted columns exist; the name is masked (张*明)."""
    name: str
    village: str                    # 村/社区: lists are split per village board
    household_size: int | None = None
    monthly_amount: Decimal | None = None
    kind: str = ""
    approved_month: str = ""        # YYYY-MM


# 更新记录 levels: a 重大 change is announced in the feeds, a 一般 one only listed on the page.
MAJOR, MINOR = "重大", "一般"
# 有效性 values of a document no longer in force.
NOT_IN_FORCE = ("失效", "废止")


@dataclass(frozen=True)
class ChangeNote:
    """One entry of a published record's 更新记录 (change_log): a correction, with its date and level."""
    on: date
    level: str          # MAJOR | MINOR
    note: str

    @property
    def major(self) -> bool:
        return self.level == MAJOR


@dataclass(frozen=True)
class Withdrawal:
    """撤回: the record leaves the site; a tombstone with its title, 索引号, date and reason stays at its address."""
    on: date
    reason: str


@dataclass(frozen=True)
class Lifecycle:
    """What happens to a record after its publication (generator/lifecycle): when it is in force, what replaced
    or amended it (by 索引号), its corrections, its withdrawal."""
    valid_from: date | None = None
    valid_until: date | None = None
    repealed_on: date | None = None
    repealed_by: str = ""
    superseded_by: str = ""                 # 索引号 of the record that replaces this one
    amends: tuple[str, ...] = ()            # 索引号 of the records this one amends
    change_log: tuple[ChangeNote, ...] = ()  # in the order written
    withdrawn: Withdrawal | None = None

    @property
    def changes_newest_first(self) -> tuple[ChangeNote, ...]:
        return tuple(sorted(self.change_log, key=lambda c: c.on, reverse=True))

    @property
    def last_major(self) -> ChangeNote | None:
        return max((c for c in self.change_log if c.major), key=lambda c: c.on, default=None)


@dataclass(frozen=True)
class Record:

    source: str                 # path relative to the project root, for messages
    category: Category
    page_path: str              # docs path without ".md", e.g. social_assistance/2025/dibao-standard
    index_no: str
    title: str
    topic: str
    publisher: Organisation
    written_on: date
    published_on: date
    summary: str
    body: str
    doc_no: str = ""
    validity: str = ""
    disclosure: str = "主动公开"
    audience: str = PUBLIC
    genre: str = ""
    keywords: tuple[str, ...] = ()
    draft: bool = False
    interprets: str | None = None
    attachments: tuple[Attachment, ...] = ()
    links: tuple = ()           # (field, rules.markup.Link) of every URL its page and sheets hold (validate.py)
    service_elements: tuple[tuple[str, str], ...] = ()
    notice_period: NoticePeriod | None = None
    postings: tuple[Posting, ...] = ()
    leaflet: Leaflet | None = None
    recipients: tuple[Recipient, ...] = ()
    datasets: tuple = ()        # structured tables (generator/datasets): budget, statistics, AQI ...
    data: Mapping = field(default_factory=lambda: MappingProxyType({}), repr=False, compare=False, hash=False)
    source_digest: str = field(default="", repr=False, compare=False, hash=False)   # of the file's text
    lifecycle: Lifecycle = field(default_factory=Lifecycle)

    # Asked for on every record by most stages (130,000 times in a rebuild of 10,000 records): worked out once
    # (cached_property keeps the answer in the instance's dict). A frozen record's fields are never changed in
    # place (object.__setattr__ sets only `source` and memos): changing audience, draft or lifecycle so would
    # leave these answers stale; make a new record (dataclasses.replace) instead.
    @cached_property
    def withdrawn(self) -> bool:
        """撤回: only a tombstone is published (title, 索引号, date, reason)."""
        return self.lifecycle.withdrawn is not None

    @cached_property
    def is_published(self) -> bool:
        """True for records that reach the public site."""
        return self.audience == PUBLIC and not self.draft

    @property
    def of_its_file_alone(self) -> bool:
        """Everything it holds comes from its own file and what all records share: no tables and no attachments
        (other files). Its file digest then stands for it wherever the shared inputs are also compared."""
        return bool(self.source_digest) and not self.datasets and not self.attachments

    @property
    def on_board(self) -> bool:
        """Printed for a 公开栏: its category puts every record there, or a posting says so. Never if not public."""
        return (self.is_published and not self.withdrawn
                and (self.category.printing.board or any(p.form == BOARD for p in self.postings)))

    def printed_with_site(self, reference: date) -> bool:
        """Whether `build` puts its board sheet on the website: records posted on a board or with a 公示期
        always, unless their name list has expired; other records of a board category while recent (site_days
        before the site's newest record). Older sheets are still printed on demand by `print --record`."""
        if not self.on_board or self.list_expired():
            return False
        if self.notice_period or any(p.form == BOARD for p in self.postings):
            return True
        return (reference - self.published_on).days <= self.category.printing.site_days

    def list_expired(self, on: date | None = None) -> bool:
        """A 公示 name list whose 公示期 is over and that is not 长期公布 (on the build date, datasets/clock.py):
        its names are off the web page, and its board sheet off the website and the full print run."""
        from .datasets.clock import today
        on = on or today()
        return any(getattr(d, "expired", None) and d.expired(on) for d in self.datasets)

    @property
    def villages(self) -> tuple[str, ...]:
        """村/社区 of the recipient list, in the order they first appear."""
        return tuple(dict.fromkeys(r.village for r in self.recipients))

    @property
    def sort_key(self):
        """Newest first, then by index number so the order is stable."""
        return (-self.published_on.toordinal(), self.index_no)
