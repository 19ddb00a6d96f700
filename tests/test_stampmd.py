"""Generated pages converted without Python-Markdown (generator/stampmd.py) come out exactly as Python-Markdown
writes them, with the same table of contents, or are left to it.

The engine's own Markdown (as stamp.Stamper loads it from a built site's configuration) converts every page
both ways: the demo's and the fixtures' pages, a second locality among them, and random pages made of the
pieces the converter reads and of the ones it must refuse."""
import random

import markdown
import pytest

from generator import stamp
from generator.stampmd import StructuralMarkdown


@pytest.fixture(scope="module")
def stamper(built_mini):
    return stamp.Stamper(built_mini / "build" / "mkdocs.yml", "mkdocs")


def python_markdown(md, source):
    md.reset()
    return md.convert(source), md.toc_tokens


def compare_pages(stamper, docs):
    fast = StructuralMarkdown.for_markdown(stamper._md)
    assert fast is not None
    converted, left, different = 0, 0, []
    for page in sorted(docs.rglob("*.md")):
        source, _ = stamper._meta(page.read_text(encoding="utf-8"))
        got = fast.convert(source)
        if got is None:
            left += 1
        elif got != python_markdown(stamper._md, source):
            different.append(page.relative_to(docs).as_posix())
        else:
            converted += 1
    return converted, left, different


def test_every_generated_page_converts_as_python_markdown_would(stamper, built_mini, demo_built, missions_built,
                                                                 hostile_built, built_sectors):
    totals = {}
    for name, base in (("mini", built_mini), ("demo", demo_built), ("missions", missions_built),
                       ("hostile", hostile_built), ("sectors", built_sectors.parent)):
        converted, left, different = compare_pages(stamper, base / "build" / "docs")
        assert not different, (name, different[:5])
        totals[name] = (converted, left)
    # The short path is the usual one, and the long one is still taken (the hostile corpus's links and markup).
    assert all(totals[name][0] > 3 * totals[name][1] for name in ("mini", "demo", "missions", "sectors")), str(totals)
    assert totals["hostile"][1] > 0, totals


# Pieces of random pages: what render writes, and what only looks like it.
_TEXT = ["示例", "县", "一、总则", "（2024）", "2024年", "Budget", "part", "a-b", "a-1", "change log", "第1条", "。", "：",
         "x"]
_ODD_TEXT = ["*", "_", "`", "[x](y)", "<b>", "&", "&amp;", "!", "{#x}", "{: .c}", "#", "~", "|", "\\", "\t", "\u3000",
             "  ", " ", "\u00a0", "\u2028", "{#Bad}"]
_BLOCK_TAGS = ["div", "p", "table", "ul", "figure", "section", "nav", "dl", "details", "pre"]
_INNER_TAGS = ["span", "strong", "a", "li", "tr", "td", "th", "caption", "tbody", "p", "div", "em", "img", "br",
               "hr", "input", "figcaption", "dt", "dd"]
_ODD_TAGS = ["script", "style", "textarea", "title", "Div", "P", "x-y", "abbr", "svg"]
_ENTITIES = ["&amp;", "&#12345;", "&#x4e00;", "&lt;", "&nbsp;", "&amp", "&#123", "&", "&#xZZ;", "&a.b;"]


def _text(rng, odd):
    parts = [rng.choice(_TEXT) for _ in range(rng.randint(1, 4))]
    if odd and rng.random() < 0.5:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(_ODD_TEXT))
    return rng.choice(["", " "]).join(parts)


def _attributes(rng, odd):
    out = ""
    for _ in range(rng.randint(0, 2)):
        name = rng.choice(["class", "id", "data-label", "aria-label", "href", "download", "data-pagefind-ignore"])
        value = rng.choice(["x", "gk-data", "示例", "../a/", "a&amp;b", "t-1"])
        out += f" {name}" if rng.random() < 0.2 else f' {name}="{value}"'
    if odd and rng.random() < 0.3:
        out += rng.choice([' a="b>c"', "\nclass=\"x\"", " b='c'", ' c=d', '  e="f"', ' `g`'])
    return out


def _element(rng, depth, odd, tag=None):
    tag = tag or rng.choice(_INNER_TAGS + (_ODD_TAGS if odd and rng.random() < 0.2 else []))
    attributes = _attributes(rng, odd)
    if tag in ("img", "br", "hr", "input") or (odd and rng.random() < 0.05):
        return f"<{tag}{attributes}{rng.choice(['', '/', ' /'])}>"
    inner = []
    for _ in range(rng.randint(0, 3)):
        roll = rng.random()
        if roll < 0.4 and depth < 3:
            inner.append(_element(rng, depth + 1, odd))
        elif roll < 0.55:
            inner.append(rng.choice(_ENTITIES[:5] + (_ENTITIES[5:] if odd else [])))
        elif roll < 0.65:
            inner.append("\n")
        else:
            inner.append(_text(rng, odd))
    if odd and rng.random() < 0.1:
        inner.append(rng.choice(["<!-- c -->", "</>", "<", ">", "\n\n", "</nope>", "<?x?>", "```", "\n    x",
                                 "\n```\ncode\n```\n", "\n~~~\ncode\n~~~\n", "<script>a</p>b</script>",
                                 "<textarea></div></textarea>"]))
    close = "" if odd and rng.random() < 0.08 else f"</{tag}>"
    return f"<{tag}{attributes}>" + "".join(inner) + close


def random_page(rng):
    odd = rng.random() < 0.5
    blocks = []
    for _ in range(rng.randint(1, 8)):
        roll = rng.random()
        if roll < 0.4:
            lines = []
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                level = rng.choice([1, 2, 2, 3, 4, 5, 6] + ([7] if odd else []))
                suffix = rng.choice([" {#change-log}", " {#a-1}"]) if rng.random() < 0.1 else ""
                lines.append("#" * level + " " + _text(rng, odd) + suffix)
            blocks.append("\n".join(lines))
        elif roll < 0.9:
            count = rng.choice([1, 1, 1, 2])
            glue = "\n" + (rng.choice(["x", " ", "示例", "&amp;"]) if odd and rng.random() < 0.3 else "")
            first = "<hr></hr>" if odd and rng.random() < 0.05 else _element(rng, 0, odd, rng.choice(_BLOCK_TAGS))
            blocks.append(glue.join([first] + [_element(rng, 0, odd, rng.choice(_BLOCK_TAGS)) for _ in range(count - 1)]))
        else:
            blocks.append(f'<div data-gk-slot="s{rng.randint(0, 9)}"></div>')
    separators = ["\n\n"] + (["\n", "\n\n\n", "\n \n", "\n\t\n"] if odd else [])
    page = blocks[0]
    for block in blocks[1:]:
        page += rng.choice(separators) + block
    if odd and rng.random() < 0.2:
        page = rng.choice(["   ", "\t", "    ", "\r\n"]).join(page.split("\n", 1))
    return rng.choice(["", "\n", "\n\n"]) + page + rng.choice(["", "\n", "\n\n"])


def test_random_pages_convert_exactly_or_not_at_all(stamper):
    fast = StructuralMarkdown.for_markdown(stamper._md)
    rng = random.Random(20261130)
    converted = left = 0
    for n in range(6000):
        source = random_page(rng)
        got = fast.convert(source)
        if got is None:
            left += 1
            continue
        assert got == python_markdown(stamper._md, source), (n, source)
        converted += 1
    # Both paths, in numbers: the generator makes convertible pages and pages that must be refused.
    assert converted > 1200 and left > 1200, (converted, left)


def test_only_the_markdown_it_was_written_for_is_converted(stamper):
    md = stamper._md
    assert StructuralMarkdown.for_markdown(md) is not None
    extensions = ["tables", "fenced_code", "attr_list", "admonition"]       # MkDocs adds toc, tables, fenced_code
    plain = markdown.Markdown(extensions=[*extensions, "toc"])
    plain.treeprocessors.register(stamp._LinksOrImages(), "gk_links_or_images", 0)
    assert StructuralMarkdown.for_markdown(plain) is not None
    for added in ("md_in_html", "nl2br", "smarty", "def_list", "abbr"):
        other = markdown.Markdown(extensions=[*extensions, "toc", added])
        other.treeprocessors.register(stamp._LinksOrImages(), "gk_links_or_images", 0)
        assert StructuralMarkdown.for_markdown(other) is None, added
    for config in ({"permalink": True}, {"anchorlink": True}, {"baselevel": 2}):
        other = markdown.Markdown(extensions=[*extensions, "toc"], extension_configs={"toc": config})
        other.treeprocessors.register(stamp._LinksOrImages(), "gk_links_or_images", 0)
        assert StructuralMarkdown.for_markdown(other) is None, config


# Pages that look convertible and are not, each what one of the converter's rules is for.
TRAPS = (
    "<p>a &amp b</p>",                                          # a reference without ";" gets one
    "<p>&#123 x</p>",
    "<div><script></div>\n<p>x</p></script>\n\n## 后\n\n<p>y</p>",  # a script's text holds no tags
    "<div><script></div>\n<p>x</script></p>\n\n## 后",
    "<div><textarea></div>\n<p>x</textarea></p>\n\n## 后",
    "<div>\n```\n<p>x</p>\n```\n</div>",                         # a fence inside HTML is code
    "<div>\n~~~\ny\n~~~\n</div>",
    "<p>x</p>\n示例<p>y</p>",                                     # text after an element: a paragraph
    "<p>x</p> <p>y</p>",
    "<span>x</span>\n\n## 一",                                   # inline HTML is wrapped in a paragraph
    "<hr></hr>",
    "## 一 {#a-1}\n\n## a 1\n\n## a-1",                            # an explicit id is taken before any slug
    "## a 1\n\n## 二 {#a-1}",
    "<div>\n# a {#x}\n</div>\n\n## x",                            # ... but not a line inside an HTML block
    "<p>\n# z {#a}\n</p>\n\n# a",
    "<div\nclass=\"x\">y</div>",
    "   <div>y</div>",
    "<div>y</div>\n   \n## 一",
    "## 一\u3000",
    "## a  b",
    "<!-- c -->\n<div>y</div>",
)


@pytest.mark.parametrize("source", TRAPS)
def test_a_page_that_only_looks_plain_is_converted_exactly_or_left(stamper, source):
    got = StructuralMarkdown.for_markdown(stamper._md).convert(source)
    assert got is None or got == python_markdown(stamper._md, source)


def test_a_python_markdown_whose_helpers_differ_is_not_converted_for(stamper, monkeypatch):
    """Another Python-Markdown (the lock pins one; the range allows others) may lack what convert() calls."""
    from types import SimpleNamespace

    from generator import stampmd
    from markdown.extensions import toc
    older = SimpleNamespace(unique=lambda id, ids: id, nest_toc_tokens=toc.nest_toc_tokens)   # 3.6's signature
    monkeypatch.setattr(stampmd, "toc_ext", older)
    assert StructuralMarkdown.for_markdown(stamper._md) is None
