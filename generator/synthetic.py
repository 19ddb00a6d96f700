"""A synthetic corpus for benchmarks: N realistic records across categories, publishers and years.

The site settings and content types are the bundled demo's (content/), so the corpus exercises the same
schemas and rules; the record texts are assembled from phrases typical of county disclosures.
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path

from .contenttypes import load_base_schema, load_categories
from .problems import Problems
from .settings import load_settings

# Each category talks about its own business, as real disclosures do: a procurement notice does not quote the
# 低保 standard. Work plans and summaries range over everything; a few phrases are common to all documents.
COMMON = ["经县人民政府研究同意", "现将有关事项通知如下", "各乡镇人民政府要高度重视", "接受社会各界监督",
          "本通知自印发之日起施行", "请于公示期内向乡镇人民政府反映", "各乡镇", "各村（社区）"]
PHRASES = {
    "social_assistance": ["为进一步做好城乡居民最低生活保障工作", "根据《社会救助暂行办法》有关规定",
                          "切实做到应保尽保、应退尽退", "确保资金及时足额发放到位", "县财政局会同县民政局加强资金监管",
                          "严禁挤占挪用救助资金", "特困人员救助供养标准相应调整", "临时救助实行县乡两级审批",
                          "医疗救助资金按季度结算", "城市低保标准每人每月820元", "农村低保标准每人每年7560元",
                          "城乡居民基本医疗保险参保资助"],
    "budgets": ["部门预算按功能分类公开到项", "一般公共预算财政拨款支出", "“三公”经费支出较上年有所下降",
                "机关运行经费主要用于办公费、印刷费、水电费", "政府性基金预算财政拨款支出", "项目支出绩效目标已同步公开",
                "本部门无国有资本经营预算财政拨款支出", "决算数与预算数存在差异的原因"],
    "environment": ["全县空气质量总体保持良好", "PM2.5平均浓度同比下降", "饮用水水源地水质达标率为100%",
                    "重点排污单位名录已按规定公开", "建设项目环境影响评价文件审批", "优良天数比例同比提高",
                    "集中式饮用水水源地保护区划定", "排污许可证依法核发"],
    "poverty_relief": ["巩固拓展脱贫攻坚成果", "衔接推进乡村振兴", "项目实施后可带动脱贫户增收", "防止返贫动态监测和帮扶",
                       "高标准农田建设项目", "农村饮水安全巩固提升工程", "衔接资金项目库动态调整", "联农带农机制"],
    "procurement": ["政府采购项目严格执行采购程序", "中标(成交)结果公告如下", "采购意向公开时间不得晚于采购活动开始前30日",
                    "供应商对结果有异议的可在七个工作日内提出质疑", "采购需求已经专家论证", "合同已在指定媒体公告"],
    "enforcement": ["行政处罚决定书依法送达当事人", "双随机一公开抽查结果", "当事人未在法定期限内申请行政复议",
                    "责令限期改正违法行为", "执法人员出示了执法证件", "处罚裁量基准依法公开"],
    "organisation": ["内设机构及主要职责如下", "负责本行政区域内的相关工作", "机构编制部门核定行政编制",
                     "领导分工已按规定公开", "办公地址和联系电话"],
}
TITLES = {
    "social_assistance": ["关于{y}年{m}月城乡低保资金发放情况的公示", "{y}年第{q}季度社会救助数据统计", "关于调整{y}年特困人员救助供养标准的通知"],
    "budgets": ["{name}{y}年部门预算", "{name}{y}年部门决算", "{name}{y}年“三公”经费预算情况说明"],
    "environment": ["{y}年{m}月全县环境空气质量状况", "{y}年第{q}季度饮用水水源水质状况", "{y}年重点排污单位名录"],
    "poverty_relief": ["{y}年度巩固衔接资金项目计划（第{q}批）", "关于{y}年衔接资金分配结果的公告", "{y}年防止返贫监测帮扶工作情况"],
    "procurement": ["{name}办公设备采购项目中标结果公告（{y}-{m}）", "{y}年{m}月政府采购意向公开"],
    "enforcement": ["行政处罚决定书（示环罚〔{y}〕{m}号）", "{y}年第{q}季度双随机抽查结果公示"],
    "plans": ["{name}{y}年工作要点", "{name}{y}年工作总结"],
    "organisation": ["{name}机构职能（{y}年更新）"],
}


# Fields a category requires beyond the shared ones (its _schema.yml), as an editor would write them.
def _extra_fields(rng: random.Random, category: str, written: str) -> str:
    if category == "enforcement":
        return f"decision_type: {rng.choice(['行政许可', '行政处罚', '行政检查'])}\n"
    if category == "budgets":
        return f"approved_on: {written}\n"     # the 20-day clock starts at the approval (budgets/_category.yml)
    return ""


def _phrase(rng: random.Random, category: str) -> str:
    own = PHRASES.get(category) or [p for pool in PHRASES.values() for p in pool]   # plans: a bit of everything
    return rng.choice(COMMON) if rng.random() < 0.2 else rng.choice(own)


def _body(rng: random.Random, category: str) -> str:
    pick = lambda: _phrase(rng, category)
    parts = []
    for n in range(rng.randint(3, 6)):
        parts.append(f"## {'一二三四五六'[n]}、{pick()[:12]}")
        parts.append("，".join(pick() for _ in range(rng.randint(4, 9))) + "。")
    if category in ("social_assistance", "budgets") and rng.random() < 0.6:
        parts.append("| 项目 | 户数 | 人数 | 金额（万元） |\n|---|---:|---:|---:|")
        parts += [f"| {rng.choice(['城市低保', '农村低保', '特困供养', '临时救助'])} | {rng.randint(10, 900)} | "
                  f"{rng.randint(20, 2000)} | {rng.randint(100, 99999) / 100:.2f} |" for _ in range(rng.randint(3, 8))]
    return "\n\n".join(parts) + "\n"


def make_corpus(demo: Path, target: Path, records: int, seed: int = 7, boards: bool = True) -> Path:
    """Write target/content with the demo's settings and content types and `records` synthetic records.

    boards=False drops the categories' `print` settings, to measure the website without board PDFs."""
    if target.exists():
        shutil.rmtree(target)
    content = target / "content"
    content.mkdir(parents=True)
    shutil.copy(demo / "site.yml", content / "site.yml")
    shutil.copy(demo / "_schema.yml", content / "_schema.yml")
    for cat in demo.glob("*/_category.yml"):
        (content / cat.parent.name).mkdir()
        for name in ("_category.yml", "_schema.yml"):
            if (cat.parent / name).exists():
                shutil.copy(cat.parent / name, content / cat.parent.name / name)
        if not boards:
            copied = content / cat.parent.name / "_category.yml"
            copied.write_text("\n".join(line for line in copied.read_text(encoding="utf-8").split("\n")
                                         if not line.startswith("print:")), encoding="utf-8")
    problems = Problems()
    settings = load_settings(content, problems)
    categories = load_categories(content, load_base_schema(content, problems), problems)
    assert settings and not problems.errors, list(problems)
    rng = random.Random(seed)
    seq: dict[tuple[str, int], int] = {}
    kinds = [c for c in TITLES if c in categories]
    for i in range(records):
        cat = kinds[i % len(kinds)]
        org = rng.choice(settings.organisations)
        year = rng.choice((2022, 2023, 2024, 2025, 2026))
        month = rng.randint(1, 10 if year == 2026 else 12)
        day = rng.randint(1, 28)
        n = seq[(org.org_code, year)] = seq.get((org.org_code, year), 0) + 1
        title = rng.choice(TITLES[cat]).format(y=year, m=month, q=(month - 1) // 3 + 1, org=org.short_name,
                                               name=org.name)
        folder = content / cat / str(year)
        folder.mkdir(exist_ok=True)
        (folder / f"{org.id}-{n:05d}.md").write_text(
            f"---\nindex_no: {org.org_code}/{year}-{n:05d}\ntitle: {title}（{i + 1}）\n"
            f"topic: {categories[cat].default_topic}\npublisher: {org.name}\n"
            f"written_on: {year}-{month:02d}-{day:02d}\npublished_on: {year}-{month:02d}-{min(day + 2, 28):02d}\n"
            f"summary: {_phrase(rng, cat)}，{_phrase(rng, cat)}。\n"
            f"{_extra_fields(rng, cat, f'{year}-{month:02d}-{day:02d}')}---\n\n{_body(rng, cat)}", encoding="utf-8")
    return content
