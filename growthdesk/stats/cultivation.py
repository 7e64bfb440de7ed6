"""The cultivation list (培养名单): students with strong innovation profiles, by transparent,
configurable rules. Every student listed shows which rules put them there.

It is for cultivation programmes only, never for admission: competition results may not be a
basis for admission (DESIGN §4), and every UI, PDF and Excel output carries ``NOTICE``.

Rules are plain data (a dataclass, or JSON ``{"rules": [...]}``), so the district can read and
change them. Kinds:

* ``award``: an award at ``min_level`` or higher (国际 > 国家 > 省 > 市 > 区 > 校), optionally only
  in ``disciplines`` (the competition catalog's discipline), not rejected at verification;
* ``project``: member of an innovation project whose status is in ``statuses``;
* ``top_score``: term score in ``dimension`` within the top ``top_percent`` % of the population
  in the term (the filter's term, or the latest evaluated term): at or above the score of the
  student ranked ⌈n × top_percent / 100⌉, so ties at the threshold are all in.

Awards and projects count over the whole history of the person (every school they were in);
the list shows the persons in the filtered population.
"""

from __future__ import annotations

import contextlib
import gc
import json
from dataclasses import asdict, dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import (Competition, CompetitionResult, CompetitionResultMember, InnovationProject, ProjectMember,
                      School, SchoolClass, Student)
from ..models.enums import AWARDS, LEVEL_ORDER, LEVELS, PROJECT_STATUSES, SCHOOL_CATEGORIES, STAGES, label
from .filters import Filters
from .queries import in_term, latest_evaluated_term, person_expr, population_query
from .scoring import dimension_label, load_rubric, term_scores

NOTICE = "用于培养计划，不作为升学录取依据"
NOTICE_EN = "For cultivation programmes, not for admission decisions"
KINDS = ("award", "project", "top_score")


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    label_zh: str
    label_en: str = ""
    min_level: str = "provincial"
    disciplines: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ("concluded",)
    dimension: str = "innovation"
    top_percent: float = 10.0

    def describe(self) -> str:
        """The rule in words, for the list's legend."""
        if self.kind == "award":
            where = "（" + "、".join(self.disciplines) + "）" if self.disciplines else ""
            return f"{label(LEVELS, self.min_level)}及以上竞赛获奖{where}"
        if self.kind == "project":
            where = "（" + "、".join(self.disciplines) + "）" if self.disciplines else ""
            return "参与科创项目" + where + "，状态为" + "或".join(label(PROJECT_STATUSES, s) for s in self.statuses)
        from ..services.rubric import default_rubric
        return f"{dimension_label(default_rubric(), self.dimension)}学期评分位于前 {self.top_percent:g}%"


DEFAULT_RULES = (
    Rule("provincial_award", "award", "省级及以上竞赛获奖", "Provincial-level award or better"),
    Rule("concluded_project", "project", "完成（结题）科创项目", "Concluded innovation project"),
    Rule("innovation_top10", "top_score", "创新能力评分前 10%", "Innovation score in the top 10 %"),
)


def _bad(zh: str, en: str, value=None, row: int | None = None) -> ValidationError:
    return ValidationError(f"培养名单规则有误：{zh}", f"invalid cultivation rule: {en}", field="rules",
                           value=value, row=row)


def check_rule(rule: Rule, row: int | None = None) -> Rule:
    if not rule.code:
        raise _bad("缺少规则代码 code", "missing code", row=row)
    if rule.kind not in KINDS:
        raise _bad(f"未知的规则类型 {rule.kind}；可选：{'、'.join(KINDS)}", f"unknown kind {rule.kind!r}; valid: {', '.join(KINDS)}",
                   rule.kind, row)
    if rule.min_level not in LEVELS:
        raise _bad(f"未知的竞赛级别 {rule.min_level}", f"unknown level {rule.min_level!r}", rule.min_level, row)
    bad = [s for s in rule.statuses if s not in PROJECT_STATUSES]
    if bad:
        raise _bad(f"未知的项目状态 {bad[0]}", f"unknown project status {bad[0]!r}", bad[0], row)
    if not 0 < rule.top_percent <= 100:
        raise _bad("前百分比应在 0–100 之间", "top_percent must be within (0, 100]", rule.top_percent, row)
    return rule


def rules_from_json(text_or_dict) -> tuple[Rule, ...]:
    """Rules from ``{"rules": [{"code", "kind", "label_zh", …}]}`` (or the list itself)."""
    doc = json.loads(text_or_dict) if isinstance(text_or_dict, str) else text_or_dict
    items = doc.get("rules") if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not items:
        raise _bad("应为非空的规则列表", "expected a non-empty list of rules")
    rules = []
    known = set(Rule.__dataclass_fields__)
    for i, item in enumerate(items, start=1):
        unknown = set(item) - known
        if unknown:
            raise _bad(f"第 {i} 条规则有未知字段 {sorted(unknown)}", f"rule {i} has unknown fields {sorted(unknown)}", row=i)
        item = {k: tuple(v) if isinstance(v, list) else v for k, v in item.items()}
        try:
            rules.append(check_rule(Rule(**item), row=i))
        except TypeError as exc:
            raise _bad(f"第 {i} 条规则缺少字段：{exc}", f"rule {i} is incomplete: {exc}", row=i) from None
    return tuple(rules)


def rules_to_json(rules=DEFAULT_RULES) -> str:
    return json.dumps({"rules": [asdict(r) for r in rules]}, ensure_ascii=False, indent=2)


# The list on a large district: ~150k students in the population and half of them on the list
# with the default rules. So the population is read once (``_people``), each rule is one query
# over the whole district (no population CTE inside it: that cost a population pass per rule)
# whose persons are kept when in the population, and rows come as plain tuples (``_rows``).

def _rows(session: Session, stmt) -> list[tuple]:
    """The rows as the DBAPI returns them: building SQLAlchemy Row objects for ~10^5 rows cost a
    third of the list's time. Only text and numbers are read this way (no result types to apply)."""
    result = session.execute(stmt)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


NARROW = 2000   # a population this small (one school) is looked up person by person
CHUNK = 500


def _hit_rows(session: Session, q, people: dict) -> list[tuple]:
    """The rows of a rule's query (its first column the person). For a small population (a school's
    programme) only the population's persons' student rows are read, through the person-key and id
    indexes, rather than every award or project of the district (400 ms → tens on a large one);
    every row of a person, at whichever school, still counts."""
    if len(people) > NARROW:
        return _rows(session, q)
    s_ = Student.__table__
    persons, out = list(people), []
    for i in range(0, len(persons), CHUNK):
        chunk = persons[i:i + CHUNK]
        out.extend(_rows(session, q.where(or_(s_.c.person_key.in_(chunk), s_.c.id.in_(chunk)))))
    return out


def _award_hits(session: Session, rule: Rule, people: dict) -> dict[str, str]:
    r, m, c, s_ = (CompetitionResult.__table__, CompetitionResultMember.__table__, Competition.__table__,
                   Student.__table__)
    levels = LEVEL_ORDER[:LEVEL_ORDER.index(rule.min_level) + 1]
    q = (select(person_expr(), r.c.level, r.c.award, c.c.name)
         .select_from(m.join(r, r.c.id == m.c.result_id).join(c, c.c.id == r.c.competition_id)
                      .join(s_, s_.c.id == m.c.student_id))
         .where(~m.c.deleted, ~r.c.deleted, ~s_.c.deleted, r.c.verification != "rejected", r.c.state == "approved",
                r.c.level.in_(levels)))
    if rule.disciplines:
        # As an IN list of the (few) competitions of those disciplines: the planner then seeks the
        # results by competition (a few hundred) instead of every result at the level (a tenth of
        # the district's; 200 ms of a programme's 500 on a large district).
        q = q.where(r.c.competition_id.in_(select(c.c.id).where(c.c.discipline.in_(list(rule.disciplines)))))
    awards = list(AWARDS)
    best: dict[str, tuple] = {}
    for person, level, award, name in _hit_rows(session, q, people):
        if person in people:
            rank = (LEVEL_ORDER.index(level), awards.index(award), name)
            if person not in best or rank < best[person]:
                best[person] = rank
    return {p: f"{label(LEVELS, LEVEL_ORDER[lv])}{label(AWARDS, awards[aw])}·{name}"
            for p, (lv, aw, name) in best.items()}


def _project_hits(session: Session, rule: Rule, people: dict) -> dict[str, str]:
    p, pm, s_ = InnovationProject.__table__, ProjectMember.__table__, Student.__table__
    q = (select(person_expr(), p.c.title, p.c.status)
         .select_from(pm.join(p, p.c.id == pm.c.project_id).join(s_, s_.c.id == pm.c.student_id))
         .where(~pm.c.deleted, ~p.c.deleted, ~s_.c.deleted, p.c.state == "approved", p.c.status.in_(list(rule.statuses)))
         .order_by(p.c.start_date, p.c.id))
    if rule.disciplines:  # personalised: only projects in the rule's disciplines
        q = q.where(p.c.discipline.in_(list(rule.disciplines)))
    out: dict[str, str] = {}
    statuses = {code: label(PROJECT_STATUSES, code) for code in PROJECT_STATUSES}
    for person, title, status in _hit_rows(session, q, people):
        if person in people and person not in out:
            out[person] = f"《{title}》{statuses.get(status, status)}"
    return out


def _top_score_hits(session: Session, rule: Rule, students: dict, rubric, term: str | None,
                    f: Filters) -> dict[str, str]:
    """``students``: student id -> person, the term's population (the filters applied)."""
    if not term:
        return {}
    scores: dict[str, float] = {}
    get, best = students.get, scores.get
    low = float("-inf")
    for student_id, score in _rows(session, _score_query(session, rule, rubric, term, f)):
        person = get(student_id)
        if person is not None and score > best(person, low):
            scores[person] = float(score)
    if not scores:
        return {}
    threshold = top_cut(list(scores.values()), rule.top_percent)
    if threshold is None:
        return {}
    name = dimension_label(rubric, rule.dimension)
    n, k = len(scores), sum(1 for v in scores.values() if v >= threshold - 1e-9)
    when = _term_text(term)
    return {p: f"{name} {v:.1f}（{when}前 {rule.top_percent:g}%：{k}/{n} 人，线 {threshold:.1f}）"
            for p, v in scores.items() if v >= threshold - 1e-9}


def _score_query(session: Session, rule: Rule, rubric, term: str, f: Filters):
    """(student_id, score) of the term's students in the rule's dimension: from the summary's
    stored term scores when they are up to date (one index range of a small table), else
    computed from the evaluations (the same numbers: the tests compare both ways)."""
    from .summary import SCORES, stored_scores_usable
    if stored_scores_usable(session, term, rule.dimension, rubric):
        q = select(SCORES.c.student_id, SCORES.c.score).where(SCORES.c.term_code == term,
                                                               SCORES.c.dimension == rule.dimension)
        if f.stage:
            q = q.where(SCORES.c.stage == f.stage)
        if f.school:
            q = q.where(SCORES.c.school_code == f.school)
        if f.category:
            sc = School.__table__
            q = q.where(SCORES.c.school_code.in_(select(sc.c.code).where(sc.c.category == f.category)))
        return q
    # The whole district's scores of the term are one index range; a stage, category or school
    # filter leaves few students, whose scores are cheaper to seek one by one.
    narrow = population_query(f, term=term).cte("pop_top") if f.stage or f.category or f.school else None
    ts = term_scores(narrow, rubric, terms=[term], dimensions=[rule.dimension])
    return select(ts.c.student_id, ts.c.score).where(ts.c.score.isnot(None))


def top_cut(values: list[float], percent: float) -> float | None:
    """The lowest score still "in the top ``percent`` %", with ties kept together and the
    share as near the percentage as the ties allow: the cut goes at the boundary between
    groups of equal scores whose count is closest to n × percent / 100 (a tie prefers taking
    the group in). Levels are coarse (A = 95 for many pupils): taking a whole tie group that
    holds 40 % of the class would turn "top 10 %" into "top 40 %": when the top group is more
    than twice the target (and more than one pupil), nobody is in (None) if that is nearer. In
    a small population the best pupil (group) is always in, as before."""
    if not values:
        return None
    ranked = sorted(values, reverse=True)
    target = len(ranked) * percent / 100
    top_group = 1
    while top_group < len(ranked) and abs(ranked[top_group] - ranked[0]) <= 1e-9:
        top_group += 1
    nobody_allowed = top_group > max(2 * target, 1)
    best, best_gap, i = None, (target if nobody_allowed else float("inf")), 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and abs(ranked[j] - ranked[i]) <= 1e-9:
            j += 1  # ranked[i:j] is one tie group
        gap = abs(j - target)
        if gap <= best_gap:
            best, best_gap = ranked[i], gap
        elif j > target:
            break  # further groups only move away from the target
        i = j
    return best


def _term_text(code: str) -> str:
    from ..errors import GrowthDeskError
    from ..services.terms import term_label
    try:
        return term_label(code)
    except GrowthDeskError:
        return code


@contextlib.contextmanager
def _gc_paused():
    """The list allocates a few hundred thousand tuples and dicts that live until it returns; the
    cyclic collector would rescan them at every generation-2 pass (a third of the time on a large
    district). Nothing here makes reference cycles, so it pauses while the list is built."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cultivation_list(session: Session, f: Filters, rules=DEFAULT_RULES, *, with_ids: bool = False) -> dict:
    """{"notice", "term", "rules": [...], "students": [{person_key, name, school…, rules, reasons}]}.
    ``with_ids`` adds each row's ``student_id`` (the student row shown; a programme nominates it)."""
    with _gc_paused():
        return _cultivation_list(session, f, tuple(check_rule(r) for r in rules), with_ids)


def _cultivation_list(session: Session, f: Filters, rules: tuple[Rule, ...], with_ids: bool = False) -> dict:
    rubric = load_rubric(session)
    term = f.term or latest_evaluated_term(session)
    # The top-score ranking's population is the term's (the latest one without a term filter).
    people, ranked_pop = _people(session, f, term if any(r.kind == "top_score" for r in rules) else None)
    hits: dict[str, list[tuple[Rule, str]]] = {}
    for rule in rules:
        if rule.kind == "award":
            found = _award_hits(session, rule, people)
        elif rule.kind == "project":
            found = _project_hits(session, rule, people)
        else:
            found = _top_score_hits(session, rule, ranked_pop, rubric, term, f)
        for person, why in found.items():
            hits.setdefault(person, []).append((rule, why))
    students = _describe(session, people, hits, with_ids)
    return {"notice": NOTICE, "notice_en": NOTICE_EN, "term": term, "filters": f.as_dict(),
            "rules": [dict(asdict(r), description=r.describe()) for r in rules], "students": students}


def _people(session: Session, f: Filters, ranking_term: str | None) -> tuple[dict, dict]:
    """One pass over the population of ``f``: (person -> the row shown for them, student id ->
    person for the students in ``ranking_term``'s population).

    A person with rows in several schools is shown with the newest one (by class year, then id);
    chosen here rather than by ORDER BY, so the database does not sort the whole population. When
    the list's population is not the term's (no term filter), one column says who is in the term."""
    s_, cl = Student.__table__, SchoolClass.__table__
    flag = ranking_term is not None and ranking_term != f.term
    extra = [s_.c.name, func.coalesce(cl.c.school_year, 0)] + ([case((in_term(ranking_term), 1), else_=0)] if flag else [])
    q = population_query(f, *extra).outerjoin(cl, cl.c.id == s_.c.class_id)
    best: dict[str, tuple] = {}
    ranked: dict[str, str] = {}
    for row in _rows(session, q):
        sid, person, year = row[0], row[1], row[6]
        if not flag or row[7]:
            ranked[sid] = person
        shown = best.get(person)
        if shown is None or (year, sid) > (shown[6], shown[0]):
            best[person] = row
    return best, (ranked if ranking_term else {})


def _describe(session: Session, people: dict, hits, with_ids: bool = False) -> list[dict]:
    if not hits:
        return []
    schools = dict(session.execute(select(School.code, School.name)).all())
    categories = {code: label(SCHOOL_CATEGORIES, code) for code in SCHOOL_CATEGORIES}
    stages = {code: label(STAGES, code) for code in STAGES}
    combos: dict[tuple, tuple] = {}  # the same rules put many students on the list: label them once
    rows = []
    for person, found in hits.items():
        _sid, _, school, stage, category, name, *_ = people[person]
        rules = tuple(rule for rule, _ in found)
        combo = combos.get(rules)
        if combo is None:
            combo = combos[rules] = ([r.code for r in rules], [r.label_zh for r in rules],
                                     [f"{r.label_zh}：" for r in rules])
        rows.append({"person_key": person, "name": name, "school_code": school,
                     "school_name": schools.get(school, school), "category": category,
                     "category_zh": categories.get(category, category or ""), "stage": stage,
                     "stage_zh": stages.get(stage, stage), "rules": list(combo[0]), "rule_labels": list(combo[1]),
                     "reasons": [prefix + why for prefix, (_, why) in zip(combo[2], found)]})
        if with_ids:
            rows[-1]["student_id"] = _sid
    rows.sort(key=lambda r: (r["school_code"], r["name"], r["person_key"]))
    return rows
