"""A seeded generator of a realistic school: class workbooks filled as teachers fill them.

Used for `sample_data/` (scripts/make_sample_data.py), the tests and the benchmarks.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font

from workbook_engine.schema import ASSESSMENT_WORKBOOK, CLASS_WORKBOOK, WorkbookSpec

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "浩宇子涵欣怡梓轩雨萱俊杰思远佳琪一诺晨曦嘉怡明轩若汐宇航梦琪天佑诗涵博文可馨浩然语嫣皓轩雅琪子墨紫涵"
SUBJECTS = ["语文", "数学", "英语", "科学", "道德与法治", "音乐", "体育", "美术"]  # a primary school's
TERM_START = dt.date(2026, 9, 1)
TERM_END = dt.date(2027, 1, 22)
HOLIDAYS = [("国庆节", dt.date(2026, 10, 1), dt.date(2026, 10, 8)), ("期中考试周", dt.date(2026, 11, 9), dt.date(2026, 11, 13))]
WORKDAYS = [(dt.date(2026, 10, 10), "国庆调休上班")]
SCHOOL = "青年路小学"
SCHOOL_YEAR = "2026-2027"
TERM = "第一学期"
GRADE_NUMERALS = "一二三四五六七八九"  # make_class(grade_no=3) is 三年级


@dataclass
class ClassData:
    """One class's records, as lists of dicts keyed by the schema's field names."""

    class_name: str
    grade: str
    fill_date: dt.date
    sheets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def info(self) -> dict[str, Any]:
        head = next(m for m in self.sheets["mentors"] if m["role"] == "班主任")
        return {"school": SCHOOL, "school_year": SCHOOL_YEAR, "term": TERM, "grade": self.grade,
                "class_name": self.class_name, "head_teacher": head["name"], "filled_by": head["name"],
                "fill_date": self.fill_date}


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        n = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
        if n not in used:
            used.add(n)
            return n


def _in_holiday(day: dt.date) -> bool:
    return any(s <= day <= e for _, s, e in HOLIDAYS)


def make_class(seed: int, grade_no: int, class_no: int, students: int = 30, mentors: int = 5,
               until: dt.date = dt.date(2026, 11, 20), talk_rate: float = 0.93, contact_rate: float = 0.9) -> ClassData:
    """A class with a head teacher, `mentors` subject mentors and weekly talks up to `until`."""
    rng = random.Random(seed * 1000 + grade_no * 100 + class_no)
    grade = f"{GRADE_NUMERALS[grade_no - 1]}年级" if 1 <= grade_no <= len(GRADE_NUMERALS) else f"{grade_no}年级"
    cname = f"{grade}{class_no}班"
    used: set[str] = set()
    staff: list[dict[str, Any]] = []
    head_id = f"0{grade_no}{class_no:02d}00"
    staff.append({"teacher_id": head_id, "name": _name(rng, used), "subject": "语文", "role": "班主任",
                  "phone": f"139{rng.randrange(10**8):08d}", "email": f"t{head_id}@example.edu.cn",
                  "capacity": None, "status": "在岗"})
    for m in range(1, mentors + 1):
        tid = f"0{grade_no}{class_no:02d}{m:02d}"
        staff.append({"teacher_id": tid, "name": _name(rng, used), "subject": SUBJECTS[m % len(SUBJECTS)],
                      "role": "科任导师", "phone": f"138{rng.randrange(10**8):08d}", "email": f"t{tid}@example.edu.cn",
                      "capacity": None, "status": "在岗"})
    subject_mentors = staff[1:]
    roster: list[dict[str, Any]] = []
    categories = ["留守儿童", "学习困难", "家庭贫困", "心理障碍", "父母离异", "进城务工人员子女"]
    for s in range(1, students + 1):
        mentor = subject_mentors[(s - 1) % len(subject_mentors)]
        attention = rng.sample(categories, rng.choice([1, 2])) if rng.random() < 0.15 else []
        paired = TERM_START if s != 7 else dt.date(2026, 10, 19)  # one student paired mid-term
        status, left = ("转出", dt.date(2026, 10, 30)) if s == 11 else ("在读", None)
        roster.append({
            "student_id": f"2026{grade_no:02d}{class_no:02d}{s:02d}", "name": _name(rng, used),
            "gender": rng.choice(["男", "女"]), "level": ["好", "中", "差"][(s - 1) % 3],
            "community": str((s - 1) % 5 + 1), "mentor_id": mentor["teacher_id"], "mentor_name": mentor["name"],
            "paired_on": paired, "attention": attention, "status": status, "left_on": left,
            "parent_name": _name(rng, used), "parent_phone": f"137{rng.randrange(10**8):08d}",
            "note": "需多鼓励" if attention else None,
        })
    talks, contacts, archive = [], [], []
    week = TERM_START - dt.timedelta(days=TERM_START.weekday())
    while week + dt.timedelta(days=4) <= until:
        for st in roster:
            day = week + dt.timedelta(days=rng.randrange(5))
            if day < st["paired_on"] or day > until or day < TERM_START or _in_holiday(day):
                continue
            if st["left_on"] and day > st["left_on"]:
                continue
            if rng.random() > talk_rate:
                continue
            mentor = next(m for m in staff if m["teacher_id"] == st["mentor_id"])
            talks.append({"date": day, "teacher_id": mentor["teacher_id"], "teacher_name": mentor["name"],
                          "student_id": st["student_id"], "student_name": st["name"],
                          "form": rng.choice(["面谈", "面谈", "面谈", "电话", "微信"]),
                          "topic": rng.choice(["思想引导", "学业辅导", "生活指导", "心理疏导"]),
                          "summary": rng.choice(["了解近期学习状态，鼓励坚持", "谈作业完成情况", "与同学相处问题", "考试心态调整"]),
                          "follow_up": rng.choice([None, "下周再跟进", "与家长沟通"]),
                          "escalate": "是" if st["attention"] and rng.random() < 0.05 else "否"})
        week += dt.timedelta(days=7)
    month = dt.date(TERM_START.year, TERM_START.month, 1)
    while month <= until:
        for st in roster:
            day = month + dt.timedelta(days=rng.randrange(5, 25))
            if day < st["paired_on"] or day > until or _in_holiday(day) or (st["left_on"] and day > st["left_on"]):
                continue
            if rng.random() > contact_rate:
                continue
            contacts.append({"date": day, "teacher_id": st["mentor_id"], "student_id": st["student_id"],
                             "student_name": st["name"], "way": rng.choice(["电话", "电话", "微信", "家访", "面谈"]),
                             "contact_person": rng.choice(["母亲", "父亲", "奶奶"]),
                             "summary": rng.choice(["沟通在校表现", "反馈作业情况", "了解家庭学习环境"])})
            if st["attention"]:
                archive.append({"student_id": st["student_id"], "date": day, "family": "家庭情况记录",
                                "morality": "表现良好", "mental": "情绪稳定", "highlights": "乐于助人",
                                "improvement": "加强学习习惯", "recorder": st["mentor_name"]})
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    studies, community = [], []
    week = TERM_START - dt.timedelta(days=TERM_START.weekday())
    while week + dt.timedelta(days=4) <= until:
        day = week + dt.timedelta(days=3)
        if not _in_holiday(day) and day >= TERM_START:
            studies.append({"date": day, "host": staff[0]["name"], "attendees": "、".join(m["name"] for m in subject_mentors),
                            "students": None, "measures": "分析本周学情，落实个别辅导"})
        week += dt.timedelta(days=7)
    month = dt.date(TERM_START.year, TERM_START.month, 1)
    while month <= until:
        for g in range(1, 6):
            day = month + dt.timedelta(days=20)
            if day <= until and not _in_holiday(day):
                community.append({"date": day, "community": str(g), "teacher_id": subject_mentors[(g - 1) % len(subject_mentors)]["teacher_id"],
                                  "form": "汇报会", "content": "共同体月度汇报"})
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    paperwork = [{"teacher_id": m["teacher_id"], "plan_date": TERM_START + dt.timedelta(days=rng.randrange(3, 12)),
                  "summary_date": None, "reflection_date": None, "note": None} for m in staff]
    data = ClassData(cname, grade, until)
    data.sheets = {"mentors": staff, "students": roster, "talks": talks, "contacts": contacts, "studies": studies,
                   "community": community, "archive": archive, "paperwork": paperwork, "reports": []}
    return data


def snapshot(data: ClassData, until: dt.date) -> ClassData:
    """The same class as it stood on an earlier day: dated records up to `until`, filled on `until`."""
    sheets = {}
    for key, rows in data.sheets.items():
        sheets[key] = [dict(r) for r in rows if not isinstance(r.get("date"), dt.date) or r["date"] <= until]
    return ClassData(data.class_name, data.grade, until, sheets)


def _cell_value(value: Any) -> Any:
    if isinstance(value, list):
        return "、".join(value) if value else None
    return value


def fill_template(template: Path, data: ClassData, out: Path) -> Path:
    """Fill the blank class template with openpyxl, as a teacher typing into it would."""
    return fill_workbook(template, CLASS_WORKBOOK, data.info, data.sheets, out)


def fill_workbook(template: Path, spec: WorkbookSpec, info: dict[str, Any], sheets: dict[str, list[dict[str, Any]]],
                  out: Path) -> Path:
    """Fill a blank template (class or mentor workbook) with openpyxl: `info` into its key/value sheet, each list
    of records into its table sheet, as a teacher typing into it would."""
    wb = openpyxl.load_workbook(template)
    keyvalue = next(s for s in spec.sheets if s.layout == "keyvalue")
    ws = wb[keyvalue.name]
    for row in range(2, ws.max_row + 1):
        key = str(ws.cell(row, 1).value or "").rstrip("*")
        for column in keyvalue.columns:
            if column.header == key:
                ws.cell(row, 2).value = info.get(column.field)
    for sheet in spec.sheets:
        if sheet.layout != "table" or sheet.key not in sheets:
            continue
        ws = wb[sheet.name]
        for r, rec in enumerate(sheets[sheet.key], start=2):
            for c, column in enumerate(sheet.columns, start=1):
                value = _cell_value(rec.get(column.field))
                if value is not None:
                    cell = ws.cell(r, c)
                    cell.value = value
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # typed as text ('=…), the way Excel keeps a leading apostrophe
                        cell.quotePrefix = True
                    if column.kind == "date":
                        cell.number_format = "yyyy-mm-dd"
    wb.save(out)
    return out


def _text_date(day: dt.date, rng: random.Random) -> str:
    return rng.choice([f"{day.year}.{day.month}.{day.day}", f"{day.year}/{day.month}/{day.day}",
                       f"{day.year}年{day.month}月{day.day}日", f"{day.month}月{day.day}日", day.strftime("%Y%m%d")])


def write_messy(data: ClassData, out: Path, seed: int = 7) -> Path:
    """A workbook made by hand from scratch: a merged title row, reordered and renamed columns, an extra column,
    blank rows, dates typed as text, ids typed as numbers, full-width digits and spaces inside dropdown values."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("班级信息")
    ws.append([f"{data.class_name} 基本情况"])
    for k, v in [("学校", SCHOOL), ("学年", SCHOOL_YEAR), ("学期", TERM), ("年级", data.grade),
                 ("班级", data.class_name), ("班主任", data.info["head_teacher"]), ("填表日期", _text_date(data.fill_date, rng))]:
        ws.append([k, v])
    renames = {"学生名册": {"姓名": "学生姓名"}, "谈心记录": {"日期": "谈心日期", "内容摘要": "谈心内容"},
               "家长联系": {"方式": "联系方式"}}
    for spec in CLASS_WORKBOOK.sheets:
        if spec.layout != "table" or spec.key not in data.sheets:
            continue
        name = spec.name if spec.name != "谈心记录" else " 谈心记录 "
        ws = wb.create_sheet(name.strip() if spec.key != "talks" else "谈心记录")
        columns = list(spec.columns)
        columns = columns[1:] + columns[:1] if spec.key in ("talks", "contacts") else columns
        headers = [renames.get(spec.name, {}).get(c.header, c.header) for c in columns]
        ws.append([f"{data.class_name}{spec.name}"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        extra = spec.key == "students"
        ws.append([h + (" " if i == 0 else "") for i, h in enumerate(headers)] + (["座位号"] if extra else []))
        for i, rec in enumerate(data.sheets[spec.key]):
            row = []
            for c in columns:
                v = _cell_value(rec.get(c.field))
                if c.kind == "date" and isinstance(v, dt.date) and rng.random() < 0.5:
                    v = _text_date(v, rng)
                elif c.kind == "id" and isinstance(v, str) and not v.startswith("0") and rng.random() < 0.5:
                    v = int(v)
                elif c.kind == "id" and isinstance(v, str) and rng.random() < 0.05:
                    v = v.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
                elif c.kind == "choice" and v == "电话" and rng.random() < 0.1:
                    v = "电 话"
                row.append(v)
            ws.append(row + ([i + 1] if extra else []))
            if i % 17 == 16:
                ws.append([])
    wb.save(out)
    return out


def write_assessment(classes: list[ClassData], out: Path, seed: int = 11) -> Path:
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheets = {s.key: wb.create_sheet(s.name) for s in ASSESSMENT_WORKBOOK.sheets
              if s.key != "four_party" and s.layout == "table"}
    for key, ws in sheets.items():
        ws.append([c.template_header for c in ASSESSMENT_WORKBOOK.sheet(key).columns])
    for cls in classes:
        for st in cls.sheets["students"]:
            prev = rng.randrange(350, 680)
            sheets["grades"].append([st["student_id"], st["name"], cls.class_name, prev, prev + rng.randrange(-40, 50)])
            rating = rng.choices(["满意", "基本满意", "不满意"], [0.8, 0.17, 0.03])[0]
            sheets["satisfaction"].append([st["student_id"], st["mentor_id"], rating])
        for g in range(1, 6):
            sheets["conduct"].append([cls.class_name, str(g), round(rng.uniform(85, 100), 1)])
        first_attention = next((s for s in cls.sheets["students"] if s["attention"]), None)
        sheets["leaders"].append(["周校长" if cls.grade == classes[0].grade else "吴副校长", cls.class_name,
                                  first_attention["student_id"] if first_attention else None])
    mentor = classes[0].sheets["mentors"][2]["teacher_id"]
    sheets["deductions"].append([mentor, dt.date(2026, 11, 2), "教育效果不明显", "受导学生多次未完成作业，未见跟进"])
    wb.save(out)
    return out


def school_toml(classes: list[str]) -> str:
    holidays = "\n".join(f'[[term.holidays]]\nname = "{n}"\nstart = {s.isoformat()}\nend = {e.isoformat()}\n' for n, s, e in HOLIDAYS)
    workdays = "\n".join(f'[[term.workdays]]\ndate = {d.isoformat()}\nnote = "{n}"\n' for d, n in WORKDAYS)
    listed = ", ".join(f'"{c}"' for c in classes)
    return f'''# {SCHOOL} {SCHOOL_YEAR} 学年{TERM}设置（示例）
[school]
name = "{SCHOOL}"
classes = [{listed}]

[term]
school_year = "{SCHOOL_YEAR}"
term = "{TERM}"
start = {TERM_START.isoformat()}
end = {TERM_END.isoformat()}

{holidays}
{workdays}
[policy]
talk_frequency = "weekly"
parent_contact_frequency = "monthly"
'''


def make_sample_school(out_dir: Path, template: Path) -> list[Path]:
    """The bundled sample_data/, a primary school: four classes of 三年级 and 四年级 (one sent twice, one with
    four mistakes, 四年级3班 missing), an assessment workbook, school.toml."""
    out_dir.mkdir(parents=True, exist_ok=True)
    c31 = make_class(1, 3, 1, talk_rate=1.0, contact_rate=1.0)  # a class that keeps up
    c32 = make_class(1, 3, 2)
    c41 = make_class(1, 4, 1)
    c42 = make_class(1, 4, 2)
    c42_old = snapshot(c42, dt.date(2026, 11, 13))
    # the newer 四年级2班 lost three older talk rows by accident
    c42.sheets["talks"] = [t for i, t in enumerate(c42.sheets["talks"]) if i not in (3, 4, 5)]
    written = [
        fill_template(template, c31, out_dir / "三年级1班.xlsx"),
        write_messy(c32, out_dir / "三年级2班 学情记录（王老师）.xlsx"),
        fill_template(template, c42_old, out_dir / "四年级2班.xlsx"),
        fill_template(template, c42, out_dir / "四年级2班(补充修改).xlsx"),
    ]
    # 四年级1班 carries real errors a head teacher would make
    path = fill_template(template, c41, out_dir / "四年级1班.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["谈心记录"]
    ws["A5"] = "2026.13.5"            # no such month
    ws["D6"] = "20260499"             # a student not in the roster
    ws["F7"] = "聊天"                  # not one of the talk forms
    roster = wb["学生名册"]
    roster["F9"] = None                # a student without a mentor
    wb.save(path)
    written.append(path)
    written.append(write_assessment([c31, c32, c41, c42], out_dir / "学校考核数据.xlsx"))
    toml = out_dir / "school.toml"
    toml.write_text(school_toml(["三年级1班", "三年级2班", "四年级1班", "四年级2班", "四年级3班"]), encoding="utf-8")
    written.append(toml)
    return written


def move_mentor(data: ClassData, old: str, new: str, name: str) -> None:
    """Make teacher `new` (named `name`) the mentor wherever `old` was in this class's records (a teacher who
    mentors in two classes, for tests and benchmarks)."""
    for m in data.sheets["mentors"]:
        if m["teacher_id"] == old:
            m["teacher_id"], m["name"] = new, name
    for s in data.sheets["students"]:
        if s["mentor_id"] == old:
            s["mentor_id"], s["mentor_name"] = new, name
    for key in ("talks", "contacts", "community", "paperwork"):
        for r in data.sheets[key]:
            if r.get("teacher_id") == old:
                r["teacher_id"] = new
                if "teacher_name" in r:
                    r["teacher_name"] = name
