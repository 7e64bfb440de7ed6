"""Summary tables for the evaluation statistics on a large district (opt-in, see below).

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

The two tables are not part of the Alembic schema yet: ``create_summary_tables`` makes them
(the bench does); a new Alembic revision and a refresh call after bundle import would make
this the default (the lead's call). Without the tables everything works, only slower.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlalchemy import (Column, DateTime, Float, Integer, MetaData, String, Table, Text, case, delete, func,
                        inspect, insert, select)
from sqlalchemy.orm import Session

from ..models import ImportLog, Setting, utcnow
from ..services.terms import previous_term_code
from . import queries as q
from .filters import Filters
from .scoring import RubricInfo, load_rubric, term_scores

METADATA = MetaData()
CELLS = Table(
    "stats_summary_cell", METADATA,
    Column("term_code", String(11), primary_key=True),
    Column("school_code", String(16), primary_key=True),
    Column("stage", String(8), primary_key=True),
    Column("dimension", String(16), primary_key=True),
    Column("students", Integer, default=0),      # term population of this school and stage
    Column("evaluated", Integer, default=0),
    Column("multi_role", Integer, default=0),
    Column("bands_json", Text, default="{}"),    # {level: [count, sum, min, max]}
    Column("va_n", Integer, default=0),
    Column("va_sum_from", Float, default=0.0),
    Column("va_sum_to", Float, default=0.0),
    Column("va_improved", Integer, default=0),
    Column("va_declined", Integer, default=0),
)
STATE = Table(
    "stats_summary_state", METADATA,
    Column("term_code", String(11), primary_key=True),
    Column("fingerprint", String(64)),
    Column("built_at", DateTime),
)
POPULATION = "*"  # the dimension key of the row holding the term population of a school and stage


def create_summary_tables(engine) -> None:
    METADATA.create_all(engine, checkfirst=True)


def fingerprint(session: Session, rubric: RubricInfo) -> str:
    """What the cells were computed from: change counter, newest import, rubric."""
    usn = session.scalar(select(Setting.value).where(Setting.key == "usn")) or "0"
    last_import = session.scalar(select(func.max(ImportLog.id))) or 0
    doc = json.dumps(rubric.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{usn}|{last_import}|{doc}".encode()).hexdigest()


def has_tables(session: Session) -> bool:
    info = session.info.setdefault("_stats_summary", {})
    if "tables" not in info:
        info["tables"] = inspect(session.connection()).has_table(STATE.name)
    return info["tables"]


def is_fresh(session: Session, term: str, rubric: RubricInfo) -> bool:
    if not has_tables(session):
        return False
    stored = session.scalar(select(STATE.c.fingerprint).where(STATE.c.term_code == term))
    return stored is not None and stored == fingerprint(session, rubric)


# ---------------------------------------------------------------- building

def evaluated_terms(session: Session) -> list[str]:
    return [t for t in q.term_codes_desc(session) if q.term_has_evaluations(session, t)]


def refresh(session: Session, terms: Iterable[str] | None = None, progress=None, force: bool = False) -> list[str]:
    """Recompute the cells of ``terms`` (default: every term with evaluations) that are not
    fresh (all of them with ``force``); returns the terms recomputed."""
    create_summary_tables(session.connection())
    session.info.pop("_stats_summary", None)
    rubric = load_rubric(session)
    terms = list(terms) if terms is not None else evaluated_terms(session)
    if not force:
        terms = [t for t in terms if not is_fresh(session, t, rubric)]
    mark = fingerprint(session, rubric)
    for i, term in enumerate(terms):
        if progress:
            progress(i, len(terms), term)
        cells = _cells(session, term, rubric)
        session.execute(delete(CELLS).where(CELLS.c.term_code == term))
        if cells:
            session.execute(insert(CELLS), [dict(c, term_code=term) for c in cells.values()])
        session.execute(delete(STATE).where(STATE.c.term_code == term))
        session.execute(insert(STATE).values(term_code=term, fingerprint=mark, built_at=utcnow()))
    return terms


def _cell(cells: dict, school: str, stage: str, dim: str) -> dict:
    key = (school, stage, dim)
    if key not in cells:
        cells[key] = {"school_code": school, "stage": stage, "dimension": dim, "students": 0, "evaluated": 0,
                      "multi_role": 0, "bands": {}, "va_n": 0, "va_sum_from": 0.0, "va_sum_to": 0.0,
                      "va_improved": 0, "va_declined": 0}
    return cells[key]


def _cells(session: Session, term: str, rubric: RubricInfo) -> dict:
    cells: dict = {}
    pop = q.population(Filters(term=term))
    for school, stage, n in session.execute(select(pop.c.school_code, pop.c.stage, func.count())
                                            .group_by(pop.c.school_code, pop.c.stage)):
        _cell(cells, school, stage, POPULATION)["students"] = q.num(n)
    per = q.coverage_cte(pop, term, rubric)
    cov = (select(pop.c.school_code, pop.c.stage, per.c.dimension, func.count(),
                  func.count(case((per.c.multi, 1), else_=None)))
           .select_from(per.join(pop, pop.c.student_id == per.c.student_id))
           .group_by(pop.c.school_code, pop.c.stage, per.c.dimension))
    for school, stage, dim, n, multi in session.execute(cov):
        c = _cell(cells, school, stage, dim)
        c["evaluated"], c["multi_role"] = q.num(n), q.num(multi)
    ts = term_scores(pop, rubric, terms=[term])
    band = q.band_expr(ts, rubric)
    dist = (select(pop.c.school_code, pop.c.stage, ts.c.dimension, band, func.count(ts.c.score), func.sum(ts.c.score),
                   func.min(ts.c.score), func.max(ts.c.score))
            .select_from(ts.join(pop, pop.c.student_id == ts.c.student_id)).where(ts.c.score.isnot(None))
            .group_by(pop.c.school_code, pop.c.stage, ts.c.dimension, band))
    for school, stage, dim, level, n, total, lo, hi in session.execute(dist):
        _cell(cells, school, stage, dim)["bands"][level] = [q.num(n), float(total), float(lo), float(hi)]
    _value_added_cells(session, term, rubric, cells)
    for c in cells.values():
        c["bands_json"] = json.dumps(c.pop("bands"), sort_keys=True)
    return cells


def _value_added_cells(session: Session, term: str, rubric: RubricInfo, cells: dict) -> None:
    """Pairs (previous term → ``term``) per person, counted in the later record's school/stage."""
    everyone = q.population(Filters(), term=None)
    a, b, join = q.value_added_pairs(everyone, rubric, previous_term_code(term), term)
    later = everyone.alias("later")
    stmt = (select(later.c.school_code, later.c.stage, a.c.dimension, *q.value_added_aggregates(a, b))
            .select_from(join.join(later, later.c.student_id == b.c.student_id))
            .group_by(later.c.school_code, later.c.stage, a.c.dimension))
    for school, stage, dim, n, s_from, s_to, up, down in session.execute(stmt):
        c = _cell(cells, school, stage, dim)
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
