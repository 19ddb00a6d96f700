"""Stored XSS: text from content and site.yml is escaped by construction, bodies are sanitised after Markdown.

Three layers are tested: `check` refuses script-capable markup in bodies with a Chinese message and the line;
the sanitiser alone removes what slips past Markdown (defence in depth); and a real build of the hostile corpus
(tests/hostile.py) is scanned file by file: every HTML and SVG element and attribute against an allowlist, every
URL for a script-capable scheme, and the quoted text shown exactly as typed wherever it appears.
"""
import csv
import gzip
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html
import pdfplumber
import pytest
import yaml
from bs4 import BeautifulSoup

from generator.safehtml import clean
from tests.hostile import INLINE, PAYLOAD, PLAIN, TEXT

# ---------------------------------------------------------------------------------------------------------------
# check: bodies that carry script-capable markup are refused, each with its line.

BODY_PAYLOADS = [
    # (body line, message fragment)
    ("<script>alert(1)</script>", "HTML 标签 <script>"),
    ("<b onmouseover=alert(1)>x</b>", "事件属性 onmouseover"),
    ("![图](图.png){: onerror=\"alert(1)\" }", "属性 onerror"),
    ("[链接](https://www.example.gov.cn/){: onclick=alert(1) }", "属性 onclick"),
    ("[链接](https://www.example.gov.cn/){: href=\"javascript:alert(1)\" }", "不安全的链接"),
    ("一段文字\n{: style=\"position:fixed;top:0;left:0;width:100%;height:100%\" }", "属性 style"),
    ("<p style=\"position:fixed;inset:0\">遮盖整个页面</p>", "属性 style"),
    ("<img\nsrc=x\nonerror=alert(1)>", "没有配对的"),     # a tag split over lines never reaches the sanitiser
    ("<a href=\" javascript:alert(1)\">x</a>", "不安全的链接"),
    ("<a href=\"java\tscript:alert(1)\">x</a>", "不安全的链接"),
    ("[x](&#106;avascript:alert(1))", "不安全的链接"),
    ("[x](&#x6A;avascript&colon;alert(1))", "不安全的链接"),
    ("[x]( JavaScript:alert(1) )", "不安全的链接"),
    ("[x][r]\n\n[r]: javascript:alert(1)", "不安全的链接"),
    ("<javascript:alert(1)>", "不安全的链接"),
    ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "不安全的链接"),
    ("![x](https://evil.example/x.png)", "图片地址不允许"),
    ("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>", "不安全的链接"),
    ("<svg><circle onload=alert(1)></circle></svg>", "HTML 标签 <svg>"),
    ("<math><mtext><img src=x onerror=alert(1)></mtext></math>", "HTML 标签 <math>"),
    ("<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>", "HTML 标签 <iframe>"),
    ("<div class=\"md-dialog\">假冒的提示</div>", "类名 md-dialog"),
    ("!!! md-overlay \"遮盖\"\n    内容", "类名 md-overlay"),
    ("## 小标题 {#__config}", "属性 id"),
    ("<details open ontoggle=alert(1)>", "事件属性 ontoggle"),
    ("<font color=red>红字</font>", "HTML 标签 <font>"),
]


@pytest.mark.parametrize("payload,message", BODY_PAYLOADS, ids=[p for p, _ in BODY_PAYLOADS])
def test_check_refuses_script_capable_bodies(mini, run, payload, message):
    record = mini / "docs/2025/subsidy-notice.md"
    text = record.read_text(encoding="utf-8")
    record.write_text(text + "\n" + payload + "\n", encoding="utf-8")
    first = len(text.split("\n")) + 1           # the payload's first line
    code, out = run("check")
    assert code == 1, out
    found = [line for line in out.split("\n") if message in line]
    assert found, out
    lines = [int(n) for n in re.findall(r"第 (\d+) 行", found[0])]
    assert lines and first <= lines[0] <= first + payload.count("\n"), found[0]
    assert "subsidy-notice.md" in out


def test_check_accepts_legitimate_markup_and_text(mini, run):
    record = mini / "docs/2025/subsidy-notice.md"
    record.write_text(record.read_text(encoding="utf-8") + "\n" + _LEGIT_BODY, encoding="utf-8")
    code, out = run("check")
    assert code == 0, out


def test_check_refuses_markup_in_fields_printed_as_markdown(mini, run):
    """办事要素 and 明白纸 text prints as Markdown on the 公示版: held to the body's rules, with the line."""
    from tests.files import edit, line_of
    guide = mini / "help/2025/temporary-assistance-guide.md"
    edit(guide, "    因生活必需支出突然增加超出承受能力的家庭\n",
         "    因生活必需支出突然增加超出承受能力的家庭\n    <img src=x onerror=alert(1)>\n")
    edit(guide, "  discipline: 不得收取任何费用", "  discipline: 不得收取任何费用 [x](javascript:alert(1))")
    code, out = run("check")
    assert code == 1
    assert f"第 {line_of(guide, 'onerror')} 行 字段 办事要素 (service_elements) conditions：HTML 含有事件属性 onerror" in out
    assert f"第 {line_of(guide, 'javascript:')} 行 字段 办事要素 (service_elements) discipline：含有不安全的链接" in out


_LEGIT_BODY = """A&B、1 < 2、“引号” "ascii"、`<b>代码</b>`，<b>加粗</b>、H<sub>2</sub>O、<u>下划线</u>。<br>

## 一、"三公" & <说明>

!!! note "提示"
    内容

| 项目 | 金额 |
|---|--:|
| 甲 | 1.00 |

[县政府网站](https://www.example.gov.cn/ "标题")、<mailto:gk@example.gov.cn>、[电话](tel:0999-7654321)
"""


# ---------------------------------------------------------------------------------------------------------------
# The sanitiser on its own: HTML that would never pass check, as if Markdown or check had let it through.

SANITISER_PAYLOADS = [
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" &#14;javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="//evil.example/x.png">',
    '<img src="https://evil.example/x.png">',
    '<svg><script>alert(1)</script></svg>',
    '<svg/onload=alert(1)>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<style>body{display:none}</style>',
    '<p style="position:fixed;inset:0;background:red">x</p>',
    '<div class="md-overlay admonition">x</div>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<table><tr><td background="javascript:alert(1)">x</td></tr></table>',
    '<p id="__config">{"base": "https://evil.example/"}</p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<template><img src=x onerror=alert(1)></template>',
    '<textarea><img src=x onerror=alert(1)></textarea>',
    '<!--<img src=x onerror=alert(1)>-->',
    '<![CDATA[<img src=x onerror=alert(1)>]]>',
    '<a href="https://ok.example/" onclick="alert(1)" style="x" target="_blank">x</a>',
    '<h2 onclick="alert(1)">标题<script>alert(1)</script></h2>',
    '<td><a href="jAvAsCrIpT:alert(1)">x',
    '<img src="x.png" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">',
]


@pytest.mark.parametrize("html", SANITISER_PAYLOADS)
def test_sanitiser_leaves_nothing_script_capable(html):
    result = clean(html)
    _assert_safe_fragment(result.html)
    # Reported, so check refuses it; comments and CDATA are only left out (readers never see them).
    assert result.removed or "alt=" in html or html.startswith("<!")


def test_sanitiser_keeps_what_markdown_writes():
    html = ('<p>A&amp;B <strong>粗</strong> <a href="https://www.example.gov.cn/?a=1&amp;b=2" title="t">链</a> '
            '<img alt="图" src="附件/图.png" /> <code>&lt;b&gt;</code></p>\n'
            '<div class="admonition note">\n<p class="admonition-title">提示</p>\n<p>x</p>\n</div>\n'
            '<table>\n<tr><th align="right">a</th></tr>\n<tr><td align="center">1</td></tr>\n</table>')
    result = clean(html)
    assert result.removed == []
    assert result.html == html.replace(' />', '>')


def test_sanitiser_closes_what_it_opens_and_splits_top_level_headings():
    result = clean('<p>一<b>二<h2>不是顶层</h2></p><h2>小标题 <em>甲</em> &amp; &lt;乙&gt;</h2><p>尾')
    headings = [p for p in result.parts if not isinstance(p, str)]
    assert [(h.level, h.text) for h in headings] == [(2, "小标题 甲 & <乙>")]
    assert result.html.count("<b>") == result.html.count("</b>") and result.html.endswith("<p>尾</p>")


# ---------------------------------------------------------------------------------------------------------------
# The built hostile corpus, file by file.

# Elements and attributes the site's own pages are made of (Material, our templates, sanitised bodies).
SITE_ELEMENTS = {
    "html", "head", "body", "meta", "title", "link", "script", "header", "footer", "main", "nav", "article", "div",
    "span", "p", "a", "img", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl",
    "dt", "dd", "table", "caption", "thead", "tbody", "tr", "th", "td", "strong", "b", "em", "i", "u", "code",
    "sub", "sup", "br", "hr", "small", "input", "label", "button", "form", "svg", "path", "blockquote", "pre",
}
SITE_ATTRIBUTES = {
    "action", "align", "alt", "aria-expanded", "aria-hidden", "aria-label", "aria-labelledby", "aria-pressed",
    "autocapitalize", "autocomplete", "method",
    "autocorrect", "charset", "checked", "class", "colspan", "content", "d", "dir", "download", "enterkeyhint",
    "for", "height", "hidden", "href", "http-equiv", "id", "lang", "loading", "name", "placeholder", "rel", "role",
    "rowspan", "scope", "spellcheck", "src", "tabindex", "title", "type", "viewbox", "width", "xmlns", "data-label",
}
SVG_ELEMENTS = {"svg", "title", "desc", "rect", "text", "line", "polyline", "circle", "path", "g"}
SCRIPT_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.I)


def _assert_safe_fragment(html: str) -> None:
    doc = lxml.html.fragment_fromstring(html, create_parent="div") if html.strip() else None
    for el in doc.iter() if doc is not None else ():
        if not isinstance(el.tag, str):
            continue
        assert el.tag in SITE_ELEMENTS - {"script", "form", "input", "button", "link", "meta", "svg", "path"}, el.tag
        for name, value in el.attrib.items():
            assert not name.startswith("on") and name not in ("style", "id", "srcdoc", "action", "background"), name
            if name in ("href", "src"):
                assert not SCRIPT_SCHEME.match(re.sub(r"[\t\n\r]", "", value)), value
            if name == "src":
                assert not re.match(r"^([a-z]+:|//)", value, re.I), value


def _check_html(path: Path, site: Path) -> None:
    doc = lxml.html.fromstring(path.read_bytes())
    rel = path.relative_to(site)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag in SITE_ELEMENTS, f"{rel}: element <{el.tag}>"
        for name, value in el.attrib.items():
            assert name in SITE_ATTRIBUTES or name.startswith(("data-md-", "data-gk-", "data-pagefind-")), \
                f"{rel}: attribute {name} on <{el.tag}>"
            if name in ("href", "src"):
                assert not SCRIPT_SCHEME.match(re.sub(r"[\t\n\r]", "", value)), f"{rel}: {name}={value}"
        if el.tag == "script":
            # Only scripts of the site itself, or Material's configuration as data.
            if el.get("type") == "application/json":
                assert el.get("id") == "__config" and json.loads(el.text)
            else:
                src = el.get("src") or ""
                assert not (el.text or "").strip(), f"{rel}: inline script"
                # A theme file's address carries its digest as a query (site.versioned): the file is the path's.
                target = unquote(urlsplit(urljoin("/" + rel.as_posix(), src)).path).removeprefix("/county/xxgk/").lstrip("/")
                assert src and not re.match(r"^([a-z]+:|//)", src) and (site / target).is_file(), f"{rel}: {src}"
        if el.tag == "img":
            assert el.get("src") != "x", f"{rel}: an editor's <img> became an element"
        if el.tag == "meta" and el.get("http-equiv"):
            assert el.get("http-equiv") == "Content-Security-Policy"
        if el.tag == "b":
            assert el.text_content() != "粗", f"{rel}: quoted <b> became an element"
        assert not (el.tag == "title" and el.getparent().tag != "head"), f"{rel}: a second <title>"


def test_every_output_file_of_the_hostile_site_is_safe(hostile_built):
    site = hostile_built / "site"
    kinds = set()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            _check_html(path, site)
        elif path.suffix == ".svg" and not rel.startswith("assets/"):
            root = lxml.etree.fromstring(path.read_bytes())
            for el in root.iter():
                assert lxml.etree.QName(el).localname in SVG_ELEMENTS, f"{rel}: <{el.tag}>"
                assert not [a for a in el.attrib if "on" == a[:2].lower() or "href" in a], f"{rel}: {el.attrib}"
        elif path.name == "sitemap.xml":
            root = lxml.etree.fromstring(path.read_bytes())
            for loc in root.iter("{*}loc"):
                assert loc.text.startswith("https://www.example.gov.cn/county/xxgk/") and "<" not in loc.text
        elif path.suffix == ".pf_fragment":
            # Pagefind's fragments are plain text; the search panel shows excerpts after Pagefind escapes < and >,
            # titles after escapeHtml (gk-search.js): neither may parse to any element but the <mark> it adds.
            data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
            excerpt = data["content"].replace("<", "&lt;").replace(">", "&gt;")
            assert not lxml.html.fragment_fromstring(excerpt, create_parent="div").getchildren(), rel
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".csv":
            list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        kinds.add(path.suffix)
    assert {".html", ".svg", ".json", ".csv", ".pf_fragment", ".pdf", ".css", ".js", ".xml"} <= kinds


def _record(content: Path, rel: str) -> dict:
    return yaml.safe_load((content / rel).read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n"))


def _page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def _text(el) -> str:
    return " ".join(el.get_text().split())


def test_quoted_text_shows_exactly_as_typed_everywhere(hostile_built):
    content, site = hostile_built / "content", hostile_built / "site"
    settings = yaml.safe_load((content / "site.yml").read_text(encoding="utf-8"))
    name = settings["site"]["name"]
    assert name == PAYLOAD
    eia = _record(content, "environment/2026/eia-quarry-accepted.md")
    title, summary = eia["title"], eia["summary"]
    assert title.startswith(PAYLOAD)

    page = _page(site, "environment/2026/eia-quarry-accepted")
    assert page.title.get_text() == f"{title} - {name}"
    assert _text(page.select("article h1")[0]) == title
    assert page.select('meta[name="description"]')[0].get("content") == summary
    topic = page.select('[data-md-component="header-topic"] .md-ellipsis')[0]
    assert _text(topic) == title
    assert _text(page.select(".md-header__topic .md-ellipsis")[0]) == name
    assert page.select(".md-header__button.md-logo")[0].get("title") == name
    assert page.select(".md-nav--primary .md-nav__button.md-logo")[0].get("title") == name
    assert _text(page.select("p.gk-summary")[0]) == "内容概述：" + summary
    assert _text(page.select("ul.gk-attachments a")[0]) == "报告表" + PAYLOAD
    kind = page.select("ul.gk-attachments .gk-filetype")[0]
    assert _text(kind).startswith("（PDF" + INLINE)
    elements = [_text(td) for td in page.select("table.gk-elements td")]
    assert elements[0] == "basis " + PLAIN
    footer = _text(page.select(".gk-footer")[0])
    for text in ("主办单位：" + PAYLOAD, "地址：" + PAYLOAD, PAYLOAD + " 公安备案" + PAYLOAD):
        assert text in footer
    # The body's legitimate markup: headings in the TOC as typed, links to final URLs, allowed elements kept.
    h2 = [_text(h) for h in page.select("article h2")]
    assert '一、"三公" & <说明> *星号*' in h2
    toc = [_text(a) for a in page.select("nav.md-nav--secondary a")]
    assert '一、"三公" & <说明> *星号*' in toc
    links = {_text(a): a.get("href") for a in page.select("article a")}
    assert links["附件"] == "report.pdf" and links["拟批准公示"] == "../eia-quarry-proposed/"
    assert page.select("article div.admonition.note p.admonition-title")[0].get_text() == "提示 &"
    assert [_text(b) for b in page.select("article p:not(.admonition-title) b")] == ["加粗"]
    assert page.select('article td[align="right"]')

    civil = _page(site, "budgets/2025/civil-budget-2025")
    grid = {_text(th): _text(th.find_next_sibling("td")) for th in civil.select("table.gk-meta th")}
    assert grid["发布机构"] == "测试县民政局" + INLINE
    adjustment = _page(site, "poverty_relief/2026/plan-adjustment-2026")
    grid = {_text(th): _text(th.find_next_sibling("td")) for th in adjustment.select("table.gk-meta th")}
    assert grid["主题分类"] == '民政、扶贫、救灾<i>"&"</i>'
    publishers = _page(site, "publishers")
    assert "县民政局" + TEXT in [_text(a) for a in publishers.select("nav.md-nav a")]

    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    assert home.title.get_text() == name and _text(home.select("article h1")[0]) == name
    assert home.select('a[href^="tel:"]')[0].get("href") == 'tel:0999-7654321"><script>alert(1)</script>'

    # Listings, downloads and search entries: the same text, as plain text.
    catalogue = _page(site, "catalogue")
    nav = [_text(a) for a in catalogue.select("nav.md-nav--primary a")]
    assert "environment" + TEXT in nav and "social_assistance" + TEXT in nav
    # Footer: the next page is the first category; its title once in the link text and once in aria-label.
    after = catalogue.select_one("a.md-footer__link--next")
    assert after.get("aria-label").endswith("：信息公开目录 › budgets" + TEXT) and _text(after).endswith("budgets" + TEXT)
    listing = _page(site, "environment/2026")
    assert title in [_text(a) for a in listing.select("td.gk-col-title a")]
    data = json.loads((site / "catalogue/catalogue.json").read_text(encoding="utf-8"))
    assert title in [r["title"] for r in data["records"]]
    rows = list(csv.reader(io.StringIO((site / "catalogue/catalogue.csv").read_text(encoding="utf-8-sig"))))
    assert title in [row[1] for row in rows]
    fragments = [json.loads(gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd"))
                 for p in (site / "pagefind/fragment").glob("*.pf_fragment")]
    assert title in [f["meta"]["title"] for f in fragments]
    # 公示版 and 明白纸 PDFs: the text as typed (WeasyPrint escapes nothing twice).
    with pdfplumber.open(site / "print/environment/2026/eia-quarry-accepted.pdf") as pdf:
        printed = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
    assert title in printed and "basis " + PLAIN in printed


def test_description_meta_of_the_demo_summaries_with_quotes():
    """The demo's summaries quote "三公" with ASCII quotes: each page's description must hold the whole summary."""
    from generator.render import make_environment
    env = make_environment()
    front = env.from_string('{% import "_macros.j2" as m %}{{ m.front(t, d) }}').render(
        t='"三公"经费 <b>', d='“三公”经费 "x" & <i>')
    data = yaml.safe_load(front.strip().strip("-"))
    assert data == {"title": "&quot;三公&quot;经费 &lt;b&gt;", "description": "“三公”经费 &quot;x&quot; &amp; &lt;i&gt;"}
