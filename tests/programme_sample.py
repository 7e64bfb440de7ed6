"""A small district with a primary, a junior and a senior school and three programmes (one per
tier), for the programme tests. Built on ``stats.sample`` (schools U1/R1 primary, U2/T1 junior)
plus a senior school H1 (town) with three students: the mover G0001 (U1 → U2 → H1), G0009
(T1 → H1) and a newcomer G0020.

Members (person by national number, school selected at):
  小学 P1 科创苗子班 (人工智能):   G0001 a0 U1 urban · G0002 a1 U1 urban · G0011 d1 R1 rural
  初中 P2 学科特长班 (物理、人工智能): G0001 b1 U2 urban · G0008 c1 T1 town (leaves) · G0009 c2 T1 town
  高中 P3 拔尖人才班:              G0001 h1 H1 town · G0020 h3 H1 town
"""

from __future__ import annotations

from datetime import date

from growthdesk.models import Enrollment, School, SchoolClass, Student
from growthdesk.services import programmes as svc
from growthdesk.services.students import person_key
from growthdesk.stats.sample import TERM, create_sample_district


def build(target):
    db, ids = create_sample_district(target)
    secret = db.settings.get("person_key_secret") or "11" * 32
    with db.session(user="sample") as s:
        s.add(School(code="H1", name="县第一高级中学", district_code="D01", category="town", stages="senior"))
        s.flush()
        cl = SchoolClass(school_code="H1", school_year=2025, grade=10, class_no=1)
        s.add(cl)
        s.flush()
        for short, no, name in (("h1", "G0001", "林小川"), ("h2", "G0009", "郑可欣"), ("h3", "G0020", "高远")):
            st = Student(school_code="H1", person_key=person_key(secret, no), name=name, gender="F", stage="senior",
                         class_id=cl.id, status="enrolled", birth_date=date(2010, 1, 1))
            s.add(st)
            s.flush()
            ids[short] = st.id
            s.add(Enrollment(school_code="H1", student_id=st.id, class_id=cl.id, school_year=2025,
                             start_date=date(2025, 9, 1), reason="entry"))
    with db.session(user="staff") as s:
        ins = {k: svc.add_mentor(s, kind="in_school", name=n, mentor_school=sc).id
               for k, n, sc in (("u1", "刘老师", "U1"), ("u2", "陈老师", "U2"), ("h1", "何老师", "H1"))}
        ext = {k: svc.add_mentor(s, kind="external", name=n, institution=inst, field=fld, contact="办公室").id
               for k, n, inst, fld in (("ai", "周教授", "示例大学", "人工智能"), ("phy", "钱研究员", "示例研究所", "物理"))}
        p1 = svc.create_programme(s, name="科创苗子班", tier="小学", start_term=TERM, disciplines="人工智能", capacity=10)
        p2 = svc.create_programme(s, name="学科特长班", tier="junior", start_term=TERM, disciplines=["物理", "人工智能"])
        p3 = svc.create_programme(s, name="拔尖人才班", tier="senior", start_term=TERM)
        members = {}
        for prog, short, mi, me in ((p1, "a0", "u1", "ai"), (p1, "a1", "u1", "ai"), (p1, "d1", "u1", "ai"),
                                    (p2, "b1", "u2", "phy"), (p2, "c1", "u2", "phy"), (p2, "c2", "u2", "ai"),
                                    (p3, "h1", "h1", "ai"), (p3, "h3", "h1", "phy")):
            members[short] = svc.add_member(s, prog.id, student_id=ids[short], joined_on=date(2025, 9, 15),
                                            in_mentor_id=ins[mi], ext_mentor_id=ext[me]).id
    return db, ids, {"p1": p1.id, "p2": p2.id, "p3": p3.id, "members": members, "in": ins, "ext": ext}
