"""Review queue figures (issue 15): a teacher with 6 classes (270 students) and 2,000 pending
records — the queue opens in ≤ 300 ms and 500 records are bulk-approved in ≤ 1 s.

    .venv/bin/python bench/bench_review.py [--classes 6] [--per-class 45] [--pending 2000] [--approve 500]

Each figure is the service call the review screen makes (``review.review_queue`` with the
problems the reviewer looks at; ``review.approve`` + commit), against a floor doing the bare
work with ``sqlite3`` in the same run (the same union query; an ``executemany`` UPDATE).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from growthdesk.db import open_database, write_settings  # noqa: E402
from growthdesk.models import (CompetitionResult, CompetitionResultMember, InnovationProject, ProjectLogEntry,  # noqa: E402
                               ProjectMember, SelfRecord)
from growthdesk.services import competitions, review, students, terms, users  # noqa: E402

TERM = "2026-2027-1"
AI = "be30a847-657d-5497-b722-be1a0a9f3b35"
QUEUE_TARGET, APPROVE_TARGET = 0.300, 1.0


def build(path: Path, n_classes: int, per_class: int, pending: int, seed: int = 1) -> list[str]:
    rnd = random.Random(seed)
    db = open_database(path, create=True)
    with db.session() as s:
        write_settings(s, {"kind": "school", "school_code": "S0001", "school_name": "示例市第一中学",
                           "district_code": "D01", "district_name": "示例区", "person_key_secret": "11" * 32})
    db.reload_settings()
    ids: list[str] = []
    with db.session() as s:
        competitions.load_national_catalog(s)
        t = users.create_user(s, "teacher", "周老师", "teacher", "secret123")
        for c in range(1, n_classes + 1):
            cls = students.create_class(s, 2026, 7 + (c - 1) // 3, (c - 1) % 3 + 1)
            users.assign_class(s, t.id, cls.id, "科学")
            for i in range(per_class):
                body = f"44010620{c:02d}{i:07d}"
                st = students.create_student(s, national_student_no="G" + body + students.gb11643_check(body),
                                             name=f"学生{c}-{i}", gender="MF"[i % 2], birth_date=date(2013, 5, 1),
                                             class_id=cls.id)
                ids.append(st.id)
    base = datetime(2026, 10, 1, 8, 0)
    with db.session() as s:
        terms.ensure_term(s, TERM)
        sub = dict(state="submitted", entered_role="student", entered_by="s", entered_at=base)
        for k in range(pending):
            sid = ids[rnd.randrange(len(ids))]
            when = base + timedelta(minutes=k)
            d = date(2026, 9, 1) + timedelta(days=k % 60)
            kind = k % 10
            if kind < 6:
                s.add(SelfRecord(student_id=sid, term_code=TERM, kind="activity", title=f"志愿服务{k}", activity_date=d,
                                 place="社区", hours=2, role="志愿者", reflection="收获", submitted_at=when, **sub))
            elif kind < 8:
                r = CompetitionResult(competition_id=AI, school_year=2026, term_code=TERM, level="district",
                                      award="first", award_date=d, submitted_at=when, **sub)
                s.add(r)
                s.flush()
                s.add(CompetitionResultMember(result_id=r.id, student_id=sid))
            else:
                p = InnovationProject(title=f"课题{k}", kind="research", term_code=TERM, start_date=d,
                                      submitted_at=when, **sub)
                s.add(p)
                s.flush()
                s.add(ProjectMember(project_id=p.id, student_id=sid, role="leader"))
                if kind == 9:
                    s.add(ProjectLogEntry(project_id=p.id, stage="opening", entry_date=d, content="开题报告",
                                          submitted_at=when, **sub))
    db.close()
    return ids


FLOOR_SQL = """
SELECT * FROM (
 SELECT 'self_record', r.id, r.student_id, r.title, r.activity_date, r.submitted_at FROM self_record r
   JOIN student st ON st.id = r.student_id WHERE r.state='submitted' AND NOT r.deleted AND st.class_id IN ({c})
 UNION ALL
 SELECT 'result', r.id, m.student_id, c.name, r.award_date, r.submitted_at FROM competition_result r
   JOIN competition_result_member m ON m.result_id = r.id AND NOT m.deleted JOIN competition c ON c.id = r.competition_id
   JOIN student st ON st.id = m.student_id WHERE r.state='submitted' AND NOT r.deleted AND st.class_id IN ({c})
 UNION ALL
 SELECT 'project', p.id, m.student_id, p.title, p.start_date, p.submitted_at FROM innovation_project p
   JOIN project_member m ON m.project_id = p.id AND NOT m.deleted
   JOIN student st ON st.id = m.student_id WHERE p.state='submitted' AND NOT p.deleted AND st.class_id IN ({c})
 UNION ALL
 SELECT 'project_log', l.id, m.student_id, l.content, l.entry_date, l.submitted_at FROM project_log_entry l
   JOIN project_member m ON m.project_id = l.project_id AND NOT m.deleted
   JOIN student st ON st.id = m.student_id WHERE l.state='submitted' AND NOT l.deleted AND st.class_id IN ({c})
) q JOIN student s2 ON s2.id = q.student_id ORDER BY 6
"""


def floor_queue(path: Path) -> tuple[float, int]:
    con = sqlite3.connect(path)
    classes = [r[0] for r in con.execute("SELECT id FROM school_class")]
    sql = FLOOR_SQL.replace("{c}", ",".join("?" * len(classes)))
    t = time.perf_counter()
    rows = con.execute(sql, classes * 4).fetchall()
    dt = time.perf_counter() - t
    con.close()
    return dt, len(rows)


def floor_approve(path: Path, items) -> float:
    con = sqlite3.connect(path)
    t = time.perf_counter()
    for table in ("self_record", "competition_result", "innovation_project", "project_log_entry"):
        rows = [(rid,) for rt, rid in items if review.MODELS[rt].__tablename__ == table]
        con.executemany(f"UPDATE {table} SET state='approved', reviewed_by='teacher' WHERE id=?", rows)
    con.commit()
    dt = time.perf_counter() - t
    con.close()
    return dt


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--classes", type=int, default=6)
    ap.add_argument("--per-class", type=int, default=45)
    ap.add_argument("--pending", type=int, default=2000)
    ap.add_argument("--approve", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "review.db"
        t = time.perf_counter()
        build(path, args.classes, args.per_class, args.pending)
        print(f"setup: {args.classes} classes, {args.classes * args.per_class} students, {args.pending} pending "
              f"records ({time.perf_counter() - t:.1f} s, not measured)")
        floor_q, n_floor = floor_queue(path)
        db = open_database(path)
        # warm: the first open of the day pays for imports and the page cache once
        with db.session(user="teacher") as s:
            review.review_queue(s, limit=5)
        t = time.perf_counter()
        with db.session(user="teacher") as s:
            rows = review.review_queue(s)
            problems = review.queue_problems(s, rows[:50])  # the rows on screen get their "look"
        open_s = time.perf_counter() - t
        items = []
        seen = set()
        for r in rows:
            if (r.record_type, r.record_id) not in seen:
                seen.add((r.record_type, r.record_id))
                items.append((r.record_type, r.record_id))
        items = items[:args.approve]
        db.close()
        import shutil
        shutil.copyfile(path, Path(tmp) / "floor.db")
        floor_a = floor_approve(Path(tmp) / "floor.db", items)
        db = open_database(path)
        t = time.perf_counter()
        with db.session(user="teacher") as s:
            n = review.approve(s, items)
        approve_s = time.perf_counter() - t
        with db.session(user="teacher") as s:
            left = len(review.review_queue(s))
        db.close()
    print(f"review queue open: {open_s * 1000:.0f} ms for {len(rows)} rows ({len(problems)} results checked) — "
          f"floor (bare sqlite3 query) {floor_q * 1000:.0f} ms for {n_floor} rows, ratio {open_s / max(floor_q, 1e-9):.1f}×; "
          f"target ≤ {QUEUE_TARGET * 1000:.0f} ms")
    print(f"bulk approve: {approve_s * 1000:.0f} ms for {n} records — floor (executemany UPDATE) "
          f"{floor_a * 1000:.0f} ms, ratio {approve_s / max(floor_a, 1e-9):.1f}×; target ≤ {APPROVE_TARGET * 1000:.0f} ms; "
          f"{left} rows left in the queue")
    ok = open_s <= QUEUE_TARGET and approve_s <= APPROVE_TARGET and n == len(items)
    print("OK" if ok else "MISSED TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
