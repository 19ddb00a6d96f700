"""Rules, validators and the detectors for names and addresses; numbers are found by numbers.py."""
from __future__ import annotations

import re
from datetime import date

ID_CARD = "id_card"
MOBILE = "mobile"
LANDLINE = "landline"
BANK_CARD = "bank_card"
NAME = "name"
ADDRESS = "address"

RULE_LABELS = {
    ID_CARD: "居民身份证号",
    MOBILE: "手机号码",
    LANDLINE: "固定电话号码",
    BANK_CARD: "银行卡号",
    NAME: "未遮盖的姓名",
    ADDRESS: "门牌号级别的地址",
}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# 测政办发〔2025〕7号 ends in 号 like a house number; a 文号 is a document, not an address.
_DOC_NO = re.compile(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
_ADDRESS = re.compile(r"(\d+|[一二三四五六七八九十]+)\s*(号楼|号院|号|栋|幢|单元|室|户)"
                      r"|(\d+|[一二三四五六七八九十]+)组\d+")


def valid_id18(text: str) -> bool:
    """GB 11643: region, a real birth date, ISO 7064 MOD 11-2 check digit."""
    if not re.fullmatch(r"[1-9]\d{16}[\dXx]", text):
        return False
    try:
        birth = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    if not date(1900, 1, 1) <= birth <= date.today():
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == text[17].upper()


def valid_id15(text: str) -> bool:
    """Pre-1999 15-digit number: region and a real 19YYMMDD birth date, no check digit."""
    if not re.fullmatch(r"[1-9]\d{14}", text):
        return False
    try:
        date(1900 + int(text[6:8]), int(text[8:10]), int(text[10:12]))
    except ValueError:
        return False
    return True


def luhn(text: str) -> bool:
    digits = [int(d) for d in text]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def normalise_phone(text: str) -> str:
    return re.sub(r"[^\d]", "", text)


def is_masked_name(value: str) -> bool:
    """张*明, 李*, 欧阳**, 王某某: some character stands in for part of the name."""
    value = value.strip()
    return bool(value) and bool(re.search(r"[*＊×某]", value))


def looks_like_person_name(value: str) -> bool:
    value = value.strip()
    return bool(re.fullmatch(r"[\u4e00-\u9fff·]{2,6}", value))


def has_house_number(value: str) -> bool:
    return bool(_ADDRESS.search(_DOC_NO.sub("", value)))


def mask(value: str) -> str:
    """How a finding is shown: enough to find it in the file, not enough to leak it again."""
    compact = value.strip()
    if len(compact) <= 2:
        return compact[:1] + "*"
    if re.fullmatch(r"[\u4e00-\u9fff·]+", compact):
        return compact[0] + "*" * (len(compact) - 2) + compact[-1]
    keep = 3 if len(compact) >= 11 else 2
    return compact[:keep] + "*" * (len(compact) - keep - 2) + compact[-2:]
