"""Generated HTML travels in front matter (generator/slots.py) and MkDocs puts it back unchanged."""
import yaml

from generator.slots import move_slots, slot


def front(text):
    return yaml.load(text.split("\n---\n", 1)[0].removeprefix("---\n"), Loader=yaml.CSafeLoader)


def test_slot_html_survives_yaml_exactly():
    html = ('  <p>leading spaces</p>\n<table>\n\n<tr><td>a: #b "c" \'d\' \\ | > - [x] {y}</td></tr>\n'
            "<td>\t制表</td>\n</table>")
    page = move_slots(f'---\ntitle: "t"\n---\n\n# 标题\n\n{slot(html)}\n\n正文\n')
    assert front(page) == {"title": "t", "gk_slots": {"s0": html}}
    assert '\n<div data-gk-slot="s0"></div>\n' in page and "正文" in page and "<table>" not in page.split("---\n", 2)[2]


def test_characters_yaml_cannot_hold_become_entities():
    marked = slot("<p>甲\u2028乙\x07丙</p>")
    page = move_slots(f'---\ntitle: "t"\n---\n{marked}\n')
    assert front(page)["gk_slots"]["s0"] == "<p>甲&#x2028;乙&#x7;丙</p>"


def test_markers_in_an_editors_text_are_not_slots():
    text = '---\ntitle: "t"\n---\n<!--gk-slot-0000000000000000--><p>x</p><!--/gk-slot-0000000000000000-->\n'
    assert move_slots(text) == text


def test_built_page_has_the_html_back_in_place(built_mini):
    page = (built_mini / "site/docs/2025/subsidy-notice/index.html").read_text(encoding="utf-8")
    assert "data-gk-slot" not in page
    crumbs, title, grid = (page.index('class="gk-breadcrumbs"'), page.index("<h1"), page.index('class="gk-meta"'))
    assert crumbs < title < grid < page.index("gk-summary")
    catalogue = (built_mini / "site/catalogue/index.html").read_text(encoding="utf-8")
    assert "data-gk-slot" not in catalogue and catalogue.count('<td class="gk-col-title">') == 5


def test_inline_slots_gives_back_the_plain_page():
    from generator.slots import inline_slots
    page = move_slots(f'---\ntitle: "t"\n---\n\n# 标题\n\n{slot("<table><tr><td>甲</td></tr></table>")}\n\n正文\n')
    plain = inline_slots(page)
    assert "gk_slots" not in plain and "data-gk-slot" not in plain
    assert plain.startswith("---\ntitle: t\n---\n") and "<table><tr><td>甲</td></tr></table>" in plain
    assert plain.index("# 标题") < plain.index("<table>") < plain.index("正文")


def test_c1_controls_and_noncharacters_become_entities():
    marked = slot("<td>临时救助申请\x96办事指南\ufffe</td>")
    page = move_slots(f'---\ntitle: "t"\n---\n{marked}\n')
    assert front(page)["gk_slots"]["s0"] == "<td>临时救助申请&#x96;办事指南&#xfffe;</td>"
