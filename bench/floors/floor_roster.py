"""Floor for `roster import --yes`: openpyxl read-only over the sheet, one student row per line
inserted with sqlite3 executemany into the school's `student` table, one transaction.

    python bench/floors/floor_roster.py SCHOOL.db ROSTER.xlsx
"""
import sqlite3
import sys
import uuid

from openpyxl import load_workbook

db, path = sys.argv[1], sys.argv[2]
book = load_workbook(path, read_only=True, data_only=True)
rows = book.active.iter_rows(values_only=True)
for row in rows:  # the header row
    if row and "姓名" in row:
        header = list(row)
        break
name, gender, number, birth = (header.index(h) for h in ("姓名", "性别", "全国学籍号", "出生日期"))
now = "2025-09-01T08:00:00.000000"
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA synchronous=NORMAL")
con.executemany(
    "INSERT INTO student (id, school_code, created_at, updated_at, updated_by, usn, deleted, national_student_no,"
    " person_key, name, name_pinyin, gender, birth_date, stage, status, note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    ((str(uuid.uuid4()), "S0001", now, now, "floor", 1, 0, r[number], "", r[name], "", "M" if r[gender] == "男" else "F",
      r[birth].date().isoformat(), "junior", "enrolled", "") for r in rows if r and r[number]))
con.commit()
con.close()
