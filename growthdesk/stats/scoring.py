"""The rubric as the statistics need it, and the SQL-side term score.

Term score (DESIGN §3, CONTRIBUTING): for one student, term and dimension, average the
process-evaluation scores of each evaluator role first, then take the mean of those role
averages weighted by the rubric's role weights, renormalised over the roles present (a
missing role does not pull the score down). Done in SQL so 10 million rows never reach Python.
"""

from __future__ import annotations

from sqlalchemy import Float, Integer, String, and_, case, cast, func, literal_column, select
from sqlalchemy.orm import Session

from ..models import ProcessEvaluation
from ..models.enums import EVALUATOR_ROLES
from ..services.rubric import RubricDoc, active_rubric

RubricInfo = RubricDoc  # the services' parsed rubric: dimensions, levels (highest first), role weights


def load_rubric(session: Session) -> RubricDoc:
    """The district's active rubric, or the shipped default when none is stored."""
    return active_rubric(session)


def dimension_label(rubric: RubricDoc, code: str, lang: str = "zh_CN") -> str:
    for d in rubric.dimensions:
        if d.code == code:
            return d.name(lang)
    return code


def term_scores(pop, rubric: RubricDoc, *, terms, dimensions=None, name: str = "term_score", materialized: bool = False,
                with_person: bool = False):
    """CTE (student_id, term_code, dimension, score, roles) for the students in ``pop``.

    One GROUP BY over the evaluations, in the order of the evaluation index (term, student,
    dimension), so SQLite streams it without sorting: per role the sum and count of scores are
    pivoted into columns, and the score is Σ w·mean_r / Σ w over the roles present. ``roles`` is
    the number of distinct evaluator roles (for coverage). ``pop`` is a population CTE with
    ``student_id`` (or None: every student); ``terms`` the term codes; ``dimensions`` defaults to the rubric's.
    """
    e = ProcessEvaluation.__table__
    terms = list(terms)
    conds = [~e.c.deleted, e.c.term_code.in_(terms) if len(terms) > 1 else e.c.term_code == terms[0],
             # Like services.rubric: only the rubric's dimensions have a term score.
             e.c.dimension.in_(list(dimensions or rubric.dimension_codes))]
    if pop is not None:  # None: every student (the caller filters; a range scan beats a seek per student)
        conds.insert(1, e.c.student_id.in_(select(pop.c.student_id)))
    num, den, present = [], [], []
    zero, one = _k(0), _k(1)
    for role in EVALUATOR_ROLES:  # pivot: per role a count (and, if weighted, a sum) of this group's rows
        is_role = e.c.evaluator_role == _k(role)
        count = func.count(case((is_role, one), else_=None))
        present.append(case((count > zero, one), else_=zero))
        weight = rubric.role_weights.get(role, 0.0)
        if weight <= 0:
            continue  # a zero-weight role changes neither sum (services.rubric.combine_roles)
        total = cast(func.sum(case((is_role, e.c.score), else_=None)), Float)
        num.append(func.coalesce(_k(float(weight)) * total / func.nullif(count, zero), _k(0.0)))
        den.append(case((count > zero, _k(float(weight))), else_=_k(0.0)))
    score = _sum(num) / func.nullif(_sum(den), zero) if num else cast(None, Float)
    cols = [e.c.student_id, e.c.term_code, e.c.dimension, score.label("score"),
            _sum(present).label("roles")]  # distinct roles, without COUNT(DISTINCT)'s sorter
    q = select(*cols)
    if with_person:  # the person of the student row (one value per group), for pairing across schools
        q = select(*cols, func.max(pop.c.person).label("person")).select_from(
            e.join(pop, pop.c.student_id == e.c.student_id))
    return (q.where(and_(*conds))
            .group_by(e.c.term_code, e.c.student_id, e.c.dimension)
            .cte(name).prefix_with("MATERIALIZED" if materialized else ""))


def _k(value):
    """A constant written into the statement instead of bound: the pivot has ~40 constants, and
    SQLite ran it a third slower with them as parameters. Only evaluator role codes (a closed
    vocabulary of plain words) and numbers come here."""
    if isinstance(value, str):
        if not value.isidentifier():
            raise ValueError(f"not a plain code: {value!r}")
        return literal_column(f"'{value}'", String)
    return literal_column(repr(value), Float if isinstance(value, float) else Integer)


def _sum(parts):
    out = parts[0]
    for p in parts[1:]:
        out = out + p
    return out


def band_of(score: float, rubric: RubricDoc) -> str:
    return rubric.level_for_score(score).code
