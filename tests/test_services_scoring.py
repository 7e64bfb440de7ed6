"""services.rubric and services.evaluations: rubric checks, recording, grid upsert, scoring."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from growthdesk.errors import NotFoundError, ValidationError
from growthdesk.models import AuditLog, ProcessEvaluation, Term
from growthdesk.paths import resource
from growthdesk.services import evaluations, rubric
from growthdesk.services.rubric import (class_term_scores, default_rubric, overall_score, term_scores,
                                        value_added)
from tests.dbdump import dump

T = "2025-2026-1"
PREV = "2024-2025-2"


def raw_default() -> dict:
    return json.loads(resource("reference", "rubric_default.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- rubric documents

def test_default_rubric_parses():
    r = default_rubric()
    assert r.dimension_codes == ["moral", "academic", "health", "arts", "labour", "innovation", "practice"]
    assert r.dimension("innovation").short_zh == "创" and len(r.dimension("innovation").indicators) == 3
    assert [lv.code for lv in r.levels] == ["A", "B", "C", "D"]
    assert rubric.level_score("B") == 85
    assert [rubric.level_for_score(x) for x in (100, 90, 89.99, 80, 60, 59.9, 0)] == ["A", "A", "B", "B", "C", "D", "D"]
    with pytest.raises(ValidationError) as err:
        rubric.level_for_score(100.5)
    assert err.value.field == "score"
    assert rubric.load_rubric(r.to_dict()) == r
    assert [r.dimension(x).code for x in ("moral", "德", "思想品德", "moral character")] == ["moral"] * 4
    assert [r.level(x).code for x in ("a", "优秀", "Excellent")] == ["A"] * 3
    with pytest.raises(ValidationError) as err:
        r.dimension("美德")
    assert err.value.field == "dimension" and "innovation" in err.value.en


@pytest.mark.parametrize("mutate,needle", [
    (lambda d: d["dimensions"][0].update(weight=0.2), "sum to 1"),
    (lambda d: d["dimensions"][1].update(code="moral"), "duplicate dimension"),
    (lambda d: d["scale"]["levels"][1].update(code="A"), "duplicate level"),
    (lambda d: d["role_weights"].update(robot=0.0), "unknown evaluator role"),
    (lambda d: d["role_weights"].update(self=0.3), "sum to 1"),
    (lambda d: d["scale"]["levels"][0].update(score=120), "min <= score <= 100"),
    (lambda d: d.pop("dimensions"), "no dimensions"),
])
def test_rubric_validation(mutate, needle):
    doc = copy.deepcopy(raw_default())
    mutate(doc)
    with pytest.raises(ValidationError) as err:
        rubric.load_rubric(doc)
    assert needle in err.value.en and "评价方案" in err.value.zh and err.value.field == "rubric"


def test_weights_within_tolerance_are_accepted():
    doc = raw_default()
    doc["dimensions"][0]["weight"] = 0.1505   # sum 1.0005, within ±0.001
    assert rubric.load_rubric(doc).dimension("moral").weight == 0.1505


def test_install_and_activate_rubric(bare_school_db):
    doc = raw_default()
    doc.update(code="pilot", scale={"levels": [{"code": "5", "score": 100, "min": 90}, {"code": "3", "score": 70, "min": 50},
                                               {"code": "1", "score": 40, "min": 0}]})
    with bare_school_db.session(user="admin") as s:
        assert rubric.active_rubric(s).code == "default-2025"
        rubric.install_rubric(s, default_rubric())
        rubric.install_rubric(s, doc)
    with bare_school_db.session() as s:
        active = rubric.active_rubric(s)
        assert active.code == "pilot" and [lv.code for lv in active.levels] == ["5", "3", "1"]
        assert rubric.level_for_score(65, active) == "3"


# ---------------------------------------------------------------- recording

def test_record_by_level_or_score(school_db):
    sid = school_db.sample["student_ids"][0]
    with school_db.session(user="t1") as s:
        a = evaluations.record_process_evaluation(s, student_id=sid, term_code=T, dimension="moral", level="b",
                                                  evaluator_role="teacher", eval_date=date(2025, 10, 9))
        b = evaluations.record_process_evaluation(s, student_id=sid, term_code=T, dimension="innovation", score=91.5,
                                                  evaluator_role="导师/专家评价", evaluator_name="李教授",
                                                  indicator="inquiry", eval_date="2025-11-02", comment="思路清晰")
        assert (a.level, a.score, b.level, b.score, b.evaluator_role) == ("B", 85, "A", 91.5, "mentor")
        assert s.get(Term, T) is not None
    with school_db.session() as s:
        log = s.scalars(select(AuditLog).where(AuditLog.table_name == "process_evaluation",
                                               AuditLog.record_id == b.id)).one()
        assert log.action == "create" and log.user == "t1"
        assert json.loads(log.after_json)["comment"] == "思路清晰"


def _bad_eval_cases(sid):
    base = dict(student_id=sid, term_code=T, dimension="moral", level="A", evaluator_role="teacher",
                eval_date=date(2025, 10, 1))
    return [
        ({"term_code": "2025-2027-1"}, "term_code"),
        ({"dimension": "wisdom"}, "dimension"),
        ({"evaluator_role": "robot"}, "evaluator_role"),
        ({"level": "E"}, "level"),
        ({"level": None, "score": 101}, "score"),
        ({"level": None, "score": -1}, "score"),
        ({"level": None, "score": "abc"}, "score"),
        ({"level": None}, "level"),
        ({"level": "A", "score": 70}, "score"),
        ({"term_code": "2026-2027-2", "eval_date": date.today() + timedelta(days=1)}, "eval_date"),
        ({"eval_date": date(2026, 3, 1)}, "eval_date"),          # outside the autumn term
        ({"indicator": "fitness"}, "indicator"),                  # health's indicator, not moral's
        ({"student_id": "no-such-student"}, "student_id"),
    ], base


@pytest.mark.parametrize("case", range(13))
def test_bad_evaluations_raise_and_change_nothing(school_db, case):
    cases, base = _bad_eval_cases(school_db.sample["student_ids"][0])
    over, field = cases[case]
    before = dump(school_db)
    with school_db.session(user="t1") as s:
        with pytest.raises((ValidationError, NotFoundError)) as err:
            evaluations.record_process_evaluation(s, **{**base, **over})
        assert not s.new and not s.dirty   # nothing was added before the error
    assert err.value.field == field and err.value.zh and err.value.en
    assert dump(school_db) == before


def test_grid_level_upserts_one_record_per_cell(school_db):
    sid = school_db.sample["student_ids"][1]
    cell = dict(student_id=sid, term_code=T, dimension="arts", evaluator_role="teacher", evaluator_name="周老师")

    def cells(s):
        return s.scalars(select(ProcessEvaluation).where(ProcessEvaluation.student_id == sid,
                                                         ProcessEvaluation.deleted.is_(False))).all()

    with school_db.session(user="t1") as s:
        first = evaluations.set_grid_level(s, **cell, level="B")
    with school_db.session(user="t1") as s:
        second = evaluations.set_grid_level(s, **cell, level="A")
        assert second.id == first.id and [(e.level, e.score) for e in cells(s)] == [("A", 95)]
        evaluations.set_grid_level(s, **{**cell, "evaluator_name": "吴老师"}, level="C")
        assert len(cells(s)) == 2
    with school_db.session(user="t1") as s:
        assert evaluations.set_grid_level(s, **cell, level="") is None
        assert [e.evaluator_name for e in cells(s)] == ["吴老师"]
        assert s.get(ProcessEvaluation, first.id).deleted is True
        actions = [a.action for a in s.scalars(select(AuditLog).where(AuditLog.record_id == first.id)
                                                .order_by(AuditLog.id))]
        assert actions == ["create", "update", "delete"]


def test_term_evaluation_upsert(school_db):
    sid = school_db.sample["student_ids"][0]
    with school_db.session(user="adviser") as s:
        te = evaluations.save_term_evaluation(s, student_id=sid, term_code=T, levels={"moral": "A", "arts": "", "innovation": "b"},
                                              comment="积极进取。", adviser_name="王老师", written_on=date(2026, 1, 20))
    with school_db.session(user="adviser") as s:
        again = evaluations.save_term_evaluation(s, student_id=sid, term_code=T, levels={"moral": "B"}, comment="更新",
                                                 adviser_name="王老师")
        assert again.id == te.id
        assert evaluations.term_evaluation_levels(again) == {"moral": "B"}
        with pytest.raises(ValidationError) as err:
            evaluations.save_term_evaluation(s, student_id=sid, term_code=T, levels={"moral": "Z"})
        assert err.value.field == "level"


# ---------------------------------------------------------------- scoring

def _rec(s, sid, term, dim, role, *, level=None, score=None, day=date(2025, 10, 10)):
    return evaluations.record_process_evaluation(s, student_id=sid, term_code=term, dimension=dim, level=level,
                                                 score=score, evaluator_role=role, eval_date=day)


def test_scores_on_a_hand_computed_example(school_db):
    a, b, c = school_db.sample["student_ids"]
    with school_db.session(user="t1") as s:
        _rec(s, a, T, "moral", "teacher", level="A")          # 95
        _rec(s, a, T, "moral", "teacher", level="B")          # 85 → teacher mean 90
        _rec(s, a, T, "moral", "self", level="C")             # 75
        _rec(s, a, T, "moral", "parent", score=60)            # 60
        _rec(s, a, T, "innovation", "mentor", level="A")      # 95
        gone = _rec(s, a, T, "innovation", "teacher", score=0)
        evaluations.delete_process_evaluation(s, gone.id)     # deleted: must not count
        _rec(s, a, PREV, "moral", "teacher", level="C", day=date(2025, 5, 1))   # previous term: 75
        _rec(s, b, T, "academic", "teacher", score=70)
    with school_db.session() as s:
        r = rubric.active_rubric(s)
        scores = term_scores(s, a, T)
        # moral = (0.3·90 + 0.1·75 + 0.1·60) / (0.3 + 0.1 + 0.1) = 40.5 / 0.5 = 81
        # innovation = mentor only = 95 (weights renormalised over the roles present)
        assert scores == pytest.approx({"moral": 81.0, "innovation": 95.0})
        assert list(scores) == ["moral", "innovation"]   # rubric order
        # overall = (0.15·81 + 0.25·95) / (0.15 + 0.25) = 35.9 / 0.4 = 89.75
        assert overall_score(scores, r) == pytest.approx(89.75)
        assert overall_score({}, r) is None
        # value added: moral 81 − 75 = 6; innovation had no score before → None
        va = value_added(s, a, T)
        assert va["moral"] == pytest.approx(6.0) and va["innovation"] is None and va["academic"] is None
        assert class_term_scores(s, [a, b, c], T) == {a: pytest.approx(scores), b: {"academic": 70.0}, c: {}}
        assert rubric.class_value_added(s, [a], T)[a]["moral"] == pytest.approx(6.0)


def test_class_term_scores_is_one_query(school_db):
    ids = school_db.sample["student_ids"]
    with school_db.session(user="t1") as s:
        for sid in ids:
            _rec(s, sid, T, "health", "peer", level="B")
    statements = []
    from sqlalchemy import event

    def count(*_args):
        statements.append(_args[2])

    event.listen(school_db.engine, "before_cursor_execute", count)
    try:
        with school_db.session() as s:
            r = rubric.active_rubric(s)
            statements.clear()
            out = class_term_scores(s, ids * 200, T, r)   # repeated ids are fine
    finally:
        event.remove(school_db.engine, "before_cursor_execute", count)
    assert [st for st in statements if "process_evaluation" in st.lower()] == statements and len(statements) == 1
    assert out == {sid: {"health": 85.0} for sid in ids}


def test_counts_unchanged_after_failed_grid_write(school_db):
    with school_db.session() as s:
        before = s.scalar(select(func.count()).select_from(ProcessEvaluation))
    with pytest.raises(ValidationError):
        with school_db.session(user="t1") as s:
            evaluations.set_grid_level(s, student_id=school_db.sample["student_ids"][0], term_code=T,
                                       dimension="moral", evaluator_role="teacher", level="A")
            evaluations.set_grid_level(s, student_id=school_db.sample["student_ids"][1], term_code=T,
                                       dimension="moral", evaluator_role="teacher", level="Q")
    with school_db.session() as s:
        assert s.scalar(select(func.count()).select_from(ProcessEvaluation)) == before


# ---------------------------------------------------------------- editing a process evaluation

def _one_eval(db, **over):
    sid = db.sample["student_ids"][0]
    with db.session(user="t1") as s:
        return evaluations.record_process_evaluation(s, **{**dict(
            student_id=sid, term_code=T, dimension="innovation", indicator="inquiry", level="B",
            evaluator_role="teacher", evaluator_name="周老师", eval_date=date(2025, 10, 9), comment="好"), **over}).id


def test_update_process_evaluation_changes_fields_and_is_audited(school_db):
    eid = _one_eval(school_db)
    with school_db.session() as s:
        usn_before = s.get(ProcessEvaluation, eid).usn
    with school_db.session(user="t2") as s:
        ev = evaluations.update_process_evaluation(s, eid, level="a", comment="进步明显")
        assert (ev.level, ev.score, ev.comment, ev.indicator) == ("A", 95, "进步明显", "inquiry")
    with school_db.session(user="t2") as s:
        ev = evaluations.update_process_evaluation(s, eid, score=72, dimension="德", indicator="",
                                                   evaluator_role="家长评价", eval_date="2025-12-01")
        assert (ev.level, ev.score, ev.dimension, ev.indicator, ev.evaluator_role) == ("C", 72, "moral", "", "parent")
        assert ev.eval_date == date(2025, 12, 1) and ev.evaluator_name == "周老师"   # untouched
    with school_db.session() as s:
        ev = s.get(ProcessEvaluation, eid)
        assert ev.usn > usn_before and ev.updated_by == "t2"
        logs = s.scalars(select(AuditLog).where(AuditLog.record_id == eid).order_by(AuditLog.id)).all()
        assert [(a.action, a.user) for a in logs] == [("create", "t1"), ("update", "t2"), ("update", "t2")]
        assert json.loads(logs[1].before_json)["level"] == "B" and json.loads(logs[1].after_json)["level"] == "A"
        assert evaluations.evaluation_fields(s, eid)["score"] == 72


_BAD_UPDATES = [
    ({"dimension": "wisdom"}, "dimension"),
    ({"evaluator_role": "robot"}, "evaluator_role"),
    ({"level": "E"}, "level"),
    ({"level": None, "score": 101}, "score"),
    ({"score": -3}, "score"),
    ({"level": "A", "score": 70}, "score"),
    ({"level": "", "score": ""}, "level"),
    ({"eval_date": date.today() + timedelta(days=1)}, "eval_date"),
    ({"eval_date": date(2026, 3, 1)}, "eval_date"),       # the spring term's, not this autumn's
    ({"eval_date": "2025-13-01"}, "eval_date"),
    ({"dimension": "moral"}, "indicator"),                # innovation's indicator kept under 德
    ({"term_code": PREV}, "eval_date"),                   # the kept date is not in the other term
    ({"comment": "长" * 2001}, "comment"),
    ({"student_id": "someone-else"}, "student_id"),       # not editable
]


@pytest.mark.parametrize("case", range(len(_BAD_UPDATES)))
def test_bad_updates_raise_and_change_nothing(school_db, case):
    eid = _one_eval(school_db)
    over, field = _BAD_UPDATES[case]
    before = dump(school_db)
    with school_db.session(user="t1") as s:
        with pytest.raises(ValidationError) as err:
            evaluations.update_process_evaluation(s, eid, **over)
        assert not s.new and not s.dirty
    assert err.value.field == field and err.value.zh and err.value.en
    assert dump(school_db) == before


def test_update_of_a_deleted_or_unknown_evaluation_is_not_found(school_db):
    eid = _one_eval(school_db)
    with school_db.session(user="t1") as s:
        evaluations.delete_process_evaluation(s, eid)
    with school_db.session(user="t1") as s:
        for rid in (eid, "nope"):
            with pytest.raises(NotFoundError):
                evaluations.update_process_evaluation(s, rid, level="A")


# ---------------------------------------------------------------- who writes term evaluations

def test_only_the_class_adviser_or_an_admin_may_write_term_evaluations(school_db):
    from growthdesk.errors import PermissionDenied
    from growthdesk.services import students, users
    sid, cid = school_db.sample["student_ids"][0], school_db.sample["class_id"]
    with school_db.session(user="admin") as s:
        made = {login: users.create_user(s, login, login, role, "secret-123") for login, role in
                (("admin", "school_admin"), ("wang", "adviser"), ("zhou", "adviser"), ("li", "teacher"))}
        other = students.create_class(s, 2025, 7, 4, adviser_user_id=made["zhou"].id)
        students.update_class(s, cid, adviser_user_id=made["wang"].id)
        allowed = {login: evaluations.may_write_term_evaluation(s, u, cid) for login, u in made.items()}
        assert allowed == {"admin": True, "wang": True, "zhou": False, "li": False}
        assert evaluations.may_write_term_evaluation(s, made["zhou"], other.id)
        assert not evaluations.may_write_term_evaluation(s, None, cid)
        evaluations.require_term_evaluation_writer(s, made["wang"], sid)
        for login in ("zhou", "li"):
            with pytest.raises(PermissionDenied) as err:
                evaluations.require_term_evaluation_writer(s, made[login], sid)
            assert "班主任" in err.value.zh and "adviser" in err.value.en
