"""Floor for `bundle import`: read every table CSV out of the bundle zip with the csv module and
insert the rows as they are (text cells, text keys) with sqlite3 executemany, one transaction.
No validation, no merge, no receipts: the bare work any importer must do.

    python bench/floors/floor_import.py DISTRICT.db BUNDLE
"""
import csv
import io
import sqlite3
import sys
import zipfile

db, bundle = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA synchronous=NORMAL")
with zipfile.ZipFile(bundle) as zf:
    for name in zf.namelist():
        if not name.endswith(".csv") or name == "deletions.csv":
            continue
        reader = csv.reader(io.TextIOWrapper(zf.open(name), encoding="utf-8", newline=""))
        table = name[:-4]
        header = next(reader)
        # An empty cell is NULL where the column allows it (as the bundle format says), else ''.
        notnull = {r[1] for r in con.execute(f'PRAGMA table_info("{table}")') if r[3]}
        keep = [c in notnull for c in header]
        sql = (f'INSERT INTO "{table}" ({",".join(header + ["usn", "deleted"])}) '
               f'VALUES ({",".join("?" * (len(header) + 2))})')
        con.executemany(sql, ([v if v or k else None for v, k in zip(row, keep)] + [1, 0] for row in reader))
con.commit()
con.close()
