"""A record's life after publication: validity links, corrections, withdrawal, the manifest of published
records, feeds, open data and 对本信息有疑问 (generator/lifecycle, export/feeds.py, feedback.py)."""
import csv
import gzip
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from generator import pipeline
from generator.cli import main
from generator.export.downloads import CATALOGUE_FIELDS, FIELD_DESCRIPTIONS
from generator.lifecycle.manifest import MANIFEST, write_manifest
from tests.conftest import MINI, ROOT
from tests.files import edit, line_of
from tests.lifecycle import (AMENDMENT, AMENDMENT_SUMMARY, AMENDMENT_TITLE, NOTICE, OLD, WITHDRAWN,
                             WITHDRAWN_REASON, WITHDRAWN_WORDS, make_lifecycle)

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture
def content(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return make_lifecycle(tmp_path / "content")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("lifecycle")
    content = make_lifecycle(base / "content")
    assert main(["build", "--quiet", "--content", str(content), "--out", str(base / "site"),
                 "--work", str(base / "build")]) == 0
    return base / "site"


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "lxml")


def problems_of(content: Path):
    checked = pipeline.check(content)
    return checked, [p for p in checked.problems if p.severity == "error"]


def published(content: Path) -> None:
    """What a successful public build leaves behind: the manifest of what is published now."""
    checked = pipeline.check(content)
    assert checked.ok, [p for p in checked.problems]
    write_manifest(content, checked.records)


# Validity -------------------------------------------------------------------------------------------------

def test_lifecycle_content_checks_clean(content):
    checked, errors = problems_of(content)
    assert errors == [] and checked.ok


def test_repealed_document_without_its_date_is_refused(content):
    """Was a 提醒 only: the page would say 「已废止」 without since when."""
    old = content / "docs/2024/old-notice.md"
    edit(old, "repealed_on: 2025-03-10\n", "")
    checked, errors = problems_of(content)
    assert not checked.ok
    (problem,) = errors
    assert problem.file == "content/docs/2024/old-notice.md" and problem.line == line_of(old, "validity:")
    assert "没有写明废止日期（repealed_on）" in problem.message and "repealed_on: " in problem.hint


def test_a_link_to_a_missing_record_is_refused_with_its_line(content):
    old = content / "docs/2024/old-notice.md"
    edit(old, f"superseded_by: {NOTICE}", "superseded_by: 11999900MB0B00001X/2025-00099")
    amendment = content / "docs/2025/subsidy-amendment.md"
    edit(amendment, f"amends: [{NOTICE}]", f"amends: [{NOTICE}, 11999900MB0B00001X/2025-00098]")
    _, errors = problems_of(content)
    found = {(p.file, p.line, p.field, p.message, p.got) for p in errors}
    assert found == {
        ("content/docs/2024/old-notice.md", line_of(old, "superseded_by"), "替代文件 (superseded_by)", "找不到替代文件",
         "11999900MB0B00001X/2025-00099"),
        ("content/docs/2025/subsidy-amendment.md", line_of(amendment, "amends"), "修改的文件 (amends) 第 2 项",
         "找不到被修改的文件", "11999900MB0B00001X/2025-00098")}


def test_replaced_document_still_in_force_self_links_and_cycles_are_refused(content):
    old = content / "docs/2024/old-notice.md"
    edit(old, "validity: 废止", "validity: 有效")
    notice = content / "docs/2025/subsidy-notice.md"
    edit(notice, "valid_from:", f"superseded_by: {OLD}\nvalid_from:")
    amendment = content / "docs/2025/subsidy-amendment.md"
    edit(amendment, f"amends: [{NOTICE}]", f"amends: [{AMENDMENT}]")
    _, errors = problems_of(content)
    messages = {(p.file, p.message) for p in errors}
    assert ("content/docs/2024/old-notice.md", "已被替代的文件，有效性不能是「有效」") in messages
    assert ("content/docs/2025/subsidy-amendment.md", "不能填写本文件自己的索引号") in messages
    assert ("content/docs/2024/old-notice.md", "替代关系形成了循环") in messages
    assert ("content/docs/2025/subsidy-notice.md", "替代关系形成了循环") in messages


def test_dates_of_corrections_and_withdrawal_follow_the_publication(content):
    notice = content / "docs/2025/subsidy-notice.md"
    edit(notice, "{date: 2025-05-02, level: 一般", "{date: 2025-02-30, level: 一般")
    edit(notice, "{date: 2025-04-10, level: 重大", "{date: 2025-03-01, level: 重大")
    guide = content / "help/2025/temporary-assistance-guide.md"
    edit(guide, "withdrawn: {date: 2025-09-01", "withdrawn: {date: 2025-04-01")
    _, errors = problems_of(content)
    found = {(p.file, p.field, p.message) for p in errors}
    assert found == {
        ("content/docs/2025/subsidy-notice.md", "更新记录 (change_log) 第 2 项 更新日期 (date)", "日期不存在"),
        ("content/docs/2025/subsidy-notice.md", "更新记录 (change_log) 第 1 项 更新日期 (date)", "更新日期早于发布日期"),
        ("content/help/2025/temporary-assistance-guide.md", "撤回 (withdrawn) 撤回日期 (date)", "撤回日期早于发布日期")}


def test_pages_link_both_ways_and_say_what_is_in_force(built):
    old = soup(built, "docs/2024/old-notice")
    banner = old.select_one(".gk-validity")
    assert "本文件已废止" in banner.get_text() and "本文件已于 2025-03-10 废止" in banner.get_text()
    successor = banner.select_one("a")
    assert successor.get_text() == "测试县人民政府办公室关于调整临时救助标准的通知"
    assert (built / "docs/2024/old-notice" / successor["href"] / "index.html").resolve() == \
        (built / "docs/2025/subsidy-notice/index.html").resolve()

    notice = soup(built, "docs/2025/subsidy-notice")
    back = [p for p in notice.select(".gk-related") if p.get_text().startswith("本文件替代")][0].select_one("a")
    assert (built / "docs/2025/subsidy-notice" / back["href"] / "index.html").resolve() == \
        (built / "docs/2024/old-notice/index.html").resolve()
    modified = notice.select_one(".gk-validity")
    assert "本文件已修改" in modified.get_text() and modified.select_one("a").get_text() == AMENDMENT_TITLE
    meta = {th.get_text(): th.find_next("td").get_text() for th in notice.select("table.gk-meta th")}
    assert meta["施行日期"] == "2025-04-01" and meta["有效性"] == "已修改"

    amendment = soup(built, "docs/2025/subsidy-amendment")
    amends = [p for p in amendment.select(".gk-related") if p.get_text().startswith("本文件修改了")][0]
    assert amends.select_one("a").get_text() == "测试县人民政府办公室关于调整临时救助标准的通知"
    assert amendment.select_one("h1").get_text() == AMENDMENT_TITLE


def test_change_log_is_listed_newest_first(built):
    notice = soup(built, "docs/2025/subsidy-notice")
    items = [" ".join(li.get_text().split()) for li in notice.select("ul.gk-change-log li")]
    assert items == ["2025-05-02 一般 更正错别字", "2025-04-10 重大 更正第一条中的救助标准倍数", "2025-03-14 首次发布"]
    assert notice.select_one("h2#change-log").get_text() == "更新记录"
    assert notice.select_one(".gk-updated a")["href"] == "#change-log"


def test_catalogue_downloads_carry_validity_corrections_and_withdrawals(built):
    rows = list(csv.DictReader(io.StringIO((built / "catalogue/catalogue.csv").read_text(encoding="utf-8-sig"))))
    by_index = {r["索引号"]: r for r in rows}
    assert by_index[OLD]["废止日期"] == "2025-03-10" and by_index[OLD]["替代文件索引号"] == NOTICE
    assert by_index[NOTICE]["最近更新日期"] == "2025-05-02" and by_index[NOTICE]["施行日期"] == "2025-04-01"
    assert by_index[AMENDMENT]["修改的文件索引号"] == NOTICE
    assert by_index[WITHDRAWN]["状态"] == "已撤回" and by_index[WITHDRAWN]["撤回原因"] == WITHDRAWN_REASON
    assert list(rows[0])[-1] == "网址"
    data = json.loads((built / "catalogue/catalogue.json").read_text(encoding="utf-8"))
    notice = next(r for r in data["records"] if r["index_no"] == NOTICE)
    assert notice["change_log"][1] == {"date": "2025-04-10", "level": "重大", "note": "更正第一条中的救助标准倍数"}
    assert set(data["fields"]) == {key for _, key in CATALOGUE_FIELDS} | {"change_log"}


def test_withdrawn_record_leaves_a_tombstone_only(built):
    page = soup(built, "help/2025/temporary-assistance-guide")
    text = page.select_one("article").get_text()
    assert "本信息已于 2025-09-01 撤回" in text and WITHDRAWN_REASON in text and WITHDRAWN in text
    assert page.select_one("h1").get_text() == "临时救助申请办事指南"
    everything = "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in built.rglob("*")
                           if p.is_file() and p.suffix in (".html", ".json", ".xml", ".csv", ".js"))
    for word in WITHDRAWN_WORDS:
        assert word not in everything
    assert not list(built.rglob("申请表.csv")), "a withdrawn record's attachments are not published"
    search = "\n".join(gzip.decompress(p.read_bytes()).decode("utf-8", "ignore") for p in built.glob("pagefind/**/*.pf_*"))
    assert "/help/2025/temporary-assistance-guide/" not in search
    listed = [a["href"] for a in soup(built, "help").select("table.gk-table a")]
    assert not any("temporary-assistance-guide" in href for href in listed)


# The manifest ---------------------------------------------------------------------------------------------

def test_build_writes_the_manifest_for_the_public_site_only_and_only_on_success(content, tmp_path):
    work = tmp_path / "build"
    assert main(["build", "--quiet", "--audience", "internal", "--content", str(content), "--work", str(work)]) == 0
    assert not (content / MANIFEST).exists(), "the intranet build does not publish to the public"
    edit(content / "docs/2024/old-notice.md", "repealed_on: 2025-03-10\n", "")
    assert main(["build", "--quiet", "--content", str(content), "--work", str(work)]) == 1
    assert not (content / MANIFEST).exists()
    edit(content / "docs/2024/old-notice.md", "validity: 废止\n", "validity: 废止\nrepealed_on: 2025-03-10\n")
    assert main(["build", "--quiet", "--content", str(content), "--work", str(work)]) == 0
    entries = json.loads((content / MANIFEST).read_text(encoding="utf-8"))["records"]
    assert {e["index_no"] for e in entries} == {OLD, NOTICE, AMENDMENT, WITHDRAWN, "11999900MB0B00001X/2025-00001",
                                                "11999900MB0B00001X/2025-00003"}
    notice = next(e for e in entries if e["index_no"] == NOTICE)
    assert notice["path"] == "docs/2025/subsidy-notice" and notice["notes"] == 2 and notice["published_on"] == "2025-03-14"
    assert next(e for e in entries if e["index_no"] == WITHDRAWN)["withdrawn_on"] == "2025-09-01"


def test_a_deleted_published_record_is_refused_until_it_is_withdrawn(content):
    published(content)
    amendment = content / "docs/2025/subsidy-amendment.md"
    text = amendment.read_text(encoding="utf-8")
    amendment.unlink()
    checked, errors = problems_of(content)
    (problem,) = errors
    assert problem.file == "content/docs/2025/subsidy-amendment.md"
    assert AMENDMENT in problem.message and "不见了" in problem.message and "withdrawn" in problem.hint
    # Marking it withdrawn instead keeps its address: a tombstone.
    amendment.write_text(text.replace("amends:", "withdrawn: {date: 2025-07-01, reason: 决定已停止执行并撤回}\namends:"),
                         encoding="utf-8")
    checked, errors = problems_of(content)
    assert errors == []


def test_a_moved_or_renumbered_published_record_is_refused(content):
    published(content)
    (content / "docs/2024/old-notice.md").rename(content / "docs/2024/old-notice-moved.md")
    notice = content / "docs/2025/subsidy-notice.md"
    edit(notice, f"index_no: {NOTICE}", "index_no: 11999900MB0B00001X/2025-00009")
    _, errors = problems_of(content)
    found = {(p.file, p.line, p.message) for p in errors}
    assert ("content/docs/2024/old-notice-moved.md", None,
            f"已发布的信息「测试县人民政府办公室关于临时救助标准的通知」（索引号 {OLD}，2024-02-05 发布）换了位置，网址会改变") in found
    assert ("content/docs/2025/subsidy-notice.md", line_of(notice, "index_no"), "已发布的信息换了索引号") in found


def test_a_published_record_made_draft_is_refused(content):
    published(content)
    amendment = content / "docs/2025/subsidy-amendment.md"
    edit(amendment, "validity: 有效\n", "validity: 有效\ndraft: true\n")
    _, errors = problems_of(content)
    (problem,) = errors
    assert problem.line == line_of(amendment, "draft:") and "改成了草稿" in problem.message


def test_a_correction_needs_a_change_note(content):
    published(content)
    amendment = content / "docs/2025/subsidy-amendment.md"
    # Line ends and trailing spaces are not changes; what readers see is.
    amendment.write_bytes(amendment.read_bytes().replace(b"\n", b"  \r\n"))
    assert problems_of(content)[1] == []
    edit(amendment, "自2025年7月1日起执行", "自2025年8月1日起执行")
    _, errors = problems_of(content)
    (problem,) = errors
    assert problem.file == "content/docs/2025/subsidy-amendment.md" and "没有写更新说明" in problem.message
    assert "change_log: [{date: " in problem.hint and "level: 重大" in problem.hint
    # Life fields change without a note: the validity, a posting, keywords.
    edit(amendment, "自2025年8月1日起执行", "自2025年7月1日起执行")
    edit(amendment, "validity: 有效", "validity: 失效\nvalid_until: 2025-12-31\nkeywords: [临时救助]")
    assert problems_of(content)[1] == []
    # With a note it is accepted; the next build records it.
    edit(amendment, "自2025年7月1日起执行", "自2025年8月1日起执行")
    edit(amendment, "amends:", "change_log: [{date: 2025-06-20, level: 重大, note: 更正执行时间}]\namends:")
    assert problems_of(content)[1] == []


def test_published_change_notes_cannot_be_removed(content):
    published(content)
    notice = content / "docs/2025/subsidy-notice.md"
    edit(notice, "  - {date: 2025-05-02, level: 一般, note: 更正错别字}\n", "")
    _, errors = problems_of(content)
    (problem,) = errors
    assert "更新记录少了" in problem.message and problem.got == "1 项" and problem.expected == "至少 2 项"


def test_after_the_retention_years_a_record_may_leave(content, monkeypatch):
    published(content)
    (content / "docs/2025/subsidy-amendment.md").unlink()
    monkeypatch.setenv("GK_TODAY", "2035-06-03")
    assert any("不见了" in p.message for p in problems_of(content)[1])
    monkeypatch.setenv("GK_TODAY", "2035-06-04")          # published 2025-06-03, kept ten years
    assert problems_of(content)[1] == []
    edit(content / "site.yml", "  latest_count: 5\n", "  latest_count: 5\n  retention_years: 30\n")
    assert any("发布满 30 年" in p.hint for p in problems_of(content)[1])


def test_an_expired_notice_list_is_not_a_change(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    (content / "help/2025/relief-list.md").write_text("""---
index_no: 11999900MB0B00002Y/2025-00009
title: 2025年临时救助对象名单公示
topic: 民政、扶贫、救灾
publisher: 测试县民政局
written_on: 2025-06-01
published_on: 2025-06-02
summary: 公示2025年6月临时救助对象名单。
notice_period: {start: 2025-06-02, end: 2025-06-08}
recipients:
  - {name: 王*明, village: 和平村, household_size: 2}
---

公示期内如有异议，请向县民政局反映。
""", encoding="utf-8")
    monkeypatch.setenv("GK_TODAY", "2025-06-03")
    published(content)
    monkeypatch.setenv("GK_TODAY", "2025-07-01")
    assert pipeline.check(content).records[0].list_expired() is not None
    assert problems_of(content)[1] == []


def test_a_damaged_manifest_is_reported_not_a_traceback(content, run):
    (content / MANIFEST).write_text('{"records": [{"index_no": 3}', encoding="utf-8")
    code, out = run("check", "--content", content)
    assert code == 1 and "发布清单已损坏" in out and "git checkout -- content/_published.json" in out


def test_no_fixture_in_the_repository_carries_a_manifest():
    """Tests build copies: a manifest written into a fixture would make later edits of it fail."""
    assert not list((ROOT / "tests" / "fixtures").rglob(MANIFEST))


# Feeds, open data, feedback -------------------------------------------------------------------------------

def test_feeds_are_valid_atom(built):
    feeds = sorted((built / "feeds").glob("*.xml"))
    assert [f.name for f in feeds] == ["all.xml", "disclosure_guide.xml", "docs.xml", "help.xml", "notes.xml"]
    for path in feeds:
        feed = ET.fromstring(path.read_bytes())
        assert feed.tag == f"{ATOM}feed"
        for name in ("id", "title", "updated"):
            assert feed.find(f"{ATOM}{name}").text.strip()
        assert RFC3339.match(feed.find(f"{ATOM}updated").text)
        assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://www.example.gov.cn/county/xxgk/feeds/" + path.name
        assert feed.find(f"{ATOM}author/{ATOM}name").text
        entries = feed.findall(f"{ATOM}entry")
        ids = [e.find(f"{ATOM}id").text for e in entries]
        assert len(ids) == len(set(ids))
        for e in entries:
            assert e.find(f"{ATOM}title").text and RFC3339.match(e.find(f"{ATOM}updated").text)
            assert e.find(f"{ATOM}link[@rel='alternate']").get("href") == e.find(f"{ATOM}id").text
        if entries:
            assert feed.find(f"{ATOM}updated").text == max(e.find(f"{ATOM}updated").text for e in entries)
    everything = {e.find(f"{ATOM}id").text.split("/xxgk/")[1]: e
                  for e in ET.fromstring((built / "feeds/all.xml").read_bytes()).findall(f"{ATOM}entry")}
    assert set(everything) == {"docs/2024/old-notice/", "docs/2025/subsidy-notice/", "docs/2025/subsidy-amendment/",
                               "notes/2025/subsidy-notice-explained/", "disclosure_guide/2025/guide/",
                               "help/2025/temporary-assistance-guide/"}
    # A 重大 correction moves the entry, a 一般 one does not; a withdrawal is announced.
    notice = everything["docs/2025/subsidy-notice/"]
    assert notice.find(f"{ATOM}updated").text == "2025-04-10T00:00:00+08:00"
    assert notice.find(f"{ATOM}title").text.startswith("【更正】")
    assert "更正第一条中的救助标准倍数" in notice.find(f"{ATOM}summary").text
    withdrawn = everything["help/2025/temporary-assistance-guide/"]
    assert withdrawn.find(f"{ATOM}title").text == "【已撤回】临时救助申请办事指南"
    assert WITHDRAWN_WORDS[0] not in (built / "feeds/all.xml").read_text(encoding="utf-8")
    amendment = everything["docs/2025/subsidy-amendment/"]
    assert amendment.find(f"{ATOM}title").text == AMENDMENT_TITLE
    assert amendment.find(f"{ATOM}summary").text.startswith(AMENDMENT_SUMMARY)
    docs = ET.fromstring((built / "feeds/docs.xml").read_bytes())
    assert {e.find(f"{ATOM}category").get("term") for e in docs.findall(f"{ATOM}entry")} == {"docs"}


def test_feeds_are_linked_in_the_head_and_on_category_pages(built):
    home = soup(built, ".")
    links = home.select('link[type="application/atom+xml"]')
    assert [(l["href"], l["rel"]) for l in links] == [("feeds/all.xml", ["alternate", "feed"])]
    category = soup(built, "docs")
    head = [l["href"] for l in category.select('head link[type="application/atom+xml"]')]
    assert head == ["../feeds/all.xml", "../feeds/docs.xml"]
    assert category.select_one(".gk-subscribe a")["href"] == "../feeds/docs.xml"


def test_open_data_page_describes_every_field(built):
    page = soup(built, "open-data")
    described = {row.select("td")[0].get_text(): row.select("td")[2].get_text() for row in page.select("table.gk-fields tbody tr")}
    assert set(described) == {key for _, key in CATALOGUE_FIELDS} | {"change_log"}
    assert all(described.values()) and set(FIELD_DESCRIPTIONS) == set(described)
    feeds = [a["href"] for a in page.select(".gk-feeds a")]
    assert feeds[0] == "../feeds/all.xml" and all((built / "open-data" / f).resolve().is_file() for f in feeds)
    assert any(a.get_text().strip() == "开放数据" for a in soup(built, ".").select("nav a"))


def test_every_record_page_says_whom_to_ask(built):
    amendment = soup(built, "docs/2025/subsidy-amendment")
    box = amendment.select_one(".gk-feedback")
    assert "对本信息有疑问" in box.get_text()
    assert box.select_one('a[href^="tel:"]')["href"] == "tel:0999-7654301"       # its publisher's own phone
    mail = box.select_one('a[href^="mailto:"]')["href"]
    parts = urlsplit(mail)
    assert unquote(parts.path) == "gk@example.gov.cn"
    query = parse_qs(parts.query)
    assert AMENDMENT_TITLE in query["subject"][0] and AMENDMENT in query["subject"][0]
    assert query["body"][0].startswith(f"索引号：{AMENDMENT}\r\n标题：{AMENDMENT_TITLE}\r\n")
    assert "https://www.example.gov.cn/county/xxgk/docs/2025/subsidy-amendment/" in query["body"][0]
    # A publisher without a phone of its own (测试县民政局): the supervision line.
    tombstone = soup(built, "help/2025/temporary-assistance-guide")
    assert tombstone.select_one('.gk-feedback a[href^="tel:"]')["href"] == "tel:0999-7654321"


def test_every_lifecycle_field_is_in_the_readme_field_table():
    from generator.lifecycle.fields import lifecycle_fields
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for key in lifecycle_fields():
        assert f"| `{key}` |" in readme, f"{key} is missing from the field table in README.md"


def test_feeds_keep_the_atom_namespace_after_weasyprint_is_loaded(tmp_path):
    """ElementTree's namespace registry is global; WeasyPrint's PDF metadata module replaces the Atom entry
    when imported, so a second build in one process (serve, tests) wrote <ns0:feed>."""
    import shutil

    import weasyprint.pdf.metadata  # noqa: F401

    from generator import pipeline
    from generator.catalogue import build_catalogue
    from generator.export.feeds import feed_files
    from tests.conftest import MINI
    shutil.copytree(MINI, tmp_path / "content")
    checked = pipeline.check(tmp_path / "content")
    files = feed_files(build_catalogue(checked.records, checked.settings, checked.categories))
    assert files and all(text.split("\n")[1].startswith('<feed xmlns="http://www.w3.org/2005/Atom"')
                         for text in files.values())
