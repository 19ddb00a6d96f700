"""A second locality, 柳溪县, written by the tests the way a new county starts: its own site.yml and categories,
with the shared field definitions (_schema.yml) and the 规范性文件 template copied from the demo content as the
README tells editors to. Nothing of 示例县 may show in what the tool says or builds for it: DEMO_VALUES reads
the demo's distinctive values from content/ itself, so a new demo value is covered without editing the test.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "content"

SITE = """\
site:
  name: 柳溪县人民政府信息公开
  host: 柳溪县人民政府办公室
  base_url: https://www.liuxi.example.cn/zwgk/
  site_code: "4399880001"
  page_size: 10
  latest_count: 5

index_no:
  template: "{org_code}-{year}-{seq:04d}"

supervision:
  office: 柳溪县人民政府办公室政务公开股
  phone: 0777-6543210
  email: gk@liuxi.example.cn

organisations:
  - {id: gov, name: 柳溪县人民政府办公室, short_name: 县政府办, kind: 县政府, org_code: 12888800MB1C00011A,
     phone: 0777-6543201, doc_prefix: 柳政办发, defaults: {topic: 综合政务}}
  - {id: mz, name: 柳溪县民政局, short_name: 县民政局, kind: 县政府部门, org_code: 12888800MB1C00012B,
     phone: 0777-6543202, doc_prefix: 柳民发, defaults: {topic: 民政、扶贫、救灾}}
  - {id: xc, name: 柳溪县乡村振兴局, short_name: 县乡村振兴局, kind: 县政府部门, org_code: 12888800MB1C00013C,
     phone: 0777-6543203, doc_prefix: 柳乡振发}
  - {id: cg, name: 柳溪县城关街道办事处, short_name: 城关街道, kind: 街道, org_code: 12888800MB1C00014D,
     phone: 0777-6543204, doc_prefix: 城关街发}
  - {id: sm, name: 柳溪县石门镇人民政府, short_name: 石门镇, kind: 乡镇, org_code: 12888800MB1C00015E,
     phone: 0777-6543205, doc_prefix: 石门政发}

topics: [综合政务, 民政、扶贫、救灾, 财政、金融、审计, 城乡建设、环境保护]

attachment_types: {pdf: PDF, csv: CSV}
"""

CATEGORIES = {
    "docs": ("规范性文件", 1, "柳溪县人民政府办公室", "综合政务", "requires_interpretation: true\n"
             "catalogue_columns: [index_no, title, doc_no, publisher, validity, published_on]\n"),
    "jiedu": ("政策解读", 2, "柳溪县人民政府办公室", "综合政务", ""),
    "gonggao": ("通知公告", 3, "柳溪县城关街道办事处", "综合政务", ""),
    "xiangcun": ("乡村振兴", 4, "柳溪县乡村振兴局", "民政、扶贫、救灾", "kind: poverty_relief\n"),
}
# Copied from the demo as a new county would: the shared definitions, the category schemas and the template.
COPIED = {
    "_schema.yml": "_schema.yml",
    "docs/_schema.yml": "normative_documents/_schema.yml",
    "docs/_template.md": "normative_documents/_template.md",
    "jiedu/_schema.yml": "interpretations/_schema.yml",
    "xiangcun/_schema.yml": "poverty_relief/_schema.yml",
}

RECORDS = {
    "docs/2025/mz-0001.md": """\
---
index_no: 12888800MB1C00012B-2025-0001
title: 柳溪县民政局关于规范临时救助审批的通知
topic: 民政、扶贫、救灾
publisher: 柳溪县民政局
doc_no: 柳民发〔2025〕2号
genre: 通知
validity: 有效
written_on: 2025-03-03
published_on: 2025-03-06
summary: 明确临时救助的申请、审核和审批时限，急难情形先行救助。
---

各镇人民政府、街道办事处，县直有关单位：

为规范临时救助审批，现将有关事项通知如下。

## 一、审批时限

一般情形 10 个工作日内办结，急难情形先行救助。
""",
    "jiedu/2025/mz-0002.md": """\
---
index_no: 12888800MB1C00012B-2025-0002
title: 《关于规范临时救助审批的通知》政策解读
topic: 民政、扶贫、救灾
publisher: 柳溪县民政局
genre: 解读
written_on: 2025-03-06
published_on: 2025-03-08
interprets: 12888800MB1C00012B-2025-0001
summary: 解读临时救助审批时限和先行救助的做法。
---

## 为什么要规范

让困难群众更快得到救助。
""",
    "gonggao/2025/cg-0001.md": """\
---
index_no: 12888800MB1C00014D-2025-0001
title: 城关街道2025年第一季度便民服务事项公告
topic: 综合政务
publisher: 柳溪县城关街道办事处
genre: 公告
written_on: 2025-04-01
published_on: 2025-04-02
summary: 公布城关街道便民服务中心第一季度可办理的服务事项和办理地点。
---

城关街道便民服务中心可办理社会救助申请、老年人优待证等事项。
""",
    "xiangcun/2025/shimen-greenhouse-2025.md": """\
---
index_no: 12888800MB1C00015E-2025-0001
title: 石门镇下湾村蔬菜大棚项目公示（2025年）
topic: 民政、扶贫、救灾
publisher: 柳溪县石门镇人民政府
genre: 公示
written_on: 2025-05-10
published_on: 2025-05-12
summary: 下湾村新建蔬菜大棚40个，公示建设任务、补助标准、资金来源和联农带农机制。
project:
  year: 2025
  name: 2025年石门镇下湾村蔬菜大棚项目
  type: 产业发展
  township: 石门镇
  location: 石门镇下湾村三组
  tasks: 新建钢架蔬菜大棚40个，配套滴灌设施
  subsidy_standard: 每个大棚补助3.8万元
  funds:
    - {source: provincial, amount: 100.00}
    - {source: county, amount: 54.50}
    - {source: self, amount: 10.00, note: 村集体自筹}
  period: {start: 2025-05, end: 2025-10}
  implementer: 石门镇人民政府
  responsible: 李成（副镇长）
  targets: 大棚年产蔬菜400吨，带动农户60户，户均年增收2000元以上
  poverty_link: 大棚由村合作社统一经营，优先吸纳脱贫户务工
  progress: {status: 在建, percent: 40, note: 已建成大棚16个}
---

石门镇下湾村蔬菜大棚项目有关信息公示如下。
""",
}


def write_locality(content: Path) -> Path:
    content.mkdir(parents=True)
    (content / "site.yml").write_text(SITE, encoding="utf-8")
    for cat_id, (title, order, publisher, topic, extra) in CATEGORIES.items():
        (content / cat_id).mkdir()
        (content / cat_id / "_category.yml").write_text(
            f"title: {title}\ndescription: 柳溪县的{title}。\norder: {order}\ndefault_publisher: {publisher}\n"
            f"default_topic: {topic}\narchive_by: year\n{extra}", encoding="utf-8")
    for target, source in COPIED.items():
        shutil.copyfile(DEMO / source, content / target)
    for rel, text in RECORDS.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    return content


def demo_values() -> set[str]:
    """What only 示例县 says: its names, codes, 机关代字 and phone numbers, and the 文号 prefixes its records use."""
    site = yaml.safe_load((DEMO / "site.yml").read_text(encoding="utf-8"))
    values = {site["site"]["name"], site["site"]["host"], site["supervision"]["phone"], "示例县", "示例市"}
    for org in site["organisations"]:
        values |= {org["name"], org["org_code"], org.get("doc_prefix", ""), org.get("phone", "")}
        if org["kind"] in ("乡镇", "街道"):
            values.add(org["short_name"])
    for path in DEMO.rglob("*.md"):
        match = re.search(r"^doc_no:\s*(\S+?)〔", path.read_text(encoding="utf-8"), re.MULTILINE)
        if match and "{" not in match.group(1):
            values.add(match.group(1))
    return {v for v in values if v}


def leaked(text: str) -> list[str]:
    return sorted(v for v in demo_values() if v in text)
