import pytest

from generator.sourcefile import SourceError, parse_yaml, read_text, split_front_matter


def test_dates_stay_strings_and_lines_are_kept():
    doc = parse_yaml("a: 1\nwritten_on: 2025-02-30\nlist:\n  - x\n  - y\n")
    assert doc.data["written_on"] == "2025-02-30"
    assert doc.lines[("written_on",)] == 2
    assert doc.lines[("list", 1)] == 5


def test_front_matter_lines_are_file_lines():
    src = split_front_matter("---\ntitle: 标题\npublisher: 某局\n---\n正文第一行\n")
    assert src.front.lines[("publisher",)] == 3
    assert src.body_line == 5
    assert src.body.startswith("正文第一行")


def test_yaml_syntax_error_names_line_in_chinese():
    with pytest.raises(SourceError) as exc:
        split_front_matter("---\ntitle: a\nsummary: 这里: 有冒号: 不行\n---\n")
    assert exc.value.line == 3
    assert "YAML 格式错误" in exc.value.message


def test_duplicate_keys_are_reported():
    doc = parse_yaml("title: a\ntitle: b\n")
    assert doc.duplicates == [(("title",), 2)]


def test_non_utf8_names_the_line(tmp_path):
    path = tmp_path / "gbk.md"
    path.write_bytes("---\ntitle: ok\n".encode() + "标题".encode("gbk") + b"\n")
    with pytest.raises(SourceError) as exc:
        read_text(path)
    assert exc.value.line == 3
    assert "UTF-8" in exc.value.message


def test_missing_closing_front_matter():
    with pytest.raises(SourceError) as exc:
        split_front_matter("---\ntitle: a\n正文")
    assert "没有结束" in exc.value.message


def test_numbers_with_a_fraction_are_exact_decimals_as_typed():
    from decimal import Decimal
    data = parse_yaml("amount: 12.30\nrows: [0.10, 2172.46, 3]\nbig: 1_000.5\nclock: 1:30\n").data
    assert data["amount"] == Decimal("12.30") and str(data["amount"]) == "12.30"
    assert data["rows"] == [Decimal("0.10"), Decimal("2172.46"), 3]
    assert sum(data["rows"][:2]) == Decimal("2172.56")
    assert data["big"] == Decimal("1000.5")
    assert data["clock"] == 90


@pytest.mark.parametrize("front,line,named", [
    ("title: a\nnotice_period:\n  start：2026-07-01\n  end: 2026-07-07\n", 4, "全角冒号"),
    ("title: a\nnotice_period:\n  start: 2026-07-01\n\tend: 2026-07-07\n", 5, "制表符"),
    ("title: a\nkeywords:\n\u3000- 低保\nsummary: b\n", 4, "全角空格"),
    ("title: a\nsummary: '这里没有闭合\ngenre: 通知\n", 3, "引号没有闭合"),
])
def test_yaml_causes_are_named_at_their_line(front, line, named):
    with pytest.raises(SourceError) as exc:
        split_front_matter(f"---\n{front}---\n正文\n")
    assert exc.value.line == line, exc.value.message
    assert named in exc.value.message
    assert exc.value.detail and exc.value.detail.isascii()    # PyYAML's own words, kept as a detail only


def test_full_width_text_inside_a_block_scalar_is_not_a_mistake():
    text = "---\ntitle: a\nleaflet:\n  who: |\n    \u3000\u3000家里每人每月收入：低于标准\n  contact: 县民政局\n---\n正文\n"
    doc = split_front_matter(text).front
    assert doc.data["leaflet"]["who"].startswith("\u3000\u3000家里")


def test_the_projects_own_yaml_reads_as_pyyaml_safe_load_reads_it():
    """load_own_yaml parses the project's own files with libyaml: the same data yaml.safe_load gives, for every
    one of them (schemas, data files, mkdocs.yml)."""
    import yaml
    from generator.environment import ROOT
    from generator.sourcefile import load_own_yaml
    files = [*sorted((ROOT / "generator").rglob("*.yml")), ROOT / "mkdocs.yml"]
    assert len(files) > 10
    for path in files:
        assert load_own_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path
