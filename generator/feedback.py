"""「对本信息有疑问」: who a reader asks about one record, and a mail already naming it.

Everything comes from site.yml: the publisher's phone and email, else the supervision line's. No third-party
form: a tel: link and a mailto: link whose subject and body carry the 索引号, the title and the address, each
percent-encoded (a title may hold &, #, ? or line-breaking characters that would otherwise end the field).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from .model import Record, Settings


@dataclass(frozen=True)
class Feedback:
    office: str         # who answers
    phone: str
    email: str
    mailto: str         # "" without an email address

    @property
    def tel(self) -> str:
        return "tel:" + "".join(c for c in self.phone if c.isdigit() or c in "+-")


def page_address(record: Record, settings: Settings) -> str:
    return settings.base_url.rstrip("/") + "/" + quote(record.page_path) + "/"


def feedback(record: Record, settings: Settings) -> Feedback:
    org = record.publisher
    phone = org.phone or settings.supervision.phone
    email = org.email or settings.supervision.email
    office = org.name if (org.phone or org.email) else settings.supervision.office
    mailto = ""
    if email:
        subject = f"对政府信息的疑问：{record.title}（索引号 {record.index_no}）"
        body = (f"索引号：{record.index_no}\n标题：{record.title}\n发布机构：{org.name}\n"
                f"网址：{page_address(record, settings)}\n\n我的问题：\n")
        mailto = (f"mailto:{quote(email, safe='@')}?subject={quote(subject, safe='')}"
                  f"&body={quote(body.replace(chr(10), chr(13) + chr(10)), safe='')}")
    return Feedback(office, phone, email, mailto)
