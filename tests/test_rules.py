from datetime import date

import pytest

from generator.rules.dates import impossible_date_hint, parse_date
from generator.rules.doc_numbers import doc_no_problem
from generator.rules.index_numbers import IndexTemplate
from generator.rules.markup import unsafe_markup


@pytest.mark.parametrize("text", ["测民发〔2025〕3号", "测政办发〔2024〕112号", "北关政发〔2023〕1号"])
def test_good_document_numbers(text):
    assert doc_no_problem(text, "测民发〔2025〕3号") is None


@pytest.mark.parametrize("text,fragment", [
    ("测民发[2025]3号", "六角括号"),
    ("测民发(2025)3号", "六角括号"),
    ("测民发（2025）3号", "六角括号"),
    ("测民发〔2025〕第3号", "第"),
    ("测民发〔2025〕03号", "补零"),
    ("测民发2025年3号", "格式"),
])
def test_bad_document_numbers(text, fragment):
    message, hint = doc_no_problem(text, "测民发〔2025〕3号")
    assert fragment in message + hint


@pytest.mark.parametrize("text", ["测民发[2025]3号", "测民发〔2025〕第3号", "测民发〔2025〕003号"])
def test_document_number_hint_gives_the_editors_own_number_fixed(text):
    assert "改为 测民发〔2025〕3号" in doc_no_problem(text, "某政办发〔2025〕3号")[1]


def test_document_number_example_is_the_sites_own_or_neutral():
    from generator.rules.doc_numbers import example
    assert example("青民发", 2026) == "青民发〔2026〕3号"
    assert example(None, 2026) == "某政办发〔2026〕3号"
    assert "青民发〔2026〕3号" in doc_no_problem("青民发2026年3号", example("青民发", 2026))[1]


def test_index_template_round_trip():
    t = IndexTemplate("{org_code}/{year}-{seq:05d}")
    number = t.format(org_code="11999900MB0A00002G", year=2025, seq=7)
    assert number == "11999900MB0A00002G/2025-00007"
    assert t.parse(number) == {"org_code": "11999900MB0A00002G", "year": 2025, "seq": 7}
    assert t.parse("11999900MB0A00002G/2025-7") is None
    assert t.parse("11999900MB0A00002G-2025-00007") is None


def test_other_index_template_forms():
    t = IndexTemplate("{org_code}-{year}-{seq}")
    assert t.parse("6107280000-2024-1005") == {"org_code": "6107280000", "year": 2024, "seq": 1005}


def test_dates():
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("2025-02-29") is None
    assert parse_date("2025-13-01") is None
    assert "28 天" in impossible_date_hint("2025-02-30")
    assert "01 到 12" in impossible_date_hint("2025-13-01")


@pytest.mark.parametrize("body", [
    "<script>alert(1)</script>",
    "正文 <SCRIPT src=x></SCRIPT>",
    "<iframe src=\"https://example.com\"></iframe>",
    "[点我](javascript:alert(1))",
    "[点我]( JavaScript:alert(1) )",
    "<a href=\"javascript:void(0)\">x</a>",
    "<img src=x onerror=\"alert(1)\">",
    "[x]: vbscript:msgbox",
    "![x](data:text/html;base64,AAAA)",
])
def test_unsafe_markup_is_found(body):
    findings = unsafe_markup("第一行\n" + body, first_line=10)
    assert findings and findings[0].line == 11


@pytest.mark.parametrize("body", [
    "普通正文,含有 <br> 换行和 **加粗**。",
    "[县政府网站](https://www.example.gov.cn/)",
    "| 列 | 值 |\n|---|---|\n| a | 1 |",
    "描述 JavaScript 课程的培训通知",
])
def test_safe_markup_passes(body):
    assert unsafe_markup(body, 1) == []


def test_checks_across_records_beside_report_what_they_report_here(mini, tmp_path, monkeypatch):
    """On a large site the checks across records run in a forked process beside compliance and the manifest
    (validate.ACROSS_BESIDE): the same problems, in the same order, as when all run in this process."""
    from generator import pipeline, validate as validation
    assert pipeline.build(mini, tmp_path / "site", tmp_path / "work").checked.ok      # a manifest to compare with
    explained = mini / "notes/2025/subsidy-notice-explained.md"
    explained.write_text(explained.read_text(encoding="utf-8").replace(
        "interprets: 11999900MB0B00001X/2025-00002", "interprets: 11999900MB0B00001X/2025-09999"), encoding="utf-8")
    (mini / "docs/2025/late-notice.md").write_text(
        "---\nindex_no: 11999900MB0B00001X/2025-00031\ntitle: 测试县关于某事项的通知\ntopic: 综合政务\n"
        "publisher: 测试县人民政府办公室\ndoc_no: 测政办发〔2025〕31号\ngenre: 通知\nvalidity: 失效\n"
        "written_on: 2025-02-11\npublished_on: 2025-03-20\nsummary: 测试用的迟发文件。\n---\n\n正文。\n",
        encoding="utf-8")
    found = {}
    for name, threshold in (("here", 10**9), ("beside", 0)):
        monkeypatch.setattr(validation, "ACROSS_BESIDE", threshold)
        found[name] = pipeline.check(mini).problems.in_order()
    assert found["here"] == found["beside"]
    messages = [p.message for p in found["beside"]]
    assert "找不到被解读的文件" in messages                                       # across records, beside
    assert any(m.startswith("超过公开时限") for m in messages)                     # compliance, here
    assert any("没有写更新说明" in m for m in messages), messages                   # the manifest, here


@pytest.mark.parametrize("obstacle", ["no process can be forked", "one core"])
def test_checks_across_records_run_here_when_no_process_can_work_beside(mini, tmp_path, monkeypatch, obstacle):
    """A process limit (fork fails with EAGAIN) or a single core: the checks across records run in this process
    and say the same, instead of failing the check or taking turns with it."""
    import errno
    from generator import beside, pipeline, validate as validation
    assert pipeline.build(mini, tmp_path / "site", tmp_path / "work").checked.ok
    explained = mini / "notes/2025/subsidy-notice-explained.md"
    explained.write_text(explained.read_text(encoding="utf-8").replace(
        "interprets: 11999900MB0B00001X/2025-00002", "interprets: 11999900MB0B00001X/2025-09999"), encoding="utf-8")
    monkeypatch.setattr(validation, "ACROSS_BESIDE", 10**9)
    here = pipeline.check(mini).problems.in_order()
    monkeypatch.setattr(validation, "ACROSS_BESIDE", 0)
    forks = []

    def refused(*args, **kwargs):
        forks.append(args)
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
    if obstacle == "one core":
        monkeypatch.setattr(validation, "cores", lambda: 1)
        monkeypatch.setattr(validation, "Beside", refused)
    else:
        monkeypatch.setattr(beside.multiprocessing.context.ForkProcess, "start", lambda self: refused(self))
    checked = pipeline.check(mini)
    assert checked.problems.in_order() == here
    assert "找不到被解读的文件" in [p.message for p in here]
    assert len(forks) == (0 if obstacle == "one core" else 1)
