"""The 测试县 mini content with a life after publication: a repealed notice replaced by a newer one, an
amendment, corrections (重大 and 一般), a withdrawn guide with an attachment, and a board category.

Titles and summaries carry characters that must be escaped everywhere (&, <, #, quotes)."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import MINI
from tests.files import edit

OLD = "11999900MB0B00001X/2024-00003"          # docs/2024/old-notice: 废止, replaced by NOTICE
NOTICE = "11999900MB0B00001X/2025-00002"       # docs/2025/subsidy-notice: 已修改, corrected twice
AMENDMENT = "11999900MB0B00001X/2025-00004"    # docs/2025/subsidy-amendment: amends NOTICE
WITHDRAWN = "11999900MB0B00002Y/2025-00001"    # help/2025/temporary-assistance-guide: 撤回
AMENDMENT_TITLE = '测试县人民政府办公室关于修改临时救助标准通知的决定（第1#号&补充 "试行"）'
AMENDMENT_SUMMARY = "修改第二条的执行时间 & 说明 <试行> 的范围。"
WITHDRAWN_REASON = "办理流程已调整，本指南不再适用，请以新指南为准"
WITHDRAWN_WORDS = ("撤回正文独有词", "撤回附件独有词")


def make_lifecycle(target: Path) -> Path:
    shutil.copytree(MINI, target)
    edit(target / "docs/2024/old-notice.md", "repealed_by: 测政办发〔2025〕7号\n",
         f"repealed_by: 测政办发〔2025〕7号\nsuperseded_by: {NOTICE}\n")
    notice = target / "docs/2025/subsidy-notice.md"
    edit(notice, "validity: 有效\n", "validity: 已修改\nvalid_from: 2025-04-01\n"
         "change_log:\n  - {date: 2025-04-10, level: 重大, note: 更正第一条中的救助标准倍数}\n"
         "  - {date: 2025-05-02, level: 一般, note: 更正错别字}\n")
    (target / "docs/2025/subsidy-amendment.md").write_text(f"""---
index_no: {AMENDMENT}
title: '{AMENDMENT_TITLE}'
topic: 民政、扶贫、救灾
publisher: 测试县人民政府办公室
doc_no: 测政办发〔2025〕9号
genre: 决定
validity: 有效
written_on: 2025-06-01
published_on: 2025-06-03
summary: {AMENDMENT_SUMMARY}
amends: [{NOTICE}]
---

将《测试县人民政府办公室关于调整临时救助标准的通知》第二条修改为：自2025年7月1日起执行。
""", encoding="utf-8")
    guide = target / "help/2025/temporary-assistance-guide.md"
    edit(guide, "summary: 临时救助的申请条件、所需材料、办理流程和办理时限。\n",
         "summary: 临时救助的申请条件、所需材料、办理流程和办理时限。\n"
         f"withdrawn: {{date: 2025-09-01, reason: {WITHDRAWN_REASON}}}\n"
         "attachments:\n  - {file: temporary-assistance-guide/申请表.csv, title: 申请表}\n")
    edit(guide, "请携带身份证件", f"{WITHDRAWN_WORDS[0]}。请携带身份证件")
    (target / "help/2025/temporary-assistance-guide").mkdir()
    (target / "help/2025/temporary-assistance-guide/申请表.csv").write_text(
        f"项目,说明\n申请表,{WITHDRAWN_WORDS[1]}\n", encoding="utf-8")
    # 打印公示版 on the website, for the preview and the archive.
    with (target / "notes/_category.yml").open("a", encoding="utf-8") as f:
        f.write("print: {board: true}\n")
    return target
