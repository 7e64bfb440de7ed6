"""A school's programme records travel up in its bundle (every programme table is in
SYNCED_MODELS) and count in the district's chain statistics."""

from __future__ import annotations

from datetime import date

from growthdesk.models import (Programme, ProgrammeEvaluation, ProgrammeLogEntry, ProgrammeMember, ProgrammeMentor,
                               ProgrammeNomination)
from growthdesk.services import programmes as svc
from growthdesk.services import students, users
from growthdesk.stats import programmes as pst
from growthdesk.sync import IMPORTED, export_bundle, import_bundle
from growthdesk.sync.testing import make_district_and_school, records

TABLES = ["programme", "programme_mentor", "programme_nomination", "programme_member", "programme_log_entry",
          "programme_evaluation"]


def test_school_programme_travels_to_the_district(tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    district, school, _ = make_district_and_school(tmp_path)
    try:
        with school.session(user="admin") as s:
            users.create_user(s, "liu", "刘老师", "teacher", "secret123")
            cls = students.create_class(s, 2025, 7, 1)
            body = "11010120120100001"
            st = students.create_student(s, national_student_no="G" + body + students.gb11643_check(body), name="张三",
                                         gender="M", class_id=cls.id)
            p = svc.create_programme(s, name="初中物理特长班", tier="初中", start_term="2025-2026-1", disciplines="物理")
            mi = svc.add_mentor(s, kind="in_school", login="liu")
            me = svc.add_mentor(s, kind="external", name="钱研究员", institution="示例研究所", contact="所办")
            n = svc.nominate(s, p.id, term_code="2025-2026-1", by_kind="teacher", by="刘老师", reason="物理兴趣浓",
                             student_id=st.id, on=date(2025, 9, 10))
            svc.decide(s, n.id, "selected", reason="面试优秀", on=date(2025, 9, 12), in_mentor_id=mi.id,
                       ext_mentor_id=me.id)
            m = svc.members(s, p.id)[0]
            svc.add_log(s, m.id, entry_date=date(2025, 10, 1), activity="lab_day", hours=3, content="光学实验",
                        mentor_feedback="操作规范", mentor_id=mi.id)
            svc.evaluate(s, m.id, kind="midterm", term_code="2025-2026-1", eval_date=date(2025, 11, 15),
                         scores=dict.fromkeys(svc.criteria_of(p), 4), mentor_id=me.id)
        res = import_bundle(district, export_bundle(school, tmp_path / "out")["path"])
        assert res["status"] == IMPORTED, res["reason"]
        want, got = records(school, "S0001"), records(district, "S0001")
        for table in TABLES:
            assert len(want[table]) == (2 if table == "programme_mentor" else 1) and got[table] == want[table], table
        with district.session() as s:
            stats = pst.chain_statistics(s)
            assert [r["members"] for r in stats["by_tier"]] == [0, 1, 0]
            assert {r["name"]: r["hours"] for r in stats["mentors"]} == {"刘老师": 3.0, "钱研究员": 3.0}
    finally:
        district.close()
        school.close()
