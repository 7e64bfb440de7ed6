"""The services on PostgreSQL (``--db postgresql+psycopg://…`` is a supported target): the same
writes, checks and scores as on SQLite. Skipped only when no PostgreSQL binaries exist."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from growthdesk.db import open_database, write_settings
from growthdesk.errors import ValidationError
from growthdesk.models import AuditLog, CompetitionResult, Student
from growthdesk.services import competitions, evaluations, projects, rubric, students, users

pytestmark = pytest.mark.postgres
T = "2025-2026-1"


def _no(i: int) -> str:
    body = f"1101012012020{i:04d}"
    return "G" + body + students.gb11643_check(body)


def test_services_on_postgresql(postgres_db):
    db = open_database(postgres_db, create=True)
    try:
        with db.session() as s:
            write_settings(s, {"kind": "school", "school_code": "S0001", "person_key_secret": "22" * 32})
        db.reload_settings()
        with db.session(user="admin") as s:
            cls = students.create_class(s, 2025, 7, 1)
            a = students.create_student(s, national_student_no=_no(1), name="张三", gender="男",
                                        birth_date=date(2012, 1, 1), class_id=cls.id)
            b = students.create_student(s, national_student_no=_no(2), name="李四", gender="女",
                                        birth_date=date(2012, 2, 1), class_id=cls.id)
            users.create_user(s, "admin", "管理员", "school_admin", "secret12")
            competitions.load_national_catalog(s)
        with pytest.raises(ValidationError) as err:
            with db.session(user="admin") as s:
                students.create_student(s, national_student_no=_no(1), name="重复", gender="M", stage="junior")
        assert "张三" in err.value.zh
        with db.session(user="t1") as s:
            for level, role in (("A", "teacher"), ("B", "teacher"), ("C", "self")):
                evaluations.record_process_evaluation(s, student_id=a.id, term_code=T, dimension="moral", level=level,
                                                      evaluator_role=role, eval_date=date(2025, 10, 1))
            comp = competitions.find_competition(s, "全国青少年人工智能创新挑战赛")
            competitions.record_result(s, competition_id=comp.id, student_ids=[a.id, b.id], level="national",
                                       award="first", award_date=date(2025, 11, 1))
            projects.create_project(s, title="测试项目", kind="research", term_code=T, start_date=date(2025, 9, 10),
                                    members=[(a.id, "leader"), (b.id, "member")])
        with pytest.raises(ValidationError):
            with db.session(user="t1") as s:
                competitions.record_result(s, competition_id=comp.id, student_ids=[a.id, "missing"], level="school",
                                           award="third", award_date=date(2025, 11, 2))
        with db.session() as s:
            # moral = (0.3·90 + 0.1·75) / 0.4 = 86.25
            assert rubric.class_term_scores(s, [a.id, b.id], T) == {a.id: {"moral": pytest.approx(86.25)}, b.id: {}}
            assert s.scalar(select(func.count()).select_from(CompetitionResult)) == 1
            assert users.authenticate(s, "ADMIN", "secret12").login == "admin"
            assert s.scalar(select(func.count()).select_from(Student)) == 2
            assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.user == "t1")) > 5
    finally:
        db.close()
