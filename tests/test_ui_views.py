"""``services.views``: the read-only queries behind the UI, checked without any Qt."""

from __future__ import annotations

from datetime import date

from growthdesk.services import competitions, evaluations, terms, users, views
from tests.test_ui_helpers import school_template  # noqa: F401


def _db(school_template, tmp_path):
    from growthdesk.db import open_database
    from tests.test_ui_helpers import copy_school
    path, info = copy_school(school_template, tmp_path)
    return open_database(path), info


def test_teacher_sees_taught_classes_admin_sees_all(school_template, tmp_path):
    db, info = _db(school_template, tmp_path)
    with db.session() as s:
        teacher, admin = users.find_user(s, "teacher"), users.find_user(s, "admin")
        assert [c.id for c in views.visible_classes(s, teacher)] == [info["class_id"]]
        assert [c.id for c in views.visible_classes(s, admin)] == [info["class_id"], info["other_class_id"]]
        assert views.visible_classes(s, admin)[0].label() == "初一(1)班"
    db.close()


def test_student_rows_carry_search_keys(school_template, tmp_path):
    db, info = _db(school_template, tmp_path)
    with db.session() as s:
        rows = views.student_rows(s, [info["class_id"]])
    db.close()
    by_name = {r.name: r for r in rows}
    assert by_name["曾小明"].initials == "zxm" and by_name["曾小明"].pinyin == "zengxiaoming"
    assert by_name["欧阳娜娜"].matches("oyn") and by_name["欧阳娜娜"].matches("ouyang")
    assert by_name["张三"].matches("张") and not by_name["张三"].matches("ls")
    assert by_name["王五"].matches(by_name["王五"].national_student_no[-6:].lower())


def test_grid_term_table_growth_and_missing_comments(school_template, tmp_path):
    db, info = _db(school_template, tmp_path)
    sid, term = info["student_ids"][0], info["term"]
    prev = terms.previous_term_code(term)
    with db.session(user="teacher") as s:
        for code, level in ((prev, "C"), (term, "A")):
            evaluations.set_grid_level(s, student_id=sid, term_code=code, dimension="innovation",
                                       evaluator_role="teacher", evaluator_name="李老师", level=level)
        evaluations.set_grid_level(s, student_id=sid, term_code=term, dimension="innovation",
                                   evaluator_role="parent", evaluator_name="家长", level="B")
        evaluations.save_term_evaluation(s, student_id=sid, term_code=term, levels={"innovation": "A"},
                                         comment="善于动手。")
    with db.session() as s:
        cells = views.grid_levels(s, [sid], term, "teacher", "李老师")
        other_evaluator = views.grid_levels(s, [sid], term, "teacher", "王老师")
        table = views.term_table(s, info["class_id"], term)
        growth = views.growth(s, sid)
    db.close()
    assert cells == {(sid, "innovation"): "A"} and other_evaluator == {}
    row = next(r for r in table if r.student_id == sid)
    # teacher 95 × 0.3 and parent 85 × 0.1, renormalised: (28.5 + 8.5) / 0.4 = 92.5
    assert row.scores == {"innovation": 92.5} and row.overall == 92.5
    assert row.comment == "善于动手。" and views.missing_comments(table) == 5
    assert growth.terms == [prev, term]
    assert growth.scores[prev]["innovation"] == 75 and growth.scores[term]["innovation"] == 92.5


def test_student_page_gathers_every_record_kind(school_template, tmp_path):
    db, info = _db(school_template, tmp_path)
    a, b = info["student_ids"][:2]
    with db.session(user="admin") as s:
        comp = competitions.list_competitions(s)[0]
        competitions.record_result(s, competition_id=comp.id, student_ids=[a, b], level="national", award="gold",
                                   award_date=date.today(), team_name="火箭队")
    with db.session() as s:
        page = views.student_page(s, a, info["term"])
    db.close()
    assert page.name == "张三" and page.class_name == "初一(1)班"
    assert [(r.award, r.is_team, sorted(r.members)) for r in page.results] == [("gold", True, ["张三", "李四"])]
    assert page.term_evaluation is None and page.evidence == [] and page.projects == []
