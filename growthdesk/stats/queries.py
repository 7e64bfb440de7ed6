"""The district statistics, each a function ``(session, filters) -> list[dict]``.

Written with SQLAlchemy Core (no dialect-specific SQL) so the same statements run on SQLite and
PostgreSQL. Rules shared by every statistic:

* tombstones (``deleted``) are ignored everywhere, and so are rows hanging off a deleted student;
* the *population* is the students matching the filters; with a term filter, the students
  enrolled in that term's school year (an enrollment row for the year, or their class is of
  that year). Shares are taken over this population;
* an award is a competition result that was not rejected at verification; a result counts in a
  term by its ``term_code``; its winners are its (non-deleted) members in the population;
* a student "has a project" in a term when the project ran during the term (started before the
  term ended, not ended before it started); without a term filter, any project counts;
* term scores follow ``scoring.term_scores`` (roles averaged first, role-weighted, missing roles
  renormalised);
* the evaluation statistics (coverage, score distribution, value added) describe one term: the
  filter's, or the latest evaluated one; when fresh ``summary`` cells exist they answer instead
  (same rows, milliseconds on a large district).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import and_, case, distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from ..models import (Competition, CompetitionResult, CompetitionResultMember, Enrollment,
                      InnovationProject, ProcessEvaluation, ProjectMember, School, SchoolClass,
                      Student, Term)
from ..models.enums import AWARDS, LEVELS, SCHOOL_CATEGORIES
from ..services.terms import previous_term_code
from .filters import Filters
from .scoring import RubricInfo, dimension_label, load_rubric, term_scores

S = Student.__table__
SC = School.__table__
EN = Enrollment.__table__
CL = SchoolClass.__table__
R = CompetitionResult.__table__
RM = CompetitionResultMember.__table__
C = Competition.__table__
P = InnovationProject.__table__
PM = ProjectMember.__table__
E = ProcessEvaluation.__table__
T = Term.__table__

ROUND = 6  # floats are rounded so SQLite and PostgreSQL give identical rows


def num(value, digits: int = ROUND):
    """Plain Python numbers: PostgreSQL returns Decimal for SUM of integers."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return round(value, digits)
    return value


def share(part, whole) -> float:
    return round(part / whole, ROUND) if whole else 0.0


def term_year(code: str) -> int:
    return int(code[:4])


def person_expr():
    """One person across schools: the person key, or the row id when the key is missing."""
    return func.coalesce(func.nullif(S.c.person_key, ""), S.c.id)


def population(f: Filters, name: str = "pop", *, term: str | None = "filter"):
    """CTE (student_id, person, school_code, stage, category) of the students matching ``f``.

    ``term`` overrides the filter's term ("filter" = use ``f.term``, None = any term).
    """
    return population_query(f, term=term).cte(name)


def population_query(f: Filters, *extra, term: str | None = "filter"):
    """The SELECT behind ``population`` (plus ``extra`` columns of student or school), for a
    caller that reads the population's rows once instead of joining the CTE back to student."""
    term = f.term if term == "filter" else term
    q = (select(S.c.id.label("student_id"), person_expr().label("person"), S.c.school_code,
                S.c.stage, SC.c.category, *extra)
         .select_from(S.outerjoin(SC, SC.c.code == S.c.school_code))
         .where(~S.c.deleted))
    if f.stage:
        q = q.where(S.c.stage == f.stage)
    if f.category:
        q = q.where(SC.c.category == f.category)
    if f.school:
        q = q.where(S.c.school_code == f.school)
    if term:
        q = q.where(in_term(term))
    return q


def in_term(term: str):
    """A student is in a term's population: enrolled in its school year, or in a class of that year."""
    # Correlated EXISTS rather than IN (subquery): SQLite then scans the students once and probes
    # the (school_year, student_id) index per student, instead of looking up every enrolled id in
    # the student table (a third faster on a 150k-student district; PostgreSQL plans a semi-join).
    # Aliases, correlated to student only: a caller may join school_class itself.
    year = term_year(term)
    en, cl = EN.alias("en_term"), CL.alias("cl_term")
    enrolled = exists().where(en.c.student_id == S.c.id, en.c.school_year == year, ~en.c.deleted).correlate(S)
    in_class = exists().where(cl.c.id == S.c.class_id, cl.c.school_year == year, ~cl.c.deleted).correlate(S)
    return or_(enrolled, in_class)


def _award_base(f: Filters, pop):
    """FROM/WHERE of awards: result ⨝ member ⨝ population (+ competition), filters applied."""
    j = R.join(RM, and_(RM.c.result_id == R.c.id, ~RM.c.deleted)).join(pop, pop.c.student_id == RM.c.student_id)
    conds = [~R.c.deleted, R.c.verification != "rejected", R.c.state == "approved"]  # approved only (§4a)
    if f.term:
        conds.append(R.c.term_code == f.term)
    return j, conds


def _awards_grouped(session: Session, f: Filters, key, join_competition: bool = False) -> dict:
    pop = population(f)
    j, conds = _award_base(f, pop)
    if join_competition:
        j = j.join(C, C.c.id == R.c.competition_id)
    q = (select(key.label("key"), func.count(distinct(R.c.id)).label("results"),
                func.count(distinct(RM.c.student_id)).label("students"))
         .select_from(j).where(*conds).group_by(key))
    return {r.key: (num(r.results), num(r.students)) for r in session.execute(q)}


def awards_by_level(session: Session, f: Filters) -> list[dict]:
    """Awards (results) and award winners (students) per competition level, highest first."""
    got = _awards_grouped(session, f, R.c.level)
    return [{"level": code, "label_zh": zh, "label_en": en, "results": got.get(code, (0, 0))[0],
             "students": got.get(code, (0, 0))[1]} for code, (zh, en) in LEVELS.items()]


def awards_by_award(session: Session, f: Filters) -> list[dict]:
    """Awards and winners per award grade (特等奖, 一等奖, …) in the vocabulary's order."""
    got = _awards_grouped(session, f, R.c.award)
    return [{"award": code, "label_zh": zh, "label_en": en, "results": got.get(code, (0, 0))[0],
             "students": got.get(code, (0, 0))[1]} for code, (zh, en) in AWARDS.items()]


def awards_by_discipline(session: Session, f: Filters) -> list[dict]:
    """Awards and winners per discipline of the competition (catalog field), most awards first."""
    got = _awards_grouped(session, f, C.c.discipline, join_competition=True)
    rows = [{"discipline": key or "（未分类）", "results": v[0], "students": v[1]} for key, v in got.items()]
    return sorted(rows, key=lambda r: (-r["results"], r["discipline"]))


def award_share_by_category(session: Session, f: Filters) -> list[dict]:
    """Share of award winners from urban/town/rural schools against their share of students.

    ``ratio`` = winner share / student share: 1.0 means represented as in the population.
    """
    pop = population(f)
    students = dict(session.execute(select(pop.c.category, func.count()).group_by(pop.c.category)).all())
    j, conds = _award_base(f, pop)
    winners = dict(session.execute(select(pop.c.category, func.count(distinct(RM.c.student_id)))
                                   .select_from(j).where(*conds).group_by(pop.c.category)).all())
    total_s = sum(num(v) for k, v in students.items() if k)
    total_w = sum(num(v) for k, v in winners.items() if k)
    rows = []
    for code, (zh, en) in SCHOOL_CATEGORIES.items():
        n_s, n_w = num(students.get(code, 0)), num(winners.get(code, 0))
        s_share, w_share = share(n_s, total_s), share(n_w, total_w)
        rows.append({"category": code, "label_zh": zh, "label_en": en, "students": n_s,
                     "student_share": s_share, "winners": n_w, "winner_share": w_share,
                     "winner_rate": share(n_w, n_s),
                     "ratio": round(w_share / s_share, 4) if s_share else None})
    return rows


def _term_dates(session: Session, code: str):
    row = session.execute(select(T.c.start_date, T.c.end_date).where(T.c.code == code)).first()
    return (row.start_date, row.end_date) if row else (None, None)


def project_share_by_school(session: Session, f: Filters) -> list[dict]:
    """Per school: students, students in at least one innovation project, and their share."""
    pop = population(f)
    students = {r.school_code: num(r.n) for r in session.execute(
        select(pop.c.school_code, func.count().label("n")).group_by(pop.c.school_code))}
    conds = [~P.c.deleted, P.c.state == "approved"]
    if f.term:
        start, end = _term_dates(session, f.term)
        conds += [P.c.start_date <= end, or_(P.c.end_date.is_(None), P.c.end_date >= start)]
    j = (PM.join(P, P.c.id == PM.c.project_id).join(pop, pop.c.student_id == PM.c.student_id))
    q = (select(pop.c.school_code, func.count(distinct(PM.c.student_id)).label("n"))
         .select_from(j).where(~PM.c.deleted, *conds).group_by(pop.c.school_code))
    with_project = {r.school_code: num(r.n) for r in session.execute(q)}
    schools = {r.code: r for r in session.execute(select(SC.c.code, SC.c.name, SC.c.category))}
    rows = []
    for code in sorted(students):
        sch = schools.get(code)
        n, k = students[code], with_project.get(code, 0)
        rows.append({"school_code": code, "school_name": sch.name if sch else code,
                     "category": sch.category if sch else "",
                     "category_zh": SCHOOL_CATEGORIES.get(sch.category, (sch.category,))[0] if sch else "",
                     "students": n, "with_project": k,
                     "share": share(k, n)})
    return rows


def evaluation_term(session: Session, f: Filters) -> str | None:
    """The term the evaluation statistics describe: the filter's, or the latest evaluated one.

    Coverage and score distributions are per term by nature (a term score belongs to a term;
    "covered" means evaluated in the term), so "all terms" shows the latest term.
    """
    return f.term or latest_evaluated_term(session)


def coverage_cte(pop, term: str, rubric: RubricInfo, name: str = "coverage"):
    """Per student and dimension evaluated in ``term``: ``multi`` = more than one role.

    Coverage needs no score: "more than one role" is simply min(role) <> max(role), far cheaper
    than the term score's per-role pivot."""
    return (select(E.c.student_id, E.c.dimension,
                   (func.min(E.c.evaluator_role) != func.max(E.c.evaluator_role)).label("multi"))
            .where(~E.c.deleted, E.c.term_code == term, E.c.student_id.in_(select(pop.c.student_id)),
                   E.c.dimension.in_(rubric.dimension_codes))
            .group_by(E.c.term_code, E.c.student_id, E.c.dimension).cte(name))


def evaluation_coverage(session: Session, f: Filters, rubric: RubricInfo | None = None) -> list[dict]:
    """Per dimension: share of the population with process evaluations in it in the term, and
    the share evaluated by more than one evaluator role (多元主体评价)."""
    rubric = rubric or load_rubric(session)
    term = evaluation_term(session, f)
    cached = _from_summary(session, "coverage", f, term, rubric)
    if cached is not None:
        return cached
    pop = population(f, term=term)
    total = num(session.scalar(select(func.count()).select_from(pop)))
    got = {}
    if term:
        per = coverage_cte(pop, term, rubric)
        q = (select(per.c.dimension, func.count(), func.count(case((per.c.multi, 1), else_=None)))
             .group_by(per.c.dimension))
        got = {dim: (num(n), num(multi)) for dim, n, multi in session.execute(q)}
    return coverage_rows(rubric, term, total, got)


def coverage_rows(rubric: RubricInfo, term: str | None, total: int, got: dict) -> list[dict]:
    rows = []
    for code in rubric.dimension_codes:
        evaluated, multi = got.get(code, (0, 0))
        rows.append({"dimension": code, "label_zh": dimension_label(rubric, code, "zh_CN"),
                     "label_en": dimension_label(rubric, code, "en"), "term": term or "", "students": total,
                     "evaluated": evaluated, "share": share(evaluated, total),
                     "multi_role": multi, "multi_role_share": share(multi, total)})
    return rows


def _band_conditions(ts, rubric: RubricInfo) -> list:
    """(level code, condition) per rubric level, highest first: [min, next level's min)."""
    out, upper = [], None
    for level in rubric.levels:
        low = ts.c.score >= level.min if level is not rubric.levels[-1] else ts.c.score.isnot(None)
        out.append((level.code, low if upper is None else and_(low, ts.c.score < upper)))
        upper = level.min
    return out


def band_expr(ts, rubric: RubricInfo):
    """One CASE per row naming the score's band (rubric level)."""
    return case(*[(cond, level) for level, cond in _band_conditions(ts, rubric)], else_=None).label("band")


def add_band_cell(m: dict, dim: str, level: str, n, total, lo, hi) -> None:
    """Fold one (dimension, band) group into the distribution accumulator ``m``."""
    n, total = num(n), float(total)
    m[(dim, level)] = m.get((dim, level), 0) + n
    m[(dim, "n")] = m.get((dim, "n"), 0) + n
    m[(dim, "sum")] = m.get((dim, "sum"), 0.0) + total
    m[(dim, "min")] = min(float(lo), m.get((dim, "min"), float("inf")))
    m[(dim, "max")] = max(float(hi), m.get((dim, "max"), float("-inf")))


def score_distribution(session: Session, f: Filters, rubric: RubricInfo | None = None) -> list[dict]:
    """Per dimension: how the students' term scores in the term fall into the rubric's level
    bands (A/B/C/D by each level's ``min``), with mean, min and max."""
    rubric = rubric or load_rubric(session)
    term = evaluation_term(session, f)
    cached = _from_summary(session, "distribution", f, term, rubric)
    if cached is not None:
        return cached
    m: dict = {}
    if term:
        ts = term_scores(population(f, term=term), rubric, terms=[term])
        # GROUP BY (dimension, band) gives ≤ 28 groups whose counts, sums, minima and maxima
        # combine in Python (cheaper than a 56-column pivot).
        band = band_expr(ts, rubric)
        q = (select(ts.c.dimension, band, func.count(ts.c.score), func.sum(ts.c.score), func.min(ts.c.score),
                    func.max(ts.c.score)).where(ts.c.score.isnot(None)).group_by(ts.c.dimension, band))
        for dim, level, n, total, lo, hi in session.execute(q):
            add_band_cell(m, dim, level, n, total, lo, hi)
    return distribution_rows(rubric, term, m)


def distribution_rows(rubric: RubricInfo, term: str | None, m: dict) -> list[dict]:
    rows = []
    for code in rubric.dimension_codes:
        n = m.get((code, "n"), 0)
        row = {"dimension": code, "label_zh": dimension_label(rubric, code, "zh_CN"),
               "label_en": dimension_label(rubric, code, "en"), "term": term or "", "n": n,
               "mean": num(m[(code, "sum")] / n, 2) if n else None,
               "min": num(m.get((code, "min")), 2), "max": num(m.get((code, "max")), 2)}
        for level in rubric.levels:
            row[level.code] = m.get((code, level.code), 0)
        rows.append(row)
    return rows


def _from_summary(session: Session, kind: str, f: Filters, term: str | None, rubric: RubricInfo):
    """The statistic from the summary tables when they exist and are fresh for ``term``; else None."""
    if not term:
        return None
    from .summary import lookup
    return lookup(session, kind, f, term, rubric)


def term_codes_desc(session: Session) -> list[str]:
    return list(session.scalars(select(T.c.code).order_by(T.c.code.desc())))


def term_has_evaluations(session: Session, code: str) -> bool:
    """One index probe: is there any live process evaluation in the term?"""
    return session.scalar(select(E.c.id).where(E.c.term_code == code, ~E.c.deleted).limit(1)) is not None


def latest_evaluated_term(session: Session) -> str | None:
    """The newest term that has any process evaluation, newest first."""
    return next((code for code in term_codes_desc(session) if term_has_evaluations(session, code)), None)


def value_added_terms(session: Session, f: Filters) -> tuple[str | None, str | None]:
    """(from, to): the filter's term and the one before it, or the two latest evaluated terms."""
    to = evaluation_term(session, f)
    return (previous_term_code(to) if to else None), to


def value_added_pairs(pop, rubric: RubricInfo, before: str, after: str):
    """(a, b, join): term scores of ``before`` (any record of the same persons) and ``after``
    (the students of ``pop``) paired by person and dimension."""
    earlier = (select(S.c.id.label("student_id"), person_expr().label("person"))
               .where(~S.c.deleted, person_expr().in_(select(pop.c.person))).cte("pop_from"))
    a = term_scores(earlier, rubric, terms=[before], name="ts_a", materialized=True, with_person=True)
    b = term_scores(pop, rubric, terms=[after], name="ts_b", materialized=True, with_person=True)
    join = a.join(b, and_(b.c.person == a.c.person, b.c.dimension == a.c.dimension))
    return a, b, join


def value_added_aggregates(a, b):
    """count, Σ earlier, Σ later, improved, declined over the pairs with both scores."""
    both = and_(a.c.score.isnot(None), b.c.score.isnot(None))
    diff, eps = b.c.score - a.c.score, 1e-9
    return [func.count(case((both, 1), else_=None)), func.sum(case((both, a.c.score), else_=None)),
            func.sum(case((both, b.c.score), else_=None)),
            func.count(case((and_(both, diff > eps), 1), else_=None)),
            func.count(case((and_(both, diff < -eps), 1), else_=None))]


def add_va_cell(got: dict, dim: str, n, sum_from, sum_to, improved, declined) -> None:
    for key, value in (("n", n), ("sum_from", sum_from), ("sum_to", sum_to), ("improved", improved),
                       ("declined", declined)):
        got[(dim, key)] = got.get((dim, key), 0) + (num(value) or 0)


def value_added(session: Session, f: Filters, rubric: RubricInfo | None = None) -> list[dict]:
    """增值性评价: change of each person's dimension term score from the previous term to the
    term. Persons are matched by person key, so a student who moved school is followed. The
    filters choose the students by their record in the later term; the earlier score may come
    from any school or stage (a junior-school filter still counts a mover's primary-school term)."""
    rubric = rubric or load_rubric(session)
    before, after = value_added_terms(session, f)
    got: dict = {}
    if before and after:
        cached = _from_summary(session, "value_added", f, after, rubric)
        if cached is not None:
            return cached
        a, b, join = value_added_pairs(population(f, term=None), rubric, before, after)
        q = select(a.c.dimension, *value_added_aggregates(a, b)).select_from(join).group_by(a.c.dimension)
        for dim, *values in session.execute(q):
            add_va_cell(got, dim, *values)
    return value_added_rows(rubric, before, after, got)


def value_added_rows(rubric: RubricInfo, before: str | None, after: str | None, got: dict) -> list[dict]:
    rows = []
    for code in rubric.dimension_codes:
        n = got.get((code, "n"), 0)
        improved, declined = got.get((code, "improved"), 0), got.get((code, "declined"), 0)
        mean_from = got[(code, "sum_from")] / n if n else None
        mean_to = got[(code, "sum_to")] / n if n else None
        rows.append({"dimension": code, "label_zh": dimension_label(rubric, code, "zh_CN"),
                     "label_en": dimension_label(rubric, code, "en"), "from_term": before or "", "to_term": after or "",
                     "from_term_zh": _term_text(before), "from_term_en": _term_text(before, "en"),
                     "to_term_zh": _term_text(after), "to_term_en": _term_text(after, "en"),
                     "n": n, "mean_from": num(mean_from, 2), "mean_to": num(mean_to, 2),
                     "mean_change": num(mean_to - mean_from, 2) if n else None, "improved": improved,
                     "unchanged": n - improved - declined, "declined": declined})
    return rows


STATISTICS = {
    "awards_by_level": awards_by_level,
    "awards_by_discipline": awards_by_discipline,
    "awards_by_award": awards_by_award,
    "award_share_by_category": award_share_by_category,
    "project_share_by_school": project_share_by_school,
    "evaluation_coverage": evaluation_coverage,
    "score_distribution": score_distribution,
    "value_added": value_added,
}


def _term_text(code: str | None, lang: str = "zh_CN") -> str:
    """2025—2026学年第一学期 (what a person reads) for a term code; '' for none."""
    if not code:
        return ""
    from ..errors import GrowthDeskError
    from ..services.terms import term_label
    try:
        return term_label(code, lang)
    except GrowthDeskError:  # a malformed code shows as it is
        return code
