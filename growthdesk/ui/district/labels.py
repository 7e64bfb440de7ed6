"""English for what ``growthdesk.stats`` labels in Chinese only (table headers, vocabulary cells).

The statistics describe their columns in Chinese (``Column.zh``: the workbook and PDF are
Chinese documents); the district window's chrome goes through Qt's translation, but these
headers come from data, so English mode looks them up here. A header missing from the table
shows as it is (Chinese), never blank.
"""

from __future__ import annotations

import re

from ...models.enums import SCHOOL_CATEGORIES, STAGES, STUDENT_STATUSES
from ...services.archive import STEPS as _STEPS
from .. import app as ui_app

HEADERS_EN = {
    "类别": "Category", "级别": "Level", "获奖项数": "Awards", "获奖学生数": "Award winners",
    "学科领域": "Discipline", "奖项": "Award", "学校类别": "School category", "学生数": "Students",
    "学生占比": "Share of students", "获奖学生占比": "Share of winners",
    "本类学生获奖率": "Winners in category",
    "代表性指数": "Representation index", "学校代码": "School code", "学校": "School",
    "参与项目学生数": "With a project", "占比": "Share", "维度": "Dimension",
    "有评价学生数": "Evaluated",
    "覆盖率": "Coverage", "多元主体评价学生数": "Several evaluator roles",
    "多元主体评价占比": "Share with several roles", "人次": "Scores", "平均分": "Mean", "最低分": "Min",
    "最高分": "Max", "A 优秀": "A excellent", "B 良好": "B good", "C 合格": "C pass",
    "D 待提高": "D to improve",
    "起始学期": "From term", "结束学期": "To term", "人数": "Students", "起始平均分": "Mean before",
    "结束平均分": "Mean after", "平均变化": "Mean change", "提高": "Improved", "持平": "Unchanged",
    "下降": "Declined", "最近数据包": "Latest bundle", "最新序号": "Latest no.", "距今天数": "Days ago",
    "缺失序号": "Missing no.", "学生": "Students", "获奖": "Awards", "项目": "Projects",
    "过程性评价": "Process evaluations", "落后原因": "Why behind", "姓名": "Name", "学段": "Stage",
    "入选规则": "Rules met", "依据": "Grounds",
    # 综评进度 (stats.process)
    "班级数": "Classes", "班级": "Class", "进度": "Step", "归档率": "Archived share",
    **{zh: en for zh, en in _STEPS.values()},
}

# A "<x>_zh" cell whose row has the code "<x>" and no "<x>_en": its English comes from the vocabulary.
VOCABULARIES = {"category": SCHOOL_CATEGORIES, "stage": STAGES, "status": STUDENT_STATUSES, "step": _STEPS}


def chinese() -> bool:
    return ui_app.lang().startswith("zh")


def header(col) -> str:
    """A stats column's header in the UI language."""
    return col.zh if chinese() else HEADERS_EN.get(col.zh, col.zh)


def cell_value(row: dict, key: str):
    """``row[key]``, or its English twin in English mode for Chinese label columns (``label_zh``
    → ``label_en``; ``category_zh`` → the category's English name)."""
    value = row.get(key)
    if chinese():
        return value
    if key == "behind_reasons":
        return [behind_reason(v) for v in value or []]
    if not key.endswith("_zh"):
        return value
    base = key[:-3]
    if row.get(base + "_en"):
        return row[base + "_en"]
    pair = VOCABULARIES.get(base, {}).get(row.get(base))
    return pair[1] if pair else value


def vocab_label(pair: tuple[str, str]) -> str:
    return pair[0] if chinese() else pair[1]


def behind_reason(text: str) -> str:
    """A school list's 落后原因 (stats.schools words them in Chinese) in the UI language."""
    if chinese():
        return text
    if text == "从未收到数据包":
        return "no bundle received yet"
    m = re.fullmatch(r"(\d+) 天未收到数据包", text)
    if m:
        return f"no bundle for {m.group(1)} days"
    if text.startswith("缺少序号 "):
        return "missing no. " + text[len("缺少序号 "):].replace("、", ", ")
    return text


def term_text(code: str) -> str:
    """A term as a person reads it (2025—2026学年第一学期 / Autumn term 2025–2026)."""
    from ...services.views import term_label
    return term_label(code, ui_app.lang())
