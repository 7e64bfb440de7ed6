"""No English in the Chinese UI (issue 12): open every window and dialog in zh_CN, collect the
text a person can read (labels, buttons, headers, placeholders, combo items, tabs, menus,
window titles, message boxes, tool tips) and fail on English words. A small explicit allow-list
covers product and file-format names and key names."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QImage
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QComboBox, QDialog, QGroupBox, QLabel,
                               QLineEdit, QListWidget, QMenu, QMessageBox, QPlainTextEdit, QTableView, QTabWidget, QTextEdit, QTreeView,
                               QWidget)

from growthdesk.models.enums import PROJECT_KINDS, PROJECT_LOG_STAGES
from tests.test_ui_helpers import PASSWORD, school_template, ui_school, user, wait_ops  # noqa: F401

ALLOWED = {"GrowthDesk", "Excel", "PDF", "WPS", "Ctrl", "Shift", "Alt", "Enter", "Delete", "Del", "Esc", "Tab",
           "Backspace", "Home", "End", "PgUp", "PgDown", "Return", "Space", "xlsx", "xls", "csv", "pdf", "jpg",
           "jpeg", "png", "bmp", "zip", "gdbundle", "json", "USB", "KB", "MB", "GB", "ID", "HMAC", "SHA", "UTF"}
WORD = re.compile(r"[A-Za-z]{2,}")


def _texts(w: QWidget) -> list[str]:
    out: list[str] = []
    widgets = [w] + w.findChildren(QWidget)
    for x in widgets:
        if not x.isVisibleTo(w) and x is not w and not isinstance(x, QMenu):
            continue
        if x.isWindow():
            out.append(x.windowTitle())
        out.append(x.toolTip())
        if isinstance(x, QLabel):
            out.append(re.sub(r"<[^>]+>", " ", x.text()))
        elif isinstance(x, QAbstractButton):
            out.append(x.text())
        elif isinstance(x, QLineEdit):
            out.append(x.placeholderText())
        elif isinstance(x, (QPlainTextEdit, QTextEdit)):
            out.append(x.placeholderText())
        elif isinstance(x, QComboBox):
            out += [x.itemText(i) for i in range(x.count())]
            if x.lineEdit() is not None:
                out.append(x.lineEdit().placeholderText())
        elif isinstance(x, QTabWidget):
            out += [x.tabText(i) for i in range(x.count())]
        elif isinstance(x, QGroupBox):
            out.append(x.title())
        elif isinstance(x, QListWidget):
            out += [x.item(i).text() for i in range(min(x.count(), 50))]
        if isinstance(x, (QTableView, QTreeView)) and x.model() is not None:
            from PySide6.QtCore import QModelIndex
            m = x.model()
            cols = m.columnCount(QModelIndex())
            out += [str(m.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(cols)]
            for r in range(min(m.rowCount(QModelIndex()), 30)):
                out += [str(m.index(r, c).data() or "") for c in range(cols)]
        if isinstance(x, QMessageBox):
            out += [x.text(), x.informativeText()]
    for act in w.findChildren(QAction):
        out += [act.text(), act.toolTip() if act.toolTip() != act.text().replace("&", "") else ""]
    for menu in w.findChildren(QMenu):
        out.append(menu.title())
    return [t for t in out if t]


DATA = re.compile(r"https?://\S*|(?:[A-Za-z]:)?[/\\][^\s：:，,）)]+|<[^>]+>|&\w+;")  # links, paths, markup


def _english(texts: list[str], data: set[str] = frozenset()) -> list[str]:
    bad = []
    for t in texts:
        for word in WORD.findall(DATA.sub(" ", t)):
            if word not in ALLOWED and word not in data:
                bad.append(f"{word!r} in {t!r}")
    return bad


class Walk:
    def __init__(self, data: set[str] = frozenset()) -> None:
        self.found: dict[str, list[str]] = {}
        self.data = set(data)  # what users typed (logins), not the UI's words

    def check(self, name: str, w: QWidget) -> None:
        QApplication.processEvents()
        bad = _english(_texts(w), self.data)
        if bad:
            self.found[name] = sorted(set(bad))[:12]

    def boxes(self, name: str, parent: QWidget) -> None:
        for box in parent.findChildren(QMessageBox):
            if box.isVisible():
                self.check(name, box)
                box.close()


def _data(db, info) -> dict:
    """An award, a project with a log entry, an evaluation and a link, so that every editor
    and every tab of the student page has something in it."""
    from growthdesk.services import competitions, evaluations, evidence, projects
    sid = info["student_ids"][0]
    with db.session(user="fixture") as s:
        comp = competitions.list_competitions(s)[0]
        res = competitions.record_result(s, competition_id=comp.id, student_ids=info["student_ids"][:2],
                                         level="district", award="first", award_date=date.today())
        proj = projects.create_project(s, title="校园雨水回收装置", kind=next(iter(PROJECT_KINDS)), discipline="科学",
                                       term_code=info["term"], start_date=date.today(), members=[(sid, "leader")])
        projects.add_log_entry(s, proj.id, next(iter(PROJECT_LOG_STAGES)), date.today(), "完成开题报告。")
        ev = evaluations.record_process_evaluation(s, student_id=sid, term_code=info["term"], dimension="moral",
                                                   level="A", evaluator_role="teacher", evaluator_name="李老师")
        evidence.attach_link(s, owner_type="student", owner_id=sid, url="https://example.org/v")
    return {"result": res.id, "project": proj.id if proj else None, "evaluation": ev.id}


def test_every_window_and_dialog_in_chinese_has_no_english(qtbot, ui_school, tmp_path):
    from growthdesk.ui import editors, tools
    from growthdesk.ui.login import FirstRunDialog, LoginDialog
    from growthdesk.ui.main_window import MainWindow
    db, info = ui_school
    ids = _data(db, info)
    walk = Walk({"admin", "teacher", "adviser"})  # the accounts' login names are data

    login = LoginDialog(db)
    qtbot.addWidget(login)
    login.show()
    walk.check("LoginDialog", login)
    first = FirstRunDialog(tmp_path / "new.db")
    qtbot.addWidget(first)
    first.show()
    walk.check("FirstRunDialog", first)

    win = MainWindow(db, user(db, "admin"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.select_class(info["class_id"])
    win.select_student(info["student_ids"][0])
    for i in range(win.tabs.count()):
        win.tabs.setCurrentIndex(i)
        walk.check(f"MainWindow tab {i}", win)
    for i in range(win.page.count()):
        win.page.setCurrentIndex(i)
        walk.check(f"student page tab {i}", win.page)
    win.tabs.setCurrentIndex(0)

    def dialog(name, make):
        dlg = make()
        if dlg is None:
            walk.found[name] = ["did not open"]
            return None
        qtbot.waitUntil(dlg.isVisible, timeout=5000)
        walk.check(name, dlg)
        return dlg

    for name, make in [
        ("StudentDialog new", lambda: editors.new_student(win)),
        ("StudentDialog edit", lambda: editors.edit_student(win, info["student_ids"][0])),
        ("ResultDialog new", lambda: editors.new_result(win, [info["student_ids"][0]])),
        ("ResultDialog edit", lambda: editors.edit_result(win, ids["result"])),
        ("ProjectDialog new", lambda: editors.new_project(win, info["student_ids"][0])),
        ("EvaluationDialog new", lambda: editors.new_evaluation(win, info["student_ids"][0])),
        ("EvaluationDialog edit", lambda: editors.edit_evaluation(win, ids["evaluation"])),
        ("LinkDialog", lambda: editors.add_link(win, info["student_ids"][0])),
        ("AccountsDialog", lambda: editors.manage_accounts(win)),
        ("CompetitionsDialog", lambda: editors.manage_competitions(win)),
    ] + ([("ProjectDialog edit", lambda: editors.edit_project(win, ids["project"])),
          ("LogEntryDialog", lambda: editors.add_project_log(win, ids["project"])),
          ("OutcomeDialog", lambda: editors.add_project_outcome(win, ids["project"]))] if ids["project"] else []):
        dlg = dialog(name, make)
        if name == "AccountsDialog" and dlg is not None:
            editors._open_account(dlg)
            for child in dlg.findChildren(QDialog):
                if child.isVisible():
                    walk.check("AccountDialog", child)
                    child.reject()
        if name == "CompetitionsDialog" and dlg is not None:
            walk.check("CompetitionDialog", dlg.add())
        if name == "ResultDialog new" and dlg is not None:
            walk.check("CompetitionDialog from award", dlg.add_local_competition())
        for child in win.findChildren(QDialog):
            if child.isVisible() and not isinstance(child, QMessageBox):
                child.reject()
        QApplication.processEvents()

    for kind, rid in (("evaluation", ids["evaluation"]), ("result", ids["result"])):
        box = editors.delete_record(win, kind, rid, info["student_ids"][0])
        walk.check(f"delete {kind}", box)
        box.close()
    for name in ("actRoster", "actEntries", "actBundle", "actRetention", "actGuardian", "actProcessSettings",
                 "actArchive"):
        win.findChild(QAction, name).trigger()
        QApplication.processEvents()
        for child in win.findChildren(QDialog):
            if child.isVisible() and not isinstance(child, QMessageBox):
                walk.check(name, child)
                child.reject()
    win.show_shortcuts()
    walk.boxes("shortcuts", win)
    tools.print_portfolios_to(win, tmp_path / "class.pdf", True, open_after=False)
    wait_ops(qtbot, win, 60_000)
    walk.boxes("print result", win)
    pd = tools.print_portfolios_dialog(win, True)
    walk.check("PrintDialog", pd)
    pd.reject()
    win.class_id = None
    tools.save_sheet(win, "awards")
    walk.boxes("pick one class", win)
    tools.print_portfolios_dialog(win, True)
    walk.boxes("pick a class", win)

    assert not walk.found, "\n".join(f"{k}: {v}" for k, v in walk.found.items())


RAW_TERM = re.compile(r"\b20\d\d-20\d\d-[12]\b")


def test_district_window_and_import_dialog_in_chinese(qtbot, tmp_path, monkeypatch):
    """Every page of the district window (tables, filters, charts' labels) and the bundle import
    dialog: no English, no raw term codes (2025-2026-1), no UTC."""
    from datetime import datetime

    from growthdesk.stats.sample import create_sample_district
    from growthdesk.ui.district.window import DistrictWindow
    from growthdesk.ui.sync_import import BundleImportDialog
    from growthdesk.ui.app import make_app
    monkeypatch.setenv("GROWTHDESK_HOME", str(tmp_path / "home"))
    make_app("zh_CN")
    db, _ = create_sample_district(tmp_path / "district.db", datetime(2026, 1, 10))
    win = DistrictWindow(db, "district", behind_days=100_000)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitUntil(lambda: win.report is not None, timeout=15_000)
    schools = {r["school_name"] for r in win.report["schools"]} | {r["school_code"] for r in win.report["schools"]}
    walk = Walk(set().union(*(WORD.findall(x) for x in schools)))
    texts = []
    for i in range(win.tabs.count()):
        win.tabs.setCurrentIndex(i)
        page = win.tabs.currentWidget()
        if page is win.stats_page:
            for r in range(win.stats_page.list.count()):
                win.stats_page.list.setCurrentRow(r)
                QApplication.processEvents()
                walk.check(f"statistic {r}", win)
                texts += _texts(win) + list(win.stats_page.chart.labels)
        else:
            walk.check(f"district tab {i}", win)
            texts += _texts(win)
    raw = sorted({t for t in texts if RAW_TERM.search(t)})
    assert not raw, raw
    assert not any("UTC" in t for t in texts)
    dlg = BundleImportDialog(db, user="staff")
    qtbot.addWidget(dlg)
    dlg.show()
    walk.check("BundleImportDialog", dlg)
    win.runner.wait()
    assert not walk.found, "\n".join(f"{k}: {v}" for k, v in walk.found.items())
