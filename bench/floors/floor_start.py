"""Floor for the app start: a PySide6 process that registers the bundled Chinese font, reads the
current students with sqlite3 and shows a main window with them in a table view, then exits.

    python bench/floors/floor_start.py SCHOOL.db
"""
import os
import sqlite3
import sys
from pathlib import Path

from PySide6.QtGui import QFontDatabase, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

app = QApplication(sys.argv)
fonts = Path(__file__).resolve().parents[2] / "resources" / "fonts"
QFontDatabase.addApplicationFont(str(next(fonts.glob("DroidSansFallback*.ttf"))))
con = sqlite3.connect(sys.argv[1])
rows = con.execute("SELECT name, gender, national_student_no FROM student WHERE deleted = 0 ORDER BY name").fetchall()
model = QStandardItemModel(len(rows), 3)
for i, row in enumerate(rows):
    for j, cell in enumerate(row):
        model.setItem(i, j, QStandardItem(str(cell)))
win = QMainWindow()
view = QTableView()
view.setModel(model)
win.setCentralWidget(view)
win.resize(1366, 768)
win.show()
app.processEvents()
print("SHOWN", len(rows), flush=True)
os._exit(0)
