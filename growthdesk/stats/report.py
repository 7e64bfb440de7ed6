"""All district statistics in one structure, with the titles, columns and chart of each, so the
CLI (JSON), the workbook, the PDF and the district window show the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..models import utcnow
from . import queries
from .cultivation import DEFAULT_RULES, NOTICE, cultivation_list
from .filters import Filters
from .schools import BEHIND_DAYS, local_time_text, school_list


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    kind: str = "int"   # int | float | share | text | list


@dataclass(frozen=True)
class StatMeta:
    key: str
    title_zh: str
    title_en: str
    columns: tuple[Column, ...]
    label: str              # column giving the chart's category labels
    values: tuple[str, ...]  # columns drawn as bars
    percent: bool = False    # bars are shares (0–1)


_LABEL = Column("label_zh", "类别", "text")
META = {m.key: m for m in [
    StatMeta("awards_by_level", "获奖情况（按竞赛级别）", "Awards by level",
             (Column("label_zh", "级别", "text"), Column("results", "获奖项数"), Column("students", "获奖学生数")),
             "label_zh", ("results", "students")),
    StatMeta("awards_by_discipline", "获奖情况（按学科领域）", "Awards by discipline",
             (Column("discipline", "学科领域", "text"), Column("results", "获奖项数"), Column("students", "获奖学生数")),
             "discipline", ("results", "students")),
    StatMeta("awards_by_award", "获奖情况（按奖项等级）", "Awards by award",
             (Column("label_zh", "奖项", "text"), Column("results", "获奖项数"), Column("students", "获奖学生数")),
             "label_zh", ("results", "students")),
    StatMeta("award_share_by_category", "城区、镇区、乡村学校获奖学生占比与学生占比", "Award winners vs students by school category",
             (Column("label_zh", "学校类别", "text"), Column("students", "学生数"), Column("student_share", "学生占比", "share"),
              Column("winners", "获奖学生数"), Column("winner_share", "获奖学生占比", "share"),
              Column("winner_rate", "本类学生获奖率", "share"), Column("ratio", "代表性指数", "float")),
             "label_zh", ("student_share", "winner_share"), percent=True),
    StatMeta("project_share_by_school", "参与科创项目的学生占比（按学校）", "Share of students with an innovation project",
             (Column("school_code", "学校代码", "text"), Column("school_name", "学校", "text"), Column("category_zh", "类别", "text"),
              Column("students", "学生数"), Column("with_project", "参与项目学生数"), Column("share", "占比", "share")),
             "school_name", ("share",), percent=True),
    StatMeta("evaluation_coverage", "过程性评价覆盖率（按维度）", "Evaluation coverage by dimension",
             (Column("label_zh", "维度", "text"), Column("students", "学生数"), Column("evaluated", "有评价学生数"),
              Column("share", "覆盖率", "share"), Column("multi_role", "多元主体评价学生数"),
              Column("multi_role_share", "多元主体评价占比", "share")),
             "label_zh", ("share", "multi_role_share"), percent=True),
    StatMeta("score_distribution", "维度评分分布（学期评分）", "Dimension score distribution",
             (Column("label_zh", "维度", "text"), Column("n", "人次"), Column("mean", "平均分", "float"),
              Column("min", "最低分", "float"), Column("max", "最高分", "float"), Column("A", "A 优秀"),
              Column("B", "B 良好"), Column("C", "C 合格"), Column("D", "D 待提高")),
             "label_zh", ("A", "B", "C", "D")),
    StatMeta("value_added", "增值性评价（学期间变化）", "Value added between terms",
             (Column("label_zh", "维度", "text"), Column("from_term_zh", "起始学期", "text"), Column("to_term_zh", "结束学期", "text"),
              Column("n", "人数"), Column("mean_from", "起始平均分", "float"), Column("mean_to", "结束平均分", "float"),
              Column("mean_change", "平均变化", "float"), Column("improved", "提高"), Column("unchanged", "持平"),
              Column("declined", "下降")),
             "label_zh", ("mean_change",)),
]}

SCHOOL_COLUMNS = (Column("school_code", "学校代码", "text"), Column("school_name", "学校", "text"),
                  Column("category_zh", "类别", "text"), Column("last_bundle_local", "最近数据包", "text"),
                  Column("last_sequence", "最新序号"), Column("days_since_last", "距今天数"),
                  Column("gaps", "缺失序号", "list"), Column("students", "学生"), Column("results", "获奖"),
                  Column("projects", "项目"), Column("evaluations", "过程性评价"),
                  Column("behind_reasons", "落后原因", "list"))
CULTIVATION_COLUMNS = (Column("name", "姓名", "text"), Column("school_name", "学校", "text"),
                       Column("category_zh", "类别", "text"), Column("stage_zh", "学段", "text"),
                       Column("rule_labels", "入选规则", "list"), Column("reasons", "依据", "list"))


def build_report(session: Session, f: Filters, *, rules=DEFAULT_RULES, now: datetime | None = None,
                 max_days: int = BEHIND_DAYS, only=None, progress=None) -> dict:
    """Every statistic (or those in ``only``), the school list and the cultivation list.

    ``progress(done, total, text)`` is called before each step (the district window shows it
    and may raise there to cancel: on a large district each step takes seconds).
    """
    now = now or utcnow()
    keys = [k for k in queries.STATISTICS if only is None or k in only]
    total = len(keys) + 2
    step = progress or (lambda done, total, text: None)
    step(0, total, "学校数据报送情况")
    schools = school_list(session, now=now, max_days=max_days, category=f.category)
    stats = {}
    for i, key in enumerate(keys, start=1):
        step(i, total, META[key].title_zh)
        stats[key] = queries.STATISTICS[key](session, f)
    step(total - 1, total, "培养名单")
    cultivation = cultivation_list(session, f, rules)
    from .process import process_by_school
    process = process_by_school(session, f.term, now.date(), f.school)
    step(total, total, "")
    return {"format": "growthdesk-district-stats", "version": 1, "summary": summary_state(session, f),
            "archive_process": process,
            "generated_at": now.isoformat(sep=" ", timespec="seconds"),
            "generated_local": local_time_text(now),
            "filters": f.as_dict(), "filters_text": f.describe(), "schools": schools,
            "statistics": stats, "cultivation": cultivation, "notice": NOTICE}


def summary_state(session: Session, f: Filters) -> str:
    """"fresh", "stale" or "absent": whether summary cells answered the evaluation statistics."""
    from . import summary
    from .scoring import load_rubric

    term = queries.evaluation_term(session, f)
    return summary.state_of(session, term, load_rubric(session)) if term else "absent"


def cell_text(value, kind: str) -> str:
    """How a value prints in a table (UI and PDF)."""
    if value is None:
        return "—"
    if kind == "share":
        return f"{value * 100:.1f}%"
    if kind == "float":
        return f"{value:.2f}"
    if kind == "list":
        return "；".join(str(v) for v in value) if value else ""
    return str(value)
