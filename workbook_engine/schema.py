"""The sheet schemas: each column described once, driving templates, reader and validator.

Every Chinese header lives here, beside its English field name.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Kind = Literal["text", "id", "date", "number", "choice", "multi"]

TALK_FORMS = ("面谈", "电话", "微信", "书面", "其他")
TALK_TYPES = ("思想引导", "学业辅导", "生活指导", "心理疏导")
CONTACT_WAYS = ("电话", "面谈", "家访", "微信", "家长会", "其他")
YES_NO = ("是", "否")
TRANSFORMATION = ("好转", "稳定", "反复")


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: Kind = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    in_term: bool = False  # a record date that must fall inside the term
    private: bool = False  # free text that never leaves the class file
    width: int = 12
    help: str = ""
    limits: tuple[float, float] | None = None  # a number outside these is a warning at its cell, and not used

    @property
    def template_header(self) -> str:
        return self.header + ("*" if self.required else "")


@dataclass(frozen=True)
class SheetSpec:
    key: str
    name: str
    columns: tuple[Column, ...]
    required: bool = True
    private: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    layout: Literal["table", "keyvalue"] = "table"

    def column(self, field_name: str) -> Column:
        for c in self.columns:
            if c.field == field_name:
                return c
        raise KeyError(field_name)


@dataclass(frozen=True)
class WorkbookSpec:
    kind: str
    filename: str
    title: str
    sheets: tuple[SheetSpec, ...] = field(default_factory=tuple)

    def sheet(self, key: str) -> SheetSpec:
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(key)


C = Column

CLASS_INFO = SheetSpec(
    "class_info", "班级信息", layout="keyvalue", aliases=("基本信息",),
    help="班级基本信息，每行一项：左列为项目，右列填写内容。学年、学期、班级三项确定是哪个班的哪个学期，填表日期用来区分同一班级的新旧版本。",
    columns=(
        C("school", "学校", required=True, width=20, help="学校全称"),
        C("school_year", "学年", required=True, help="如 2026-2027"),
        C("term", "学期", "choice", required=True, choices=("第一学期", "第二学期"), help="第一学期 或 第二学期"),
        C("grade", "年级", required=True, help="如 三年级"),
        C("class_name", "班级", required=True, aliases=("班级名称",), help="如 三年级1班，全校唯一"),
        C("head_teacher", "班主任", required=True, help="班主任姓名"),
        C("filled_by", "填表人", help="最后整理本工作簿的老师"),
        C("fill_date", "填表日期", "date", required=True, help="每次发送前更新；同一班级以最新填表日期的文件为准"),
    ),
)

MENTORS = SheetSpec(
    "mentors", "导师名单", aliases=("导师", "导师信息"),
    help="本班导师组成员：班主任和各科任导师，每人一行。",
    columns=(
        C("teacher_id", "工号", "id", required=True, aliases=("教师工号", "导师工号", "教工号"), help="教师工号，按文本填写，开头的 0 会保留"),
        C("name", "姓名", required=True, aliases=("教师姓名", "导师姓名"), help="教师姓名"),
        C("subject", "任教学科", aliases=("学科",), help="如 语文、数学"),
        C("role", "角色", "choice", required=True, choices=("班主任", "科任导师"), help="班主任 或 科任导师"),
        C("phone", "联系电话", private=True, aliases=("电话", "手机"), width=14, help="仅供本班联系，不进入学校汇总"),
        C("email", "邮箱", aliases=("电子邮箱", "Email"), width=22, help="接收班级反馈的邮箱"),
        C("capacity", "可带人数", "number", help="该导师最多可带学生数，可不填", limits=(0, 100)),
        C("status", "状态", "choice", choices=("在岗", "离岗"), help="在岗 或 离岗"),
    ),
)

STUDENTS = SheetSpec(
    "students", "学生名册", aliases=("学生名单", "名册", "学生信息"),
    help="全班学生，每人一行，写明其导师。学号按文本填写。",
    columns=(
        C("student_id", "学号", "id", required=True, aliases=("学生学号", "学籍号"), help="学号，按文本填写，开头的 0 会保留"),
        C("name", "姓名", required=True, aliases=("学生姓名",), help="学生姓名"),
        C("gender", "性别", "choice", choices=("男", "女"), width=8, help="男 或 女"),
        C("level", "学业水平", "choice", choices=("好", "中", "差"), width=10, help="好、中、差，用于共同体搭配"),
        C("community", "共同体", "choice", choices=("1", "2", "3", "4", "5"), aliases=("学习共同体", "小组", "共同体编号"), width=10, help="所在学生发展共同体编号 1-5"),
        C("mentor_id", "导师工号", "id", required=True, aliases=("导师编号",), help="该生导师的工号，须在导师名单中"),
        C("mentor_name", "导师姓名", aliases=("导师",), help="导师姓名，用于核对"),
        C("paired_on", "结对日期", "date", aliases=("结对时间",), help="师生结对的日期；不填则视为学期开始"),
        C("attention", "重点关注类别", "multi", aliases=("关注类别", "特殊类别", "重点关注"), width=18, help="可填多个，用“、”分隔，如 留守儿童、学习困难；不需关注则留空"),
        C("status", "状态", "choice", choices=("在读", "转出", "休学"), aliases=("在读状态", "学籍状态"), width=8, help="在读、转出 或 休学"),
        C("left_on", "离校日期", "date", help="转出或休学的日期"),
        C("parent_name", "家长姓名", private=True, help="家长姓名（不进入学校汇总）"),
        C("parent_phone", "家长电话", private=True, aliases=("家长联系电话", "联系电话"), width=14, help="家长电话（不进入学校汇总）"),
        C("note", "备注", private=True, width=20, help="备注（不进入学校汇总）"),
        C("enrolled_on", "入学日期", "date", aliases=("入校日期",), help="新生或转入学生的入学日期；新生须在入学一周内结对"),
    ),
)

TALKS = SheetSpec(
    "talks", "谈心记录", aliases=("谈心", "谈话记录", "谈心谈话记录"),
    help="导师与受导学生的每一次谈心，每次一行。",
    columns=(
        C("date", "日期", "date", required=True, in_term=True, aliases=("谈心日期", "谈话日期"), help="谈心日期"),
        C("teacher_id", "导师工号", "id", required=True, aliases=("工号", "教师工号"), help="谈心老师的工号"),
        C("teacher_name", "导师姓名", aliases=("导师", "教师姓名"), help="谈心老师姓名"),
        C("student_id", "学号", "id", required=True, aliases=("学生学号",), help="学生学号"),
        C("student_name", "学生姓名", aliases=("姓名",), help="学生姓名"),
        C("form", "形式", "choice", required=True, choices=TALK_FORMS, aliases=("谈心形式", "方式"), width=8, help="面谈、电话、微信、书面、其他"),
        C("topic", "类型", "choice", choices=TALK_TYPES, aliases=("谈心类型",), width=10, help="思想引导、学业辅导、生活指导、心理疏导"),
        C("summary", "内容摘要", required=True, private=True, aliases=("内容", "谈心内容", "谈话内容"), width=30, help="谈心主要内容（不进入学校汇总）"),
        C("follow_up", "后续措施", private=True, aliases=("措施",), width=20, help="后续跟进（不进入学校汇总）"),
        C("escalate", "需学校关注", "choice", choices=YES_NO, aliases=("是否需学校关注", "需要学校关注"), width=10, help="是 或 否；填“是”的学生列入校长月度会商名单"),
    ),
)

CONTACTS = SheetSpec(
    "contacts", "家长联系", aliases=("家长联系记录", "家校联系"),
    help="与受导学生家长的每一次联系（电话、面谈、家访等），每次一行。",
    columns=(
        C("date", "日期", "date", required=True, in_term=True, aliases=("联系日期",), help="联系日期"),
        C("teacher_id", "导师工号", "id", required=True, aliases=("工号", "教师工号"), help="联系家长的老师工号"),
        C("student_id", "学号", "id", required=True, aliases=("学生学号",), help="学生学号"),
        C("student_name", "学生姓名", aliases=("姓名",), help="学生姓名"),
        C("way", "方式", "choice", required=True, choices=CONTACT_WAYS, aliases=("联系方式", "形式"), width=8, help="电话、面谈、家访、微信、家长会、其他"),
        C("contact_person", "联系人", private=True, aliases=("家长",), help="家长称呼，如 母亲"),
        C("summary", "内容摘要", required=True, private=True, aliases=("内容", "联系内容"), width=30, help="联系主要内容（不进入学校汇总）"),
    ),
)

STUDIES = SheetSpec(
    "studies", "学情研究", aliases=("学情会商", "学情分析"),
    help="班主任与导师每周一次的学情研究（会商），每次一行。",
    columns=(
        C("date", "日期", "date", required=True, in_term=True, aliases=("研究日期", "会商日期"), help="研究日期"),
        C("host", "主持人", required=True, help="主持人姓名，一般为班主任"),
        C("attendees", "参加人员", width=20, help="参加的导师"),
        C("students", "研究学生", private=True, width=20, help="重点研究的学生"),
        C("measures", "问题与对策", required=True, private=True, aliases=("问题及对策", "对策"), width=30, help="发现的问题和对策"),
    ),
)

COMMUNITY = SheetSpec(
    "community", "共同体活动", aliases=("共同体汇报", "共同体活动记录"),
    help="学生发展共同体的活动和每月汇报会，每次一行。",
    columns=(
        C("date", "日期", "date", required=True, in_term=True, aliases=("活动日期",), help="活动日期"),
        C("community", "共同体", "choice", required=True, choices=("1", "2", "3", "4", "5"), aliases=("共同体编号", "小组"), width=8, help="共同体编号 1-5"),
        C("teacher_id", "导师工号", "id", aliases=("工号",), help="参加的导师工号"),
        C("form", "活动形式", "choice", choices=("汇报会", "学习交流", "其他"), aliases=("形式",), width=10, help="汇报会、学习交流、其他"),
        C("content", "内容", required=True, private=True, aliases=("活动内容",), width=30, help="活动内容"),
    ),
)

ARCHIVE = SheetSpec(
    "archive", "学生档案", required=False, private=True, aliases=("成长档案", "学生成长档案"),
    help="重点关注学生的成长档案（隐私）：家庭情况、品德、心理、闪光点与不足。一个学生可有多条带日期的记录。此表内容只留在本班，不进入学校汇总。",
    columns=(
        C("student_id", "学号", "id", required=True, help="学生学号"),
        C("date", "记录日期", "date", required=True, in_term=True, aliases=("日期",), help="记录日期"),
        C("family", "家庭情况", private=True, width=20, help="家庭情况"),
        C("morality", "品德表现", private=True, width=20, help="品德表现"),
        C("mental", "心理健康", private=True, width=20, help="心理健康状况"),
        C("highlights", "闪光点", private=True, width=20, help="成长中的闪光点"),
        C("improvement", "不足与改进措施", private=True, width=24, help="不足与改进措施"),
        C("recorder", "记录人", help="记录老师"),
        C("transformation", "转化情况", "choice", choices=TRANSFORMATION, aliases=("转化",), width=10,
          help="教育转化情况：好转、稳定 或 反复"),
    ),
)

# 计划总结's 类型: blank is the row of term dates; 月度总结 is the mentor's monthly summary of the talk records
# (《学情会商制度实施方案》五.4: 每月总结谈话情况记录汇总一次), one row a month with its 提交日期
MONTHLY_SUMMARY = "月度总结"
PAPERWORK_KINDS = ("学期材料", MONTHLY_SUMMARY)

PAPERWORK = SheetSpec(
    "paperwork", "计划总结", required=False, aliases=("导师计划总结",),
    help="每位导师学期计划、期末总结、共同体心得的提交日期；每月的谈话记录汇总（月度总结）每月另起一行。",
    columns=(
        C("teacher_id", "导师工号", "id", required=True, aliases=("工号",), help="导师工号"),
        C("plan_date", "学期计划提交日期", "date", aliases=("计划提交日期",), help="学期计划提交日期"),
        C("summary_date", "期末总结提交日期", "date", aliases=("总结提交日期",), help="期末总结提交日期"),
        C("reflection_date", "共同体心得提交日期", "date", aliases=("心得提交日期",), help="共同体心得提交日期"),
        C("note", "备注", private=True, width=20, help="备注"),
        C("kind", "类型", "choice", choices=PAPERWORK_KINDS, aliases=("材料类型",), width=10,
          help="空白为学期材料（前面三个日期）；月度总结：每月一行，填提交日期"),
        C("date", "提交日期", "date", in_term=True, aliases=("月度总结提交日期",), help="月度总结的提交日期"),
    ),
)

CHOICES = SheetSpec(
    "choices", "双向选择", required=False,
    help="学年初双向选择：学生填写三个志愿导师（工号或姓名）。",
    columns=(
        C("student_id", "学号", "id", required=True, help="学生学号"),
        C("student_name", "学生姓名", aliases=("姓名",), help="学生姓名"),
        C("choice1", "志愿1", aliases=("第一志愿",), help="第一志愿导师的工号或姓名"),
        C("choice2", "志愿2", aliases=("第二志愿",), help="第二志愿导师"),
        C("choice3", "志愿3", aliases=("第三志愿",), help="第三志愿导师"),
    ),
)

WISHES = SheetSpec(
    "wishes", "导师意向", required=False,
    help="导师希望指导的学生，按顺序列出（可不填）。",
    columns=(
        C("teacher_id", "导师工号", "id", required=True, aliases=("工号",), help="导师工号"),
        C("student_id", "学号", "id", required=True, help="学生学号"),
        C("order", "顺序", "number", help="1 表示最希望"),
    ),
)

REPORTS = SheetSpec(
    "reports", "学生汇报", required=False, aliases=("学生汇报记录",),
    help="学生每半月向导师汇报一次学习和生活情况，每次一行。",
    columns=(
        C("date", "日期", "date", required=True, in_term=True, aliases=("汇报日期",), help="汇报日期"),
        C("student_id", "学号", "id", required=True, aliases=("学生学号",), help="学生学号"),
        C("teacher_id", "导师工号", "id", required=True, aliases=("工号",), help="听取汇报的导师工号"),
        C("form", "形式", "choice", choices=("面谈", "书面", "其他"), width=8, help="面谈、书面、其他"),
        C("summary", "内容摘要", required=True, private=True, aliases=("内容",), width=30, help="汇报主要内容（不进入学校汇总）"),
    ),
)

PAIR_CHANGES = SheetSpec(
    "pair_changes", "结对变更", required=False, aliases=("结对变更记录",),
    help="学期中更换导师的记录，每次一行：变更日期之前的周期由原导师负责，之后由新导师负责。学生名册填写现在的导师。",
    columns=(
        C("student_id", "学号", "id", required=True, aliases=("学生学号",), help="学生学号"),
        C("old_mentor_id", "原导师工号", "id", required=True, help="变更前导师的工号"),
        C("new_mentor_id", "新导师工号", "id", required=True, help="变更后导师的工号"),
        C("date", "变更日期", "date", required=True, aliases=("日期",), help="新导师开始负责的日期"),
        C("reason", "原因", "choice", choices=("导师离岗", "学生调整", "其他"), width=10, help="导师离岗、学生调整、其他"),
    ),
)

CLASS_WORKBOOK = WorkbookSpec(
    "class", "班级学情工作簿.xlsx", "班级学情工作簿",
    (CLASS_INFO, MENTORS, STUDENTS, TALKS, CONTACTS, STUDIES, COMMUNITY, ARCHIVE, PAPERWORK, CHOICES, WISHES,
     REPORTS, PAIR_CHANGES),
)

# -- the mentor's own workbook (导师工作手册): the class workbook's record sheets, each row naming its class ------
MENTOR_INFO = SheetSpec(
    "mentor_info", "基本信息", layout="keyvalue",
    help="导师本人的信息，每行一项：左列为项目，右列填写内容。学年、学期、工号三项确定是谁的哪个学期，"
         "填表日期用来区分新旧版本。",
    columns=(
        C("school", "学校", required=True, width=20, help="学校全称"),
        C("school_year", "学年", required=True, help="如 2026-2027"),
        C("term", "学期", "choice", required=True, choices=("第一学期", "第二学期"), help="第一学期 或 第二学期"),
        C("teacher_id", "工号", "id", required=True, aliases=("导师工号", "教师工号"), help="本人工号"),
        C("name", "姓名", required=True, aliases=("导师姓名",), help="本人姓名"),
        C("fill_date", "填表日期", "date", required=True, help="每次发送前更新；以最新填表日期的文件为准"),
    ),
)

MENTEES = SheetSpec(
    "mentees", "受导学生", aliases=("我的学生",),
    help="本人在各班的受导学生（仅供核对：以班级工作簿的学生名册为准）。",
    columns=(
        C("class_name", "班级", required=True, help="学生所在班级，与班级工作簿一致"),
        C("student_id", "学号", "id", required=True, aliases=("学生学号",), help="学生学号"),
        C("name", "姓名", aliases=("学生姓名",), help="学生姓名"),
    ),
)

_CLASS_COLUMN = C("class_name", "班级", required=True, help="学生所在班级，与班级工作簿一致")


def _in_mentor_book(spec: SheetSpec, names_student: bool = True) -> SheetSpec:
    """A class-workbook sheet as the mentor's own book has it: 班级 first where a row names a student, 导师工号
    optional (blank means the book's own 工号)."""
    columns = tuple(replace(c, required=False) if c.field == "teacher_id" else c for c in spec.columns)
    return replace(spec, columns=((_CLASS_COLUMN,) if names_student else ()) + columns)


MENTOR_WORKBOOK = WorkbookSpec(
    "mentor", "导师工作手册.xlsx", "导师工作手册",
    (MENTOR_INFO, MENTEES, _in_mentor_book(TALKS), _in_mentor_book(CONTACTS), _in_mentor_book(REPORTS),
     _in_mentor_book(ARCHIVE), _in_mentor_book(PAPERWORK, names_student=False)),
)

OFFICE_INFO = SheetSpec(
    "office_info", "填报信息", layout="keyvalue", required=False,
    help="哪个部门、哪个学期的数据。各部门（教务处、政教处……）各交一份，按记录合并，互不覆盖；没有此表视为教务处。"
         "同一部门再次提交时，填表日期较新的一份取代旧的。",
    columns=(
        C("school", "学校", required=True, help="学校全称"),
        C("school_year", "学年", required=True, help="如 2026-2027"),
        C("term", "学期", "choice", required=True, choices=("第一学期", "第二学期"), help="第一学期 或 第二学期"),
        C("office", "填报部门", required=True, aliases=("部门",), help="教务处、政教处、总务处、校长室或其他部门"),
        C("fill_date", "填表日期", "date", required=True, help="本次填写或修改的日期"),
    ),
)

GRADES = SheetSpec(
    "grades", "成绩", aliases=("学生成绩", "成绩表"),
    help="每个学生上学期和本学期的总成绩；同一年级为一个比较群体。",
    columns=(
        C("student_id", "学号", "id", required=True, help="学生学号"),
        C("name", "姓名", aliases=("学生姓名",), help="学生姓名"),
        C("class_name", "班级", required=True, help="班级名称，与班级工作簿一致"),
        C("previous", "上学期成绩", "number", aliases=("上学期总分", "上学期"),
          help="上学期总成绩；不填时取学校台账中该生上学期的成绩"),
        C("current", "本学期成绩", "number", required=True, aliases=("本学期总分", "本学期"), help="本学期总成绩"),
    ),
)

CONDUCT = SheetSpec(
    "conduct", "德育量化", aliases=("德育量化得分",),
    help="政教处、总务处对各共同体德育、体育、卫生、纪律的量化得分。",
    columns=(
        C("class_name", "班级", required=True, help="班级名称"),
        C("community", "共同体", "choice", required=True, choices=("1", "2", "3", "4", "5"), help="共同体编号 1-5"),
        C("score", "得分", "number", required=True, aliases=("量化得分", "分数"), help="量化得分"),
    ),
)

SATISFACTION = SheetSpec(
    "satisfaction", "满意度测评", aliases=("满意度",),
    help="学生对导师的满意度测评，每票一行。",
    columns=(
        C("student_id", "学号", "id", required=True, help="学生学号"),
        C("teacher_id", "导师工号", "id", required=True, aliases=("工号",), help="被评导师工号"),
        C("rating", "评价", "choice", required=True, choices=("满意", "基本满意", "不满意"), help="满意、基本满意、不满意"),
    ),
)

DEDUCTIONS = SheetSpec(
    "deductions", "考核扣分", aliases=("扣分",),
    help="对导师的扣分记录，每次一行。",
    columns=(
        C("teacher_id", "导师工号", "id", required=True, aliases=("工号",), help="导师工号"),
        C("date", "日期", "date", required=True, help="日期"),
        C("kind", "类型", "choice", required=True, choices=("教育效果不明显", "其他"), aliases=("扣分类型",), width=16, help="教育效果不明显 或 其他"),
        C("reason", "事由", required=True, private=True, width=30, help="扣分事由"),
    ),
)

LEADERS = SheetSpec(
    "leaders", "校级领导包靠", aliases=("领导包靠",),
    help="校级领导包靠的班级或学生；学号留空表示包靠整个班级。",
    columns=(
        C("leader", "领导姓名", required=True, aliases=("领导",), help="校级领导姓名"),
        C("class_name", "班级", required=True, help="班级名称"),
        C("student_id", "学号", "id", help="包靠的学生学号；留空表示整个班级"),
    ),
)

FOUR_PARTY = SheetSpec(
    "four_party", "四方评议", required=False,
    help="四方评议（可选，仅用于四方评议考核方案）：自评、学生、教师、学校各 0-100 分。",
    columns=(
        C("teacher_id", "导师工号", "id", required=True, aliases=("工号",), help="导师工号"),
        C("self", "自评", "number", help="0-100"),
        C("students", "学生评议", "number", help="0-100"),
        C("teachers", "教师评议", "number", help="0-100"),
        C("school", "学校评议", "number", help="0-100"),
    ),
)

SCHOOL_WORK_KINDS = ("专题会议", "导师培训", "座谈会", "经验交流", "级部计划", "级部总结", "级部交流", "其他")

SCHOOL_WORK = SheetSpec(
    "school_work", "学校工作记录", required=False, aliases=("学校工作",),
    help="校长每月主持的专题研究学生工作会议（逐班排查），学校组织的导师培训、座谈会、经验交流，以及各级部的计划、总结和级部交流，每次一行。",
    columns=(
        C("date", "日期", "date", required=True, in_term=True, aliases=("会议日期", "活动日期"), help="日期"),
        C("kind", "类型", "choice", required=True, choices=SCHOOL_WORK_KINDS, aliases=("会议类型", "活动类型"),
          width=10, help="专题会议、导师培训、座谈会、经验交流、级部计划、级部总结、级部交流、其他"),
        C("host", "主持人", required=True, help="主持人姓名，专题会议为校长或校级领导"),
        C("attendees", "参加人员", width=20, help="参加人员；级部计划、级部总结可在此写年级"),
        C("content", "内容", required=True, private=True, aliases=("会议内容", "活动内容"), width=30,
          help="研究的问题、措施或活动内容"),
        C("students", "研究学生", private=True, width=20, help="研究的学生学号，多个用“、”分隔"),
        C("grade", "年级", width=10, help="级部计划、级部总结所属年级，如 三年级"),
        C("classes", "排查班级", width=20, aliases=("研究班级",), help="专题会议逐班排查的班级，多个用“、”分隔"),
    ),
)

STAR_NOMINATIONS = SheetSpec(
    "star_nominations", "小明星推荐", required=False, aliases=("乐于助人小明星推荐", "小明星"),
    help="乐于助人小明星的推荐：每条推荐一行（同一推荐人对同一学生只算一次）；每班得推荐最多的学生为候选人，并列的都列出。",
    columns=(
        C("student_id", "学号", "id", required=True, aliases=("学生学号",), help="被推荐学生的学号"),
        C("nominator", "推荐人", required=True, help="推荐的同学或老师"),
        C("reason", "理由", private=True, aliases=("推荐理由",), width=30, help="推荐理由（不进入学校汇总）"),
    ),
)

ASSESSMENT_WORKBOOK = WorkbookSpec(
    "assessment", "学校考核数据.xlsx", "学校考核数据",
    (OFFICE_INFO, GRADES, CONDUCT, SATISFACTION, DEDUCTIONS, LEADERS, FOUR_PARTY, SCHOOL_WORK, STAR_NOMINATIONS),
)

WORKBOOKS = (CLASS_WORKBOOK, ASSESSMENT_WORKBOOK, MENTOR_WORKBOOK)


def sheet_spec(key: str) -> SheetSpec:
    """The sheet with this key in any workbook."""
    for w in WORKBOOKS:
        for sheet in w.sheets:
            if sheet.key == key:
                return sheet
    raise KeyError(key)
