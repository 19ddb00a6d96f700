"""Personal data written so that a naive pattern misses it, and what must stay allowed (issue 14, class 2).

Each obfuscation class is a writing a reader still reads as the number once the page is rendered; each is
tried in the body, in a front-matter field and in a Markdown table, through a real `check`.
"""
import re
from pathlib import Path

import pytest

from generator.privacy.normalise import normalise
from generator.privacy.numbers import find_numbers
from generator.problems import Problems
from generator.settings import load_settings
from tests.conftest import MINI
from tests.privacy_files import id18, write_csv, write_docx, write_pdf, write_xlsx
from tests.test_privacy import NOTICE, add_attachment

MOBILE = "13812345678"
ID = id18()                                                             # ends in a digit
ID_X = next(v for v in (id18(seq=f"{s:03d}") for s in range(1000)) if v.endswith("X"))
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９ＸＸ")


def groups(number: str, sep: str) -> str:
    """138 1234 5678 style for a mobile, 6-8-4 for an ID."""
    cuts = (3, 7) if len(number) == 11 else (6, 14)
    return sep.join((number[:cuts[0]], number[cuts[0]:cuts[1]], number[cuts[1]:]))


# class -> how the number is written; the reader of the rendered page sees the number itself.
OBFUSCATIONS = {
    "emphasis": lambda n: f"**{n}**",
    "emphasis_inside": lambda n: f"{n[:3]}**{n[3:7]}**{n[7:]}",
    "italic_underscore": lambda n: f"_{n}_",
    "code_span": lambda n: f"`{n}`",
    "full_width_digits": lambda n: n.translate(FULL_WIDTH),
    "zero_width_space": lambda n: "\u200b".join(n),
    "zero_width_joiners_bom": lambda n: n[:4] + "\u200d" + n[4:8] + "\ufeff" + n[8:],
    "soft_hyphen": lambda n: groups(n, "\u00ad"),
    "word_joiner": lambda n: groups(n, "\u2060"),
    "no_break_space": lambda n: groups(n, "\u00a0"),
    "narrow_no_break_space": lambda n: groups(n, "\u202f"),
    "ideographic_space": lambda n: groups(n, "\u3000"),
    "entities_decimal": lambda n: "".join(f"&#{ord(c)};" for c in n[:5]) + n[5:],
    "entities_hex": lambda n: "".join(f"&#x{ord(c):x};" for c in n),
    "entity_named": lambda n: groups(n, "&nbsp;"),
    "dots": lambda n: groups(n, "."),
    "full_width_hyphens": lambda n: groups(n, "－"),
    "dashes": lambda n: n[:3] + "\u2010" + n[3:7] + "\u2013" + n[7:],
    "non_breaking_hyphen": lambda n: groups(n, "\u2011"),
    "middle_dots": lambda n: groups(n, "·"),
    "katakana_middle_dots": lambda n: groups(n, "・"),
    "slashes": lambda n: groups(n, "/"),
    "regrouped": lambda n: " ".join(n[i:i + 2] for i in range(0, len(n), 2)),
    "escaped_hyphens": lambda n: groups(n, "\\-"),
    "split_by_br": lambda n: groups(n, "<br>"),
    "split_by_tags": lambda n: f"{n[:3]}<span>{n[3:7]}</span>{n[7:]}",
}
# Glued to Latin letters: only where the evidence is strong (a phone word before a phone number; an ID's check
# digit and birth date), because codes glue digits to letters all the time.
GLUED = {
    "glued_tel": (f"tel{MOBILE}", MOBILE),
    "glued_phone_full_width": (f"ｐｈｏｎｅ{MOBILE}", MOBILE),
    "glued_telephone_sign": (f"℡{MOBILE}", MOBILE),
    "glued_id": (f"ID{ID}x", ID),
    "glued_id_x": (f"sfz{ID_X}abc", ID_X),
}


def digits(text: str) -> str:
    return re.sub(r"[^0-9X]", "", text.upper())


# --- The detector, on text --------------------------------------------------------------------------------

@pytest.mark.parametrize("number,rule", [(MOBILE, "mobile"), (ID, "id_card"), (ID_X, "id_card")])
@pytest.mark.parametrize("kind", sorted(OBFUSCATIONS))
def test_obfuscated_number_is_found(kind, number, rule):
    written = OBFUSCATIONS[kind](number)
    found = find_numbers(f"联系人张*明，{written}，请核实。")
    assert [(m.rule, digits(m.value)) for m in found] == [(rule, number)], written


@pytest.mark.parametrize("kind", sorted(GLUED))
def test_number_glued_to_letters_is_found_when_clearly_one(kind):
    written, number = GLUED[kind]
    found = find_numbers(f"备注：{written}。")
    assert [digits(m.value) for m in found] == [number], written


def test_long_runs_of_groups():
    counts = " ".join(str(i % 10) for i in range(5000))       # a PDF table row, or a megabyte of it
    assert find_numbers(counts) == []
    assert [m.value for m in find_numbers(f"{counts} {MOBILE} {counts}")] == [MOBILE]
    assert [m.value for m in find_numbers(f"{counts} {groups(MOBILE, '-')}")] == [groups(MOBILE, "-")]


def test_number_in_an_attribute_is_found():
    found = find_numbers(f'<a href="tel:{MOBILE}">拨打电话</a>')
    assert [m.value for m in found] == [MOBILE]


def test_offsets_point_into_the_source():
    text = "第一行&nbsp;&#49;\n" + "\u200b" * 5 + "电话：" + OBFUSCATIONS["entities_hex"](MOBILE) + "。"
    [m] = find_numbers(text)
    assert text[m.start:].startswith("&#x31;")
    norm = normalise(text)
    assert norm.text.startswith("第一行 1\n电话：138")
    assert text[norm.source(norm.text.index("电话"))] == "电"


def _public_numbers():
    problems = Problems()
    settings = load_settings(MINI, problems)
    assert settings and not problems.errors
    return settings.public_numbers


def _org_codes() -> list[str]:
    return re.findall(r"org_code: (\S+)", (MINI / "site.yml").read_text(encoding="utf-8"))


def _registered(number: str) -> dict[str, str]:
    """A number registered in site.yml, in each writing it may take on a page."""
    area, local = number.split("-")
    return {"as_registered": number, "spaced": f"{area} {local[:3]} {local[3:]}", "parenthesised": f"（{area}）{local}",
            "full_width": number.translate(str.maketrans("0123456789-", "０１２３４５６７８９－")),
            "non_breaking_hyphen": f"{area}\u2011{local}", "zero_width": f"{area}\u200b-{local}",
            "emphasis": f"**{number}**", "entity": f"{area}&#8209;{local}", "dots": f"{area}.{local[:3]}.{local[3:]}"}


def _site_phones() -> list[str]:
    return re.findall(r"phone: (\S+)", (MINI / "site.yml").read_text(encoding="utf-8"))


# Texts that must never be reported, whatever the normalisation does to them.
NEGATIVES = {
    "masked_mobile": "138****1234",
    "masked_id": "35*************123",
    "masked_emphasised": "**138****1234**",
    "masked_card": "6222 **** **** 1234",
    "two_masked_mobiles": "138****5678 139****1234",
    "masked_full_width": "１３８＊＊＊＊１２３４",
    "masked_zero_width": "138\u200b*\u200b*\u200b*\u200b*\u200b5678 1234",   # as Pagefind writes it
    "amount_grouped": "1,234,567.89 元",
    "amount_plain": "12345678.90",
    "amount_nine_digits": "134567890.12 元",
    "amounts_in_a_row": "1356.78 1234.56 13.5",
    "date": "2025-03-14",
    "date_dots": "2025.03.14",
    "date_slashes": "2025/3/14",
    "period": "2021.01.01-2021.12.31",
    "compact_dates": "20250101—20251231",
    "doc_no": "测政办发〔2025〕7号",
    "postcode": "邮编 999999",
    "postcode_before_phone": "999999 0999-7654321",
    "years": "2019 2020 2021 2022 2023",
    "counts_in_a_row": "东岭村 3 13 81 23 45 67 8 12",
    "integers_in_a_row": "123456 234567 345678",
    "isbn": "ISBN 978-7-301-12345-6",
    "ip_address": "192.168.100.200",
    "office_hours": "8:30—17:30",
    "url": "https://www.example.gov.cn/art/2025/3/14/art_1381_2345678.html",
    "permit_code": "91350100MA00000101001V",
    "permit_tail": "许可证编号 ABC05718888999901",
    "code_glued_mobile": "ABC13812345678",
    "mobile_glued_code": "13812345678abc",
    "word_ending_in_tel": "hotel13812345678",
    "card_shaped_without_luhn": "6222 0212 3456 7890",
}
NEGATIVES.update({f"credit_code_{i}": code for i, code in enumerate(_org_codes())})
NEGATIVES.update({f"index_no_{i}": f"{code}/2025-{seq:05d}" for i, code in enumerate(_org_codes())
                  for seq in (3, 12345)})
NEGATIVES.update({f"registered_{i}_{how}": text for i, phone in enumerate(_site_phones())
                  for how, text in _registered(phone).items()})


@pytest.mark.parametrize("case", sorted(NEGATIVES))
def test_negatives_stay_negative(case):
    assert find_numbers(f"说明：{NEGATIVES[case]}。", _public_numbers()) == []


# --- Through check: file, line and field -----------------------------------------------------------------

def _line_of(path: Path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if fragment in line)


def place_everywhere(mini, written: str) -> dict[str, int]:
    """The written number in the summary, a body paragraph and a recipient table; their expected lines."""
    notice = mini / NOTICE
    text = notice.read_text(encoding="utf-8").replace("summary: 自2025年", f"summary: 联系人电话{written}。自2025年")
    text += (f"\n\n经办人电话：{written}\n\n| 姓名 | 村/社区 | 联系方式 |\n|---|---|---|\n"
             f"| 张*明 | 东岭村 | {written} |\n")
    notice.write_text(text, encoding="utf-8")
    return {"front_matter": _line_of(notice, "summary:"), "body": _line_of(notice, "经办人电话"),
            "table": _line_of(notice, "| 张*明 |")}


def assert_reported(out: str, lines: dict[str, int], label: str, number: str):
    assert "文件 content/docs/2025/subsidy-notice.md" in out, out
    assert f"第 {lines['front_matter']} 行 字段 内容概述 (summary)：{label}" in out, out
    assert f"第 {lines['body']} 行 字段 正文：{label}" in out, out
    assert f"第 {lines['table']} 行 字段 正文：{label}" in out, out
    assert number not in digits(out.replace("\n", "")), "the report shows the value masked"


@pytest.mark.parametrize("kind", sorted(OBFUSCATIONS))
def test_check_stops_on_obfuscated_mobile_everywhere(mini, run, kind):
    lines = place_everywhere(mini, OBFUSCATIONS[kind](MOBILE))
    code, out = run("check", "--content", mini)
    assert code == 1
    assert_reported(out, lines, "含有手机号码", MOBILE)


@pytest.mark.parametrize("kind", ["full_width_digits", "zero_width_space", "entities_hex", "regrouped", "emphasis",
                                  "split_by_br"])
def test_check_stops_on_obfuscated_id_everywhere(mini, run, kind):
    lines = place_everywhere(mini, OBFUSCATIONS[kind](ID_X))
    code, out = run("check", "--content", mini)
    assert code == 1
    assert_reported(out, lines, "含有居民身份证号", ID_X)


@pytest.mark.parametrize("kind", sorted(GLUED))
def test_check_stops_on_glued_numbers_everywhere(mini, run, kind):
    written, number = GLUED[kind]
    lines = place_everywhere(mini, written)
    code, out = run("check", "--content", mini)
    assert code == 1
    assert_reported(out, lines, "含有手机号码" if len(number) == 11 else "含有居民身份证号", number)


def test_id_typed_into_a_numeric_field_is_found_an_amount_is_not(mini, run):
    notice = mini / NOTICE
    text = notice.read_text(encoding="utf-8")
    recipients = "genre: 通知\nrecipients:\n  - {{name: 张*明, village: 东岭村, monthly_amount: {}}}"
    notice.write_text(text.replace("genre: 通知", recipients.format(ID)), encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code == 1
    assert f"第 {_line_of(notice, 'monthly_amount')} 行 字段 公示名单 (recipients) 第 1 项 monthly_amount：含有居民身份证号" in out, out
    notice.write_text(text.replace("genre: 通知", recipients.format(MOBILE)), encoding="utf-8")   # 138 亿元
    code, out = run("check", "--content", mini)
    assert "含有" not in out, out


def test_reviewed_exception_matches_however_the_number_is_written(mini, run):
    notice = mini / NOTICE
    text = notice.read_text(encoding="utf-8").replace("genre: 通知", "genre: 通知\nprivacy_exceptions:\n"
                                                      "  - {rule: mobile, value: '１３８ １２３４ ５６７８', basis: 《失信惩戒公示办法》第十条}")
    notice.write_text(text + "\n失信主体联系电话：" + OBFUSCATIONS["zero_width_space"](MOBILE) + "\n", encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code == 0 and "已审核的隐私例外" in out, out


def test_number_wrapped_inside_a_paragraph_is_found(mini, run):
    notice = mini / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8") + f"\n经办人电话 {MOBILE[:3]}\n{MOBILE[3:7]} {MOBILE[7:]}，"
                      "工作日可拨打。\n\n| 序号 | 户数 |\n|---|---|\n| 138 | 3 |\n| 1234 5678 | 4 |\n", encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code == 1 and f"第 {_line_of(notice, '经办人电话')} 行 字段 正文：含有手机号码" in out, out
    assert out.count("含有手机号码") == 1, "table rows are blocks of their own, not a wrapped line"


def test_line_is_right_after_invisible_and_encoded_text(mini, run):
    notice = mini / NOTICE
    filler = "".join(f"第{i}段&nbsp;**说明**\u200b&#x4e00;<br>\n\n" for i in range(5))
    notice.write_text(notice.read_text(encoding="utf-8") + "\n" + filler + "电话 " + OBFUSCATIONS["entities_hex"](MOBILE)
                      + "\n\n" + filler, encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code == 1 and f"第 {_line_of(notice, '电话 &#x31;')} 行 字段 正文：含有手机号码" in out, out


def test_negatives_pass_check_everywhere(mini, run):
    notice = mini / NOTICE
    original = notice.read_text(encoding="utf-8")
    chunks, chunk = [], []
    for case in sorted(NEGATIVES):       # a summary holds at most 300 characters
        if len("；".join(chunk + [NEGATIVES[case]])) > 250:
            chunks.append(chunk)
            chunk = []
        chunk.append(NEGATIVES[case])
    for chunk in chunks + [chunk]:
        notice.write_text(original, encoding="utf-8")
        place_everywhere(mini, "；".join(chunk))
        code, out = run("check", "--content", mini)
        assert code == 0, out


# --- Names in recipient lists ----------------------------------------------------------------------------

NAME_HEADERS = {"plain": "姓名", "full_width_space": "姓　名", "spaces": "姓 名", "emphasis": "**姓名**",
                "tag": "<b>姓名</b>", "entity": "姓&#21517;", "zero_width": "姓\u200b名", "english": "Ｎａｍｅ"}
UNMASKED = {"plain": "张三明", "emphasis": "**张三明**", "spaced": "张　三", "split_by_br": "张<br>三明",
            "zero_width": "张\u200b三明"}
MASKED = ["张*明", "李**", "王某某", "＊", "张＊明", "**张*明**", "欧阳**"]


def recipient_table(mini, header: str, names: list[str], form: str) -> dict[str, int]:
    """A recipient list in the body as a pipe table, one without outer pipes, or pasted HTML."""
    notice = mini / NOTICE
    if form == "html":
        rows = "".join(f"<tr><td>{name}</td><td>东岭村</td><td>1200</td></tr>\n" for name in names)
        table = f"<table>\n<tr><th>{header}</th><th>所在村</th><th>救助金额（元）</th></tr>\n{rows}</table>\n"
        mark = "<tr><td>{}</td>"
    else:
        edge = "| " if form == "pipes" else ""
        rows = "".join(f"{edge}{name} | 东岭村 | 1200{edge[::-1]}\n" for name in names)
        table = f"{edge}{header} | 所在村 | 救助金额（元）{edge[::-1]}\n---|---|---\n{rows}"
        mark = edge + "{} |"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n" + table, encoding="utf-8")
    return {name: _line_of(notice, mark.format(name)) for name in names}


@pytest.mark.parametrize("form", ["pipes", "no_outer_pipes", "html"])
@pytest.mark.parametrize("header", sorted(NAME_HEADERS))
def test_name_header_written_any_way_makes_a_recipient_list(mini, run, header, form):
    lines = recipient_table(mini, NAME_HEADERS[header], list(UNMASKED.values()) + MASKED, form)
    code, out = run("check", "--content", mini)
    assert code == 1, out
    for kind, name in UNMASKED.items():
        assert f"第 {lines[name]} 行 字段 正文表格：含有未遮盖的姓名" in out, (kind, out)
    for name in MASKED:
        assert f"第 {lines[name]} 行" not in out, (name, out)


def test_name_header_with_full_width_space_in_attachments(mini, run):
    table = [["姓　名", "村/社区", "保障人数"], ["张三明", "东岭村", "3"]]
    write_csv(add_attachment(mini, "名单.csv"), table)
    write_xlsx(add_attachment(mini, "名单.xlsx"), table)
    write_docx(add_attachment(mini, "名单.docx"), ["名单如下"], table=table)
    code, out = run("check", "--content", mini)
    assert code == 1
    for name in ("名单.csv", "名单.xlsx", "名单.docx"):
        assert re.search(f"附件 {re.escape(name)} [^：]*：含有未遮盖的姓名", out), (name, out)


# --- Attachments: the same normalisation, and cells that wrap -------------------------------------------

def test_obfuscated_and_wrapped_numbers_in_attachments(mini, run):
    wrapped = "138\n1234\n5678"                   # Alt+Enter in a spreadsheet cell
    write_csv(add_attachment(mini, "名单.csv"), [["姓名", "村/社区", "电话"], ["张*明", "东岭村", wrapped]])
    write_xlsx(add_attachment(mini, "名单.xlsx"), [["姓名", "村/社区", "电话"],
                                                 ["张*明", "东岭村", OBFUSCATIONS["full_width_digits"](MOBILE)]],
               "hidden_sheet")
    write_docx(add_attachment(mini, "通知.docx"), ["正文", "经办人电话 " + OBFUSCATIONS["zero_width_space"](MOBILE)],
               table=[["姓名", "电话"], ["张*明", ["138", "1234 5678"]]])
    write_pdf(add_attachment(mini, "通知.pdf"), ["Notice", "Tel 138.1234.5678"])
    code, out = run("check", "--content", mini)
    assert code == 1
    for where in ("附件 名单.csv 第 2 行第 3 列", "附件 名单.xlsx 工作表“名单”(隐藏)单元格 C2",
                  "附件 通知.docx 正文第 2 段", "附件 通知.docx 正文表格 1 第 2 行第 2 列", "附件 通知.pdf 第 1 页"):
        assert f"{where}：含有手机号码" in out, (where, out)


# --- A real build: refused, then published without the value once the record is fixed --------------------

def test_build_refuses_then_publishes_nothing_of_the_value(mini, run, tmp_path):
    import gzip
    written = OBFUSCATIONS["zero_width_space"](MOBILE)
    place_everywhere(mini, written)
    site, work = tmp_path / "site", tmp_path / "build"
    code, out = run("build", "--content", mini, "--out", site, "--work", work)
    assert code == 1 and "含有手机号码" in out and not site.exists()
    notice = mini / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8").replace(written, "138****5678"), encoding="utf-8")
    code, out = run("build", "--content", mini, "--out", site, "--work", work)
    assert code == 0, out
    page = next(site.rglob("subsidy-notice/index.html")).read_text(encoding="utf-8")
    assert "138****5678" in page
    # Pagefind joins the words it segmented with U+200B: read as a reader (and the guard) reads.
    fragments = [normalise(gzip.decompress(p.read_bytes()).decode("utf-8", "replace")).text
                 for p in (site / "pagefind").rglob("*.pf_fragment")]
    assert any("138****5678" in f for f in fragments)
    published = [p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                 if p.is_file() and p.suffix in (".html", ".json", ".xml", ".csv", ".txt")] + fragments
    assert published
    for text in published:
        assert MOBILE not in [digits(m.value) for m in find_numbers(text)]
