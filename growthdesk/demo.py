"""Deterministic, realistic fake school data for demos, screenshots and benchmarks.

``fill_demo(db, students=2000, terms=4, seed=1)`` fills an initialised school database with a
school's students in grades and classes (≈45 a class), their class history, advisers and
teachers, K terms (ending with the current one) of innovation projects, individual and team
awards at every level, process evaluations by several evaluator roles and term evaluations.

Everything comes from ``random.Random(seed)``: the same seed on the same day gives the same
rows (ids included). The only outside input is "today", which decides the current term and
keeps every date out of the future; pass ``today=`` to pin it.

Rows are written with bulk inserts in one transaction (usn and timestamps set here, one
audit summary row instead of one per record): 2,000 students × 4 terms takes seconds.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from . import tracking
from .db import Database, write_settings
from .errors import DatabaseError, ValidationError
from .models import (AuditLog, Competition, CompetitionResult, CompetitionResultMember, Enrollment, Evidence,
                     InnovationProject, ProcessEvaluation, ProjectLogEntry, ProjectMember, ProjectMentor,
                     ProjectOutcome, School, SchoolClass, Student, TeachingAssignment, Term, TermEvaluation, User,
                     utcnow)
from .services import rubric as rubric_service
from .services import terms as term_service
from .services.names import first_grade_of_stage
from .services.pinyin import name_pinyin
from .services.students import gb11643_check, person_key

from .demo_password import DEMO_PASSWORD  # noqa: E402,F401 - re-exported
DEMO_USER = "demo"
CLASS_SIZE = 45
MAX_CLASSES_PER_GRADE = 99  # class_no is 1–99 (school_class CHECK)
GRADES = {"primary": range(1, 7), "junior": range(7, 10), "senior": range(10, 13)}
# Real county codes of one city (Hangzhou), for the first 6 digits of the resident ID.
AREA_CODES = ["330102", "330105", "330106", "330108", "330109", "330110"]

# ---------------------------------------------------------------- names
# Common surnames with their approximate share of the population (%), 2020 census order.
SURNAMES = [("王", 7.1), ("李", 7.0), ("张", 6.7), ("刘", 5.4), ("陈", 4.5), ("杨", 3.1), ("黄", 2.2), ("赵", 2.0),
            ("吴", 2.0), ("周", 1.9), ("徐", 1.3), ("孙", 1.2), ("马", 1.2), ("朱", 1.1), ("胡", 1.0), ("郭", 1.0),
            ("何", 0.9), ("林", 0.9), ("高", 0.9), ("罗", 0.8), ("郑", 0.8), ("梁", 0.8), ("谢", 0.6), ("宋", 0.6),
            ("唐", 0.6), ("许", 0.5), ("韩", 0.5), ("冯", 0.5), ("邓", 0.5), ("曹", 0.5), ("彭", 0.5), ("曾", 0.5),
            ("肖", 0.4), ("田", 0.4), ("董", 0.4), ("袁", 0.4), ("潘", 0.4), ("于", 0.4), ("蒋", 0.4), ("蔡", 0.4),
            ("余", 0.4), ("杜", 0.4), ("叶", 0.4), ("程", 0.3), ("苏", 0.3), ("魏", 0.3), ("吕", 0.3), ("丁", 0.3),
            ("任", 0.3), ("沈", 0.3), ("姚", 0.3), ("卢", 0.3), ("姜", 0.2), ("崔", 0.2), ("钟", 0.2), ("谭", 0.2),
            ("陆", 0.2), ("汪", 0.2), ("范", 0.2), ("金", 0.2), ("石", 0.2), ("廖", 0.2), ("贾", 0.2), ("夏", 0.2),
            ("韦", 0.2), ("付", 0.2), ("方", 0.2), ("白", 0.2), ("邹", 0.2), ("孟", 0.2), ("熊", 0.2), ("秦", 0.2),
            ("邱", 0.2), ("江", 0.2), ("尹", 0.2), ("薛", 0.2), ("欧阳", 0.05), ("上官", 0.02), ("司马", 0.02)]
BOY_CHARS = "浩宇轩子涵博文杰俊熙晨睿泽辰明昊天阳鑫磊鹏志强伟嘉豪一航奕铭佳乐皓程瑞哲成凯翔宸逸飞锦然东昕烨"
GIRL_CHARS = "欣怡梓涵雨萱诗琪可馨佳悦思彤一诺子琳语嫣若溪梦瑶晓雪婉清芷妍安琪心怡雅静紫菡美玲婧欢晴蕾楠"
TEACHER_SUBJECTS = ["语文", "数学", "英语", "物理", "化学", "生物", "道德与法治", "历史", "地理", "信息科技", "体育与健康", "音乐",
                    "美术", "劳动", "科学"]

# ---------------------------------------------------------------- texts
COMMENTS = {
    "moral": ["遵守校规校纪，尊敬师长，团结同学。", "积极参加志愿服务，有集体荣誉感。", "诚实守信，能主动承担班级事务。",
              "行为习惯良好，文明礼貌。", "偶有迟到，需进一步增强纪律意识。"],
    "academic": ["课堂专注，作业认真，学习方法得当。", "善于提问，能举一反三。", "各科发展均衡，成绩稳步提高。",
                 "数学思维活跃，解题有条理。", "基础知识需加强，课后复习要更及时。"],
    "health": ["积极参加体育锻炼，体质测试优秀。", "阳光开朗，情绪稳定。", "坚持每天跑步，耐力明显提升。",
               "能正确面对挫折，心理素质好。", "体育锻炼不够主动，需要坚持。"],
    "arts": ["热爱绘画，作品富有想象力。", "在合唱团表现突出，乐感好。", "书法练习认真，字迹工整美观。",
             "积极参加校园艺术节。", "艺术活动参与较少，可多尝试。"],
    "labour": ["值日认真负责，主动整理教室。", "在劳动实践基地表现积极。", "能独立完成家务劳动。",
               "学农活动中吃苦耐劳。", "劳动习惯有待养成。"],
    "innovation": ["好奇心强，常提出有价值的问题。", "在科创项目中提出了新颖的方案。", "动手能力强，能把创意做成作品。",
                   "善于用编程解决实际问题。", "有创意但需要更多坚持和验证。"],
    "practice": ["小组合作中善于沟通协调。", "能把课堂知识用于解决生活问题。", "社会实践调查报告完成得很好。",
                 "组织能力强，担任小组负责人。", "实践中需要更主动地承担任务。"],
}
TERM_OPENINGS = ["本学期你", "这个学期，你", "老师看到你", "一学期来，你"]
TERM_STRENGTHS = {"moral": "品行端正、乐于助人", "academic": "学习踏实、思维敏捷", "health": "热爱运动、阳光自信",
                  "arts": "富有艺术气质", "labour": "劳动积极、不怕吃苦", "innovation": "勇于探索、敢于创新",
                  "practice": "善于合作、动手能力强"}
TERM_HOPES = ["希望你继续保持，争取更大进步！", "愿你在新学期里更加自信，勇攀高峰。", "希望你多读书、多思考，做更好的自己。",
              "期待你在科技创新方面有更多收获。", "望你持之以恒，全面发展。"]
PROJECT_TOPICS = [
    ("research", "生物", "校园植物多样性调查与数字图鉴"), ("research", "化学", "家庭常见饮料酸碱度的比较研究"),
    ("research", "地理", "城市内涝点分布与排水改造建议"), ("research", "生物", "不同光照对绿豆芽生长的影响"),
    ("invention", "科技", "可自动感应的节水水龙头"), ("invention", "科技", "防近视智能坐姿提醒器"),
    ("invention", "物理", "利用杠杆原理的省力垃圾桶"), ("engineering", "工程", "太阳能自动浇花系统"),
    ("engineering", "人工智能", "基于图像识别的垃圾分类小车"), ("engineering", "工程", "教室空气质量监测与通风装置"),
    ("software", "信息", "班级图书漂流管理小程序"), ("software", "人工智能", "古诗词智能问答助手"),
    ("software", "信息", "校园失物招领网站"), ("pbl", "综合", "运河文化与家乡变迁"), ("pbl", "综合", "校园食堂减少浪费行动"),
    ("pbl", "综合", "社区老年人智能手机使用帮扶"), ("research", "物理", "不同材料保温性能的对比实验"),
    ("invention", "科技", "盲人用智能导航手杖"), ("engineering", "航天", "水火箭射程优化设计"),
    ("research", "数学", "校园快递取件排队问题的数学模型"),
]
EXTERNAL_MENTORS = [("浙江大学", "副教授"), ("中国科学院某研究所", "研究员"), ("杭州某科技公司", "高级工程师"),
                    ("市科技馆", "科普辅导员"), ("师范大学", "讲师"), ("市青少年活动中心", "科技辅导员")]
LOCAL_COMPETITIONS = [  # name, organiser, discipline, category, typical level
    ("浙江省青少年科技创新大赛", "浙江省科学技术协会", "科技", "科技类", "provincial"),
    ("杭州市中小学生机器人竞赛", "杭州市教育局", "信息", "科技类", "municipal"),
    ("杭州市青少年信息学竞赛", "杭州市科学技术协会", "信息", "科技类", "municipal"),
    ("区中小学生科技节", "区教育局", "科技", "科技类", "district"),
    ("区中学生作文比赛", "区教育局", "语言", "人文类", "district"),
    ("区中小学生田径运动会", "区教育局", "体育", "体育类", "district"),
    ("校园科技创新大赛", "本校", "科技", "科技类", "school"),
    ("校园艺术节", "本校", "艺术", "艺术类", "school"),
    ("国际青少年发明创新展", "国际发明家协会联合会", "科技", "科技类", "international"),
]
LEVEL_WEIGHTS = [("school", 30), ("district", 25), ("municipal", 20), ("provincial", 14), ("national", 9),
                 ("international", 2)]
AWARDS_BY_LEVEL = {"international": ["gold", "silver", "bronze"], "national": ["first", "second", "third", "excellence"],
                   "provincial": ["first", "second", "third"], "municipal": ["first", "second", "third", "excellence"],
                   "district": ["first", "second", "third", "excellence"],
                   "school": ["special", "first", "second", "third", "participation"]}
ROLE_BY_DIM = {"moral": ["adviser", "self", "peer", "parent"], "academic": ["teacher", "teacher", "self", "adviser"],
               "health": ["teacher", "self", "parent"], "arts": ["teacher", "self", "peer"],
               "labour": ["adviser", "parent", "self", "enterprise"], "innovation": ["mentor", "teacher", "peer", "enterprise"],
               "practice": ["adviser", "mentor", "peer", "enterprise"]}
COMPANIES = ["杭州某科技公司", "某智能制造企业", "某生物科技公司", "某软件公司"]


@dataclass
class _Ctx:
    """What the generators share: the rng, the school, terms, people and the rows made so far."""

    rng: random.Random
    id_rng: random.Random  # ids only: seeded with the school too, so two demo schools never share an id
    today: date
    school_code: str
    secret: str
    usn: int
    rubric: rubric_service.RubricDoc
    terms: list[Term]
    rows: dict[type, list[dict]] = field(default_factory=dict)
    teachers: list[dict] = field(default_factory=list)
    classes: dict[tuple[int, int, int], dict] = field(default_factory=dict)  # (year, grade, no) -> row
    students: list[dict] = field(default_factory=list)
    history: dict[str, dict[int, dict]] = field(default_factory=dict)  # student id -> year -> class row
    ability: dict[str, dict[str, float]] = field(default_factory=dict)
    account: dict = field(default_factory=dict)  # password hash etc. shared by every demo account
    now: datetime = field(default_factory=utcnow)  # no record is stamped after this

    def uid(self) -> str:
        return str(uuid.UUID(int=self.id_rng.getrandbits(128), version=4))

    def add(self, model, row: dict) -> dict:
        self.rows.setdefault(model, []).append(row)
        return row

    def sync(self, on: date) -> dict:
        """The sync columns of a record born on ``on`` (a weekday afternoon, deterministic)."""
        at = datetime.combine(on, time(8, 0)) + timedelta(minutes=self.rng.randrange(0, 600))
        at = min(at, self.now)  # never in the future: a later real edit or deletion must be later
        return {"id": self.uid(), "school_code": self.school_code, "created_at": at, "updated_at": at,
                "updated_by": DEMO_USER, "usn": self.usn, "deleted": False}

    def day_in(self, start: date, end: date) -> date:
        hi = min(end, self.today)
        lo = min(start, hi)
        return lo + timedelta(days=self.rng.randrange((hi - lo).days + 1))


# ---------------------------------------------------------------- people

def _surname(rng: random.Random) -> str:
    names, weights = zip(*SURNAMES)
    return rng.choices(names, weights=weights)[0]


def chinese_name(rng: random.Random, gender: str) -> str:
    chars = BOY_CHARS if gender == "M" else GIRL_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.75 else "")
    return _surname(rng) + given


def national_student_no(rng: random.Random, birth: date, gender: str, taken: set[str]) -> str:
    """G + an 18-character resident ID: area, birth date, sequence (odd for boys), GB 11643 check."""
    while True:
        seq = rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
        body = f"{rng.choice(AREA_CODES)}{birth:%Y%m%d}{seq:03d}"
        no = "G" + body + gb11643_check(body)
        if no not in taken:
            taken.add(no)
            return no


def password_hash(password: str, salt: bytes) -> str:
    """scrypt in the users service's ``scrypt$n$r$p$salt$hash`` form (its ``verify_password``
    reads n, r, p from the string), but with a salt from the rng so the demo stays deterministic."""
    n, r, p = 2 ** 14, 8, 1
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def _users(ctx: _Ctx, n_classes: int) -> None:
    """admin, one teacher per two classes, and (below, with the classes) one adviser per class."""
    rng = ctx.rng
    pw = password_hash(DEMO_PASSWORD, rng.randbytes(16))  # one hash: hashing each account would cost seconds
    created = datetime.combine(ctx.terms[0].start_date, time(8, 0))
    base = {"password_hash": pw, "active": True, "failed_logins": 0, "created_at": created, "last_login_at": None}
    ctx.add(User, {**base, "id": ctx.uid(), "login": "admin", "display_name": "系统管理员", "role": "school_admin"})
    for i in range(max(4, math.ceil(n_classes / 2))):
        gender = rng.choice("MF")
        row = ctx.add(User, {**base, "id": ctx.uid(), "login": f"teacher{i + 1:02d}",
                             "display_name": chinese_name(rng, gender), "role": "teacher"})
        row["_subject"] = TEACHER_SUBJECTS[i % len(TEACHER_SUBJECTS)]
        ctx.teachers.append(row)
    ctx.account = base  # reused for the advisers


# ---------------------------------------------------------------- classes and students

def _grades(stages: list[str]) -> list[int]:
    return [g for st in stages for g in GRADES[st]]


def _stage_of(grade: int) -> str:
    return next(st for st, rng_ in GRADES.items() if grade in rng_)


def _birth_date(rng: random.Random, school_year: int, grade: int) -> date:
    """Grade 1 in school year Y: born 1 Sep (Y-7) … 31 Aug (Y-6); a few a year older."""
    first = date(school_year - grade - 6, 9, 1)
    if rng.random() < 0.05:
        first = first.replace(year=first.year - 1)
    return first + timedelta(days=rng.randrange(365))


def _per_grade(n_students: int, grades: list[int]) -> list[int]:
    return [n_students // len(grades) + (1 if i < n_students % len(grades) else 0) for i in range(len(grades))]


def _class_count(students_in_grade: int) -> int:
    """Classes of about CLASS_SIZE, but never more than a grade can number (class_no 1–99):
    a very large demo grade gets larger classes instead of failing on the class number."""
    return min(MAX_CLASSES_PER_GRADE, max(1, math.ceil(students_in_grade / CLASS_SIZE)))


def _classes_and_students(ctx: _Ctx, n_students: int, stages: list[str], years: list[int]) -> None:
    rng, current = ctx.rng, years[-1]
    grades = _grades(stages)
    per_grade = _per_grade(n_students, grades)
    taken: set[str] = set()
    base_pw = ctx.account
    for grade, count in zip(grades, per_grade):
        n_classes = _class_count(count)
        first = first_grade_of_stage(_stage_of(grade))
        entry_year = current - (grade - first)
        for class_no in range(1, n_classes + 1):
            gender = rng.choice("MF")
            adviser = ctx.add(User, {**base_pw, "id": ctx.uid(), "login": f"adviser{grade:02d}{class_no:02d}",
                                     "display_name": chinese_name(rng, gender), "role": "adviser"})
            for year in years:  # the class keeps its number and adviser as it moves up
                g = grade - (current - year)
                if g < first:
                    continue
                row = ctx.add(SchoolClass, {**ctx.sync(date(year, 8, 25)), "school_year": year, "grade": g,
                                            "class_no": class_no, "adviser_name": adviser["display_name"],
                                            "adviser_user_id": adviser["id"]})
                row["_adviser"] = adviser
                ctx.classes[(year, g, class_no)] = row
            current_class = ctx.classes[(current, grade, class_no)]
            ctx.add(TeachingAssignment, {"user_id": adviser["id"], "class_id": current_class["id"], "subject": "班主任"})
            for t in rng.sample(ctx.teachers, k=min(3, len(ctx.teachers))):
                ctx.add(TeachingAssignment, {"user_id": t["id"], "class_id": current_class["id"],
                                             "subject": t["_subject"]})
        for i in range(count):
            class_no = i % n_classes + 1
            _student(ctx, grade, class_no, entry_year, years, taken)


def _student(ctx: _Ctx, grade: int, class_no: int, entry_year: int, years: list[int], taken: set[str]) -> None:
    rng, current = ctx.rng, years[-1]
    gender = "M" if rng.random() < 0.52 else "F"
    birth = _birth_date(rng, current, grade)
    name = chinese_name(rng, gender)
    no = national_student_no(rng, birth, gender, taken)
    cls = ctx.classes[(current, grade, class_no)]
    row = ctx.add(Student, {**ctx.sync(date(entry_year, 9, 1)), "national_student_no": no,
                            "person_key": person_key(ctx.secret, no), "name": name, "name_pinyin": name_pinyin(name),
                            "gender": gender, "birth_date": birth, "stage": _stage_of(grade), "entry_year": entry_year,
                            "class_id": cls["id"], "status": "enrolled", "note": ""})
    ctx.students.append(row)
    ctx.history[row["id"]] = {}
    for year in years:
        c = ctx.classes.get((year, grade - (current - year), class_no))
        if c is None:
            continue
        ctx.history[row["id"]][year] = c
        start = date(year, 9, 1)
        ctx.add(Enrollment, {**ctx.sync(start), "student_id": row["id"], "class_id": c["id"], "school_year": year,
                             "start_date": start, "end_date": None if year == current else date(year + 1, 7, 15),
                             "reason": "entry" if year == entry_year else "promotion"})
    # A latent level per dimension, and how fast it grows, so term scores show value added.
    ctx.ability[row["id"]] = {d: rng.gauss(82, 7) for d in ctx.rubric.dimension_codes}
    ctx.ability[row["id"]]["_growth"] = rng.gauss(1.2, 1.5)


# ---------------------------------------------------------------- evaluations

def _score_now(ctx: _Ctx, student_id: str, dim: str, term_index: int) -> float:
    a = ctx.ability[student_id]
    return max(0.0, min(100.0, a[dim] + a["_growth"] * term_index + ctx.rng.gauss(0, 5)))


def _evaluator(ctx: _Ctx, role: str, student: dict, cls: dict, peers: list[dict]) -> str:
    rng = ctx.rng
    if role == "self":
        return student["name"]
    if role == "peer":
        return rng.choice(peers)["name"] if peers else student["name"]
    if role == "adviser":
        return cls["adviser_name"]
    if role == "teacher":
        return rng.choice(ctx.teachers)["display_name"]
    if role == "parent":
        return student["name"][:-1 if len(student["name"]) > 2 else 1] + rng.choice(["爸爸", "妈妈"])
    if role == "mentor":
        return chinese_name(rng, rng.choice("MF"))
    return f"{rng.choice(COMPANIES)} {chinese_name(rng, rng.choice('MF'))}"


def _evaluations(ctx: _Ctx) -> None:
    rng, rub = ctx.rng, ctx.rubric
    dims = rub.dimension_codes
    by_class: dict[str, list[dict]] = {}
    for st in ctx.students:
        by_class.setdefault(st["class_id"], []).append(st)
    for ti, term in enumerate(ctx.terms):
        for st in ctx.students:
            cls = ctx.history[st["id"]].get(term.school_year)
            if cls is None:
                continue
            peers = by_class[st["class_id"]]
            levels = {}
            # Every dimension is judged at least once a term, some twice by different roles.
            for dim in dims + rng.sample(dims, k=rng.choice([0, 1, 1, 2])):
                role = rng.choice(ROLE_BY_DIM.get(dim, ["teacher"]))
                level = rub.level_for_score(_score_now(ctx, st["id"], dim, ti))
                d = ctx.day_in(term.start_date + timedelta(days=14), term.end_date)
                indicators = rub.dimension(dim).indicators
                ctx.add(ProcessEvaluation, {**ctx.sync(d), "student_id": st["id"], "term_code": term.code,
                                            "dimension": dim, "indicator": rng.choice(indicators).code if indicators else "",
                                            "level": level.code, "score": level.score, "evaluator_role": role,
                                            "evaluator_name": _evaluator(ctx, role, st, cls, peers),
                                            "comment": _comment(rng, dim, level.code), "eval_date": d})
            for dim in dims:
                levels[dim] = rub.level_for_score(_score_now(ctx, st["id"], dim, ti)).code
            _term_evaluation(ctx, term, st, cls, levels)


def _comment(rng: random.Random, dim: str, level: str) -> str:
    options = COMMENTS.get(dim, ["表现良好。"])
    if level in ("C", "D"):
        return options[-1]
    return rng.choice(options[:-1])


def _term_evaluation(ctx: _Ctx, term: Term, st: dict, cls: dict, levels: dict[str, str]) -> None:
    rng = ctx.rng
    best = sorted(levels, key=lambda d: (levels[d], d))[:2]
    you = st["name"][-2:] if len(st["name"]) > 2 else st["name"]
    comment = (f"{you}同学，{rng.choice(TERM_OPENINGS)}{TERM_STRENGTHS.get(best[0], '表现出色')}，"
               f"也{TERM_STRENGTHS.get(best[1], '不断进步')}。{rng.choice(TERM_HOPES)}")
    written = min(term.end_date - timedelta(days=rng.randrange(0, 10)), ctx.today)
    written = max(written, min(term.start_date, ctx.today))
    ctx.add(TermEvaluation, {**ctx.sync(written), "student_id": st["id"], "term_code": term.code,
                             "levels_json": json.dumps(levels, ensure_ascii=False, sort_keys=True), "comment": comment,
                             "adviser_name": cls["adviser_name"], "written_on": written})


# ---------------------------------------------------------------- projects

def _projects(ctx: _Ctx) -> dict[str, list[dict]]:
    """Projects per term (≈1 per 25 students), members from one grade, two mentors, log, outcomes."""
    rng = ctx.rng
    made: dict[str, list[dict]] = {}
    current = ctx.terms[-1].code
    for term in ctx.terms:
        pool = [st for st in ctx.students if term.school_year in ctx.history[st["id"]]]
        by_grade: dict[int, list[dict]] = {}
        for st in pool:
            by_grade.setdefault(ctx.history[st["id"]][term.school_year]["grade"], []).append(st)
        for _ in range(max(1, len(pool) // 25)):
            grade_students = by_grade[rng.choice(sorted(by_grade))]
            made.setdefault(term.code, []).append(_project(ctx, term, grade_students, term.code == current))
    return made


def _project(ctx: _Ctx, term: Term, grade_students: list[dict], is_current: bool) -> dict:
    rng = ctx.rng
    kind, discipline, topic = rng.choice(PROJECT_TOPICS)
    start = ctx.day_in(term.start_date, term.start_date + timedelta(days=40))
    if is_current:
        status = rng.choice(["proposed", "in_progress", "in_progress"])
    else:
        status = "concluded" if rng.random() < 0.85 else "abandoned"
    end = ctx.day_in(term.end_date - timedelta(days=30), term.end_date) if status in ("concluded", "abandoned") else None
    if end is not None and end < start:
        end = start
    members = rng.sample(grade_students, k=min(len(grade_students), rng.choice([1, 2, 3, 3, 4, 5])))
    title = topic if rng.random() < 0.6 else f"{topic}（{members[0]['name']}小组）"
    proj = ctx.add(InnovationProject, {**ctx.sync(start), "title": title, "kind": kind, "discipline": discipline,
                                       "term_code": term.code, "start_date": start, "end_date": end,
                                       "status": status, "summary": f"围绕“{topic}”开展{_kind_zh(kind)}，"
                                       f"小组 {len(members)} 人，经历选题、方案设计、实验验证和成果展示。"})
    proj["_members"] = members
    for i, st in enumerate(members):
        ctx.add(ProjectMember, {**ctx.sync(start), "project_id": proj["id"], "student_id": st["id"],
                                "role": "leader" if i == 0 else "member"})
    teacher = rng.choice(ctx.teachers)
    ctx.add(ProjectMentor, {**ctx.sync(start), "project_id": proj["id"], "name": teacher["display_name"],
                            "kind": "in_school", "organisation": "本校", "title": f"{teacher['_subject']}教师"})
    if rng.random() < 0.7:
        org, title = rng.choice(EXTERNAL_MENTORS)
        ctx.add(ProjectMentor, {**ctx.sync(start), "project_id": proj["id"], "name": chinese_name(rng, rng.choice("MF")),
                                "kind": "external", "organisation": org, "title": title})
    _project_log(ctx, proj, term, start, end, status)
    return proj


def _kind_zh(kind: str) -> str:
    return {"research": "课题研究", "invention": "发明创造", "engineering": "工程设计", "software": "软件开发",
            "pbl": "跨学科项目式学习"}.get(kind, "项目研究")


def _project_log(ctx: _Ctx, proj: dict, term: Term, start: date, end: date | None, status: str) -> None:
    rng = ctx.rng
    log = [("opening", start, f"开题报告：明确研究问题“{proj['title']}”，制定研究计划和分工。")]
    mid = start + timedelta(days=(((end or ctx.today) - start).days // 2))
    if (end or ctx.today) > start + timedelta(days=20) and status != "proposed":
        log.append(("note", start + timedelta(days=10), "查阅文献资料，完成初步方案设计。"))
        log.append(("midterm", mid, "中期汇报：完成原型制作和第一轮实验，发现问题并调整方案。"))
    if status == "concluded":
        log.append(("conclusion", end, "结题答辩：展示研究成果，撰写结题报告，导师评价良好。"))
    elif status == "abandoned":
        log.append(("note", end, "因实验条件限制，项目中止，总结经验教训。"))
    for stage, d, text in log:
        d = min(d, ctx.today)
        ctx.add(ProjectLogEntry, {**ctx.sync(d), "project_id": proj["id"], "stage": stage, "entry_date": d,
                                  "content": text})
    if status == "concluded" and rng.random() < 0.45:
        kind = rng.choice(["paper", "work", "work", "patent", "software_copyright"])
        title = {"paper": f"{proj['title']}研究报告", "patent": f"一种{proj['title'].split('（')[0]}",
                 "software_copyright": f"{proj['title'].split('（')[0]}软件V1.0"}.get(kind, f"{proj['title']}作品")
        ref = {"patent": f"ZL{end.year}2{rng.randrange(10**7, 10**8)}.{rng.randrange(10)}",
               "software_copyright": f"{end.year}SR{rng.randrange(10**6, 10**7)}",
               "paper": "《中学科技》"}.get(kind, "")
        ctx.add(ProjectOutcome, {**ctx.sync(end), "project_id": proj["id"], "kind": kind, "title": title[:200],
                                 "outcome_date": end, "reference": ref})
    if rng.random() < 0.15:
        ctx.add(Evidence, {**ctx.sync(start), "owner_type": "project", "owner_id": proj["id"], "kind": "video_link",
                           "sha256": "", "size": 0, "original_name": "", "mime_type": "",
                           "url": f"https://video.example.cn/growthdesk-demo/{proj['id'][:8]}", "note": "项目展示视频"})


# ---------------------------------------------------------------- competitions

def _local_competitions(ctx: _Ctx) -> dict[str, list[dict]]:
    by_level: dict[str, list[dict]] = {}
    for name, org, disc, cat, level in LOCAL_COMPETITIONS:
        row = ctx.add(Competition, {**ctx.sync(ctx.terms[0].start_date), "name": name, "organiser": org,
                                    "discipline": disc, "category": cat, "stages": "primary,junior,senior",
                                    "on_national_list": False, "list_edition": ""})
        by_level.setdefault(level, []).append(row)
    return by_level


def _results(ctx: _Ctx, national: list[Competition], projects: dict[str, list[dict]]) -> None:
    """≈1 award per 20 students a term; 30 % team awards; every level, national ones from the list."""
    rng = ctx.rng
    local = _local_competitions(ctx)
    levels, weights = zip(*LEVEL_WEIGHTS)
    for term in ctx.terms:
        pool = [st for st in ctx.students if term.school_year in ctx.history[st["id"]]]
        if not pool:
            continue
        for _ in range(max(1, len(pool) // 20)):
            level = rng.choices(levels, weights=weights)[0]
            if level in ("national", "provincial") and national and (level == "national" or rng.random() < 0.5):
                comp = {"id": (c := rng.choice(national)).id, "name": c.name, "discipline": c.discipline}
            else:
                comp = rng.choice(local.get(level) or local["school"])
            team = rng.random() < 0.3
            proj = rng.choice(projects[term.code]) if team and projects.get(term.code) and rng.random() < 0.5 else None
            members = (proj["_members"] if proj else rng.sample(pool, k=rng.randint(2, 5))) if team else [rng.choice(pool)]
            _result(ctx, term, comp, level, members, proj)


def _result(ctx: _Ctx, term: Term, comp: dict, level: str, members: list[dict], proj: dict | None) -> None:
    rng = ctx.rng
    d = ctx.day_in(term.start_date + timedelta(days=20), term.end_date)
    team = len(members) > 1 or proj is not None
    verification = rng.choices(["verified", "unverified", "rejected"], weights=[70, 28, 2])[0]
    res = ctx.add(CompetitionResult, {
        **ctx.sync(d), "competition_id": comp["id"], "school_year": term.school_year, "term_code": term.code,
        "level": level, "award": rng.choice(AWARDS_BY_LEVEL[level]), "award_date": d,
        "certificate_no": f"{d.year}{rng.randrange(10**5, 10**6)}", "is_team": team,
        "team_name": f"{members[0]['name']}队" if team else "",
        "work_title": proj["title"] if proj else (rng.choice(PROJECT_TOPICS)[2] if rng.random() < 0.3 else ""),
        "instructor": rng.choice(ctx.teachers)["display_name"], "verification": verification,
        "project_id": proj["id"] if proj else None})
    for st in members:
        ctx.add(CompetitionResultMember, {**ctx.sync(d), "result_id": res["id"], "student_id": st["id"]})


# ---------------------------------------------------------------- driver

def demo_terms(k: int, today: date) -> list[str]:
    """The K term codes ending with the one ``today`` is in, oldest first."""
    codes = [term_service.current_term_code(today)]
    while len(codes) < k:
        codes.insert(0, term_service.previous_term_code(codes[0]))
    return codes


def _school_stages(s, db: Database) -> list[str]:
    text = db.settings.get("school_stages", "")
    if not text:
        school = s.get(School, db.school_code)
        text = school.stages if school else "junior"
    return [st for st in GRADES if st in text.split(",")] or ["junior"]


def _check_args(db: Database, students: int, terms: int) -> None:
    if db.kind != "school":
        raise ValidationError("演示数据只能写入学校数据库（请先 init-school）",
                              "demo data goes into a school database (run init-school first)", field="db", value=db.kind)
    check_demo_size(students, terms)


def check_demo_size(students: int, terms: int) -> None:
    if not 1 <= students <= 100_000:
        raise ValidationError(f"学生人数应为 1–100000：{students}", f"students must be 1-100000: {students}",
                              field="students", value=students)
    if not 1 <= terms <= 12:
        raise ValidationError(f"学期数应为 1–12：{terms}", f"terms must be 1-12: {terms}", field="terms", value=terms)


def fill_demo(db: Database, students: int = 2000, terms: int = 4, seed: int = 1, today: date | None = None) -> dict:
    """Fill a freshly initialised school database; returns the row counts per table."""
    _check_args(db, students, terms)
    today = today or date.today()  # the one outside input: which term is current
    with db.session(user=DEMO_USER) as s:
        if s.scalar(select(func.count()).select_from(Student)):
            raise ValidationError("数据库里已经有学生，演示数据只能写入新建的学校数据库",
                                  "the database already has students; demo data only goes into a new school database",
                                  field="db")
        if s.scalar(select(func.count()).select_from(User).where(User.login == "admin")):
            raise ValidationError("数据库里已有 admin 账号，不能再写入演示账号",
                                  "the database already has an admin account; demo accounts cannot be added", field="db")
        s.info["untracked"] = True  # bulk rows: usn and timestamps are set below, one audit summary row
        term_rows = [term_service.ensure_term(s, code) for code in demo_terms(terms, today)]
        national = list(s.scalars(select(Competition).where(Competition.on_national_list.is_(True),
                                                            Competition.deleted.is_(False)).order_by(Competition.id)))
        stages = _school_stages(s, db)
        national = [c for c in national if any(st in c.stages.split(",") for st in stages)]
        ctx = _Ctx(rng=random.Random(seed), id_rng=random.Random(f"{seed}:{db.school_code}"), today=today, school_code=db.school_code,
                   secret=db.settings.get("person_key_secret", ""), usn=tracking.next_usn(s),
                   rubric=rubric_service.active_rubric(s), terms=term_rows)
        years = sorted({t.school_year for t in term_rows})
        _users(ctx, n_classes=math.ceil(students / CLASS_SIZE))
        _classes_and_students(ctx, students, stages, years)
        _evaluations(ctx)
        projects = _projects(ctx)
        _results(ctx, national, projects)
        try:
            counts = _insert_all(s, ctx)
        except IntegrityError as exc:  # e.g. an account named like a demo one: nothing is kept
            raise DatabaseError("演示数据与数据库中已有的记录冲突，未写入任何数据",
                                f"the demo data clashes with existing records; nothing was written ({exc.orig})",
                                field="db") from exc
        # The login dialog tells who may log in to a demo database; a real school never has this.
        write_settings(s, {"demo_login": "admin"})
        s.add(AuditLog(at=datetime.combine(today, time(0, 0)), user=DEMO_USER, action="demo", table_name="*",
                       record_id=f"seed={seed}", before_json="",
                       after_json=json.dumps({"seed": seed, "students": students, "terms": [t.code for t in term_rows],
                                              "rows": counts}, ensure_ascii=False, sort_keys=True)))
    db.reload_settings()
    return counts


INSERT_ORDER = [User, SchoolClass, TeachingAssignment, Student, Enrollment, Competition, InnovationProject,
                ProjectMember, ProjectMentor, ProjectLogEntry, ProjectOutcome, Evidence, CompetitionResult,
                CompetitionResultMember, ProcessEvaluation, TermEvaluation]


def _insert_all(s, ctx: _Ctx) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for model in INSERT_ORDER:
        rows = ctx.rows.get(model, [])
        if not rows:
            continue
        cols = {c.key for c in model.__table__.columns}
        clean = [{k: v for k, v in r.items() if k in cols} for r in rows]  # drop the _helper keys
        # Core insert of the Table (not the ORM bulk path): one executemany per chunk.
        for start in range(0, len(clean), 5000):
            s.execute(insert(model.__table__), clean[start:start + 5000])
        counts[model.__tablename__] = len(clean)
    return dict(counts)


def demo_setup(district_code: str = "DEMO", school_code: str = "DEMO-SCHOOL") -> dict:
    """A setup dict for a self-contained demo: a district made in memory registers one school."""
    from .setup import add_school, create_district

    district = create_district("sqlite://", district_code, "示例区教育局")
    try:
        # A format-1 setup: the demo's district lives only in memory, so no bundle from the demo
        # school ever reaches it; the person-key secret keeps the demo's keys as before.
        return add_school(district, school_code, "示例区实验初级中学", "urban", ["junior"], legacy=True)
    finally:
        district.close()


def create_demo_school(target: str | Path, *, setup: str | Path | dict | None = None, students: int = 2000,
                       terms: int = 4, seed: int = 1, today: date | None = None, encrypt: bool = False) -> Database:
    """A new school database (from ``setup``, or a demo district's) filled with demo data.
    The row counts are in the audit summary row (action ``demo``) and returned by ``fill_demo``.
    ``encrypt``: an SQLCipher file whose demo accounts open it with the printed demo password."""
    from .setup import create_school

    check_demo_size(students, terms)  # before a database file is made
    db = create_school(target, setup if setup is not None else demo_setup(), encrypt=encrypt)
    try:
        fill_demo(db, students=students, terms=terms, seed=seed, today=today)
        if encrypt:
            from .security import finish_encrypted_setup
            finish_encrypted_setup(db)  # slots for every demo account, and a recovery key (not shown: demo data)
    except BaseException:
        db.close()
        raise
    return db


def ensure_demo_database(path: str | Path, students: int = 2000, terms: int = 4, seed: int = 1, *,
                         encrypt: bool = False) -> Path:
    """The UI's first run: make the demo school database at ``path`` unless it already exists
    (``encrypt``: sealed at rest like a real school's; the app's first run asks for it)."""
    from . import keys
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".making")
    for suffix in ("", "-wal", "-shm", ".keys", ".lockout"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    db = create_demo_school(tmp, students=students, terms=terms, seed=seed, encrypt=encrypt)
    key = db.key
    db.close()
    _finish_file(tmp, key)
    if key is not None:
        keys.keyfile_path(tmp).replace(keys.keyfile_path(path))
        lock = Path(str(tmp) + ".lockout")  # the login record travels with the key file that authenticates it
        if lock.is_file():
            lock.replace(Path(str(path) + ".lockout"))
    tmp.replace(path)  # only a complete database ever appears under the real name
    return path


def _finish_file(path: Path, key: bytes | None = None) -> None:
    """Fold the WAL into the file so it can be renamed on its own."""
    from .db import connect_sqlite

    con = connect_sqlite(path, key)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


__all__ = ["fill_demo", "create_demo_school", "ensure_demo_database", "demo_setup", "demo_terms", "DEMO_PASSWORD",
           "chinese_name", "national_student_no"]
