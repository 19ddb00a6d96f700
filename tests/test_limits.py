"""Hostile and odd input (issue #14, classes 6 and 7): refused with a Chinese message naming file and line,
exit 1, never a traceback, never hours of work, never skipped in silence."""
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import yaml

from tests.files import edit, line_of
from tests.missions import MISSIONS

ROOT = Path(__file__).resolve().parent.parent
LIMITS = yaml.safe_load((ROOT / "generator/data/limits.yml").read_text(encoding="utf-8"))
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}        # the generator of this tree, whatever is installed
NOTICE = "docs/2025/subsidy-notice.md"
SENTENCE = "各乡镇要按照本通知要求做好临时救助工作确保困难群众基本生活得到保障"


def check_fails(run, content, *fragments, file=None, line=None):
    code, out = run("check", "--content", content)
    assert code == 1, out
    assert "Traceback" not in out
    if file:
        assert f"文件 content/{file}" in out, out
    if line is not None:
        assert f"第 {line} 行" in out, out
    for fragment in fragments:
        assert fragment in out, out
    return out


@pytest.fixture
def missions(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(MISSIONS, content)
    monkeypatch.chdir(tmp_path)
    return content


# ---- class 6: YAML anchors and aliases, sizes, bodies Markdown would take days on -------------------------

def test_aliases_in_a_record_are_refused_with_the_line(run, mini):
    path = mini / NOTICE
    edit(path, "genre: 通知", "genre: &g 通知\nkeywords: [*g]")
    check_fails(run, mini, "不能使用锚点（&）和别名（*）", "&g", file=NOTICE, line=line_of(path, "genre:"))


@pytest.mark.parametrize("name,old,new", [
    ("site.yml", "topics:", "x_topics: &t [a]\ntopics:"),
    ("_schema.yml", "required:", "x-anchor: &a [title]\nrequired:"),
    ("docs/_category.yml", "title:", "title: &t 规范性文件\ndescription: *t\nx_title:"),
])
def test_anchors_in_settings_are_refused_with_the_line(run, mini, name, old, new):
    edit(mini / name, old, new)
    check_fails(run, mini, "不能使用锚点（&）和别名（*）", file=name, line=line_of(mini / name, "&"))


def test_anchors_in_the_ledger_stop_new(run, mini):
    (mini / "_ledger.yml").write_text("11999900MB0B00001X: &l {2025: 3}\n11999900MB0B00002Y: *l\n", encoding="utf-8")
    before = sorted(p.name for p in (mini / "docs").rglob("*.md"))
    code, out = run("new", "docs", "--title", "关于测试的通知", "--content", mini)
    assert code == 1 and "content/_ledger.yml" in out and "不能使用锚点（&）和别名（*）" in out and "第 1 行" in out, out
    assert sorted(p.name for p in (mini / "docs").rglob("*.md")) == before


def test_billion_laughs_fails_fast(mini):
    """Nine aliases of nine aliases: a few hundred bytes that stand for 387 million strings."""
    lines = ['a0: &a0 "哈"'] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = mini / NOTICE
    edit(path, "genre: 通知", "genre: 通知\n" + "\n".join(lines))
    # The memory limit and the timeout only keep a regression from exhausting the machine or hanging the suite;
    # the assertions are on the outcome.
    proc = subprocess.run([sys.executable, "-m", "generator", "check", "--content", str(mini)], cwd=mini.parent,
                          capture_output=True, text=True, timeout=300, env=ENV,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30)))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "不能使用锚点（&）和别名（*）" in proc.stdout and f"第 {line_of(path, '&a0')} 行" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(run, mini):
    path = mini / NOTICE
    with path.open("a", encoding="utf-8") as f:
        f.write(("\n\n" + SENTENCE) * (LIMITS["text_file_max_bytes"] // len(SENTENCE.encode()) + 1))
    check_fails(run, mini, "文件太大", "不超过 2,097,152 字节", file=NOTICE)


def test_a_body_just_under_the_limit_builds(run, mini):
    """Hard-wrapped lines joined into paragraphs: the join was quadratic (a 1 MB body took 12 s)."""
    path = mini / NOTICE
    paragraph = "\n".join([SENTENCE] * 40)                 # about 1,300 characters, one paragraph
    size = path.stat().st_size
    parts = []
    while size + len(paragraph.encode()) + 2 < LIMITS["text_file_max_bytes"]:
        parts.append(paragraph)
        size += len(paragraph.encode()) + 2
    parts.append("最后一段。")
    with path.open("a", encoding="utf-8") as f:
        f.write("\n\n" + "\n\n".join(parts) + "\n")
    assert LIMITS["text_file_max_bytes"] - path.stat().st_size < 4096
    code, out = run("build", "--content", mini, "--out", mini.parent / "site", "--work", mini.parent / "build")
    assert code == 0, out
    page = (mini.parent / "site/docs/2025/subsidy-notice/index.html").read_text(encoding="utf-8")
    assert "最后一段。" in page
    assert SENTENCE * 40 in page          # each paragraph's lines joined without stray spaces


@pytest.mark.parametrize("body,message,reported", [
    ("\n\n".join(["[" * 4000] * 250), "方括号“[”没有配对的“]”", "[[[["),
    ("\n\n".join([("[a" * 8 + "]" * 8) * 150] * 400), "方括号嵌套太深", "[a[a"),
    ("*强调" * 100_000, "这一段太长", "*强调"),
    ("\n".join(["| 列 | *值* |", "| --- | --- |"] + ["| " + "[" * 4000 + " | 1 |"] * 200), "方括号“[”没有配对的“]”",
     "| [[["),
    ("\n\n".join(["收入x<y " * 500] * 400), "尖括号“<”没有配对的“>”", "收入x<y"),
    ("```\n" + "\n".join(["*强调" * 1000] * 200) + "\n```", "这一段太长", "```"),
])
def test_bodies_markdown_would_take_days_on_are_refused(run, mini, body, message, reported):
    """Python-Markdown looks for the closing bracket to the end of the paragraph for every "[" (a body of
    stray brackets took days), for the ">" of every "<y" to the end of the body (hours), and its inline
    passes grow with the square of a paragraph's length (fences do not protect: the site has no fenced code)."""
    path = mini / NOTICE
    edit(path, "## 二、执行时间", f"{body}\n\n## 二、执行时间")
    check_fails(run, mini, message, "正文", file=NOTICE, line=line_of(path, reported))


def test_ordinary_brackets_pass(run, mini):
    path = mini / NOTICE
    edit(path, "## 二、执行时间", "见附件[注1]，`a[0]` 和 \\[ 不算，[![图](x.png)](../2024/old-notice.md)。"
                                 "收入<支出，3<5，第一行<br>第二行，<span>说明</span>。\n\n## 二、执行时间")
    code, out = run("check", "--content", mini)
    assert "方括号" not in out and "尖括号" not in out


# ---- class 7: numbers no table can hold, invalid schemas, odd file names --------------------------------

@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "1.0e+999999", "12345678901234567890",
                                   "1" * 5000, "0.000000000001"])
def test_numbers_no_table_can_hold_are_refused_where_written(run, missions, value):
    path = missions / "budgets/2025/civil-budget-2025.md"
    edit(path, "income: {general: 310.00,", f"income: {{general: {value},")
    check_fails(run, missions, "数字无法使用", file="budgets/2025/civil-budget-2025.md",
                line=line_of(path, "income: {general:"))


@pytest.mark.parametrize("value", [".nan", "-.inf"])
def test_non_finite_concentrations_are_refused(run, missions, value):
    path = missions / "environment/2026/aqi-2026-05.md"
    edit(path, "pm25: 34,", f"pm25: {value},")
    check_fails(run, missions, "不是有限的数", file="environment/2026/aqi-2026-05.md", line=line_of(path, "pm25: "))


@pytest.mark.parametrize("schema,fragments,line", [
    ("required: [doc_no, validity]\nproperties:\n  extra: {type: strnig}\n", ("未知的类型", "strnig"), 3),
    ("required: doc_no\n", ("required 的写法不对", "应为：列表"), 1),
    ("properties:\n  extra: {type: string, pattern: '(abc'}\n", ("正则表达式无法使用", "(abc"), 2),
    ("- required\n- doc_no\n", ("必须是一组", ), 1),
    ("required: [doc_no]\nproperties:\n  extra: {type: string, minLenght: 3}\n", ("未知的关键字", "是否应为 minLength"), 3),
    ("requird: [doc_no]\n", ("未知的关键字", "是否应为 required"), 1),
    ("properties:\n  extra: {$ref: 'https://example.com/schema.json'}\n", ("只能引用本文件 $defs 中的定义", ), 2),
    ("$defs:\n  a: {$ref: '#/$defs/b'}\n  b: {$ref: '#/$defs/a'}\nproperties:\n  extra: {$ref: '#/$defs/a'}\n",
     ("循环引用", "a → b → a"), 2),
])
def test_an_invalid_schema_is_a_content_error_even_unused(run, mini, schema, fragments, line):
    """No record uses the field `extra`: the schema is checked whole when it is loaded."""
    (mini / "docs/_schema.yml").write_text(schema, encoding="utf-8")
    out = check_fails(run, mini, *fragments, file="docs/_schema.yml", line=line)
    assert "未知分类" not in out      # the category's records are not reported as strays


def test_an_invalid_shared_schema_is_a_content_error(run, mini):
    edit(mini / "_schema.yml", "type: object", "type: objekt")
    check_fails(run, mini, "未知的类型", "objekt", file="_schema.yml", line=line_of(mini / "_schema.yml", "objekt"))


def test_schema_references_keep_their_titles_in_messages(run, mini):
    (mini / "docs/_schema.yml").write_text(
        "required: [doc_no, validity]\n$defs:\n  count: {title: 数量, type: integer, description: 整数}\n"
        "properties:\n  copies: {$ref: '#/$defs/count', title: 份数}\n", encoding="utf-8")
    path = mini / NOTICE
    edit(path, "genre: 通知", "genre: 通知\ncopies: 很多")
    check_fails(run, mini, "份数 (copies)", "应为：整数:整数", file=NOTICE, line=line_of(path, "copies:"))


@pytest.mark.parametrize("make,fragment", [
    (lambda p: p.mkdir(), "这是一个目录"),
    (lambda p: p.symlink_to(p.parent / "missing.md"), "指向不存在文件的快捷方式"),
])
def test_things_named_like_records_that_are_not_files(run, mini, make, fragment):
    make(mini / "docs/2025/odd.md")
    check_fails(run, mini, fragment, file="docs/2025/odd.md")


def test_a_pipe_named_like_a_record_is_refused_not_read(mini):
    """Reading a named pipe waits for a writer forever."""
    os.mkfifo(mini / "docs/2025/odd.md")
    proc = subprocess.run([sys.executable, "-m", "generator", "check", "--content", str(mini)], cwd=mini.parent,
                          capture_output=True, text=True, timeout=300, env=ENV)    # a guard against hanging
    assert proc.returncode == 1 and "这不是普通文件" in proc.stdout and "content/docs/2025/odd.md" in proc.stdout


@pytest.mark.parametrize("name", ["site.yml", "_schema.yml", "docs/_category.yml"])
@pytest.mark.parametrize("make", [os.mkfifo, lambda p: p.mkdir()])
def test_a_settings_file_that_is_not_a_file_is_named_as_such_not_missing(run, mini, name, make):
    """A site.yml or _schema.yml that is there but is a directory or a named pipe was reported as missing; a
    directory named _category.yml as 无法读写 and a number (Python's file object names only the handle)."""
    (mini / name).unlink()
    make(mini / name)
    out = check_fails(run, mini, "这不是普通文件", file=name)
    assert "找不到" not in out


def test_a_file_swapped_for_a_pipe_after_it_was_looked_at_is_refused_not_waited_on(tmp_path):
    """Reading judges the file it opened, not a name looked at before (a record file replaced by a named pipe
    between the two would make the reader wait for a writer forever)."""
    os.mkfifo(tmp_path / "odd.md")
    code = ("import sys; from pathlib import Path; from generator.sourcefile import SourceError, read_text\n"
            "try:\n    read_text(Path(sys.argv[1]))\nexcept SourceError as exc:\n    print(exc.message)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "odd.md")], capture_output=True, text=True,
                          timeout=120, env=ENV, cwd=Path(__file__).resolve().parent.parent)   # a guard against hanging
    assert proc.returncode == 0 and "这不是普通文件" in proc.stdout, proc.stdout + proc.stderr


def test_a_record_linked_from_outside_the_content_is_refused(run, mini):
    outside = mini.parent / "elsewhere.md"
    shutil.copy(mini / "docs/2024/old-notice.md", outside)
    (mini / "docs/2024/linked.md").symlink_to(outside)
    check_fails(run, mini, "指向内容目录之外", file="docs/2024/linked.md")


@pytest.mark.parametrize("name", ["UPPER.MD", "Mixed.Md"])
def test_upper_case_record_extensions_are_refused_not_ignored(run, mini, name):
    shutil.copy(mini / "docs/2024/old-notice.md", mini / "docs/2024" / name)
    check_fails(run, mini, "扩展名必须是小写的 .md", f"{Path(name).stem}.md", file=f"docs/2024/{name}")


def test_a_schema_with_keys_of_mixed_types_is_a_message_not_a_traceback(run, mini):
    """Found in review: the digest of schemas the meta-schema passed sorted the keys, and 1 and a do not sort."""
    (mini / "notes/_schema.yml").write_text("properties:\n  1: {type: string}\n  a: {type: string}\n", encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code in (0, 1) and "Traceback" not in out, out
