"""A small hand-made district (4 schools, 14 students) whose statistics are worked out by hand
in tests/test_stats_queries.py. Also handy for trying the district window without real data.

Built directly through the models in ``Database.session`` (as a bundle import would leave it):
students carry ``person_key`` and no national number; every row has its school's code.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ..db import Database
from ..models import (Competition, CompetitionResult, CompetitionResultMember, Enrollment, ImportLog,
                      InnovationProject, ProcessEvaluation, ProjectMember, School, SchoolClass, Student)
from ..services.students import person_key
from ..services.terms import ensure_term

PREV, TERM = "2024-2025-2", "2025-2026-1"
SCHOOLS = [("U1", "城区实验小学", "urban", "primary"), ("U2", "城区第一中学", "urban", "junior"),
           ("T1", "镇中心学校", "town", "junior"), ("R1", "乡村小学", "rural", "primary")]


def _ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i:02d}-0000-0000-0000-000000000000"[:36] for i in range(n)]


def build_sample_district(db: Database, now: datetime | None = None) -> dict[str, str]:
    """Fill an empty district database; returns {short name: student id} for the tests."""
    now = now or datetime(2026, 1, 10, 12, 0)
    secret = db.settings.get("person_key_secret") or "11" * 32
    with db.session(user="sample") as s:
        for code in (PREV, TERM):
            ensure_term(s, code)
        for code, name, cat, stage in SCHOOLS:
            if s.get(School, code) is None:
                s.add(School(code=code, name=name, district_code=db.district_code or "D01",
                             category=cat, stages=stage))
        s.flush()
        classes = _classes(s)
        students = _students(s, classes, secret)
        comps = _competitions(s)
        _awards(s, students, comps)
        _projects(s, students)
        _evaluations(s, students)
        _import_log(s, now)
    return students


def _classes(s) -> dict[str, SchoolClass]:
    out = {}
    for key, school, year, grade in [("U1-24", "U1", 2024, 6), ("U1-25", "U1", 2025, 5),
                                     ("U2-25", "U2", 2025, 7), ("T1-25", "T1", 2025, 8),
                                     ("R1-25", "R1", 2025, 4)]:
        out[key] = SchoolClass(school_code=school, school_year=year, grade=grade, class_no=1,
                               adviser_name=f"{school}班主任")
        s.add(out[key])
    s.flush()
    return out


# short name, school, class key, stage, status, national number (only for the person key), deleted
STUDENTS = [
    ("a0", "U1", "U1-24", "primary", "graduated", "G0001", False),   # the mover, primary row
    ("a1", "U1", "U1-25", "primary", "enrolled", "G0002", False),
    ("a2", "U1", "U1-25", "primary", "enrolled", "G0003", False),
    ("a3", "U1", "U1-25", "primary", "enrolled", "G0004", False),
    ("a4", "U1", "U1-25", "primary", "enrolled", "G0005", False),
    ("b1", "U2", "U2-25", "junior", "enrolled", "G0001", False),    # the mover, junior row
    ("b2", "U2", "U2-25", "junior", "enrolled", "G0006", False),
    ("b3", "U2", "U2-25", "junior", "enrolled", "G0007", False),
    ("c1", "T1", "T1-25", "junior", "enrolled", "G0008", False),
    ("c2", "T1", "T1-25", "junior", "enrolled", "G0009", False),
    ("c3", "T1", "T1-25", "junior", "enrolled", "G0010", False),
    ("d1", "R1", "R1-25", "primary", "enrolled", "G0011", False),
    ("d2", "R1", "R1-25", "primary", "enrolled", "G0012", False),
    ("d3", "R1", "R1-25", "primary", "enrolled", "G0013", True),    # tombstone: ignored everywhere
]
NAMES = {"a0": "林小川", "a1": "王一鸣", "a2": "李思远", "a3": "张晓雨", "a4": "陈浩然", "b1": "林小川",
         "b2": "赵子涵", "b3": "周雨桐", "c1": "吴俊杰", "c2": "郑可欣", "c3": "孙博文", "d1": "马文静",
         "d2": "胡天宇", "d3": "朱明轩"}


def _students(s, classes, secret: str) -> dict[str, str]:
    out = {}
    for short, school, cls, stage, status, no, deleted in STUDENTS:
        st = Student(school_code=school, national_student_no=None, person_key=person_key(secret, no),
                     name=NAMES[short], gender="M" if short[1] in "13" else "F", stage=stage,
                     birth_date=date(2013, 5, 1) if stage == "junior" else date(2015, 5, 1),
                     class_id=classes[cls].id, status=status, deleted=deleted)
        s.add(st)
        s.flush()
        out[short] = st.id
        cl = classes[cls]
        s.add(Enrollment(school_code=school, student_id=st.id, class_id=cl.id, school_year=cl.school_year,
                         start_date=date(cl.school_year, 9, 1),
                         end_date=date(2025, 7, 10) if status == "graduated" else None,
                         reason="entry"))
    return out


def _competitions(s) -> dict[str, str]:
    out = {}
    for key, name, discipline in [("ai", "全国青少年人工智能创新挑战赛", "人工智能"),
                                  ("phy", "省中学生物理竞赛", "物理"), ("math", "市中小学数学竞赛", "数学"),
                                  ("ai2", "省青少年科技创新大赛（人工智能）", "人工智能")]:
        c = Competition(school_code="", name=name, discipline=discipline)
        s.add(c)
        s.flush()
        out[key] = c.id
    return out


# result key, school, competition, term, level, award, members, extra (deleted / verification)
AWARDS = [
    ("r1", "U1", "ai", TERM, "national", "first", ["a1", "a2"], {}),
    ("r2", "U2", "phy", TERM, "provincial", "second", ["b1"], {}),
    ("r3", "T1", "math", TERM, "municipal", "third", ["c1"], {}),
    ("r4", "R1", "ai", TERM, "district", "excellence", ["d1"], {}),
    ("r5", "U2", "ai2", TERM, "provincial", "first", ["b1"], {}),
    ("r6", "T1", "ai", TERM, "national", "special", ["c2"], {"deleted": True}),
    ("r7", "T1", "ai", TERM, "national", "gold", ["c3"], {"verification": "rejected"}),
    ("r8", "U1", "math", PREV, "school", "participation", ["a0"], {}),
    ("r9", "R1", "math", TERM, "school", "first", ["d2"], {"member_deleted": True}),
    ("r10", "R1", "math", TERM, "district", "third", ["d3"], {}),
]


def _awards(s, students, comps) -> None:
    for key, school, comp, term, level, award, members, extra in AWARDS:
        r = CompetitionResult(school_code=school, competition_id=comps[comp], school_year=int(term[:4]),
                              term_code=term, level=level, award=award,
                              award_date=date(2025, 11, 1) if term == TERM else date(2025, 5, 1),
                              is_team=len(members) > 1, verification=extra.get("verification", "verified"),
                              deleted=extra.get("deleted", False), work_title=key)
        s.add(r)
        s.flush()
        for m in members:
            s.add(CompetitionResultMember(school_code=school, result_id=r.id, student_id=students[m],
                                          deleted=extra.get("member_deleted", False)))


# project, school, kind, start, end, status, members, deleted, member deleted
PROJECTS = [
    ("p1", "U1", "engineering", date(2025, 9, 10), None, "in_progress", ["a1", "a3"], False, False),
    ("p2", "T1", "research", date(2025, 3, 1), date(2025, 6, 30), "concluded", ["c1", "c2"], False, False),
    ("p3", "R1", "invention", date(2025, 9, 15), date(2025, 12, 20), "concluded", ["d1"], False, False),
    ("p4", "U2", "software", date(2025, 9, 20), None, "in_progress", ["b2"], True, False),
    ("p5", "U2", "pbl", date(2025, 10, 1), None, "in_progress", ["b3"], False, True),
    ("p6", "U1", "research", date(2025, 3, 1), date(2025, 6, 20), "concluded", ["a0"], False, False),
]
TITLES = {"p1": "智能垃圾分类装置", "p2": "家乡河流水质调查", "p3": "自动浇花器", "p4": "校园导览小程序",
          "p5": "跨学科节气研究", "p6": "校园气象站"}


def _projects(s, students) -> None:
    for key, school, kind, start, end, status, members, deleted, m_deleted in PROJECTS:
        p = InnovationProject(school_code=school, title=TITLES[key], kind=kind, discipline="科学",
                              term_code=TERM if start >= date(2025, 9, 1) else PREV,
                              start_date=start, end_date=end, status=status, deleted=deleted)
        s.add(p)
        s.flush()
        for i, m in enumerate(members):
            s.add(ProjectMember(school_code=school, project_id=p.id, student_id=students[m],
                                role="leader" if i == 0 else "member", deleted=m_deleted))


# student, term, dimension, role, score, deleted
EVALUATIONS = [
    ("a1", TERM, "innovation", "teacher", 90, False), ("a1", TERM, "innovation", "teacher", 80, False),
    ("a1", TERM, "innovation", "self", 100, False),
    ("a2", TERM, "innovation", "teacher", 70, False),
    ("b1", TERM, "innovation", "mentor", 95, False), ("b1", TERM, "innovation", "adviser", 85, False),
    ("c1", TERM, "innovation", "teacher", 60, False), ("c1", TERM, "innovation", "peer", 40, False),
    ("d1", TERM, "innovation", "teacher", 92, False),
    ("a1", TERM, "moral", "adviser", 90, False),
    ("c2", TERM, "moral", "adviser", 80, False), ("c2", TERM, "moral", "teacher", 10, True),
    ("d3", TERM, "innovation", "teacher", 50, False),
    ("a0", PREV, "innovation", "teacher", 80, False),
    ("a1", PREV, "innovation", "teacher", 90, False),
    ("c1", PREV, "innovation", "teacher", 55, False),
    ("a1", PREV, "moral", "teacher", 70, False),
]
SCHOOL_OF = {short: school for short, school, *_ in STUDENTS}


def _evaluations(s, students) -> None:
    for short, term, dim, role, score, deleted in EVALUATIONS:
        level = "A" if score >= 90 else "B" if score >= 80 else "C" if score >= 60 else "D"
        s.add(ProcessEvaluation(school_code=SCHOOL_OF[short], student_id=students[short], term_code=term,
                                dimension=dim, level=level, score=score, evaluator_role=role,
                                evaluator_name="评价人", eval_date=date(2025, 10, 1) if term == TERM else date(2025, 4, 1),
                                deleted=deleted))


def _import_log(s, now: datetime) -> None:
    """U1 up to date; U2 has a gap (sequence 2 missing); T1 last bundle 40 days ago; R1 only a
    rejected bundle, so it never sent a good one."""
    rows = [("U1", 1, 20, "imported"), ("U1", 2, 9, "imported"), ("U1", 3, 2, "imported"),
            ("U1", 3, 1, "duplicate"), ("U2", 1, 15, "imported"), ("U2", 3, 3, "imported"),
            ("T1", 1, 40, "imported"), ("R1", 1, 5, "rejected")]
    for school, seq, days_ago, result in rows:
        s.add(ImportLog(school_code=school, sequence=seq, file_name=f"{school}-{seq:06d}.gdbundle.zip",
                        imported_at=now - timedelta(days=days_ago), imported_by="district", result=result))


def create_sample_district(target, now: datetime | None = None) -> tuple[Database, dict[str, str]]:
    """A new district database (path or URL) filled with the sample; returns (db, student ids)."""
    from ..setup import create_district

    db = create_district(target, "D01", "示例区")
    return db, build_sample_district(db, now)
