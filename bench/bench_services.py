"""Service-layer figures: per-call cost of the common writes, and class_term_scores for a
500-student grade (the reports and the UI grid call it for a whole class or grade).

    .venv/bin/python bench/bench_services.py [--students 500] [--evals-per-student 56]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path

from growthdesk.db import open_database, write_settings
from growthdesk.services import evaluations, rubric, students

TERM = "2025-2026-1"


def timed(label: str, n: int, fn) -> float:
    t = time.perf_counter()
    fn()
    dt = time.perf_counter() - t
    print(f"{label}: {dt:.3f} s total, {dt / max(n, 1) * 1000:.2f} ms each (n={n})")
    return dt


def build(db, n_students: int) -> list[str]:
    ids: list[str] = []

    def make():
        with db.session(user="bench") as s:
            classes = [students.create_class(s, 2025, 7, c) for c in range(1, n_students // 45 + 2)]
            for i in range(n_students):
                body = f"4401062012{i:07d}"
                st = students.create_student(s, national_student_no="G" + body + students.gb11643_check(body),
                                             name=f"学生{i}", gender="MF"[i % 2], birth_date=date(2012, 5, 1),
                                             class_id=classes[i // 45].id)
                ids.append(st.id)
    timed("create_student (one transaction)", n_students, make)
    return ids


def grid_writes(db, ids: list[str], n: int) -> None:
    dims = rubric.default_rubric().dimension_codes

    def run():
        with db.session(user="bench") as s:
            for k in range(n):
                evaluations.set_grid_level(s, student_id=ids[k % len(ids)], term_code=TERM, dimension=dims[k % 7],
                                           evaluator_role="teacher", evaluator_name="周老师", level="ABCD"[k % 4])
    timed("set_grid_level (new cells, one transaction)", n, run)


def bulk_evaluations(path: Path, ids: list[str], per_student: int) -> int:
    """Fill the term with evaluations straight through sqlite3 (speed of setup, not measured)."""
    rng = random.Random(7)
    dims = rubric.default_rubric().dimension_codes
    roles = ["self", "peer", "teacher", "adviser", "parent", "mentor"]
    now = datetime(2026, 1, 1).isoformat(" ")
    rows = []
    for sid in ids:
        for k in range(per_student):
            score = rng.choice([95, 85, 75, 55])
            rows.append((str(uuid.uuid4()), "S0001", now, now, "bench", 9, 0, sid, TERM, dims[k % 7], "",
                         "ABCD"[[95, 85, 75, 55].index(score)], score, roles[k % len(roles)], "", "", "2025-10-10"))
    con = sqlite3.connect(path)
    con.executemany("INSERT INTO process_evaluation (id, school_code, created_at, updated_at, updated_by, usn, deleted,"
                    " student_id, term_code, dimension, indicator, level, score, evaluator_role, evaluator_name,"
                    " comment, eval_date) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    con.commit()
    con.close()
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=500)
    ap.add_argument("--evals-per-student", type=int, default=56)
    args = ap.parse_args()
    path = Path(tempfile.mkdtemp()) / "bench.db"
    db = open_database(path, create=True)
    with db.session() as s:
        write_settings(s, {"kind": "school", "school_code": "S0001", "person_key_secret": "ab" * 32})
    db.reload_settings()
    ids = build(db, args.students)
    grid_writes(db, ids, 315)   # one class × 7 dimensions
    n = bulk_evaluations(path, ids, args.evals_per_student)
    print(f"process evaluations in the term: {n + 315}")
    with db.session() as s:
        r = rubric.active_rubric(s)
        for rep in range(3):
            t = time.perf_counter()
            out = rubric.class_term_scores(s, ids, TERM, r)
            dt = time.perf_counter() - t
            print(f"class_term_scores, {len(ids)} students, run {rep + 1}: {dt * 1000:.1f} ms "
                  f"({sum(len(v) for v in out.values())} scores)")
        t = time.perf_counter()
        overall = [rubric.overall_score(v, r) for v in out.values()]
        print(f"overall_score × {len(overall)}: {(time.perf_counter() - t) * 1000:.1f} ms")
        t = time.perf_counter()
        rubric.class_value_added(s, ids, TERM, r)
        print(f"class_value_added, {len(ids)} students: {(time.perf_counter() - t) * 1000:.1f} ms")
    db.close()


if __name__ == "__main__":
    main()
