"""The privacy guard: positive and negative cases for each detector, in each file type."""
from datetime import date

import pytest

from generator.pipeline import check
from generator.privacy.detectors import BANK_CARD, ID_CARD, LANDLINE, MOBILE, is_masked_name, valid_id15, valid_id18
from generator.privacy.numbers import find_numbers
from tests.files import line_of
from tests.privacy_files import id18, luhn_number, write_csv, write_docx, write_pdf, write_xlsx

GOOD_ID = id18()
BAD_CHECK_ID = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")
BAD_BIRTH_ID = id18(birth=date(1980, 5, 17))[:10] + "1399" + GOOD_ID[14:]   # month 13
OLD_ID = "110105800517123"
CARD16 = luhn_number()
CARD19 = luhn_number("621700", 19)
BAD_CARD = CARD16[:-1] + str((int(CARD16[-1]) + 1) % 10)

POSITIVE = {
    "id18": (GOOD_ID, ID_CARD),
    "id15": (OLD_ID, ID_CARD),
    "mobile": ("13812345678", MOBILE),
    "mobile_spaces": ("138 1234 5678", MOBILE),
    "mobile_dashes": ("138-1234-5678", MOBILE),
    "mobile_country": ("+86 139 8765 4321", MOBILE),
    "landline": ("0571-88889999", LANDLINE),
    "card16": (CARD16, BANK_CARD),
    "card19": (CARD19, BANK_CARD),
}
NEGATIVE = {
    "id_bad_check": BAD_CHECK_ID,
    "id_bad_birth": BAD_BIRTH_ID,
    "id_masked": GOOD_ID[:2] + "*" * 13 + GOOD_ID[-3:],
    "mobile_masked": "138****5678",
    "declared_number": "0999-7654321",
    "card_bad_luhn": BAD_CARD,
    "credit_code": "91350100M000100Y43",
    "index_no": "11999900MB0B00001X/2025-00002",
    "amount": "12345.67",
    "date": "2025-03-14",
    "permit_code": "91350100MA00000101001V",
    "permit_tail": "许可证编号 ABC05718888999901",
}
DECLARED = frozenset({"09997654321"})


def test_check_digit_validation():
    assert valid_id18(GOOD_ID)
    assert not valid_id18(BAD_CHECK_ID)
    assert not valid_id18(BAD_BIRTH_ID)
    assert valid_id15(OLD_ID) and not valid_id15("110105801317123")


@pytest.mark.parametrize("case", sorted(POSITIVE))
def test_detectors_find_positive_cases_in_text(case):
    value, rule = POSITIVE[case]
    found = find_numbers(f"联系人张*明,号码{value},请核实。", DECLARED)
    assert [(m.rule, m.value) for m in found] == [(rule, value)]


@pytest.mark.parametrize("case", sorted(NEGATIVE))
def test_detectors_pass_negative_cases_in_text(case):
    assert find_numbers(f"说明:{NEGATIVE[case]}。", DECLARED) == []


@pytest.mark.parametrize("name,masked", [("张*明", True), ("李*", True), ("欧阳**", True), ("王某某", True),
                                         ("张三明", False), ("李四", False)])
def test_name_masking(name, masked):
    assert is_masked_name(name) is masked


# --- In every place a value can hide -----------------------------------------------------------------

NOTICE = "docs/2025/subsidy-notice.md"


def add_attachment(mini, name):
    path = mini / NOTICE
    text = path.read_text(encoding="utf-8")
    text = text.replace("    title: 附件1 临时救助标准表\n",
                        f"    title: 附件1 临时救助标准表\n  - file: subsidy-notice/{name}\n    title: 附件 {name}\n", 1)
    path.write_text(text, encoding="utf-8")
    return mini / "docs/2025/subsidy-notice" / name


def recipients(value):
    return [["姓名", "村/社区", "保障人数", "备注"], ["张*明", "东岭村", "3", value]]


def place(mini, kind, value):
    """Put value into one kind of place of the notice record; returns the expected location fragment."""
    notice = mini / NOTICE
    if kind == "body":
        notice.write_text(notice.read_text(encoding="utf-8") + f"\n联系电话:{value}\n", encoding="utf-8")
        return "正文"
    if kind == "front_matter":
        text = notice.read_text(encoding="utf-8")
        notice.write_text(text.replace("summary: 自2025年", f"summary: 联系{value}。自2025年"), encoding="utf-8")
        line = next(i for i, l in enumerate(text.split("\n"), 1) if l.startswith("summary:"))
        return f"第 {line} 行"
    if kind == "markdown_table":
        notice.write_text(notice.read_text(encoding="utf-8")
                          + f"\n| 姓名 | 村/社区 | 备注 |\n|---|---|---|\n| 张*明 | 东岭村 | {value} |\n", encoding="utf-8")
        last = len(notice.read_text(encoding="utf-8").rstrip("\n").split("\n"))
        return f"第 {last} 行 字段 正文"
    if kind == "csv":
        write_csv(add_attachment(mini, "名单.csv"), recipients(value))
        return "附件 名单.csv 第 2 行第 4 列"
    if kind.startswith("xlsx"):
        where = kind.split(":")[1]
        write_xlsx(add_attachment(mini, "名单.xlsx"), recipients(value), where)
        return {"visible": "工作表“汇总”单元格 D3", "hidden_sheet": "工作表“名单”(隐藏)单元格 D2",
                "hidden_row": "工作表“汇总”单元格 D3", "hidden_column": "工作表“汇总”单元格 D3",
                "comment": "工作表“汇总”单元格 A1 的批注"}[where]
    if kind == "docx_body":
        write_docx(add_attachment(mini, "通知.docx"), ["第一段", f"联系电话:{value}"])
        return "附件 通知.docx 正文第 2 段"
    if kind == "docx_table":
        write_docx(add_attachment(mini, "通知.docx"), ["名单如下"], table=recipients(value))
        return "附件 通知.docx 正文"
    if kind == "docx_header":
        write_docx(add_attachment(mini, "通知.docx"), ["正文"], header=f"经办人电话 {value}")
        return "附件 通知.docx 页眉页脚第 1 段"
    if kind == "docx_comment":
        write_docx(add_attachment(mini, "通知.docx"), ["正文"], comment=f"申请人电话 {value}")
        return "附件 通知.docx 批注第 1 段"
    if kind == "pdf":
        write_pdf(add_attachment(mini, "通知.pdf"), ["Notice", f"Tel {value}"])
        return "附件 通知.pdf 第 1 页"
    raise AssertionError(kind)


PLACES = ["body", "front_matter", "markdown_table", "csv", "xlsx:visible", "xlsx:hidden_sheet",
          "xlsx:hidden_row", "xlsx:hidden_column", "xlsx:comment", "docx_body", "docx_table", "docx_header",
          "docx_comment", "pdf"]


@pytest.mark.parametrize("kind", PLACES)
@pytest.mark.parametrize("case", ["id18", "mobile_spaces", "card16"])
def test_positive_value_is_found_in_every_place(mini, run, kind, case):
    value, rule = POSITIVE[case]
    where = place(mini, kind, value)
    code, out = run("check", "--content", mini)
    assert code == 1, out
    label = {"id_card": "含有居民身份证号", "mobile": "含有手机号码", "bank_card": "含有银行卡号"}[rule]
    assert label in out and where in out, out
    assert value not in out, "the report must show the value masked"


@pytest.mark.parametrize("kind", PLACES)
def test_negative_values_pass_in_every_place(mini, run, kind):
    value = " ".join(NEGATIVE[c] for c in ("id_bad_check", "id_masked", "mobile_masked", "declared_number",
                                            "card_bad_luhn", "credit_code"))
    place(mini, kind, value)
    code, out = run("check", "--content", mini)
    assert code == 0, out


@pytest.mark.parametrize("kind", ["markdown_table", "csv", "xlsx:visible", "docx_table"])
def test_unmasked_name_and_house_number_in_recipient_lists(mini, run, kind):
    where = place(mini, kind, "东岭村3组12号")
    code, out = run("check", "--content", mini)
    assert code == 1 and "含有门牌号级别的地址" in out, out
    notice = mini / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8").replace("| 张*明 |", "| 张三明 |"), encoding="utf-8")
    if kind == "markdown_table":
        code, out = run("check", "--content", mini)
        assert "含有未遮盖的姓名" in out and "张*明" in out


def test_official_names_outside_lists_are_allowed(mini, run):
    notice = mini / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8") + "\n局长张三明主持会议,副局长李四分管社会救助。\n",
                      encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code == 0, out


def test_reviewed_exception_is_allowed_and_listed(mini, run):
    notice = mini / NOTICE
    text = notice.read_text(encoding="utf-8").replace("genre: 通知", "genre: 通知\nprivacy_exceptions:\n"
                                                      "  - {rule: mobile, value: '13812345678', basis: 《失信惩戒公示办法》第十条}")
    notice.write_text(text + "\n失信主体联系电话:13812345678\n", encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code == 0, out
    assert "已审核的隐私例外" in out and "《失信惩戒公示办法》第十条" in out


def test_exception_needs_a_legal_basis(mini, run):
    notice = mini / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8").replace(
        "genre: 通知", "genre: 通知\nprivacy_exceptions:\n  - {rule: mobile, value: '13812345678'}"), encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code == 1 and "法律依据 (basis)" in out


def test_exempt_records_are_not_scanned_but_internal_ones_are(mini, run):
    exempt = mini / "help/2025/exempt-report.md"
    exempt.write_text(exempt.read_text(encoding="utf-8") + f"\n身份证号 {GOOD_ID}\n", encoding="utf-8")
    assert run("check", "--content", mini)[0] == 0
    internal = mini / "help/2025/internal-finance.md"
    internal.write_text(internal.read_text(encoding="utf-8") + f"\n身份证号 {GOOD_ID}\n", encoding="utf-8")
    assert run("check", "--content", mini)[0] == 1


def test_macro_workbook_is_refused(mini, run):
    import zipfile
    path = add_attachment(mini, "带宏.xlsx")
    write_xlsx(path, recipients("无"))
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\x00macro")
    code, out = run("check", "--content", mini)
    assert code == 1 and "含有宏" in out


# --- Published copies carry no personal metadata --------------------------------------------------------

def test_docx_copy_loses_authors_company_and_comments(tmp_path):
    import zipfile

    from generator.privacy.sanitise import publish_copy
    source = tmp_path / "a.docx"
    write_docx(source, ["正文第一段"], comment="请核实申请人情况", author="王起草")
    before = source.read_bytes()
    publish_copy(source, tmp_path / "out" / "a.docx")
    assert source.read_bytes() == before, "the source stays as it is"
    with zipfile.ZipFile(tmp_path / "out" / "a.docx") as z:
        everything = "".join(z.read(n).decode("utf-8") for n in z.namelist())
    for secret in ("王起草", "示例县民政局", "赵主任", "请核实申请人情况", "<cp:revision>"):
        assert secret not in everything
    assert "正文第一段" in everything


def test_xlsx_copy_loses_creator_and_comment_authors(tmp_path):
    from openpyxl import load_workbook

    from generator.privacy.sanitise import publish_copy
    source = tmp_path / "a.xlsx"
    write_xlsx(source, [["姓名", "金额"], ["张*明", "820"]], "comment")
    publish_copy(source, tmp_path / "out.xlsx")
    import zipfile
    with zipfile.ZipFile(tmp_path / "out.xlsx") as z:
        everything = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    for secret in ("张经办", "李审核", "经办人"):
        assert secret not in everything
    wb = load_workbook(tmp_path / "out.xlsx")
    assert wb.active["A2"].value == "姓名" and wb.active["B3"].value == "820"


def test_pdf_copy_loses_document_information(tmp_path):
    from pypdf import PdfReader

    from generator.privacy.sanitise import publish_copy
    source = tmp_path / "a.pdf"
    write_pdf(source, ["Hello"], author="Secret Author")
    publish_copy(source, tmp_path / "out.pdf")
    reader = PdfReader(tmp_path / "out.pdf")
    assert not reader.metadata or "/Author" not in reader.metadata
    assert b"Secret Author" not in (tmp_path / "out.pdf").read_bytes()
    assert "Hello" in reader.pages[0].extract_text()
    assert PdfReader(source).metadata["/Author"] == "Secret Author"


def test_pdf_copy_loses_comments_and_keeps_links(tmp_path):
    """Reviewers' notes (/Text, /FreeText) leave the published copy; links on the same page stay."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import FreeText, Link, Text

    from generator.privacy.sanitise import publish_copy
    source = tmp_path / "a.pdf"
    write_pdf(source, ["Hello"])
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.add_annotation(0, Text(text="Reviewer: ask Secret Person", rect=(50, 550, 200, 650)))
    writer.add_annotation(0, FreeText(text="Secret note", rect=(50, 400, 200, 500)))
    writer.add_annotation(0, Link(rect=(50, 50, 200, 100), url="https://example.org/"))
    with source.open("wb") as f:
        writer.write(f)
    publish_copy(source, tmp_path / "out.pdf")
    annotations = [a.get_object() for a in PdfReader(tmp_path / "out.pdf").pages[0]["/Annots"]]
    assert [a["/Subtype"] for a in annotations] == ["/Link"]
    assert b"Secret" not in (tmp_path / "out.pdf").read_bytes()


def test_workbook_with_external_links_is_refused(mini, run):
    import zipfile
    path = add_attachment(mini, "外链.xlsx")
    write_xlsx(path, recipients("无"))
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    code, out = run("check", "--content", mini)
    assert code == 1 and "外部链接" in out


def test_formats_that_cannot_be_scanned_are_refused(mini, run):
    site = mini / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("  docx: Word", "  docx: Word\n  doc: Word\n  png: 图片"),
                    encoding="utf-8")
    add_attachment(mini, "旧格式.doc").write_bytes(b"\xd0\xcf\x11\xe0 legacy word")
    code, out = run("check", "--content", mini)
    assert code == 1 and "无法检查其中是否含有个人隐私信息" in out and "另存为 PDF、DOCX 或 XLSX" in out
    notice = mini / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8").replace("旧格式.doc", "照片.png"), encoding="utf-8")
    (mini / "docs/2025/subsidy-notice/照片.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    code, out = run("check", "--content", mini)
    assert code == 0 and "图片中的文字无法自动检查" in out, out


def test_table_of_officials_is_not_a_recipient_list(mini, run):
    notice = mini / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8")
                      + "\n| 姓名 | 职务 | 分工 |\n|---|---|---|\n| 张三明 | 局长 | 主持全面工作 |\n", encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code == 0, out
    notice.write_text(notice.read_text(encoding="utf-8")
                      + "\n| 姓名 | 所在村 | 救助金额（元） |\n|---|---|---|\n| 张三明 | 东岭村 | 1200 |\n", encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code == 1 and "含有未遮盖的姓名" in out and "张*明" in out


def test_a_pdf_without_text_is_named_for_a_person_to_check(mini, run):
    """A scanned document (pages as pictures) holds no text the guard can read: it was published in silence."""
    write_pdf(add_attachment(mini, "扫描件.pdf"), [])
    code, out = run("check", "--content", mini)
    assert code == 0, out
    assert "附件 扫描件.pdf" in out and "PDF 中没有可以检查的文字" in out and "[提醒]" in out, out
    # On the line that names the attachment, as every finding in an attachment is.
    line = line_of(mini / NOTICE, "file: subsidy-notice/扫描件.pdf")
    assert f"[提醒] 第 {line} 行 字段 附件 扫描件.pdf" in out, out
    write_pdf(add_attachment(mini, "扫描件.pdf"), ["Notice 2025"])
    code, out = run("check", "--content", mini)
    assert code == 0 and "PDF 中没有可以检查的文字" not in out, out


def test_a_pdf_whose_fonts_are_not_embedded_is_named_with_its_fonts(mini, run):
    """A PDF that names a font without carrying it (STSong-Light, as office tools write when 嵌入字体 is off) shows
    blanks or boxes on a phone without that font: a 提醒 on the attachment's line, with the font. A standard font
    (Helvetica, every reader has it) and an embedded one are not named."""
    from pathlib import Path
    fixture = Path(__file__).parent / "fixtures" / "pdf" / "unembedded-cjk-font.pdf"
    (add_attachment(mini, "申请书.pdf")).write_bytes(fixture.read_bytes())
    code, out = run("check", "--content", mini)
    assert code == 0, out
    line = line_of(mini / NOTICE, "file: subsidy-notice/申请书.pdf")
    assert f"[提醒] 第 {line} 行 字段 附件 申请书.pdf：PDF 没有嵌入所用的字体" in out, out
    assert "实际：STSong-Light" in out and "嵌入字体" in out, out
    # A simple font without a descriptor, behind a subset prefix: named without it.
    write_pdf(add_attachment(mini, "申请书.pdf"), ["Notice 2025"],
              font="<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+SimSun >>")
    code, out = run("check", "--content", mini)
    assert code == 0 and "实际：SimSun" in out and "ABCDEF" not in out, out
    # The same font carried in the file, and a standard font: nothing to say.
    write_pdf(add_attachment(mini, "申请书.pdf"), ["Notice 2025"],
              font="<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+SimSun /FontDescriptor 7 0 R >>",
              extra=("<< /Type /FontDescriptor /FontName /ABCDEF+SimSun /FontFile2 8 0 R >>",
                     "<< /Length 4 >>\nstream\nglyf\nendstream"))
    code, out = run("check", "--content", mini)
    assert code == 0 and "没有嵌入所用的字体" not in out, out
    write_pdf(add_attachment(mini, "申请书.pdf"), ["Notice 2025"])
    code, out = run("check", "--content", mini)
    assert code == 0 and "没有嵌入所用的字体" not in out, out
    # A name that holds a control character (PDF names escape bytes as #1B) is shown, not sent to the terminal.
    write_pdf(add_attachment(mini, "申请书.pdf"), ["Notice 2025"],
              font="<< /Type /Font /Subtype /TrueType /BaseFont /Sim#1B#5B2JSun >>")
    code, out = run("check", "--content", mini)
    assert code == 0 and "实际：Sim\\x1b[2JSun" in out and "\x1b" not in out, out
    # A CJK font of a shape not known (its descendants not a list) names nothing and the text is still read.
    write_pdf(add_attachment(mini, "申请书.pdf"), ["Notice 2025"],
              font="<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /DescendantFonts << /A 1 >> >>")
    code, out = run("check", "--content", mini)
    assert code == 0 and "附件无法读取" not in out and "STSong-Light" in out, out
