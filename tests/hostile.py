"""A hostile copy of the missions fixture: script-shaped text in every field an editor or site.yml writes.

Everything written here is legitimate text that `check` accepts (a title may quote "<b>" or "&"): the site must
show it exactly as typed and never let it become markup. Bodies with real markup payloads are refused by
`check` instead (tests/test_xss.py, BODY_PAYLOADS). Spreadsheet formulas sit in text cells for the CSV tests.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.missions import MISSIONS

# What an editor might type, quoted: must display exactly like this wherever it appears.
TEXT = 'A&B “引号” "ascii" \'单\' <b>粗</b> &lt;i&gt;'
# What an attacker would type: must never become an element anywhere.
SCRIPT = '</title><script>alert(1)</script><img src=x onerror=alert(1)>'
PAYLOAD = f"{TEXT} {SCRIPT}"
# Shown as typed where text is Markdown too (service elements and 明白纸 print as Markdown): no markup in it.
PLAIN = 'A&B “引号” "ascii" \'单\' 1 < 2'
# Safe inside a YAML plain scalar mid-sentence and in flow mappings: no ": ", " #", commas or brackets.
INLINE = '<b>&"引"\'单\'</b><img src=x onerror=alert(1)>'
FORMULAS = ('=HYPERLINK("https://evil.example/","点我")', "+SUM(1)", "-2+3", "@SUM(1)")

EXTRA_BODY = """
正文中的 A&B、1 < 2、“引号” "ascii" 和 `<b>代码</b>` 原样显示，<b>加粗</b>、H<sub>2</sub>O 和 x<sup>2</sup> 是允许的 HTML。

## 一、"三公" & <说明> \\*星号\\*

详见[附件](eia-quarry-accepted/report.pdf "报告表")和[拟批准公示](eia-quarry-proposed.md)，县政府网站 <https://www.example.gov.cn/a?b=1&c=2>。

!!! note "提示 <b>&</b>"
    提示内容。

| 项目 | 金额 |
|---|--:|
| 甲 | 1.00 |
"""

ADJUSTMENT = """---
index_no: 11999900MB0B00003Z/2026-00009
title: 关于调整2026年度衔接资金项目计划的公告
topic: 民政、扶贫、救灾
publisher: 测试县乡村振兴局
genre: 公告
written_on: 2026-03-02
published_on: 2026-03-03
summary: 调减一个项目、新增一个项目，衔接资金总额不变。
plan:
  year: 2026
  kind: 调整
  changes:
    - {name: 2026年河口村道路硬化项目, change: 调减, amount: -12.50, reason: %s}
    - {name: %s, change: 新增, amount: 12.50, source: 调减资金调剂, reason: %s}
  previous_total: {count: 12, amount: 1000.00}
  total: {count: 13, amount: 1000.00}
---

调减河口村道路硬化项目，新增一个项目。
"""


def _set(path: Path, key: str, value: str, indent: str = "") -> None:
    """Replace the value of the first `key:` line at this indent (YAML double-quoted, as JSON writes it)."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(indent)}{re.escape(key)}: .*$", re.M)
    assert pattern.search(text), f"{path.name} has no {key}"
    path.write_text(pattern.sub(lambda m: f"{indent}{key}: {json.dumps(value, ensure_ascii=False)}", text, 1),
                    encoding="utf-8")


def _replace_everywhere(root: Path, old: str, new: str) -> None:
    """In settings and front matter only: in a body the same text would be markup (refused by check)."""
    for path in root.rglob("*"):
        if path.suffix in (".md", ".yml"):
            text = path.read_text(encoding="utf-8")
            head, sep, body = text.partition("\n---\n") if path.suffix == ".md" else (text, "", "")
            if old in head:
                path.write_text(head.replace(old, new) + sep + body, encoding="utf-8")


def make_hostile(content: Path) -> Path:
    """Write the hostile corpus into content (a fresh directory); returns it."""
    shutil.copytree(MISSIONS, content)
    # Table cells: a plan adjustment with formulas in text columns and -12.50 in a number column.
    (content / "poverty_relief/2026/plan-adjustment-2026.md").write_text(
        ADJUSTMENT % tuple(json.dumps(v, ensure_ascii=False) for v in (FORMULAS[2], FORMULAS[3], "@" + TEXT)),
        encoding="utf-8")
    site = content / "site.yml"
    # site.yml: every text a page shows. Names are replaced everywhere, so records keep naming them.
    _replace_everywhere(content, "测试县民政局", "测试县民政局" + INLINE)
    _replace_everywhere(content, "民政、扶贫、救灾", '民政、扶贫、救灾<i>"&"</i>')
    for key in ("name", "host", "icp"):
        _set(site, key, PAYLOAD, "  ")
    text = site.read_text(encoding="utf-8")
    text = text.replace('  icp:', f'  police_record: {json.dumps("公安备案" + PAYLOAD, ensure_ascii=False)}\n  icp:')
    text = text.replace("short_name: 县民政局", f"short_name: {json.dumps('县民政局' + TEXT, ensure_ascii=False)}\n"
                        f"    address: {json.dumps('和平路' + PAYLOAD, ensure_ascii=False)}\n"
                        f"    office_hours: {json.dumps('工作日' + PAYLOAD, ensure_ascii=False)}")
    text = text.replace("  pdf: PDF", f"  pdf: {json.dumps('PDF' + INLINE, ensure_ascii=False)}")
    site.write_text(text, encoding="utf-8")
    for key in ("office", "address", "office_hours"):
        _set(site, key, PAYLOAD, "  ")
    _set(site, "phone", '0999-7654321"><script>alert(1)</script>', "  ")
    _set(site, "email", 'gk@example.gov.cn"><img src=x onerror=alert(1)>', "  ")
    for folder in ("budgets", "social_assistance", "poverty_relief", "environment"):
        _set(content / folder / "_category.yml", "title", f"{folder}{TEXT}")
        _set(content / folder / "_category.yml", "description", PAYLOAD)

    # Every record: title and summary.
    for n, path in enumerate(sorted(content.rglob("20*/*.md"))):
        _set(path, "title", f"{PAYLOAD} {n}")
        _set(path, "summary", f"概述{n} {PAYLOAD}")

    _set(content / "poverty_relief/2026/plan-adjustment-2026.md", "title", FORMULAS[0] + "关于调整项目计划的公告")

    # One record with everything else: keywords, attachment title, service elements, 明白纸 and a 公开栏 posting
    # (so the build prints its sheet), and a body with legitimate markup.
    eia = content / "environment/2026/eia-quarry-accepted.md"
    text = eia.read_text(encoding="utf-8")
    text = text.replace("    title: 北山采石场项目环境影响报告表（公开全本）",
                        f"    title: {json.dumps('报告表' + PAYLOAD, ensure_ascii=False)}")
    extra = {
        "keywords": ["<b>词</b>", 'A&B"'],
        "service_elements": {key: f"{key} {PLAIN}" for key in
                             ("basis", "duties", "conditions", "procedure", "discipline", "result")},
        "postings": [{"form": "公开栏", "place": "河口镇" + TEXT, "posted_on": "2026-04-02"}],
        "leaflet": {"title": '明白纸A&B"<b>粗</b>', "who": "谁能申请 " + PLAIN, "how_to_apply": "怎么申请 " + PLAIN,
                    "contact": "有事找谁 " + PLAIN},
    }
    front = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in extra.items())
    head, body = text.split("\n---\n", 1)
    eia.write_text(head + "\n" + front + "---\n" + body + EXTRA_BODY, encoding="utf-8")

    # Table cells: 重点排污单位 names and addresses.
    polluters = content / "environment/2026/key-polluters-2026.md"
    text = polluters.read_text(encoding="utf-8")
    text = text.replace("    - name: 测试县养殖有限公司", f"    - name: {json.dumps(FORMULAS[0], ensure_ascii=False)}")
    text = text.replace("      address: 测试县河口镇柳湾村", f"      address: {json.dumps(FORMULAS[1] + PAYLOAD, ensure_ascii=False)}")
    polluters.write_text(text, encoding="utf-8")
    return content
