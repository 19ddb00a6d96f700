"""Masked names in running text keep their asterisks on the page, on paper and in search (generator/masks.py).

Before: 罗*斌、何*怡、陈*新 in a body was published as 罗<em>斌、何</em>怡、陈*新 — the reader saw 罗斌、何怡,
names that look complete — and the privacy guard read the same pair as emphasis."""
import gzip
import shutil

import pytest

from generator import pipeline
from generator.body import to_html
from generator.masks import keep_masks
from generator.privacy.normalise import normalise
from tests.conftest import MINI

MASKED = "罗*斌、何*怡、陈*新"


@pytest.mark.parametrize("text,html", [
    (MASKED, f"<p>{MASKED}</p>"),
    ("欧阳**（采购人代表）、李*", "<p>欧阳**（采购人代表）、李*</p>"),
    ("联系人：张*，电话 0999-1234567", "<p>联系人：张*，电话 0999-1234567</p>"),
    # Emphasis the editor meant stays emphasis.
    ("**重点**，其余照旧", "<p><strong>重点</strong>，其余照旧</p>"),
    ("这是*强调*文字", "<p>这是<em>强调</em>文字</p>"),
    ("**注意：**请于*本周*内办理", "<p><strong>注意：</strong>请于<em>本周</em>内办理</p>"),
])
def test_masks_are_text_and_emphasis_is_emphasis(text, html):
    assert to_html(text) == html


def test_a_table_of_masked_names():
    html = to_html("| 姓名 | 人数 |\n|---|---|\n| 王*明 | 2 |\n| 张** | 1 |\n")
    assert "<td>王*明</td>" in html and "<td>张**</td>" in html


def test_the_privacy_guard_reads_masks_as_the_reader_does():
    assert normalise(MASKED).text == MASKED
    assert normalise("**重点**，其余").text == "重点，其余"


def test_escaping_is_idempotent_on_what_it_leaves():
    assert keep_masks("罗*斌") == "罗\\*斌" and keep_masks("**重点**") == "**重点**"


def test_masked_names_on_the_built_page_and_in_search(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    note = content / "notes/2025/subsidy-notice-explained.md"
    note.write_text(note.read_text(encoding="utf-8") + f"\n评审专家：{MASKED}。**重点**不变。\n", encoding="utf-8")
    built = pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert built.checked.ok, built.checked.problems.errors[:3]
    page = (tmp_path / "site/notes/2025/subsidy-notice-explained/index.html").read_text(encoding="utf-8")
    assert f"评审专家：{MASKED}。" in page and "<strong>重点</strong>" in page
    assert "<em>" not in page
    fragments = [gzip.decompress(p.read_bytes()).decode("utf-8", "ignore")
                 for p in (tmp_path / "site/pagefind/fragment").glob("*.pf_fragment")]
    assert any(MASKED in f for f in fragments), "the result snippet shows the masks as typed"
