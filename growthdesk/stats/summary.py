"""Summary tables for the evaluation statistics on a large district (kept fresh by bundle import).

Coverage, score distributions and value added read every process evaluation of a term: on a
200-school, 10-million-row district that is 1.5 million rows and several seconds on SQLite,
whatever the indexes. All three are sums over disjoint groups of students, so they can be
kept per cell (term, school, stage, dimension) and any filter (term, stage, school category,
school) answered by adding up a few hundred cells.

``refresh(session)`` computes the cells of every evaluated term (or of ``terms``) with the
same SQL as the on-the-fly statistics, grouped by school and stage, and records a
*fingerprint* of the data it saw (the database's change counter, the newest import log row
and the rubric). ``lookup`` answers from the cells only while that fingerprint still holds,
so a bundle imported later never gives stale numbers: the statistic is computed on the fly
until the next refresh. Tests check that both ways give the same rows.

The tables are part of the schema (``models.stats``, migration 0003). A bundle import refreshes
them right after it commits (``refresh_after_import``), so the statistics use them by default.

With the cells, ``refresh`` keeps every student's term score in the *ranked* dimensions (those a
"top n %" cultivation rule looks at: the default rules' and the live programmes'), in
``stats_summary_score`` (migration 0012_programmes2). The candidates of a programme rank a stage
or a school from it. Its own fingerprint (``scores_fingerprint``) covers only what a term score
reads (evaluations, students, enrollments, classes, imports, the rubric), so nominating or
deciding at the district does not send the candidates back to computing every term score.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.orm import Session

from ..models import (Enrollment, ImportLog, ProcessEvaluation, SchoolClass, Setting, Student, SummaryCell,
                      SummaryScore, SummaryState, utcnow)
from ..services.terms import previous_term_code
from . import queries as q
from .filters import Filters
from .scoring import RubricInfo, load_rubric, term_scores

CELLS = SummaryCell.__table__
STATE = SummaryState.__table__
SCORES = SummaryScore.__table__
# What a stored term score was computed from (besides imports and the rubric).
SCORE_SOURCES = (ProcessEvaluation.__table__, Student.__table__, Enrollment.__table__, SchoolClass.__table__)
POPULATION = "*"  # the dimension key of the row holding the term population of a school and stage
IMPORTED = "imported"


def _marks(session: Session) -> tuple[int, int]:
    """(change counter, newest *imported* bundle's log row): a duplicate or rejected bundle's log
    row changes no data, so it leaves the cells fresh."""
    usn = session.scalar(select(Setting.value).where(Setting.key == "usn")) or "0"
    return int(usn), session.scalar(select(func.max(ImportLog.id)).where(ImportLog.result == IMPORTED)) or 0


def fingerprint(session: Session, rubric: RubricInfo) -> str:
    """What the cells were computed from: change counter, newest import, rubric."""
    usn, last_import = _marks(session)
    doc = json.dumps(rubric.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{usn}|{last_import}|{doc}".encode()).hexdigest()


def scores_fingerprint(session: Session, rubric: RubricInfo) -> str:
    """What the stored term scores depend on: the newest change (usn, indexed) of each table a
    term score reads, the newest import and the rubric. Any write to those tables stamps a new
    usn, including a tombstone, so a changed score can never be read from the store."""
    marks = [session.scalar(select(func.max(t.c.usn))) or 0 for t in SCORE_SOURCES]
    _, last_import = _marks(session)
    doc = json.dumps(rubric.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{marks}|{last_import}|{doc}".encode()).hexdigest()


def ranked_dimensions(session: Session) -> list[str]:
    """The dimensions some "top n %" rule ranks: the default cultivation rules' and those of the
    live programmes (their own rules, or the defaults)."""
    from ..models import Programme
    from ..services.programmes import programme_rules
    from .cultivation import DEFAULT_RULES
    rules = list(DEFAULT_RULES)
    for p in session.scalars(select(Programme).where(Programme.deleted.is_(False))):
        try:
            rules.extend(programme_rules(p))
        except Exception:  # noqa: BLE001 - a programme with unreadable rules ranks nothing (its view says why)
            continue
    return sorted({r.dimension for r in rules if r.kind == "top_score"})


def stored_scores_usable(session: Session, term: str, dimension: str, rubric: RubricInfo) -> bool:
    """Whether ``stats_summary_score`` holds this term's scores in ``dimension``, computed from
    the data as it is now."""
    row = session.execute(select(STATE.c.scores_fingerprint, STATE.c.score_dims)
                          .where(STATE.c.term_code == term)).first()
    if row is None or not row.scores_fingerprint or dimension not in row.score_dims.split("、"):
        return False
    return row.scores_fingerprint == scores_fingerprint(session, rubric)


def state_of(session: Session, term: str, rubric: RubricInfo) -> str:
    """"fresh" (the cells answer), "stale" (built from older data) or "absent" (never built)."""
    stored = session.scalar(select(STATE.c.fingerprint).where(STATE.c.term_code == term))
    if stored is None:
        return "absent"
    return "fresh" if stored == fingerprint(session, rubric) else "stale"


def is_fresh(session: Session, term: str, rubric: RubricInfo) -> bool:
    return state_of(session, term, rubric) == "fresh"


# ---------------------------------------------------------------- building

def evaluated_terms(session: Session) -> list[str]:
    return [t for t in q.term_codes_desc(session) if q.term_has_evaluations(session, t)]


class Interrupted(Exception):
    """The build was cancelled (``cancel`` was set). The terms finished before stay built
    (``build`` commits each term on its own); the interrupted term is rolled back and its
    statistics are computed on the fly until the next build."""

    def __init__(self, done: list[str]) -> None:
        super().__init__(f"summary build interrupted after {len(done)} term(s)")
        self.done = done


STEPS = ("population", "coverage", "distribution", "value_added")  # one progress step each, per term


def refresh(session: Session, terms: Iterable[str] | None = None, progress=None, force: bool = False,
            cancel=None) -> list[str]:
    """Bring the cells of ``terms`` (default: every term with evaluations) up to date; returns
    the terms that needed work.

    When only bundle imports happened since a term was built (the change counter moved no more
    than once per imported bundle, the rubric is the same), only the importing schools are
    recomputed, with the schools that share persons with them (their value added reads the
    movers' earlier scores): seconds instead of minutes on a large district. Anything else, or
    ``force``, recomputes the whole term.

    ``progress(done, total, term)`` is called before each step (``STEPS`` per term and school
    group), ``total`` being every step of the refresh; ``cancel`` (anything with ``is_set()``,
    e.g. a ``threading.Event``) is looked at before each step and raises ``Interrupted``:
    nothing of the unfinished term is kept, the caller's transaction decides about the rest
    (``build`` commits term by term).
    """
    rubric = load_rubric(session)
    plan = _plan(session, terms, force, rubric)
    done: list[str] = []
    for _ in _run_plan(session, plan, rubric, progress, cancel, done):
        pass
    return done


def _plan(session: Session, terms, force: bool, rubric: RubricInfo) -> list[tuple[str, list[str] | None]]:
    terms = list(terms) if terms is not None else evaluated_terms(session)
    if not force:
        terms = [t for t in terms if not is_fresh(session, t, rubric)]
    usn, _import_id = _marks(session)
    return [(t, None if force else _changed_schools(session, t, rubric, usn)) for t in terms]


def _run_plan(session: Session, plan, rubric: RubricInfo, progress, cancel, done: list[str], final: bool = True):
    """Build each planned term in ``session``; yields after each term is stored."""
    mark, (usn, import_id) = fingerprint(session, rubric), _marks(session)
    # (a rule may name a dimension the rubric lacks: it is ranked live, as before)
    dims = [d for d in ranked_dimensions(session) if d in rubric.dimension_codes] if plan else []
    score_mark = scores_fingerprint(session, rubric) if plan else ""
    total = sum(len(STEPS) * (len(schools) if schools else 1) for _t, schools in plan)
    counter = [0]

    def step(term: str) -> None:
        if cancel is not None and cancel.is_set():
            raise Interrupted(list(done))
        if progress:
            progress(counter[0], total, term)
        counter[0] += 1

    for term, schools in plan:
        _store(session, term, _cells(session, term, rubric, schools, step=lambda: step(term)), schools)
        had = session.scalar(select(STATE.c.score_dims).where(STATE.c.term_code == term))
        # The scores of the changed schools only, when the same dimensions were kept before.
        _store_scores(session, term, rubric, dims, schools if had == "、".join(dims) else None)
        session.execute(delete(STATE).where(STATE.c.term_code == term))
        session.execute(insert(STATE).values(term_code=term, fingerprint=mark, built_at=utcnow(), usn=usn,
                                             import_id=import_id, scores_fingerprint=score_mark,
                                             score_dims="、".join(dims)))
        done.append(term)
        yield term, schools
    if progress and final:
        progress(total, total, "")


def build(db, *, user: str = "", terms: Iterable[str] | None = None, force: bool = False, progress=None,
          cancel=None) -> list[str]:
    """``refresh`` for a person waiting on it (the district window's first build can take
    minutes on a large district): each term in a transaction of its own, so an interruption
    (``cancel`` set: ``Interrupted``) keeps the terms already built, and the others are
    computed on the fly until the next build. ``progress(done, total, term)`` counts the steps
    of the whole build. Returns the terms built."""
    with db.session(user=user) as s:
        plan = _plan(s, terms, force, load_rubric(s))
    sizes = [len(STEPS) * (len(schools) if schools else 1) for _t, schools in plan]
    total = sum(sizes)
    done: list[str] = []
    for n, item in enumerate(plan):
        offset = sum(sizes[:n])
        each = (lambda d, _t, term, o=offset: progress(min(o + d, total), total, term)) if progress else None
        with db.session(user=user) as s:
            for _ in _run_plan(s, [item], load_rubric(s), each, cancel, done, final=False):
                pass
    if progress:
        progress(total, total, "")
    return done


def _store_scores(session: Session, term: str, rubric: RubricInfo, dims: list[str], schools: list[str] | None) -> None:
    """Every term-population student's term score of ``term`` in ``dims`` (of ``schools``, or all)."""
    stmt = delete(SCORES).where(SCORES.c.term_code == term)
    if schools is not None:
        stmt = stmt.where(SCORES.c.school_code.in_(schools))
    session.execute(stmt)
    if not dims:
        return
    for school in (schools if schools is not None else [None]):
        pop = q.population(Filters(term=term, school=school), name="pop_scores")
        ts = term_scores(pop, rubric, terms=[term], dimensions=dims, name="ts_scores")
        rows = (select(ts.c.term_code, ts.c.dimension, pop.c.stage, pop.c.school_code, ts.c.student_id, ts.c.score)
                .select_from(ts.join(pop, pop.c.student_id == ts.c.student_id)).where(ts.c.score.isnot(None)))
        session.execute(insert(SCORES).from_select(["term_code", "dimension", "stage", "school_code", "student_id",
                                                    "score"], rows))


def refresh_after_import(db, user: str = "") -> list[str] | None:
    """Called by ``sync.import_bundles`` right after bundles were imported (committed): bring the
    cells up to date, incrementally (the importing schools). Returns the refreshed terms, or None
    when the refresh failed: the bundles stay imported and the statistics are computed on the fly
    (stale cells are never used) until the next refresh succeeds.

    A transaction of its own rather than the import's: a problem in this cache must never reject
    a valid bundle, and the import's write lock is not held while the cells are computed."""
    try:
        with db.session(user=user) as s:
            return refresh(s)
    except Exception:  # noqa: BLE001 - whatever broke the cache (a busy database, a damaged rubric
        return None    # document), the bundles are in; the statistics are computed live meanwhile


def _changed_schools(session: Session, term: str, rubric: RubricInfo, usn: int) -> list[str] | None:
    """Schools to recompute incrementally, or None for the whole term."""
    state = session.execute(select(STATE).where(STATE.c.term_code == term)).first()
    if state is None:
        return None
    doc = json.dumps(rubric.to_dict(), sort_keys=True, ensure_ascii=False)
    if hashlib.sha256(f"{state.usn}|{state.import_id}|{doc}".encode()).hexdigest() != state.fingerprint:
        return None  # the rubric changed
    log = ImportLog.__table__
    imported = [r.school_code for r in session.execute(
        select(log.c.school_code).where(log.c.id > state.import_id, log.c.result == IMPORTED))]
    if usn - state.usn > len(imported):
        return None  # changes that no import explains (edits in the district database)
    st = Student.__table__
    keys = select(st.c.person_key).where(st.c.school_code.in_(set(imported)), st.c.person_key != "")
    sharing = session.scalars(select(st.c.school_code).where(st.c.person_key.in_(keys)).distinct())
    return sorted(set(imported) | set(sharing))


def _store(session: Session, term: str, cells: dict, schools: list[str] | None) -> None:
    stmt = delete(CELLS).where(CELLS.c.term_code == term)
    if schools is not None:
        stmt = stmt.where(CELLS.c.school_code.in_(schools))
    session.execute(stmt)
    if cells:
        session.execute(insert(CELLS), [dict(c, term_code=term) for c in cells.values()])


def _cell(cells: dict, school: str, stage: str, dim: str) -> dict:
    key = (school, stage, dim)
    if key not in cells:
        cells[key] = {"school_code": school, "stage": stage, "dimension": dim, "students": 0, "evaluated": 0,
                      "multi_role": 0, "bands": {}, "va_n": 0, "va_sum_from": 0.0, "va_sum_to": 0.0,
                      "va_improved": 0, "va_declined": 0}
    return cells[key]


def _cells(session: Session, term: str, rubric: RubricInfo, schools: list[str] | None = None, step=None) -> dict:
    """Cells of the whole term, or of ``schools`` only (one school at a time: each is small).
    ``step()`` is called before each of the ``STEPS`` (it may raise to stop)."""
    if schools is not None:
        cells: dict = {}
        for school in schools:
            cells.update(_cells_for(session, term, rubric, school, step))
        return cells
    return _cells_for(session, term, rubric, None, step)


def _cells_for(session: Session, term: str, rubric: RubricInfo, school: str | None, step=None) -> dict:
    step = step or (lambda: None)
    cells: dict = {}
    step()
    pop = q.population(Filters(term=term, school=school))
    for code, stage, n in session.execute(select(pop.c.school_code, pop.c.stage, func.count())
                                            .group_by(pop.c.school_code, pop.c.stage)):
        _cell(cells, code, stage, POPULATION)["students"] = q.num(n)
    step()
    per = q.coverage_cte(pop, term, rubric)
    cov = (select(pop.c.school_code, pop.c.stage, per.c.dimension, func.count(),
                  func.count(case((per.c.multi, 1), else_=None)))
           .select_from(per.join(pop, pop.c.student_id == per.c.student_id))
           .group_by(pop.c.school_code, pop.c.stage, per.c.dimension))
    for code, stage, dim, n, multi in session.execute(cov):
        c = _cell(cells, code, stage, dim)
        c["evaluated"], c["multi_role"] = q.num(n), q.num(multi)
    step()
    ts = term_scores(pop, rubric, terms=[term])
    band = q.band_expr(ts, rubric)
    dist = (select(pop.c.school_code, pop.c.stage, ts.c.dimension, band, func.count(ts.c.score), func.sum(ts.c.score),
                   func.min(ts.c.score), func.max(ts.c.score))
            .select_from(ts.join(pop, pop.c.student_id == ts.c.student_id)).where(ts.c.score.isnot(None))
            .group_by(pop.c.school_code, pop.c.stage, ts.c.dimension, band))
    for code, stage, dim, level, n, total, lo, hi in session.execute(dist):
        _cell(cells, code, stage, dim)["bands"][level] = [q.num(n), float(total), float(lo), float(hi)]
    step()
    _value_added_cells(session, term, rubric, cells, school)
    for c in cells.values():
        c["bands_json"] = json.dumps(c.pop("bands"), sort_keys=True)
    return cells


def _value_added_cells(session: Session, term: str, rubric: RubricInfo, cells: dict, school: str | None) -> None:
    """Pairs (previous term → ``term``) per person, counted in the later record's school/stage;
    the earlier record may be in any school."""
    everyone = q.population(Filters(school=school), term=None)
    a, b, join = q.value_added_pairs(everyone, rubric, previous_term_code(term), term)
    later = everyone.alias("later")
    stmt = (select(later.c.school_code, later.c.stage, a.c.dimension, *q.value_added_aggregates(a, b))
            .select_from(join.join(later, later.c.student_id == b.c.student_id))
            .group_by(later.c.school_code, later.c.stage, a.c.dimension))
    for code, stage, dim, n, s_from, s_to, up, down in session.execute(stmt):
        c = _cell(cells, code, stage, dim)
        c["va_n"], c["va_sum_from"], c["va_sum_to"] = q.num(n), float(s_from or 0), float(s_to or 0)
        c["va_improved"], c["va_declined"] = q.num(up), q.num(down)


# ---------------------------------------------------------------- answering

def _selected_cells(session: Session, f: Filters, term: str):
    from ..models import School

    sc = School.__table__
    stmt = select(CELLS).select_from(CELLS.outerjoin(sc, sc.c.code == CELLS.c.school_code)) \
        .where(CELLS.c.term_code == term)
    if f.school:
        stmt = stmt.where(CELLS.c.school_code == f.school)
    if f.stage:
        stmt = stmt.where(CELLS.c.stage == f.stage)
    if f.category:
        stmt = stmt.where(sc.c.category == f.category)
    return list(session.execute(stmt))


def lookup(session: Session, kind: str, f: Filters, term: str, rubric: RubricInfo):
    """Rows of statistic ``kind`` (coverage | distribution | value_added) from fresh cells, or None."""
    if not is_fresh(session, term, rubric):
        return None
    cells = _selected_cells(session, f, term)
    if kind == "coverage":
        total = sum(c.students for c in cells if c.dimension == POPULATION)
        got: dict = {}
        for c in cells:
            if c.dimension != POPULATION:
                n, multi = got.get(c.dimension, (0, 0))
                got[c.dimension] = (n + c.evaluated, multi + c.multi_role)
        return q.coverage_rows(rubric, term, total, got)
    if kind == "distribution":
        m: dict = {}
        for c in cells:
            for level, (n, total, lo, hi) in json.loads(c.bands_json or "{}").items():
                if n:
                    q.add_band_cell(m, c.dimension, level, n, total, lo, hi)
        return q.distribution_rows(rubric, term, m)
    got = {}
    for c in cells:
        if c.va_n:
            q.add_va_cell(got, c.dimension, c.va_n, c.va_sum_from, c.va_sum_to, c.va_improved, c.va_declined)
    return q.value_added_rows(rubric, previous_term_code(term), term, got)
