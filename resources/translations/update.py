"""Refresh the Chinese translation of the desktop UI: lupdate → fill → lrelease.

English is the source language (``self.tr("Save")``). ``pyside6-lupdate`` collects the strings
into ``growthdesk_zh_CN.ts`` (the file translators edit, e.g. in Qt Linguist); this script then
fills strings that are still unfinished from ``ZH`` below — never overwriting a finished one —
and compiles ``growthdesk_zh_CN.qm``, which the app ships and loads.

    .venv/bin/python resources/translations/update.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TS = HERE / "growthdesk_zh_CN.ts"
QM = HERE / "growthdesk_zh_CN.qm"
UI = ROOT / "growthdesk" / "ui"
SOURCES = sorted(str(p) for p in UI.rglob("*.py")) + [str(ROOT / "growthdesk" / "app_launch.py")]

ZH = {
    "Retry": "重试",
    "Demo data: log in as %1 with the password %2.": "演示数据：请用账户 %1、密码 %2 登录。",
    "The newest automatic backup is %1. Restore it? The unusable file is kept beside it.":
        "最近的自动备份是 %1。要恢复它吗？无法使用的文件会保留在原处旁边。",
    "Restore backup": "恢复备份",
    "Quit": "退出",
    "New account": "新建账户",
    "Login": "登录名",
    "Display name": "姓名",
    "Role": "角色",
    "Password": "密码",
    "Teaches class": "任教班级",
    "(none)": "（无）",
    "Accounts": "账户管理",
    "New account…": "新建账户…",
    "Close": "关闭",
    "move down": "下移",
    "move right": "右移",
    "stay": "不动",
    "Evaluator role": "评价主体",
    "After a level": "输入等级后",
    "Arrows move · A/B/C/D set a level · Delete clears · Enter moves down · every change is saved at once":
        "方向键移动 · A/B/C/D 设定等级 · Delete 清除 · Enter 下移 · 每次修改立即保存",
    "Pick one class and a term to evaluate.": "请选择一个班级和学期再评价。",
    "Evaluator: %1": "评价人：%1",
    "Saving…": "正在保存…",
    "All changes saved": "已全部保存",
    "Not saved": "未保存",
    "New process evaluation": "新增过程性评价",
    "Dimension": "评价维度",
    "Indicator": "评价指标",
    "Level": "级别",
    "Evaluator": "评价人",
    "Date": "日期",
    "Comment": "评语",
    "(whole dimension)": "（整个维度）",
    "Welcome to GrowthDesk": "欢迎使用 GrowthDesk",
    "First start: load the setup file your district office sent, then create the school administrator's account.":
        "首次启动：请载入区教育局发来的学校设置文件，然后创建学校管理员账户。",
    "Browse…": "浏览…",
    "Setup file": "设置文件",
    "Admin login": "管理员登录名",
    "Your name": "您的姓名",
    "Repeat password": "再次输入密码",
    "School setup file": "学校设置文件",
    "Save": "保存",
    "Cancel": "取消",
    "Class average": "班级平均",
    "No evaluations recorded yet": "尚无评价记录",
    "This term": "本学期",
    "Across terms": "历学期变化",
    "This is a district database. The district window is not part of this version; use the command line "
    "(growthdesk stats, growthdesk bundle import).":
        "这是区级数据库。本版本没有区级窗口，请使用命令行（growthdesk stats、growthdesk bundle import）。",
    "Unlock GrowthDesk": "解锁 GrowthDesk",
    "Log in to GrowthDesk": "登录 GrowthDesk",
    "Log in": "登录",
    "Unlock": "解锁",
    "Attaching files…": "正在添加文件…",
    "The file of this evidence is not on this computer: %1": "这份佐证材料的文件不在本机：%1",
    "Idle lock": "闲置锁定",
    "Lock the window after this many idle minutes (0 = never):": "闲置多少分钟后锁定窗口（0 表示从不）：",
    "GrowthDesk — Student growth portfolios": "GrowthDesk 学生成长档案",
    "Pickers": "选择",
    "Search: name, pinyin initials or student no. (Ctrl+F)": "搜索：姓名、拼音首字母或学籍号（Ctrl+F）",
    "Term": "学期",
    "Class": "班级",
    "Students": "学生档案",
    "Class evaluation grid": "班级过程性评价",
    "Term evaluation": "期末评价",
    "&File": "文件(&F)",
    "Lock": "锁定",
    "Idle lock…": "闲置锁定…",
    "&Records": "记录(&R)",
    "New student…": "新增学生…",
    "Record award…": "录入获奖…",
    "New innovation project…": "新建科创项目…",
    "New process evaluation…": "新增过程性评价…",
    "Write term evaluation…": "填写期末评价…",
    "Attach evidence…": "添加佐证材料…",
    "&View": "查看(&V)",
    "Find student": "查找学生",
    "Refresh": "刷新",
    "&Admin": "管理(&A)",
    "Accounts…": "账户管理…",
    "&Help": "帮助(&H)",
    "About GrowthDesk": "关于 GrowthDesk",
    "Whole school": "全校",
    "%n student(s)": "%n 名学生",
    "Attach evidence": "添加佐证材料",
    "GrowthDesk %1\nOffline student growth portfolios for schools and district offices.\n"
    "Competition results are recorded for growth, never used to rank for admission.":
        "GrowthDesk %1\n面向学校和区教育局的离线学生成长档案。\n竞赛获奖记录用于记录成长，不作为招生录取的排名依据。",
    "Working…": "正在处理…",
    "Something went wrong. Your data is safe; the action was not completed.": "操作未能完成，数据没有受到影响。",
    "New innovation project": "新建科创项目",
    "Title": "项目名称",
    "Kind": "类型",
    "Discipline": "学科领域",
    "Start date": "开始日期",
    "End date": "结束日期",
    "(optional)": "（可不填）",
    "Status": "状态",
    "Summary": "项目简介",
    "Members (the current student leads)": "成员（当前学生为负责人）",
    "In-school mentor": "校内导师",
    "External mentor": "校外导师",
    "name": "姓名",
    "External mentor's organisation": "校外导师单位",
    "Record award": "录入获奖",
    "Competition": "竞赛",
    "Award": "奖项",
    "Award date": "获奖日期",
    "Certificate no.": "证书编号",
    "Team name": "队伍名称",
    "Work title": "作品名称",
    "Instructor": "指导教师",
    "Students (tick all team members)": "获奖学生（团体奖请勾选全部成员）",
    "Edit student": "编辑学生信息",
    "New student": "新增学生",
    "(no class)": "（未分班）",
    "Student no.": "学籍号",
    "Name": "姓名",
    "Gender": "性别",
    "Birth date": "出生日期",
    "Stage": "学段",
    "(from the class)": "（按班级）",
    "Note": "备注",
    "Growth": "成长视图",
    "Edit profile…": "编辑基本信息…",
    "Profile": "基本信息",
    "New project…": "新建项目…",
    "Innovation projects": "科创项目",
    "Team members": "团队成员",
    "Verification": "核验",
    "Competition results": "竞赛获奖",
    "Score": "分数",
    "New evaluation…": "新增评价…",
    "Process evaluations": "过程性评价",
    "File": "文件",
    "Attached to": "所属",
    "Size": "大小",
    "Attach file…": "添加文件…",
    "Drop files here to attach them; double-click to open.": "把文件拖到这里即可添加；双击打开。",
    "Evidence": "佐证材料",
    "No term evaluation yet.": "尚未填写期末评价。",
    "Overall": "综合",
    "Class adviser's comment (班主任评语)": "班主任评语",
    "Save (Ctrl+S)": "保存（Ctrl+S）",
    "Save and next (Ctrl+Enter)": "保存并下一位（Ctrl+Enter）",
    "%n student(s) still without a comment": "还有 %n 名学生未填写评语",
    "Pick one class and a term.": "请选择一个班级和学期。",
    "Delete this process evaluation?": "确定删除这条过程性评价吗？",
    "Delete this evidence record?": "确定删除这份佐证材料吗？",
    "Remove this award from the student? Team members keep it.": "确定从该学生的档案中移除这项获奖吗？团队其他成员的记录保留。",
    "Add process log entry": "添加过程记录",
    "Content": "内容",
    "Add outcome": "添加成果",
    "Reference (patent no., journal…)": "编号/出处（专利号、期刊等）",
    "Add process log entry…": "添加过程记录…",
    "Add outcome…": "添加成果…",
    "Delete…": "删除…",
    "Pick a term and a class (or a student) first.": "请先选择学期和班级（或学生）。",
    "Save term portfolios": "保存学期成长档案",
    "%1 portfolio(s), %2 page(s) written to %3": "已生成 %1 份成长档案，共 %2 页：%3",
    "Printing portfolios…": "正在生成成长档案…",
    "&Tools": "工具(&T)",
    "Print class portfolios…": "打印本班成长档案…",
    "Print this student's portfolio…": "打印该生成长档案…",
    "Import roster…": "导入学籍名册…",
    "Creating the demo school…": "正在创建示例学校…",
    "Edit innovation project": "编辑科创项目",
    "Edit award": "编辑获奖记录",
    "Keyboard shortcuts": "键盘快捷键",
    "Set password…": "重设密码…",
    "Stop / re-activate": "停用 / 重新启用",
    "Active": "使用中",
    "Stopped": "已停用",
    "Add link": "添加链接",
    "Link": "链接",
    "Set password": "重设密码",
    "New password": "新密码",
    "Add link…": "添加链接…",
    "Find: name, pinyin initials or student no.": "查找：姓名、拼音首字母或学籍号",
    "Pick one class first.": "请先选择一个班级。",
    "Award entry sheet for this class…": "本班竞赛获奖录入表…",
    "Evaluation entry sheet for this class…": "本班过程性评价录入表…",
    "Import filled entry sheet…": "导入填好的录入表…",
    "Class term summary (Excel)…": "班级学期汇总表（Excel）…",
    "Sync bundle and receipt…": "同步数据包与回执…",
    "Arrows move · A/B/C/D set a level · Delete clears · Enter moves down": "方向键移动 · A/B/C/D 设定等级 · Delete 清除 · Enter 下移",
    "Edit process evaluation": "修改过程性评价",
    "Edit…": "编辑…",
    "View term evaluation…": "查看期末评价…",
    "Class adviser of…": "设为班主任…",
    "Class adviser": "设为班主任",
    "Class adviser of": "担任班主任的班级",
    "Read only: term evaluations and comments of this class are written by its class adviser (%1) or a school admin.":
        "只读：本班的期末评价和评语只能由班主任（%1）或学校管理员填写。",
    # Sync dialogs (school export, district import)
    "No bundle exported yet.": "尚未导出过数据包。",
    "{count} bundle(s) exported (latest: {when} UTC); the district office has acknowledged up to number {ack}.":
        "已导出 {count} 个数据包（最近：{when} UTC）；区教育局已确认到第 {ack} 个。",
    "Export sync bundle": "导出同步数据包",
    "e.g. a folder on a USB stick": "例如 U 盘上的文件夹",
    "Choose folder…": "选择文件夹…",
    "Export everything (not only the changes since the last bundle)": "导出全部数据（不只是上次以来的变更）",
    "Include evidence files": "包含佐证材料文件",
    "Export": "导出",
    "Load receipt…": "载入回执…",
    "Save to:": "保存到：",
    "Choose the folder to save the bundle in": "选择保存数据包的文件夹",
    "Choose the folder to save the bundle in first.": "请先选择保存数据包的文件夹。",
    "Exporting…": "正在导出…",
    "Exporting the bundle…": "正在导出数据包…",
    "Exported: {path}\n{rows} rows, {kb} KB. Hand this file to the district office.":
        "已导出：{path}\n共 {rows} 行，{kb} KB。请把该文件交给区教育局。",
    "\nNote: {n} evidence file(s) are not on this computer and were left out.":
        "\n注意：有 {n} 个佐证文件在本机找不到，未包含在内。",
    "The export failed; see the message.": "导出失败，请看提示。",
    "Choose the district office's receipt": "选择区教育局的回执",
    "Receipts (*.receipt.json);;All files (*)": "回执 (*.receipt.json);;所有文件 (*)",
    "; bundle(s) {numbers} are missing: export everything again": "；缺少第 {numbers} 个数据包，请重新导出全部数据",
    "Receipt loaded: the district office has acknowledged up to bundle {ack}{gaps}.":
        "回执已载入：区教育局已确认到第 {ack} 个数据包{gaps}。",
    "Loading the receipt…": "正在载入回执…",
    "School": "学校",
    "No.": "序号",
    "Result": "结果",
    "Inserted": "新增",
    "Updated": "更新",
    "Deleted": "删除",
    "Unchanged": "未变",
    "Can be imported (check)": "可以导入（预检）",
    "Imported": "已导入",
    "Already imported": "已导入过",
    "Rejected": "已拒绝",
    "Import school bundles": "导入学校数据包",
    "Add bundles…": "添加数据包…",
    "Clear list": "清空列表",
    "Check (changes nothing)": "预检（不改动数据）",
    "Import": "导入",
    "Add the bundle files (*.gdbundle.zip), check them first, then import.":
        "请添加数据包文件（*.gdbundle.zip），先预检，再导入。",
    "Choose bundles": "选择数据包",
    "GrowthDesk bundles (*.gdbundle.zip);;All files (*)": "GrowthDesk 数据包 (*.gdbundle.zip);;所有文件 (*)",
    "Checking the bundles…": "正在检查数据包…",
    "Importing…": "正在导入…",
    "Processing bundles…": "正在处理数据包…",
    "Check done: {ok} can be imported, {dup} already imported, {bad} rejected.":
        "预检完成：可导入 {ok} 个，已导入过 {dup} 个，拒绝 {bad} 个。",
    "Import done: {ok} imported, {dup} already imported, {bad} rejected.":
        "导入完成：已导入 {ok} 个，已导入过 {dup} 个，拒绝 {bad} 个。",
    # Spreadsheet import dialogs
    "Spreadsheets (*.xlsx *.xlsm *.csv *.txt);;All files (*)": "表格 (*.xlsx *.xlsm *.csv *.txt);;所有文件 (*)",
    "Choose file…": "选择文件…",
    "Choose file": "选择文件",
    "Choose a file. You will see a preview; nothing is written until you confirm.":
        "请选择要导入的文件。导入前会先预览，确认后才写入。",
    "Row": "行",
    "Column": "列",
    "Save error report…": "导出错误报告…",
    "Save error report": "保存错误报告",
    "Checking the file…": "正在检查文件…",
    " (first {shown} of {total} problems listed; save the error report for all)":
        "（列出前 {shown} 处问题，共 {total} 处；完整列表请导出错误报告）",
    "rows-not-imported.xlsx": "未导入的行.xlsx",
    "\nError report saved: {path}": "\n错误报告已保存：{path}",
    "Import student roster": "导入学生名单",
    "{n} rows checked": "已检查 {n} 行",
    "Imported: {new} new, {updated} updated, {unchanged} unchanged, {skipped} skipped":
        "导入完成：新增 {new}，更新 {updated}，无变化 {unchanged}，跳过 {skipped}",
    "; new classes: {classes}": "；新建班级：{classes}",
    "Import batch entries": "导入批量录入表",
    "Imported: {new} new, {present} already present, {errors} rows with errors":
        "导入完成：新增 {new} 条，已存在跳过 {present} 条，有错误 {errors} 行",
    "awards.xlsx": "竞赛获奖录入表.xlsx",
    "evaluations.xlsx": "过程性评价录入表.xlsx",
    "class-summary.xlsx": "班级学期汇总.xlsx",
    "Writing…": "正在生成…",
    # District window
    "School category": "学校类别",
    "Compute": "统计",
    "Update summary": "更新统计汇总",
    "Run once after importing bundles: evaluation statistics of a large district then filter in seconds":
        "导入数据包后运行一次：大型区域的评价统计随后可秒级筛选",
    "Export Excel…": "导出 Excel…",
    "Export PDF…": "导出 PDF…",
    "All terms": "全部学期",
    "All stages": "全部学段",
    "All categories": "全部类别",
    "All schools": "全部学校",
    "Name or student no., then Enter": "输入姓名或学籍号，回车查找",
    "{school} {cls} ({stage}, {status})": "{school} {cls}（{stage}，{status}）",
    "{name}: {where}": "{name}：{where}",
    "Enrolled": "在读",
    "Innovation project": "科创项目",
    "Competition award": "竞赛获奖",
    "Rules (a student meeting any one is listed, with the grounds):": "入选规则（满足任一条即列入，并注明依据）：",
    "{n} student(s).": "共 {n} 人。",
    " The table shows the first {n}; export Excel or PDF for the whole list.":
        "表中显示前 {n} 人，完整名单请导出 Excel 或 PDF。",
    "GrowthDesk district office · {name}": "GrowthDesk 区教育局 · {name}",
    "School bundles": "学校数据报送",
    "Statistics": "统计分析",
    "Students across stages": "学生跨学段跟踪",
    "Cultivation list": "培养名单",
    "Import bundles…": "导入数据包…",
    "Computing…": "正在统计…",
    "Computing: {what}": "正在统计：{what}",
    "Summarising: {term}": "正在汇总：{term}",
    "Updating the summary…": "正在更新统计汇总…",
    "  |  The summary is out of date: after importing bundles, press “Update summary”":
        "　|　统计汇总已过期：导入数据包后请点“更新统计汇总”",
    "{filters}  |  {schools} school(s), {behind} behind with their bundles (in red)":
        "{filters}　|　学校 {schools} 所，数据报送落后 {behind} 所（红色标出）",
    "Exported: {path}": "已导出：{path}",
    "Excel workbook (*.xlsx)": "Excel 工作簿 (*.xlsx)",
    "PDF file (*.pdf)": "PDF 文件 (*.pdf)",
    "Export statistics": "导出统计",
    "district-statistics": "区域统计",
    "No data": "暂无数据",
}

# The same English word can need different Chinese in different places: (context, source).
ZH_IN_CONTEXT = {
    ("BundleImport", "Reason"): "说明",
    ("SheetImport", "Reason"): "原因",
    ("DistrictWindow", "Kind"): "类别",
    ("DistrictWindow", "Date"): "日期",
    ("DistrictWindow", "Content"): "内容",
    ("DistrictWindow", "Term evaluation"): "学期评价",
    ("EvaluationDialog", "Level"): "等级",
    ("StudentPageWidget", "Level"): "级别",
    ("StudentDialog", "Status"): "学籍状态",
    ("StudentListModel", "Status"): "学籍状态",
}


def _load_parts() -> None:
    """Merge the per-area translation files ``zh_<area>.json`` beside this script.

    Each holds ``{"English source": "中文"}``; a key ``"Context|English source"`` goes to
    ZH_IN_CONTEXT. One file per area keeps parallel work from editing the same dict.
    """
    for part in sorted(HERE.glob("zh_*.json")):
        for source, zh in json.loads(part.read_text(encoding="utf-8")).items():
            context, sep, text = source.partition("|")
            if sep and context.isidentifier():
                ZH_IN_CONTEXT[(context, text)] = zh
            else:
                ZH[source] = zh


_load_parts()


def lupdate() -> None:
    tool = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run([str(tool), *SOURCES, "-ts", str(TS), "-source-language", "en", "-target-language", "zh_CN",
                    "-no-obsolete", "-locations", "none"], check=True)


def fill() -> list[str]:
    """Fill unfinished messages from ZH; returns the sources still untranslated."""
    tree = ET.parse(TS)
    missing = []
    for ctx in tree.getroot().iter("context"):
        missing += _fill_context(ctx.find("name").text or "", ctx)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    return missing


def _fill_context(context: str, ctx) -> list[str]:
    missing = []
    for msg in ctx.iter("message"):
        source = msg.find("source").text or ""
        tr = msg.find("translation")
        if tr.get("type") not in ("unfinished", "vanished", "obsolete") and (tr.text or list(tr)):
            continue
        zh = ZH_IN_CONTEXT.get((context, source), ZH.get(source))
        if zh is None:
            missing.append(source)
            continue
        if msg.get("numerus") == "yes":
            for child in list(tr):
                tr.remove(child)
            ET.SubElement(tr, "numerusform").text = zh  # Chinese has one plural form
        else:
            tr.text = zh
        tr.attrib.pop("type", None)
    return missing


def lrelease() -> None:
    tool = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(tool), str(TS), "-qm", str(QM)], check=True)


def main() -> int:
    lupdate()
    missing = fill()
    lrelease()
    for source in missing:
        print(f"untranslated: {source!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
