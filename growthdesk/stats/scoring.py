"""The rubric as the statistics need it, and the SQL-side term score.

Term score (DESIGN §3, CONTRIBUTING): for one student, term and dimension, average the
process-evaluation scores of each evaluator role first, then take the mean of those role
averages weighted by the rubric's role weights, renormalised over the roles present (a
missing role does not pull the score down). Done in SQL so 10 million rows never reach Python.
"""

from __future__ import annotations

from sqlalchemy import Float, and_, case, cast, func, select
from sqlalchemy.orm import Session

from ..models import ProcessEvaluation
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


def role_weight_expr(role_col, weights: dict):
    """CASE role WHEN 'teacher' THEN 0.3 … ELSE 0 END: weights as literals, portable SQL."""
    if not weights:
        return cast(1.0, Float)
    return case({role: float(w) for role, w in weights.items()}, value=role_col, else_=0.0)


def term_scores(pop, rubric: RubricInfo, *, terms=None, dimensions=None, name: str = "term_score"):
    """CTE (student_id, term_code, dimension, score) for the students in ``pop``.

    ``pop`` is a population CTE from ``queries.population`` (it has ``student_id``); ``terms``
    limits the term codes, ``dimensions`` the dimension codes. The population is applied as
    ``student_id IN (…)`` so SQLite can still walk the evaluation index in order.
    """
    e = ProcessEvaluation.__table__
    conds = [~e.c.deleted, e.c.student_id.in_(select(pop.c.student_id))]
    if terms:
        terms = list(terms)
        conds.append(e.c.term_code.in_(terms) if len(terms) > 1 else e.c.term_code == terms[0])
    # Like services.rubric: only the rubric's dimensions have a term score.
    conds.append(e.c.dimension.in_(list(dimensions or rubric.dimension_codes)))
    by_role = (select(e.c.student_id, e.c.term_code, e.c.dimension, e.c.evaluator_role,
                      func.avg(e.c.score).label("role_avg"))
               .where(and_(*conds))
               .group_by(e.c.term_code, e.c.student_id, e.c.dimension, e.c.evaluator_role)
               .cte(f"{name}_by_role"))
    w = role_weight_expr(by_role.c.evaluator_role, rubric.role_weights)
    score = func.sum(w * by_role.c.role_avg) / func.nullif(func.sum(w), 0)
    return (select(by_role.c.student_id, by_role.c.term_code, by_role.c.dimension, score.label("score"))
            .group_by(by_role.c.term_code, by_role.c.student_id, by_role.c.dimension)
            .cte(name))


def band_of(score: float, rubric: RubricDoc) -> str:
    return rubric.level_for_score(score).code
