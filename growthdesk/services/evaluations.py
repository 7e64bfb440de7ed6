"""Process evaluations (过程性评价), the class grid's upsert, and term evaluations (终结性评价)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.orm import Session

from ..errors import PermissionDenied, ValidationError
from ..models import ProcessEvaluation, SchoolClass, Student, Term, TermEvaluation
from ..models.enums import EVALUATOR_ROLES
from .evidence import delete_owned
from ._common import as_date, bounded_text, get_live, live, not_future, today, vocab_code
from .names import format_date
from .rubric import RubricDoc, active_rubric, check_score
from .terms import ensure_term, normalise_term_code, term_dates, term_label


def _student(s: Session, student_id: str) -> Student:
    return get_live(s, Student, student_id, "学生", "student", "student_id")


def _level_and_score(rubric: RubricDoc, level, score) -> tuple[str, float]:
    """Either a scale level (its score is taken) or a 0–100 score (its level is derived)."""
    has_level = level not in (None, "")
    score = None if isinstance(score, str) and not score.strip() else score   # an empty form field
    if has_level and score is not None:
        lv = rubric.level(level)
        value = check_score(score)
        if rubric.level_for_score(value).code != lv.code:
            raise ValidationError(f"分数 {value:g} 与等级 {lv.code} 不符", f"score {value:g} does not match level {lv.code}",
                                  field="score", value=score)
        return lv.code, value
    if has_level:
        lv = rubric.level(level)
        return lv.code, lv.score
    if score is None:
        raise ValidationError("请填写评价等级或分数", "give a level or a score", field="level")
    value = check_score(score)
    return rubric.level_for_score(value).code, value


def _term_span(s: Session, code: str) -> tuple[date, date]:
    """The term's dates from its row, or the defaults when the row does not exist yet."""
    term = s.get(Term, code)
    return (term.start_date, term.end_date) if term is not None else term_dates(code)


def _date_in_term(s: Session, code: str, value, field: str, zh: str) -> date:
    """A date (default: today, or the term's last day for a past term) inside the term."""
    start, end = _term_span(s, code)
    d = as_date(value, field, zh) if value not in (None, "") else min(today(), end)
    not_future(d, field, zh)
    if not start <= d <= end:
        raise ValidationError(
            f"{zh} {format_date(d)} 不在{term_label(code)}内（{format_date(start)}—{format_date(end)}）",
            f"{field} {d.isoformat()} is outside term {code} ({start.isoformat()} to {end.isoformat()})",
            field=field, value=d)
    return d


def _indicator(rubric: RubricDoc, dimension: str, indicator) -> str:
    code = str(indicator or "").strip()
    dim = rubric.dimension(dimension)
    if code and dim.indicators and code not in {i.code for i in dim.indicators}:
        valid = ", ".join(i.code for i in dim.indicators)
        raise ValidationError(f"维度“{dim.name_zh}”没有指标 {code}；可选：{valid}",
                              f"dimension {dimension!r} has no indicator {code!r}; valid: {valid}",
                              field="indicator", value=indicator)
    return code


def record_process_evaluation(s: Session, *, student_id: str, term_code: str, dimension: str, level=None,
                              score=None, evaluator_role: str, evaluator_name: str = "", comment: str = "",
                              eval_date=None, indicator: str = "") -> ProcessEvaluation:
    rubric = active_rubric(s)
    _student(s, student_id)
    dim = rubric.dimension(str(dimension or "").strip()).code
    role = vocab_code(EVALUATOR_ROLES, evaluator_role, "evaluator_role", "评价主体")
    level_code, value = _level_and_score(rubric, level, score)
    ind = _indicator(rubric, dim, indicator)
    code = normalise_term_code(term_code)
    when = _date_in_term(s, code, eval_date, "eval_date", "评价日期")
    comment = bounded_text(comment, "comment", "评语", 2000)
    evaluator_name = bounded_text(evaluator_name, "evaluator_name", "评价人", 50)
    term = ensure_term(s, code)  # only now: nothing is added before every check has passed
    ev = ProcessEvaluation(student_id=student_id, term_code=term.code, dimension=dim, indicator=ind,
                           level=level_code, score=value, evaluator_role=role,
                           evaluator_name=evaluator_name, comment=comment, eval_date=when)
    s.add(ev)
    s.flush()
    return ev


# What an edit may change; anything else (student, id, bookkeeping) is fixed once recorded.
EDITABLE = ("term_code", "dimension", "indicator", "level", "score", "evaluator_role", "evaluator_name",
            "comment", "eval_date")


def update_process_evaluation(s: Session, evaluation_id: str, **changes) -> ProcessEvaluation:
    """Change some fields of a process evaluation, checked as ``record_process_evaluation`` checks a
    new one. The record after the change is validated whole (a new dimension must own the kept
    indicator; a kept date must lie in a new term). A level alone takes its score, a score alone
    its level. Nothing is changed unless every check passes."""
    ev = get_live(s, ProcessEvaluation, evaluation_id, "过程性评价", "process evaluation", "evaluation_id")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(f"过程性评价没有可修改的字段 {unknown[0]}", f"cannot change field {unknown[0]!r} "
                              f"of a process evaluation; editable: {', '.join(EDITABLE)}", field=unknown[0])
    rubric = active_rubric(s)
    new = _checked_changes(s, rubric, ev, changes)
    if new["term_code"] != ev.term_code:
        ensure_term(s, new["term_code"])  # only now: every check has passed
    for key, value in new.items():
        if getattr(ev, key) != value:  # untouched fields stay out of the audit log's diff
            setattr(ev, key, value)
    s.flush()
    return ev


def _checked_changes(s: Session, rubric: RubricDoc, ev: ProcessEvaluation, changes: dict) -> dict:
    """The evaluation's fields after ``changes``, each validated; raises before anything is set."""
    get = lambda key: changes[key] if key in changes else getattr(ev, key)  # noqa: E731
    dim = rubric.dimension(str(get("dimension") or "").strip()).code
    role = vocab_code(EVALUATOR_ROLES, get("evaluator_role"), "evaluator_role", "评价主体")
    if "level" in changes or "score" in changes:
        level_code, value = _level_and_score(rubric, changes.get("level"), changes.get("score"))
    else:
        level_code, value = ev.level, ev.score  # kept as stored, even if the scale changed since
    ind = _indicator(rubric, dim, get("indicator"))
    code = normalise_term_code(get("term_code"))
    when = _date_in_term(s, code, get("eval_date") or ev.eval_date, "eval_date", "评价日期")
    return {"term_code": code, "dimension": dim, "indicator": ind, "level": level_code, "score": value,
            "evaluator_role": role, "comment": bounded_text(get("comment"), "comment", "评语", 2000),
            "evaluator_name": bounded_text(get("evaluator_name"), "evaluator_name", "评价人", 50),
            "eval_date": when}


def evaluation_fields(s: Session, evaluation_id: str) -> dict:
    """The editable fields of one live process evaluation (what an edit form starts from)."""
    ev = get_live(s, ProcessEvaluation, evaluation_id, "过程性评价", "process evaluation", "evaluation_id")
    return {key: getattr(ev, key) for key in EDITABLE} | {"id": ev.id, "student_id": ev.student_id}


def set_grid_level(s: Session, *, student_id: str, term_code: str, dimension: str, evaluator_role: str,
                   evaluator_name: str = "", level, round_date=None) -> ProcessEvaluation | None:
    """The class grid's cell: one record per student × term × dimension × role × evaluator
    (indicator-less). A level creates or updates it; None or '' deletes it.

    With ``round_date`` the grid is one of several rounds in the term (e.g. monthly): the cell
    is the record of that date, and a new one is dated so."""
    rubric = active_rubric(s)
    _student(s, student_id)
    dim = rubric.dimension(str(dimension or "").strip()).code
    role = vocab_code(EVALUATOR_ROLES, evaluator_role, "evaluator_role", "评价主体")
    name = bounded_text(evaluator_name, "evaluator_name", "评价人", 50)
    lv = rubric.level(level) if level not in (None, "") else None
    code = normalise_term_code(term_code)
    when = _date_in_term(s, code, round_date, "eval_date", "评价日期") if round_date not in (None, "") else None
    q = live(ProcessEvaluation).where(
        ProcessEvaluation.student_id == student_id, ProcessEvaluation.term_code == code,
        ProcessEvaluation.dimension == dim, ProcessEvaluation.evaluator_role == role,
        ProcessEvaluation.evaluator_name == name, ProcessEvaluation.indicator == "")
    if when is not None:
        q = q.where(ProcessEvaluation.eval_date == when)
    existing = s.scalars(q.order_by(ProcessEvaluation.created_at)).all()
    if lv is None:
        words = next((ev.comment for ev in existing if ev.comment), "")
        for ev in existing:
            ev.deleted = True
        s.flush()
        if words:  # the grid's comment lives on one of the student's cells: keep it on another
            rest = _grid_records(s, rubric, student_id, code, role, name, when)
            if rest and not any(r.comment for r in rest):
                rest[0].comment = words
                s.flush()
        return None
    if existing:
        ev = existing[0]
        for extra in existing[1:]:  # two devices may both have made the cell: keep one
            extra.deleted = True
        if ev.level != lv.code or ev.score != lv.score:
            ev.level, ev.score = lv.code, lv.score
        s.flush()
        return ev
    return record_process_evaluation(s, student_id=student_id, term_code=code, dimension=dim, level=lv.code,
                                     evaluator_role=role, evaluator_name=name, eval_date=when)


def set_grid_levels(s: Session, cells, *, term_code: str, evaluator_role: str, evaluator_name: str = "",
                    round_date=None) -> int:
    """Several grid cells at once (a paste, an undo): ``cells`` = (student_id, dimension, level)
    triples; all are written or none (one transaction). Returns how many were given."""
    n = 0
    for student_id, dimension, level in cells:
        set_grid_level(s, student_id=student_id, term_code=term_code, dimension=dimension,
                       evaluator_role=evaluator_role, evaluator_name=evaluator_name, level=level or None,
                       round_date=round_date)
        n += 1
    return n


def _grid_records(s: Session, rubric: RubricDoc, student_id: str, term_code: str, role: str, name: str,
                  when) -> list[ProcessEvaluation]:
    """A student's live grid cells of one round (or of the term when ``when`` is None), in the
    rubric's dimension order."""
    q = live(ProcessEvaluation).where(
        ProcessEvaluation.student_id == student_id, ProcessEvaluation.term_code == term_code,
        ProcessEvaluation.evaluator_role == role, ProcessEvaluation.evaluator_name == name,
        ProcessEvaluation.indicator == "")
    if when is not None:
        q = q.where(ProcessEvaluation.eval_date == when)
    order = {code: i for i, code in enumerate(rubric.dimension_codes)}
    return sorted(s.scalars(q.order_by(ProcessEvaluation.created_at)), key=lambda ev: order.get(ev.dimension, 99))


def set_grid_comment(s: Session, *, student_id: str, term_code: str, evaluator_role: str, evaluator_name: str = "",
                     comment: str = "", round_date=None) -> ProcessEvaluation | None:
    """The class grid's comment column: one comment per student and round, saved with the
    process evaluation (on the student's first evaluated dimension of the round; the others'
    grid comments are emptied). A student with no level in the round has nothing to carry it."""
    rubric = active_rubric(s)
    _student(s, student_id)
    role = vocab_code(EVALUATOR_ROLES, evaluator_role, "evaluator_role", "评价主体")
    name = bounded_text(evaluator_name, "evaluator_name", "评价人", 50)
    text = bounded_text(comment, "comment", "评语", 2000).strip()
    code = normalise_term_code(term_code)
    when = _date_in_term(s, code, round_date, "eval_date", "评价日期") if round_date not in (None, "") else None
    records = _grid_records(s, rubric, student_id, code, role, name, when)
    if not records:
        if not text:
            return None
        raise ValidationError("该生在这一轮还没有任何等级：请先评至少一个维度的等级，再写评语",
                              "this student has no level in this round: give a level first, then the comment",
                              field="comment")
    for i, ev in enumerate(records):
        want = text if i == 0 else ""
        if ev.comment != want:
            ev.comment = want
    s.flush()
    return records[0]


def set_grid_comments(s: Session, items, *, term_code: str, evaluator_role: str, evaluator_name: str = "",
                      round_date=None) -> int:
    """Several grid comments at once: ``items`` = (student_id, comment) pairs (one transaction)."""
    n = 0
    for student_id, comment in items:
        set_grid_comment(s, student_id=student_id, term_code=term_code, evaluator_role=evaluator_role,
                         evaluator_name=evaluator_name, comment=comment, round_date=round_date)
        n += 1
    return n


def delete_process_evaluation(s: Session, evaluation_id: str) -> None:
    ev = get_live(s, ProcessEvaluation, evaluation_id, "过程性评价", "process evaluation", "evaluation_id")
    delete_owned(s, "evaluation", ev.id)
    ev.deleted = True
    s.flush()


def list_process_evaluations(s: Session, student_id: str, term_code: str | None = None) -> list[ProcessEvaluation]:
    q = live(ProcessEvaluation).where(ProcessEvaluation.student_id == student_id)
    if term_code:
        q = q.where(ProcessEvaluation.term_code == normalise_term_code(term_code))
    return list(s.scalars(q.order_by(ProcessEvaluation.eval_date, ProcessEvaluation.dimension)))


def save_term_evaluation(s: Session, *, student_id: str, term_code: str, levels: dict, comment: str = "",
                         adviser_name: str = "", written_on=None) -> TermEvaluation:
    """Create or replace the adviser's term-end levels (only rubric dimensions and levels)."""
    rubric = active_rubric(s)
    _student(s, student_id)
    clean = {}
    for dim, level in (levels or {}).items():
        code = rubric.dimension(str(dim).strip()).code
        if level not in (None, ""):
            clean[code] = rubric.level(level).code
    code = normalise_term_code(term_code)
    when = not_future(as_date(written_on or today(), "written_on", "填写日期"), "written_on", "填写日期")
    comment = bounded_text(comment, "comment", "班主任评语", 4000)
    adviser_name = bounded_text(adviser_name, "adviser_name", "班主任姓名", 50)
    term = ensure_term(s, code)
    te = get_term_evaluation(s, student_id, term.code)
    text = json.dumps({d: clean[d] for d in rubric.dimension_codes if d in clean}, ensure_ascii=False)
    if te is None:
        te = TermEvaluation(student_id=student_id, term_code=term.code, levels_json=text, comment=comment,
                            adviser_name=adviser_name, written_on=when)
        s.add(te)
    else:
        te.levels_json, te.comment, te.adviser_name, te.written_on = text, comment, adviser_name, when
    s.flush()
    return te


# ---- who writes term evaluations: the adviser of the student's class, or a school admin

def may_write_term_evaluation(s: Session, user, class_id: str | None) -> bool:
    """True for a school admin, and for the user recorded as the class's adviser."""
    if user is None:
        return False
    if user.role == "school_admin":
        return True
    cls = s.get(SchoolClass, class_id) if class_id else None
    return cls is not None and not cls.deleted and cls.adviser_user_id == user.id


def require_term_evaluation_writer(s: Session, user, student_id: str) -> None:
    """PermissionDenied unless ``user`` may write this student's term evaluation."""
    st = _student(s, student_id)
    if not may_write_term_evaluation(s, user, st.class_id):
        raise PermissionDenied("只有该生所在班级的班主任或学校管理员可以填写期末评价和评语",
                               "only the adviser of the student's class or a school admin may write the term "
                               "evaluation", field="role", value=None if user is None else user.role)


def get_term_evaluation(s: Session, student_id: str, term_code: str) -> TermEvaluation | None:
    return s.scalars(live(TermEvaluation).where(TermEvaluation.student_id == student_id,
                                                TermEvaluation.term_code == term_code)).first()


def term_evaluation_levels(te: TermEvaluation | None) -> dict[str, str]:
    return json.loads(te.levels_json or "{}") if te is not None else {}


def delete_term_evaluation(s: Session, evaluation_id: str) -> None:
    te = get_live(s, TermEvaluation, evaluation_id, "终结性评价", "term evaluation", "evaluation_id")
    te.deleted = True
    s.flush()


__all__ = ["record_process_evaluation", "update_process_evaluation", "evaluation_fields", "set_grid_level",
           "delete_process_evaluation", "list_process_evaluations", "save_term_evaluation", "get_term_evaluation",
           "term_evaluation_levels", "delete_term_evaluation", "may_write_term_evaluation", "require_term_evaluation_writer"]
