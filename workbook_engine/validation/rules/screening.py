"""The assessment screening: the rows of the school's assessment workbook that name people the term does not
know are not scored, nor second votes, nominations and deductions; a 学校工作记录 row may name an unknown student,
and one 工号 may carry two names across classes. The checks take the merged records as plain data;
assessment.scoring.flag_people calls them and raises each finding as a warning at its cell."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbook_engine.validation.rules import W, code

code("assessment-unknown-student", W, "relation")
code("assessment-unknown-teacher", W, "relation")
code("assessment-unknown-class", W, "relation")
code("vote-not-own-mentor", W, "relation")
code("duplicate-vote", W, "relation")
code("duplicate-nomination", W, "relation")
code("duplicate-deduction", W, "relation")
code("deduction-outside-term", W, "cell")
code("leader-student-not-in-class", W, "relation")
code("school-work-unknown-student", W, "relation")
code("teacher-name-mismatch", W, "relation")


# Which fields of each assessment sheet name a person or a class, checked against the term's rosters.
PEOPLE_FIELDS = {
    "grades": ("student_id", "class_name"),
    "conduct": ("class_name",),
    "satisfaction": ("student_id", "teacher_id"),
    "deductions": ("teacher_id",),
    "leaders": ("class_name", "student_id"),
    "four_party": ("teacher_id",),
    "star_nominations": ("student_id",),
}


@dataclass
class Flag:
    """An assessment row left out of scoring, and why (becomes a warning at the row's cell)."""

    sheet: str  # spec key
    record: dict[str, Any]
    code: str
    field: str
    detail: str = ""


def screen(records: dict[str, list[dict[str, Any]]], term: tuple[Any, Any] | None = None
           ) -> tuple[dict[str, list[dict[str, Any]]], list[Flag]]:
    """The assessment records that name known people: a 学号 on an accepted roster, a 工号 in an accepted mentor
    list, a class whose workbook was accepted; a vote only from the teacher's own mentee, one per student and
    teacher; a 小明星 nomination once per student and 推荐人; a deduction once per case (导师工号, 日期, 类型,
    事由 — across offices combine.IDENTITY already keeps one) dated within the `term` (first, last day): an
    office's running book sent again next term never costs a mentor last term's cases twice; a 包靠 row's 学号 in
    the class it names. Every other
    row is returned as a Flag instead of being scored (before, an unknown student's 不满意 cost a mentor points,
    and deductions for an unknown 工号 vanished). Records stay in the merged book."""
    roster = {r.get("student_id"): r for r in records.get("students", []) if r.get("student_id")}
    teacher_ids = {r.get("teacher_id") for r in records.get("mentors", []) if r.get("teacher_id")}
    classes = {r.get("_class") for r in records.get("students", [])} | \
        {r.get("_class") for r in records.get("mentors", [])}
    known = {"student_id": roster, "teacher_id": teacher_ids, "class_name": classes}
    code = {"student_id": "assessment-unknown-student", "teacher_id": "assessment-unknown-teacher",
            "class_name": "assessment-unknown-class"}
    out = dict(records)
    flags: list[Flag] = []
    for key, fields in PEOPLE_FIELDS.items():
        kept: list[dict[str, Any]] = []
        votes: set[tuple[Any, ...]] = set()  # the votes, deduction cases or nominations seen
        for rec in records.get(key, []):
            bad = next((f for f in fields if rec.get(f) not in (None, "") and rec.get(f) not in known[f]), None)
            if bad:
                flags.append(Flag(key, rec, code[bad], bad))
                continue
            if key == "leaders" and rec.get("student_id") in roster \
                    and roster[rec["student_id"]].get("_class") != rec.get("class_name"):
                flags.append(Flag(key, rec, "leader-student-not-in-class", "student_id",
                                  str(roster[rec["student_id"]].get("_class"))))
                continue
            if key == "satisfaction":
                mentor_id = roster[rec["student_id"]].get("mentor_id") if rec.get("student_id") in roster else None
                if mentor_id != rec.get("teacher_id"):
                    flags.append(Flag(key, rec, "vote-not-own-mentor", "teacher_id", str(mentor_id or "—")))
                    continue
                vote = (rec.get("student_id"), rec.get("teacher_id"))
                if vote in votes:
                    flags.append(Flag(key, rec, "duplicate-vote", "student_id", str(rec.get("teacher_id"))))
                    continue
                votes.add(vote)
            if key == "deductions" and term and hasattr(rec.get("date"), "isoformat") \
                    and not term[0] <= rec["date"] <= term[1]:
                flags.append(Flag(key, rec, "deduction-outside-term", "date",
                                  f"{term[0].isoformat()} – {term[1].isoformat()}"))
                continue
            if key == "deductions":  # a case is (导师工号, 日期, 类型, 事由): the same case twice counts once
                case = (rec.get("teacher_id"), rec.get("date"), rec.get("kind"), rec.get("reason"))
                if case in votes:
                    flags.append(Flag(key, rec, "duplicate-deduction", "teacher_id"))
                    continue
                votes.add(case)
            if key == "star_nominations":
                nomination = (rec.get("student_id"), rec.get("nominator"))
                if nomination in votes:
                    flags.append(Flag(key, rec, "duplicate-nomination", "student_id", str(rec.get("nominator"))))
                    continue
                votes.add(nomination)
            kept.append(rec)
        out[key] = kept
    return out, flags


def name_clashes(records: dict[str, list[dict[str, Any]]]) -> list[tuple[dict[str, Any], str]]:
    """Mentor rows whose 工号 another class's list gives a different name: (row, the first name seen)."""
    first: dict[str, str] = {}
    out = []
    for r in records.get("mentors", []):
        tid, name = r.get("teacher_id"), r.get("name")
        if not tid or not name:
            continue
        if first.setdefault(tid, name) != name:
            out.append((r, first[tid]))
    return out


ID_LIKE = re.compile(r"^\d{4,}$")  # a token of 研究学生 that looks like a 学号


def unknown_studied(records: dict[str, list[dict[str, Any]]], named: Callable[[Any], list[str]]
                    ) -> list[tuple[dict[str, Any], str]]:
    """学校工作记录 rows naming a 学号-like token on no accepted roster: (row, the token), for
    school-work-unknown-student. `named` splits a 研究学生 cell into its tokens (school_work.named_students)."""
    roster = {r.get("student_id") for r in records.get("students", [])}
    return [(rec, token) for rec in records.get("school_work", []) for token in named(rec.get("students"))
            if token not in roster and ID_LIKE.match(token)]
