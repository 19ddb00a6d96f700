"""Frozen records: the only shape that stages after validation see."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
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
    office_hours: str = ""


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

    def organisation_named(self, name: str) -> Organisation | None:
        return next((o for o in self.organisations if o.name == name), None)

    def organisation(self, org_id: str) -> Organisation | None:
        return next((o for o in self.organisations if o.id == org_id), None)


@dataclass(frozen=True)
class Deadline:
    """公开时限， e.g. 20 working days from the day the information was formed."""
    n: int
    unit: str          # 工作日 | 日
    anchor: str        # 形成或变更 | 批复 | ...

    def describe(self) -> str:
        return f"{self.anchor}之日起 {self.n} 个{self.unit}内" if self.unit == "工作日" else f"{self.anchor}之日起 {self.n} 日内"


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
    service_elements: tuple[tuple[str, str], ...] = ()
    data: Mapping = field(default_factory=lambda: MappingProxyType({}), repr=False, compare=False, hash=False)

    @property
    def is_published(self) -> bool:
        """True for records that reach the public site."""
        return self.audience == PUBLIC and not self.draft

    @property
    def sort_key(self):
        """Newest first, then by index number so the order is stable."""
        return (-self.published_on.toordinal(), self.index_no)
