"""Rules across the sheets of a class workbook: each id names someone on the roster or the mentor list."""
from __future__ import annotations

import datetime as dt
from typing import Any

from workbook_engine.validation.rules import ClassBook, E, W, rule

# the sheets whose rows name a student (学号) and a teacher (导师工号)
STUDENT_SHEETS = ("talks", "contacts", "archive", "choices", "wishes", "reports", "pair_changes")
TEACHER_SHEETS = ("talks", "contacts", "community", "paperwork", "wishes", "reports")


@rule("duplicate-student-id", E, "relation")
def duplicate_student_id(book: ClassBook) -> None:
    roster, first = book.roster, book.students
    for rec in roster.records:
        sid = rec.get("student_id")
        if sid and first[sid] is not rec:
            book.add("duplicate-student-id", roster.name, rec["_row"], roster.columns["student_id"], "学号", sid,
                     str(first[sid]["_row"]))


@rule("student-without-mentor", E, "relation")
def student_without_mentor(book: ClassBook) -> None:
    roster = book.roster
    if "mentor_id" not in roster.columns:
        return
    for rec in roster.records:
        sid = rec.get("student_id")
        if sid and not rec.get("mentor_id"):
            book.add("student-without-mentor", roster.name, rec["_row"], roster.columns["mentor_id"], "导师工号",
                     f"{sid} {rec.get('name') or ''}".strip())


@rule("unknown-mentor", E, "relation")
def unknown_mentor(book: ClassBook) -> None:
    mentors, roster = book.mentors, book.roster
    if not mentors:
        return
    for rec in roster.records:
        mid = rec.get("mentor_id")
        if rec.get("student_id") and mid and mid not in mentors:
            book.add("unknown-mentor", roster.name, rec["_row"], roster.columns["mentor_id"], "导师工号", mid)
    for _, changes in book.present("pair_changes"):
        for rec in changes.records:
            for fld in ("old_mentor_id", "new_mentor_id"):
                tid = rec.get(fld)
                if tid and tid not in mentors:
                    book.add("unknown-mentor", changes.name, rec["_row"], changes.columns.get(fld),
                             changes.spec.column(fld).header, tid)
    for _, data in book.present(*TEACHER_SHEETS):
        for rec in data.records:
            tid = rec.get("teacher_id")
            if tid and tid not in mentors:
                book.add("unknown-mentor", data.name, rec["_row"], data.columns.get("teacher_id"), "导师工号", tid)


@rule("name-mismatch", W, "relation")
def name_mismatch(book: ClassBook) -> None:
    mentors, students, roster = book.mentors, book.students, book.roster
    for rec in roster.records:
        mid = rec.get("mentor_id")
        if rec.get("student_id") and mid and mid in mentors:
            book.check_name(roster, rec, "mentor_name", mentors[mid].get("name"))
    for _, data in book.present(*STUDENT_SHEETS):
        if "student_name" in data.columns:
            for rec in data.records:
                sid = rec.get("student_id")
                if sid in students:
                    book.check_name(data, rec, "student_name", students[sid].get("name"))
    for _, talks in book.present("talks"):
        for rec in talks.records:
            tid = rec.get("teacher_id")
            if tid in mentors:
                book.check_name(talks, rec, "teacher_name", mentors[tid].get("name"))


@rule("unknown-student", E, "relation")
def unknown_student(book: ClassBook) -> None:
    if book.roster.name is None:
        return
    for _, data in book.present(*STUDENT_SHEETS):
        for rec in data.records:
            sid = rec.get("student_id")
            if sid and sid not in book.students:
                book.add("unknown-student", data.name, rec["_row"], data.columns.get("student_id"), "学号", sid)


@rule("pair-change-mismatch", W, "relation")
def pair_change_mismatch(book: ClassBook) -> None:
    """The latest 结对变更 of a student names the roster's mentor as the new one."""
    students = book.students
    for _, changes in book.present("pair_changes"):
        latest: dict[str, dict[str, Any]] = {}
        for rec in changes.records:
            sid = rec.get("student_id")
            if sid in students and isinstance(rec.get("date"), dt.date) and (
                    sid not in latest or rec["date"] >= latest[sid]["date"]):
                latest[sid] = rec
        for sid, rec in latest.items():
            now = students[sid].get("mentor_id")
            if rec.get("new_mentor_id") and now and rec["new_mentor_id"] != now:
                book.add("pair-change-mismatch", changes.name, rec["_row"], changes.columns.get("new_mentor_id"),
                         "新导师工号", rec["new_mentor_id"], now)


@rule("not-own-mentor", W, "relation")
def not_own_mentor(book: ClassBook) -> None:
    """A talk or parent contact by someone other than the student's mentor on that day (the 班主任 is
    responsible for every student of the class: never "not the mentor")."""
    mentors, students = book.mentors, book.students
    for _, data in book.present("talks", "contacts"):
        for rec in data.records:
            tid, sid = rec.get("teacher_id"), rec.get("student_id")
            if not tid or sid not in students or tid in book.heads or (mentors and tid not in mentors):
                continue
            own = book.mentor_on(sid, rec.get("date"))
            if own and own != tid:
                owner = mentors.get(own, {}).get("name") or own
                book.add("not-own-mentor", data.name, rec["_row"], data.columns.get("teacher_id"), "导师工号",
                         f"{tid} {mentors.get(tid, {}).get('name') or ''}".strip(), f"{own} {owner}")
