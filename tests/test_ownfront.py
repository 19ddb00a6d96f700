"""ownfront.read gives what the engine's own reader (MkDocs' get_data) gives, or leaves the page to it."""
import html
import json
import shutil

import pytest
from mkdocs.utils.meta import get_data

from generator import ownfront, pipeline
from generator.slots import move_slots, slot
from tests.conftest import MINI
from tests.hostile import make_hostile
from tests.missions import today


def read_as_the_engine(text):
    """ownfront's reading, which must be the engine's whenever it gives one."""
    fast = ownfront.read(text)
    if fast is not None:
        assert fast == get_data(text)
    return fast


def rendered_pages(content, work):
    with today():
        prepared = pipeline.prepare(content, work)
    assert prepared.checked.ok, prepared.checked.problems.errors[:3]
    return [p.read_text(encoding="utf-8") for p in sorted((work / "docs").rglob("*.md"))]


def test_every_page_the_render_writes_for_the_fixtures_is_read_as_the_engine_reads_it(tmp_path):
    shutil.copytree(MINI, tmp_path / "mini")
    pages = (rendered_pages(make_hostile(tmp_path / "hostile"), tmp_path / "work-hostile")
             + rendered_pages(tmp_path / "mini", tmp_path / "work-mini"))
    read = [page for page in pages if read_as_the_engine(page) is not None]
    assert len(read) > 50 and len(read) > 0.6 * len(pages), "the render's own form is read without YAML"


def written(title="关于印发通知的说明", description="本通知说明有关事项。", hide=("navigation",), slots=("<p>正文</p>",),
            feed=None):
    """A page as the render writes one: its front macro (theme/markdown/_macros.j2, front_text) and slots."""
    quoted = lambda text: json.dumps(html.escape(text, quote=True), ensure_ascii=False)
    front = f"---\ntitle: {quoted(title)}\n"
    front += f"description: {quoted(description)}\n" if description else ""
    front += "hide:\n" + "".join(f"  - {item}\n" for item in hide) if hide else ""
    front += f"gk_feed: {quoted(feed)}\n" if feed else ""
    body = "".join(f"\n{slot(part)}\n" for part in slots)
    return move_slots(front + "---\n\n# 标题\n" + body + "\n正文之后的一段。\n")


TEXTS = ["普通的标题", "含有\\反斜杠", "含有\t制表符", "行\u2028分隔", "下一行\x85", "字节序\ufeff", '引号"在内', "单引号'在内",
         "  前后空格  ", "#井号开头", "表情😀", "控制\x01字符", "---", "...", "yes", "123", "null", "~", "键: 值", "[列表]",
         "{映射}", "&amp;", "a\r回车"]
SLOTS = ["<p>x</p>", "\n\n<p>前面空行</p>", "<p>后面空行</p>\n\n\n", "  <p>缩进</p>", "<pre>\n  代码\n\n  更多\n</pre>",
         "---\n...", "# 不是标题", "制\t表", "行\u2028分隔", "   ", "<p>a</p>\n   \n<p>b</p>", "\x85下一行", "回\r车"]


@pytest.mark.parametrize("text", TEXTS)
def test_a_title_or_description_is_read_as_the_engine_reads_it(text):
    for page in (written(title=text), written(description=text), written(feed=text)):
        read_as_the_engine(page)


@pytest.mark.parametrize("html_part", SLOTS)
def test_a_slot_is_read_as_the_engine_reads_it(html_part):
    read_as_the_engine(written(slots=(html_part,)))
    read_as_the_engine(written(slots=("<p>前</p>", html_part, "<p>后</p>")))


def test_what_yaml_reads_otherwise_is_left_to_it_and_the_usual_form_is_not():
    assert read_as_the_engine(written()) is not None
    assert read_as_the_engine(written(description="", hide=(), feed="订阅")) is not None
    for text in ("含有\\反斜杠", "含有\t制表符", "行\u2028分隔", "下一行\x85", "a\r回车"):
        assert ownfront.read(written(title=text)) is None, repr(text)
    for items in (("yes",), ("navigation", "on"), ("null",)):
        assert read_as_the_engine(written(hide=items)) is None, items
    twice = written(slots=("<p>一</p>", "<p>二</p>")).replace("  s1: |2-", "  s0: |2-")
    assert read_as_the_engine(twice) is None
    assert read_as_the_engine(written().replace("title:", "template: x.html\ntitle:")) is None
