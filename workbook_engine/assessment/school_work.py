"""The school's own work on students (《学情会商制度实施方案》三、内容与形式): the principal's monthly meeting, the
school's training and exchange events, the 包靠 leaders of the special-attention students, and the life of a
需学校关注 flag.

《学情会商制度实施方案》三: 校长每月至少主持召开一次专题研究学生工作的办公会议，……逐班排查需要特别关注的学生情况，
并落实校级领导包靠责任制. From the assessment workbook's `学校工作记录` (school_work) and `校级领导包靠` (leaders) sheets.

- A month is due as the compliance calendar defines months (ended by the as-of date, at least half of its
  weekdays teaching days); it is met when a 专题会议 row falls in it. Checked (`policy.check_principal_meeting`,
  default on) when an accepted assessment workbook has the 学校工作记录 sheet (an empty one counts: the office
  sent it); otherwise no month is due and every month reads 未检查.
- 研究学生 is free text: the tokens that are 学号s on an accepted roster are the students studied; a token that
  looks like a 学号 (digits only) and is on no roster is warned at its cell (school-work-unknown-student).
- 逐班排查: over each due month the 专题会议 rows together name every class — in 排查班级, or through any of its
  students in 研究学生 (a class name typed there counts too); the classes not named are listed per month. The host
  is the principal or a leader named in `[school] principal` / `leaders`; a meeting hosted by someone else is
  warned at its cell (meeting-host-not-leader) and still counts as held. Neither setting filled: not checked.
- 级部 work (《全员育人导师制实施方案》: 级部要做好工作计划，及时总结……学校每学期组织一次级部间的经验交流): rows of 类型
  级部计划 / 级部总结 name their grade in 年级 (or in 参加人员); each grade of the accepted class workbooks has a plan
  within `policy.plan_due_days` of the term's start and a summary by the term's end, and the school holds one
  级部交流 a term (due at the term's end). Checked with `policy.check_grade_work` under the same condition as
  the meeting; a 级部计划/级部总结 naming no known grade is warned (grade-work-without-grade) and counts for none.
- A talk flagged 需学校关注=是 opens a flag; the flag stays open until a later talk about the same student with
  后续措施 filled (a later day), or a 学校工作记录 row on or after the day that names the student in 研究学生.
  Several flags before a resolution are one open flag, aged from the first.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from workbook_engine.assessment.cell_warnings import warn_at
from workbook_engine.catalogue import t
from workbook_engine.compliance.calendar import Calendar
from workbook_engine.compliance.frequencies import MONTHLY, date_of
from workbook_engine.compliance.result import Compliance, StudentFigures
from workbook_engine.model import InboxFile, Merged, Record
from workbook_engine.reading.normalize import fold
from workbook_engine.settings import Policy, Settings

MEETING = "专题会议"
EVENT_KINDS = ("导师培训", "座谈会", "经验交流", "其他")  # listed per term beside the meetings
GRADE_PLAN, GRADE_SUMMARY, GRADE_EXCHANGE = "级部计划", "级部总结", "级部交流"
_SPLIT = re.compile(r"[、,，;；/\s]+")



def text(lang: str) -> dict[str, Any]:
    """Every word the summary's 学校工作, 待处理关注 and 未落实包靠 sheets show, from the message catalogue."""
    def w(key: str) -> str:
        return t("school_work." + key, lang)

    return {
        "school_work_sheet": w("sheet"), "open_flags_sheet": w("open_flags_sheet"),
        "without_leader_sheet": w("without_leader_sheet"),
        "school_work_headers": [w("col." + k) for k in ("month", "due", "meetings", "state", "studied",
                                                         "attention_studied", "training", "forum", "exchange",
                                                         "other")] + [t("duties.col.not_covered", lang)],
        **{k: w(k) for k in ("met", "missed", "not_due", "not_required", "unchecked", "total", "months_expected",
                             "months_met", "students_studied", "attention_without_leader", "open_flags")},
        "attention_studied": w("attention_studied"),
        **{k: t("duties." + k, lang) for k in ("not_covered", "all_covered", "grade_block", "grade_exchange",
                                                "grade_on_time", "grade_late", "grade_missing", "grade_not_due",
                                                "grade_held", "grade_unchecked")},
        "grade_headers": [t("duties.col." + k, lang) for k in ("grade", "plan", "plan_state", "summary",
                                                                "summary_state")],
        "figures_headers": [t("sum.figure", lang), t("sum.value", lang)],
        "without_leader_headers": [w("col." + k) for k in ("class", "student_id", "name", "attention", "mentor_id")],
        "open_flags_headers": [w("col." + k) for k in ("class", "student_id", "name", "mentor_id", "mentor", "opened",
                                                        "days_open", "flags")],
    }


TEXT = {lang: text(lang) for lang in ("zh", "en")}


@dataclass
class SchoolWork:
    """The term's school work, counts and dates only (the content typed stays in the merged book)."""

    months: list[dict[str, Any]] = field(default_factory=list)  # every month of the term: due, meetings, events
    meetings: list[dict[str, Any]] = field(default_factory=list)  # 专题会议: date, host, students studied
    events: list[dict[str, Any]] = field(default_factory=list)  # trainings and exchanges: date, kind, host
    students_studied: list[str] = field(default_factory=list)  # 学号 named by any 专题会议
    attention_studied: int = 0
    attention_without_leader: list[dict[str, Any]] = field(default_factory=list)
    checked: bool = True  # the monthly meeting check: on, and some accepted workbook has 学校工作记录
    grades: list[dict[str, Any]] = field(default_factory=list)  # each grade's 级部计划 and 级部总结
    exchange: dict[str, Any] = field(default_factory=dict)  # the term's 级部交流: held, state
    grade_checked: bool = True

    def to_dict(self) -> dict[str, Any]:
        due = [m for m in self.months if m["due"]]
        return {
            "checked": self.checked,
            "months_expected": len(due), "months_met": sum(m["met"] for m in due),
            "missing_months": [m["month"] for m in due if not m["met"]],
            "months": self.months, "meetings": self.meetings, "events": self.events,
            "events_by_kind": {k: sum(e["kind"] == k for e in self.events) for k in EVENT_KINDS},
            "students_studied": len(self.students_studied), "attention_students_studied": self.attention_studied,
            "attention_without_leader": self.attention_without_leader,
            "months_all_classes_covered": sum(not m["classes_not_covered"] for m in due),
            "grade_work": {"checked": self.grade_checked, "grades": self.grades, "exchange": self.exchange},
        }


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def named_students(text: Any) -> list[str]:
    """The tokens of a 研究学生 cell, in order, once each (a 学号 typed as a number reads as its digits)."""
    if text is None:
        return []
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    out: list[str] = []
    for token in _SPLIT.split(str(text).strip()):
        if token and token not in out:
            out.append(token)
    return out


def compute(merged: Merged, comp: Compliance, settings: Settings) -> SchoolWork:
    """The monthly meeting check, the events, the students studied and the attention students with no leader."""
    records = merged.records
    cal = comp.calendar
    students = {s["student_id"]: s for s in comp.students}
    rows = sorted((r for r in records.get("school_work", []) if _day(r.get("date"))),
                  key=lambda r: (_day(r["date"]), str(r.get("kind")), str(r.get("host"))))
    sent = any(f.report is not None and getattr(f.report.sheets.get("school_work"), "name", None)
               for f in merged.assessments)  # (an empty sheet counts: the office sent it)
    checked = settings.policy.check_principal_meeting and sent
    due = {date_of(s).strftime("%Y-%m") for s in cal.due_periods(MONTHLY)["p_start"]} if checked else set()
    months: dict[str, dict[str, Any]] = {}
    classes = sorted(c["class"] for c in comp.classes)
    periods = cal.periods(MONTHLY)
    for p, end in zip(periods["p_start"], periods["p_end"]):
        name = date_of(p).strftime("%Y-%m")
        # a month over by the as-of date that is not due (mostly holidays or exams) required nothing: 不要求
        months[name] = {"month": name, "due": name in due,
                        "required": name in due or not (checked and date_of(end) <= cal.as_of), "met": False,
                        "meetings": 0, "students_studied": [], "covered": set(), **{k: 0 for k in EVENT_KINDS}}
    leaders = leader_names(settings)
    work = SchoolWork(checked=checked)
    studied: list[str] = []
    for r in rows:
        day = _day(r["date"])
        assert day is not None
        month = months.get(day.strftime("%Y-%m"))
        ids = [t for t in named_students(r.get("students")) if t in students]
        if r.get("kind") == MEETING:
            covered = covered_classes(r, classes, students)
            work.meetings.append({"date": day.isoformat(), "host": r.get("host"), "students_studied": len(ids),
                                  "attention_students_studied": sum(bool(students[i]["attention"]) for i in ids),
                                  "host_is_leader": host_is_leader(r.get("host"), leaders),
                                  "classes": sorted(covered)})
            studied += [i for i in ids if i not in studied]
            if month is not None:
                month["meetings"] += 1
                month["met"] = True
                month["covered"] |= covered
                month["students_studied"] += [i for i in ids if i not in month["students_studied"]]
        elif r.get("kind") in EVENT_KINDS:
            work.events.append({"date": day.isoformat(), "kind": r.get("kind"), "host": r.get("host")})
            if month is not None:
                month[r["kind"]] += 1
    for m in months.values():
        covered = m.pop("covered")
        m["classes_not_covered"] = [c for c in classes if c not in covered] if m["due"] else []
        ids = m.pop("students_studied")
        m["students_studied"], m["attention_students_studied"] = \
            len(ids), sum(bool(students[i]["attention"]) for i in ids)
    work.months = list(months.values())
    work.students_studied = studied
    work.attention_studied = sum(bool(students[i]["attention"]) for i in studied)
    work.attention_without_leader = without_leader(records.get("leaders", []), comp.students)
    work.grade_checked = settings.policy.check_grade_work and sent
    grades = school_grades(merged.class_files, settings.ledger.grades)
    work.grades, work.exchange = grade_work(grades, rows, cal, settings.policy, work.grade_checked)
    return work


def leader_names(settings: Settings) -> list[str]:
    """The names that may host the 专题会议: the principal and the leaders of `[school]` (empty: not checked)."""
    return [n for n in (settings.school.principal, *settings.school.leaders) if n and n.strip()]


def host_is_leader(host: Any, leaders: list[str]) -> bool | None:
    """Whether a host (王明, 王明校长) is one of the leaders; None when the school named none."""
    if not leaders:
        return None
    text = fold(str(host or ""))
    return bool(text) and any(fold(n) in text for n in leaders)


def covered_classes(rec: Record, classes: list[str], students: dict[str, StudentFigures]) -> set[str]:
    """The classes a 专题会议 row names: in 排查班级 (or 研究学生) by name, or through a student of theirs."""
    names = {fold(c): c for c in classes}
    out: set[str] = set()
    for token in named_students(rec.get("classes")) + named_students(rec.get("students")):
        if fold(token) in names:
            out.add(names[fold(token)])
        elif token in students:
            out.add(students[token]["class"])
    return out


def row_grades(rec: dict[str, Any], grades: list[str]) -> list[str]:
    """The grades a 级部 row names: its 年级, else the grades written in 参加人员."""
    if rec.get("grade"):
        g = fold(str(rec["grade"]))
        return [x for x in grades if fold(x) == g]
    text = fold(str(rec.get("attendees") or ""))
    return [x for x in grades if fold(x) in text]


def school_grades(class_files: list[InboxFile], order: list[str]) -> list[str]:
    """The grades of the accepted class workbooks, in the order of `[ledger] grades` (others after, by name)."""
    found: set[str] = set()
    for f in class_files:
        grade = f.report.class_info.get("grade") if f.report is not None else None
        if grade:
            found.add(grade)
    return sorted(found, key=lambda g: (order.index(g) if g in order else len(order), g))


def _state(day: dt.date | None, deadline: dt.date, as_of: dt.date, checked: bool) -> str:
    """on_time / late / missing / not_due / unchecked (the words: catalogue duties.grade_<state>)."""
    if not checked:
        return "unchecked"
    if day is not None:
        return "on_time" if day <= deadline else "late"
    return "missing" if as_of >= deadline else "not_due"


def grade_work(grades: list[str], rows: list[Record], cal: Calendar, policy: Policy, checked: bool
               ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Each grade's 级部计划 (first one, due `plan_due_days` after the term's start) and 级部总结 (due by the term's
    end), and the term's 级部交流 (one a term, due by the term's end), each with its state (_state)."""
    plan_due = cal.start + dt.timedelta(days=policy.plan_due_days)
    first: dict[tuple[str, str], dt.date] = {}
    for r in rows:
        if r.get("kind") in (GRADE_PLAN, GRADE_SUMMARY):
            day = _day(r["date"])
            for g in row_grades(r, grades):
                if day and ((r["kind"], g) not in first or day < first[(r["kind"], g)]):
                    first[(r["kind"], g)] = day
    out: list[dict[str, Any]] = []
    for g in grades:
        plan, summary = first.get((GRADE_PLAN, g)), first.get((GRADE_SUMMARY, g))
        out.append({"grade": g, "plan": plan.isoformat() if plan else None,
                    "plan_state": _state(plan, plan_due, cal.as_of, checked),
                    "summary": summary.isoformat() if summary else None,
                    "summary_state": _state(summary, cal.end, cal.as_of, checked)})
    days = [_day(r["date"]) for r in rows if r.get("kind") == GRADE_EXCHANGE]
    held = [d for d in days if d is not None and d <= cal.end]
    state = _state(min(held) if held else None, cal.end, cal.as_of, checked)
    return out, {"held": len(held), "state": state}


def flag(merged: Merged, files: list[InboxFile], settings: Settings) -> None:
    """Warn at their cells the 专题会议 rows hosted by someone else and the 级部 rows naming no grade."""
    records, by_name = merged.records, {f.name: f for f in files}
    leaders = leader_names(settings)
    for r in host_strays(records, leaders):
        warn_at(by_name, r, "school_work", "host", "meeting-host-not-leader", r.get("host"), "、".join(leaders))
    if settings.policy.check_grade_work:
        grades = school_grades(merged.class_files, settings.ledger.grades)
        for r in grade_work_strays(records, grades):
            warn_at(by_name, r, "school_work", "grade", "grade-work-without-grade", r.get("kind"),
                    "、".join(grades))


def grade_work_strays(records: dict[str, list[dict[str, Any]]], grades: list[str]) -> list[dict[str, Any]]:
    """级部计划 / 级部总结 rows that name no grade of the school (warned: grade-work-without-grade)."""
    return [r for r in records.get("school_work", [])
            if r.get("kind") in (GRADE_PLAN, GRADE_SUMMARY) and not row_grades(r, grades)]


def host_strays(records: dict[str, list[dict[str, Any]]], leaders: list[str]) -> list[dict[str, Any]]:
    """专题会议 rows hosted by neither the principal nor a named leader (warned: meeting-host-not-leader)."""
    return [r for r in records.get("school_work", [])
            if r.get("kind") == MEETING and host_is_leader(r.get("host"), leaders) is False]


def without_leader(leaders: list[Record], students: list[StudentFigures]) -> list[dict[str, Any]]:
    """Every special-attention student (still on the roster) with no 校级领导包靠 row (`leaders`) for them or their
    class."""
    led = {(r.get("class_name"), r.get("student_id") or None) for r in leaders if r.get("leader")}
    return [{"class": s["class"], "student_id": s["student_id"], "name": s["name"], "attention": s["attention"],
             "mentor_id": s["mentor_id"]}
            for s in sorted(students, key=lambda s: (s["class"], s["student_id"]))
            if s["attention"] and not s.get("left")
            and (s["class"], s["student_id"]) not in led and (s["class"], None) not in led]


def open_flags(records: dict[str, list[Record]], comp: Compliance, as_of: dt.date) -> list[dict[str, Any]]:
    """The 需学校关注 flags still open on the as-of date, oldest first (see the module's docstring)."""
    students = {(s["class"], s["student_id"]): s for s in comp.students}
    by_id = {s["student_id"]: s for s in comp.students}
    names = comp.mentor_names
    flagged: dict[tuple[str, str], list[dt.date]] = {}
    for talk in records.get("talks", []):
        if talk.get("escalate") == "是" and (day := _day(talk.get("date"))) and day <= as_of:
            key: tuple[Any, Any] = (talk.get("_class"), talk.get("student_id"))  # (class, student id)
            s = students.get(key) or by_id.get(key[1])
            if s is not None:
                flagged.setdefault((s["class"], s["student_id"]), []).append(day)
    if not flagged:
        return []
    flagged_ids = {sid for _, sid in flagged}
    # (student) -> [(day, 0 = a talk with 后续措施 (closes from the next day) | 1 = named by 学校工作记录)]
    closing: dict[str, list[tuple[dt.date, int]]] = {}
    for talk in records.get("talks", []):
        if talk.get("student_id") in flagged_ids and str(talk.get("follow_up") or "").strip() \
                and (day := _day(talk.get("date"))) and day <= as_of:
            closing.setdefault(talk["student_id"], []).append((day, 0))
    for r in records.get("school_work", []):
        day = _day(r.get("date"))
        if day and day <= as_of:
            for sid in named_students(r.get("students")):
                if sid in flagged_ids:
                    closing.setdefault(sid, []).append((day, 1))
    out: list[dict[str, Any]] = []
    for (cls, sid), days in flagged.items():
        opened: dt.date | None = None
        count = 0
        ends = sorted(closing.get(sid, []))
        for day in sorted(days):
            if opened is not None and any(opened < d or (k and opened <= d) for d, k in ends if d <= day):
                opened, count = None, 0  # closed before this flag was raised
            if opened is None:
                opened = day
                ends = [(d, k) for d, k in ends if d >= day]
            count += 1
        if opened is not None and any(opened < d or (k and opened <= d) for d, k in ends):
            continue  # closed after the last flag
        s = students[(cls, sid)]
        out.append({"class": cls, "student_id": sid, "name": s["name"], "mentor_id": s["mentor_id"],
                    "mentor": names.get((cls, s["mentor_id"])), "opened": opened.isoformat() if opened else None,
                    "days_open": (as_of - opened).days if opened else None, "flags": count})
    return sorted(out, key=lambda f: (-(f["days_open"] or 0), f["class"], f["student_id"]))
