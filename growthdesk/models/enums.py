"""Closed vocabularies of the data model, with their Chinese and English labels.

Stored as short English codes (stable across bundles and languages); the labels are what
the UI and reports print. Every list here is also enforced by a CHECK constraint.
"""

from __future__ import annotations

STAGES = {"primary": ("小学", "Primary"), "junior": ("初中", "Junior secondary"),
          "senior": ("高中", "Senior secondary")}
SCHOOL_CATEGORIES = {"urban": ("城区", "Urban"), "town": ("镇区", "Town"), "rural": ("乡村", "Rural")}
GENDERS = {"M": ("男", "Male"), "F": ("女", "Female")}
STUDENT_STATUSES = {"enrolled": ("在读", "Enrolled"), "transferred_out": ("转出", "Transferred out"),
                    "graduated": ("毕业", "Graduated"), "suspended": ("休学", "Suspended")}
ENROLLMENT_REASONS = {"entry": ("入学", "Entry"), "promotion": ("升级", "Promotion"),
                      "transfer_in": ("转入", "Transfer in"), "transfer_out": ("转出", "Transfer out"),
                      "graduation": ("毕业", "Graduation"), "reassignment": ("调班", "Class change")}
ROLES = {"teacher": ("任课教师", "Teacher"), "adviser": ("班主任", "Class adviser"),
         "school_admin": ("学校管理员", "School admin"), "district_staff": ("区教育局", "District staff"),
         "student": ("学生", "Student")}
PROJECT_KINDS = {"research": ("课题研究", "Research topic"), "invention": ("发明创造", "Invention"),
                 "engineering": ("工程设计", "Engineering design"), "software": ("软件开发", "Software"),
                 "pbl": ("跨学科项目式学习", "Cross-disciplinary PBL"), "other": ("其他", "Other")}
PROJECT_STATUSES = {"proposed": ("已开题", "Proposed"), "in_progress": ("进行中", "In progress"),
                    "concluded": ("已结题", "Concluded"), "abandoned": ("已中止", "Abandoned")}
PROJECT_MEMBER_ROLES = {"leader": ("负责人", "Leader"), "member": ("成员", "Member")}
MENTOR_KINDS = {"in_school": ("校内导师", "In-school mentor"), "external": ("校外导师", "External mentor")}
PROJECT_LOG_STAGES = {"opening": ("开题", "Opening"), "midterm": ("中期", "Mid-term"),
                      "conclusion": ("结题", "Conclusion"), "note": ("过程记录", "Note")}
OUTCOME_KINDS = {"paper": ("论文", "Paper"), "patent": ("专利", "Patent"),
                 "software_copyright": ("软件著作权", "Software copyright"), "work": ("作品", "Work"),
                 "other": ("其他", "Other")}
LEVELS = {"international": ("国际级", "International"), "national": ("国家级", "National"),
          "provincial": ("省级", "Provincial"), "municipal": ("市级", "Municipal"),
          "district": ("区级", "District"), "school": ("校级", "School")}
# Order matters: statistics and reports sort by it (highest first).
LEVEL_ORDER = list(LEVELS)
AWARDS = {"special": ("特等奖", "Special prize"), "first": ("一等奖", "First prize"),
          "second": ("二等奖", "Second prize"), "third": ("三等奖", "Third prize"),
          "gold": ("金奖", "Gold"), "silver": ("银奖", "Silver"), "bronze": ("铜奖", "Bronze"),
          "excellence": ("优秀奖", "Excellence award"), "finalist": ("入围", "Finalist"),
          "participation": ("参与", "Participation")}
AWARD_ORDER = list(AWARDS)
VERIFICATION = {"unverified": ("待核验", "Unverified"), "verified": ("已核验", "Verified"),
                "rejected": ("核验未通过", "Rejected")}
EVALUATOR_ROLES = {"self": ("自评", "Self"), "peer": ("同学互评", "Peer"), "teacher": ("教师评价", "Teacher"),
                   "adviser": ("班主任评价", "Class adviser"), "parent": ("家长评价", "Parent"),
                   "mentor": ("导师/专家评价", "Mentor / expert"), "enterprise": ("企业评价", "Enterprise")}
EVIDENCE_KINDS = {"certificate": ("证书", "Certificate"), "report": ("报告", "Report"),
                  "photo": ("照片", "Photo"), "video_link": ("视频链接", "Video link"), "other": ("其他", "Other")}
EVIDENCE_OWNERS = {"student": ("学生", "Student"), "project": ("科创项目", "Project"),
                   "result": ("竞赛获奖", "Competition result"), "evaluation": ("过程性评价", "Evaluation")}
# 综评 process (DESIGN §4a): the state of a record, who entered it, and the archive's steps.
RECORD_STATES = {"draft": ("草稿", "Draft"), "submitted": ("待审核", "Submitted"),
                 "approved": ("已通过", "Approved"), "returned": ("已退回", "Returned")}
ENTERED_ROLES = {"student": ("学生本人", "Student"), "teacher": ("教师代录", "Teacher on behalf"),
                 "import": ("导入", "Import")}
RECORD_TYPES = {"result": ("竞赛获奖", "Competition result"), "project": ("科创项目", "Innovation project"),
                "project_log": ("项目过程记录", "Project log entry"), "self_record": ("写实记录", "Self record")}
SELF_RECORD_KINDS = {"activity": ("活动记录", "Activity"), "self_evaluation": ("自我评价", "Self evaluation")}
OBJECTION_BY = {"student": ("学生本人", "The student"), "classmate": ("同学", "A classmate"),
                "parent": ("家长", "A parent")}
OBJECTION_OUTCOMES = {"kept": ("维持", "Kept"), "corrected": ("更正", "Corrected"), "removed": ("撤下", "Removed")}
SIGNOFF_KINDS = {"student": ("学生确认", "Student confirms"), "adviser": ("班主任签字", "Adviser signs"),
                 "principal": ("校长签发", "Principal signs off")}
DB_KINDS = {"school": ("学校数据库", "School database"), "district": ("区级数据库", "District database")}


def label(vocab: dict[str, tuple[str, str]], code: str | None, lang: str = "zh_CN") -> str:
    """The printable label of ``code``; unknown codes print as themselves."""
    if code is None:
        return ""
    pair = vocab.get(code)
    if pair is None:
        return code
    return pair[0] if lang.startswith("zh") else pair[1]


def check_sql(column: str, vocab) -> str:
    values = ", ".join(f"'{v}'" for v in vocab)
    return f"{column} IN ({values})"

# Cultivation programmes (培养项目, DESIGN §4a).
PROGRAMME_OWNERS = {"school": ("学校", "School"), "district": ("区教育局", "District")}
PROGRAMME_TIERS = {"primary": ("小学科创苗子", "Primary: science seedlings"),
                   "junior": ("初中学科特长", "Junior: subject specialists"),
                   "senior": ("高中拔尖人才", "Senior: top talents")}
PROGRAMME_STATUSES = {"open": ("进行中", "Running"), "closed": ("已结束", "Closed")}
NOMINATORS = {"rule": ("规则推荐", "Rule"), "teacher": ("教师推荐", "Teacher"),
              "school": ("学校推荐", "School"), "district": ("区教育局推荐", "District")}
DECISIONS = {"pending": ("待遴选", "Pending"), "selected": ("入选", "Selected"),
             "not_this_time": ("本次未入选", "Not this time"), "withdrawn": ("已撤回", "Withdrawn")}
MEMBER_STATUSES = {"active": ("在培", "Active"), "left": ("已退出", "Left"), "completed": ("已结业", "Completed")}
GROWTH_ACTIVITIES = {"lecture": ("讲座", "Lecture"), "lab_day": ("实验室活动", "Lab day"),
                     "fieldwork": ("野外考察", "Fieldwork"), "study_group": ("研讨小组", "Study group"),
                     "competition_training": ("竞赛培训", "Competition training"), "other": ("其他", "Other")}
LOG_AUTHORS = {"mentor": ("导师", "Mentor"), "student": ("学生本人", "Student"), "teacher": ("教师", "Teacher")}
RECORD_STATES = {"draft": ("草稿", "Draft"), "submitted": ("已提交", "Submitted"),
                 "approved": ("已通过", "Approved"), "returned": ("已退回", "Returned")}
PROGRAMME_EVAL_KINDS = {"midterm": ("中期评价", "Mid-term evaluation"), "annual": ("年度评价", "Annual evaluation")}
PROGRAMME_EVAL_RESULTS = {"continue": ("继续培养", "Continue"), "leave": ("退出", "Leave")}
# The 英才计划's five criteria, the default of every programme (editable per programme).
DEFAULT_CRITERIA = ("研究兴趣", "研究能力", "创新能力", "团队合作", "坚持性")
