"""Record bodies as HTML: prose converted without Python-Markdown must come out exactly as it would write it."""
import random
from pathlib import Path

import pytest

from generator.body import join_cjk_lines, parsed_html, plain_cleaned, plain_html, to_html
from generator.safehtml import clean
from generator.masks import keep_masks
from tests.conftest import ROOT


def prepared(text: str) -> str:
    """What to_html hands to either conversion."""
    return keep_masks(join_cjk_lines(text)).strip()


def bodies() -> list[str]:
    """The body of every record of the demo content and the test fixtures (a second locality among them)."""
    found = []
    for folder in (ROOT / "content", ROOT / "tests" / "fixtures"):
        for path in sorted(folder.rglob("*.md")):
            if path.name.startswith("_"):
                continue
            text = path.read_text(encoding="utf-8")
            found.append(text.split("\n---", 1)[-1].split("\n", 1)[-1] if text.startswith("---") else text)
    return found


def random_texts(seed: int, count: int) -> list[str]:
    """Lines of prose, headings (and would-be headings), blank lines and Markdown's signs, mixed at random."""
    rng = random.Random(seed)
    letters = list("ab1.。、，-=+:~ '\"%$@^?/;()（）保障标准x一二三#*_`|<>&!\\{}[]\t") + [
        "\u3000", "\u00a0", "\u2028", "\x02", "  ", "1. ", "- ", "> ", "===", "---", "&amp;", "罗*斌"]

    def line() -> str:
        words = "".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
        roll = rng.random()
        if roll < 0.2:
            return "#" * rng.randint(1, 7) + " " * rng.randint(0, 2) + words
        return "" if roll < 0.3 else words
    return ["\n".join(line() for _ in range(rng.randint(1, 10))) for _ in range(count)]


def test_prose_converts_exactly_as_python_markdown_would():
    texts = [prepared(t) for t in bodies() + random_texts(7, 20000)]
    plain = [(text, plain_html(text)) for text in texts]
    converted = [(text, html) for text, html in plain if html is not None]
    # Both kinds must be there in numbers, or the comparison proves nothing.
    assert len(converted) > 500 and len(texts) - len(converted) > 5000, len(converted)
    assert sum(1 for body in bodies() if plain_html(prepared(body)) is not None) > 50
    for text, html in converted:
        assert html == parsed_html(text), text
        # And what the sanitiser would make of that HTML, without it reading the HTML again.
        assert plain_cleaned(text) == clean(html), text


@pytest.mark.parametrize("text", [
    "第一段\t含有制表符。", "行末两个空格换行  \n下一行", "第一段\n　　首行缩进的段落。", "正文\u00a0\n下一行",
    "第一行\n 行首空格",
    "1. 列表第一项", "- 列表项", "> 引用", "标题\n===", "标题\n---", "# 标题 #", "## 标题 ##", "####### 七级",
    "#没有空格", "罗*斌、何*怡", "**重点**", "<b>粗</b>", "a & b", "[链接](x.md)", "!!! note", "| 表 |", "{: .x}",
])
def test_anything_markdown_would_read_otherwise_goes_to_python_markdown(text):
    assert plain_html(prepared(text)) is None and plain_cleaned(prepared(text)) is None
    assert to_html(text) == parsed_html(prepared(text))


def test_with_an_extension_that_changes_prose_every_body_goes_to_python_markdown(monkeypatch):
    from generator import body
    monkeypatch.setattr(body, "_extensions", lambda: (("tables", "nl2br"), {}))
    monkeypatch.setattr(body, "_md", None)
    assert body.to_html("line one\nline two") == "<p>line one<br />\nline two</p>"
