"""Cultivation programmes in district bundles (issue 16): what of the programme tables the
district sends down to one school (``publish.register_down_table``).

For a school the district sends:
* the district's own programmes (changed since the last bundle), and every programme one of the
  rows below belongs to;
* nominations and memberships of this school's pupils written elsewhere (at the district: the
  district selects), and the earlier ones of pupils who arrived from another school of the
  district, re-pointed to this school's student (so the term portfolio shows the programme
  history of a member who moved on: 小学科创苗子 → 初中学科特长);
* the growth-log entries and evaluations of those memberships, and their mentors.

Rows this school wrote itself never come back down (the school's own code), and the apply side
refuses them anyway.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select

# Rows are plain Core rows (``publish`` reads them by column name), as ``publish._by_ids`` gives.
from ..models import (Programme, ProgrammeEvaluation, ProgrammeLogEntry, ProgrammeMember, ProgrammeMentor,
                      ProgrammeNomination)
from .publish import DownTable, Scope, _by_ids, register_down_table

CHUNK = 900


def _not_mine(model, scope: Scope):
    return model.school_code != scope.school


def _pupils(model):
    """Rows of this school's pupils written elsewhere (changed since), and arrivals' earlier rows."""
    def rows(s, scope: Scope) -> list:
        here = list(s.execute(select(model.__table__).where(model.student_school == scope.school,
                                                            _not_mine(model, scope), model.usn > scope.since)))
        earlier = _by_ids(s, model, model.student_id, scope.links,
                          and_(_not_mine(model, scope), or_(model.usn > scope.since, model.student_id.in_(
                              sorted(scope.new_earlier) or [""]))))
        out = here + earlier
        scope.__dict__.setdefault("programme_ids", set()).update(r.programme_id for r in out)
        if model is ProgrammeMember:
            scope.__dict__.setdefault("member_ids", set()).update(r.id for r in out)
            scope.__dict__.setdefault("mentor_ids", set()).update(
                i for r in out for i in (r.in_mentor_id, r.ext_mentor_id) if i)
        return out
    return rows


def _programmes(s, scope: Scope) -> list:
    own = list(s.execute(select(Programme.__table__).where(Programme.owner_kind == "district",
                                                           Programme.usn > scope.since, _not_mine(Programme, scope))))
    ids = scope.__dict__.get("programme_ids", set()) - {p.id for p in own}
    return own + [p for p in _by_ids(s, Programme, Programme.id, ids) if p.school_code != scope.school]


def _mentors(s, scope: Scope) -> list:
    return [m for m in _by_ids(s, ProgrammeMentor, ProgrammeMentor.id, scope.__dict__.get("mentor_ids", set()))
            if m.school_code != scope.school]


def _member_parts(model):
    def rows(s, scope: Scope) -> list:
        return [r for r in _by_ids(s, model, model.member_id, scope.__dict__.get("member_ids", set()))
                if r.school_code != scope.school]
    return rows


# Computed in this order (members before the programmes, mentors, logs and evaluations they
# name); applied at the school in the order of SYNCED_MODELS.
for _table in (DownTable("programme_nomination", _pupils(ProgrammeNomination), "student_id"),
               DownTable("programme_member", _pupils(ProgrammeMember), "student_id"),
               DownTable("programme", _programmes),
               DownTable("programme_mentor", _mentors),
               DownTable("programme_log_entry", _member_parts(ProgrammeLogEntry)),
               DownTable("programme_evaluation", _member_parts(ProgrammeEvaluation))):
    register_down_table(_table)
