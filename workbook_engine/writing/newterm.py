"""`new-term`: next term's class and mentor workbooks, pre-filled from the school ledger.

Class information for the new term, mentors without 离岗, the roster without 转出, pairings and communities carried
over, record sheets empty. At a new school year every class moves up one grade (`[ledger] grades` of the settings
that ran the previous term, kept in the ledger, lowest first: 三年级1班 → 四年级1班) and the school's top grade
leaves; the 双向选择 sheet lists each student, ready for the year's choices. The books are the blank templates with
rows filled (templates.write_workbook_template).

Contacts (学生名册 家长姓名/家长电话, 导师名单 联系电话) never enter the ledger: they are read from the previous
term's newest accepted class books, found through that term's report.json (`inbox`, each file's path and SHA-256).
A book that is gone or changed since that run gives nothing; its class is named, for its contacts to be retyped.
A book already in DIR that differs from the one new-term would write (a teacher's edits) is never overwritten:
the new one goes beside it as `<班级>.new.xlsx`, as `templates` does.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_engine import catalogue as messages
from workbook_engine.errors import UsageError
from workbook_engine.files import inside, safe_file_name, sha256_of
from workbook_engine.ledger.store import History, open_published
from workbook_engine.publishing.layout import REPORT_NAME
from workbook_engine.publishing.publish import settled
from workbook_engine.schema import CLASS_WORKBOOK, MENTOR_WORKBOOK
from workbook_engine.settings import Settings
from workbook_engine.term import TERMS, default_term_range, term_after, term_folder_name, term_order
from workbook_engine.term import school_year as parse_year
from workbook_engine.validation.validate import validate_file
from workbook_engine.writing.templates import place_new, write_workbook_template

CLASS_FOLDER = "班级学情工作簿"
MENTOR_FOLDER = "导师工作手册"


@dataclass
class NewTerm:
    school_year: str
    term: str
    source: tuple[str, str]  # the ledger's term the books are filled from
    class_books: list[Path] = field(default_factory=list)
    mentor_books: list[Path] = field(default_factory=list)
    graduated: list[str] = field(default_factory=list)  # classes of the top grade (a new school year)
    renamed: dict[str, str] = field(default_factory=dict)  # old class name -> new
    unpaired: list[tuple[str, str]] = field(default_factory=list)  # (class, 学号) whose mentor left (离岗)
    from_book: list[tuple[str, str]] = field(default_factory=list)  # (class, 学号): a roster row the ledger lacks
    retype: list[dict[str, str | None]] = field(default_factory=list)  # {class, file, reason}: contacts not carried
    kept: list[tuple[Path, Path]] = field(default_factory=list)  # (an edited book left alone, the new one beside it)
    grades: list[str] = field(default_factory=list)  # the grades classes moved up by (a new school year)

    def to_dict(self) -> dict[str, Any]:
        return {"school_year": self.school_year, "term": self.term, "from": list(self.source),
                "class_books": [str(p) for p in self.class_books], "mentor_books": [str(p) for p in self.mentor_books],
                "graduated": self.graduated, "renamed": self.renamed, "grades": self.grades,
                "unpaired": [{"class": c, "student_id": s} for c, s in self.unpaired],
                "from_book": [{"class": c, "student_id": s} for c, s in self.from_book],
                "contacts_to_retype": self.retype,
                "kept": [{"book": str(old), "new": str(new)} for old, new in self.kept]}


def term_report(out: Path, school_year: str, term: str) -> dict[str, Any] | None:
    """The report.json a term's run published: in the term's own folder `OUT/<学年><学期>/`, or OUT's own
    report.json when OUT is in the flat layout of one term at a time (and names that term)."""
    for path in (out / term_folder_name(school_year, term) / REPORT_NAME, out / REPORT_NAME):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and (data.get("school_year"), data.get("term")) == (school_year, term):
            return data
    return None


@dataclass
class Contacts:
    """What teachers should not retype, from the previous term's class books (never from the ledger)."""

    parents: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # 学号 -> (家长姓名, 家长电话)
    phones: dict[str, Any] = field(default_factory=dict)  # 工号 -> 联系电话
    # class -> (its file, why: gone, changed, unreadable…)
    lost: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    # class -> the book's 学生名册 rows, as typed
    rosters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def carried_contacts(out: Path, school_year: str, term: str, classes: list[str], settings: Settings,
                     books: Path | None = None) -> Contacts:
    """The contacts of the term's newest accepted class books, each found where that run read it (report.json
    `inbox`, or `books`) and used only while its SHA-256 is the one the run recorded."""
    report = term_report(out, school_year, term) or {}
    inbox = books or (Path(report["inbox"]) if isinstance(report.get("inbox"), str) else None)
    found: dict[str, tuple[str | None, str]] = {c: (None, "unknown") for c in classes}
    contacts = Contacts()
    for f in report.get("files") or []:
        if not isinstance(f, dict) or (f.get("kind"), f.get("status")) != ("class", "accepted") \
                or f.get("class") not in found or not isinstance(f.get("path"), str):
            continue
        try:
            path = inside(inbox, f["path"]) if inbox is not None else None
        except ValueError:
            path = None
        if path is None or not path.is_file():
            found[f["class"]] = (f["path"], "gone")
            continue
        if sha256_of(path) != f.get("sha256"):
            found[f["class"]] = (f["path"], "changed")
            continue
        book = validate_file(path, settings)
        if book.unreadable:  # (a password this run's settings do not hold, a file damaged since)
            found[f["class"]] = (f["path"], "unreadable")
            continue
        contacts.rosters[f["class"]] = book.records("students")
        for s in book.records("students"):
            if s.get("student_id") and (s.get("parent_name") or s.get("parent_phone")):
                contacts.parents[s["student_id"]] = (s.get("parent_name"), s.get("parent_phone"))
        for m in book.records("mentors"):
            if m.get("teacher_id") and m.get("phone"):
                contacts.phones.setdefault(m["teacher_id"], m["phone"])
        found[f["class"]] = (f["path"], "carried")
    contacts.lost = {c: v for c, v in found.items() if v[1] != "carried"}
    return contacts


def _rows_the_ledger_lacks(rows: list[dict[str, Any]], roster: list[dict[str, Any]], class_name: str,
                           result: NewTerm) -> list[dict[str, Any]]:
    """Students of last term's accepted book whose 学生名册 row had an error (no mentor, say): the row was not
    used, so the ledger does not know them, yet they are still in the class. They are written as typed, with no
    mentor (the head teacher pairs them), and named, so no student drops out of the next term's book."""
    have = {s["student_id"] for s in roster}
    out = []
    for s in rows:
        sid = s.get("student_id")
        if not sid or sid in have or s.get("status") == "转出":
            continue
        have.add(sid)
        attention = s.get("attention")
        out.append({**{k: s.get(k) for k in ("student_id", "name", "gender", "level", "community", "status",
                                             "parent_name", "parent_phone")},
                    "attention": "、".join(attention) if isinstance(attention, list) else attention})
        result.from_book.append((class_name, sid))
    return out


def _place_book(path: Path, write: Any, kept: list[tuple[Path, Path]]) -> Path:
    """Write a book through `write(tmp)` and put it at path — or beside it as <name>.new.xlsx when a different
    book is already there (a teacher's edits are never overwritten)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}")
    try:
        write(tmp)
        return place_new(tmp, path, False, kept)
    finally:
        if tmp.exists():
            os.unlink(tmp)


def move_up(class_name: str, grade: str | None, grades: list[str]) -> tuple[str, str] | None:
    """(new class name, new grade) one grade up, or None when the class is in the school's top grade (it leaves).
    A class whose grade is not in the list keeps its name."""
    g = grade if grade in grades else next((x for x in grades if class_name.startswith(x)), None)
    if g is None:
        return class_name, grade or ""
    i = grades.index(g)
    if i == len(grades) - 1:
        return None
    new = grades[i + 1]
    return (new + class_name[len(g):] if class_name.startswith(g) else class_name), new


def target_term(history: History, term: str | None, year: str | None,
                lang: str = "zh") -> tuple[tuple[int, str, str], str, str]:
    """(the ledger's term to fill from, new school year, new term). --term alone: that term of the latest
    year; --year alone: its 第一学期; neither: the term after the latest the ledger holds."""
    terms = history.terms()
    if not terms:
        raise UsageError(messages.t("newterm.empty_ledger", lang))
    latest = terms[-1]
    if year is not None:
        new_year = parse_year(year)
        if new_year is None:
            raise UsageError(messages.t("newterm.bad_year", lang, year=year))
        new_term = term or TERMS[0]
    else:
        after = term_after(latest[1], latest[2])
        assert after is not None
        new_year, new_term = after
        if term is not None:
            if term in TERMS and term != new_term:  # 第二学期 right after a 第二学期 would skip a term (and a grade)
                raise UsageError(messages.t("newterm.skips", lang, latest=f"{latest[1]}{latest[2]}",
                                            next=f"{new_year}{new_term}", term=term, year=latest[1], opt="--year"))
            new_term = term
    if new_term not in TERMS:
        raise UsageError(messages.t("newterm.bad_term", lang, term=new_term, terms=" / ".join(TERMS)))
    if (new_year, new_term) in {(t[1], t[2]) for t in terms}:
        pass  # writing books for a term the ledger already holds is allowed (a lost book re-made)
    before = [t for t in terms if term_order((t[1], t[2])) < term_order((new_year, new_term))]
    if not before:
        raise UsageError(messages.t("newterm.no_earlier", lang, year=new_year, term=new_term))
    src = before[-1]
    return (src[0], src[1], src[2]), new_year, new_term


def write_new_term(out: str | Path, to: str | Path, settings: Settings, term: str | None = None,
                   year: str | None = None, today: dt.date | None = None, lang: str = "zh",
                   books: str | Path | None = None, on_wait: Callable[[], None] | None = None) -> NewTerm:
    """Next term's books into `to` from OUT's ledger and the previous term's class books (`books`: where they
    are now, when not where that run read them). `[ledger] grades` set in `settings` win over the ledger's.
    OUT is settled first, as a run would (a publish a killed run left half done finished or undone; a run under
    way waited for, on_wait tells)."""
    with settled(Path(out), lang, on_wait):  # a publish a killed run left half done: finished first
        history = open_published(Path(out), settings, lang)
    try:
        (tid, src_year, src_term), new_year, new_term = target_term(history, term, year, lang)
        new_year_started = new_year != src_year
        start = (default_term_range(new_year, new_term) or (today or dt.date.today(),))[0]
        result = NewTerm(new_year, new_term, (src_year, src_term))
        grades = settings.ledger.grades if "grades" in settings.ledger.model_fields_set else \
            (history.grades_of(tid) or settings.ledger.grades)
        result.grades = grades if new_year_started else []
        classes = history.table("SELECT class, grade, head_teacher FROM classes WHERE term_id = ? ORDER BY class",
                                (tid,))
        mentors = history.table("SELECT class, teacher_id, name, subject, role, status, email FROM class_mentors "
                                "WHERE term_id = ? ORDER BY class, source_row", (tid,))
        students = history.table(
            "SELECT s.class, s.student_id, s.name, s.gender, s.level, s.community, s.attention, s.status, "
            "s.left_on, p.teacher_id AS mentor_id, p.paired_on FROM students s LEFT JOIN pairings p "
            "ON p.term_id = s.term_id AND p.class = s.class AND p.student_id = s.student_id "
            "WHERE s.term_id = ? ORDER BY s.class, s.source_row", (tid,))
        school_name = settings.school.name or next((c["school"] for c in history.table(
            "SELECT school FROM classes WHERE term_id = ? AND school IS NOT NULL", (tid,))), None)
        to = Path(to)
        contacts = carried_contacts(Path(out), src_year, src_term, [c["class"] for c in classes], settings,
                                    Path(books) if books else None)
        categories = settings.attention.categories
        by_teacher: dict[str, dict[str, Any]] = {}
        for c in classes:
            name, grade = c["class"], c["grade"]
            if new_year_started:
                moved = move_up(name, grade, grades)
                if moved is None:
                    result.graduated.append(name)
                    continue
                if moved[0] != name:
                    result.renamed[name] = moved[0]
                new_name, grade = moved
            else:
                new_name = name
            staff = [m for m in mentors if m["class"] == name and m["status"] != "离岗"]
            staff_ids = {m["teacher_id"] for m in staff}
            roster = []
            for s in students:
                if s["class"] != name or s["status"] == "转出":
                    continue
                mentor = s["mentor_id"] if s["mentor_id"] in staff_ids else None
                if mentor is None:
                    result.unpaired.append((new_name, s["student_id"]))
                parent_name, parent_phone = contacts.parents.get(s["student_id"], (None, None))
                roster.append({
                    "parent_name": parent_name, "parent_phone": parent_phone,
                    "student_id": s["student_id"], "name": s["name"], "gender": s["gender"], "level": s["level"],
                    "community": s["community"], "mentor_id": mentor,
                    "mentor_name": next((m["name"] for m in staff if m["teacher_id"] == mentor), None),
                    "paired_on": dt.date.fromisoformat(s["paired_on"]) if s["paired_on"] and mentor else None,
                    "attention": s["attention"], "status": s["status"],
                    "left_on": dt.date.fromisoformat(s["left_on"]) if s["left_on"] and s["status"] == "休学" else None})
                if mentor:
                    by_teacher.setdefault(mentor, {"name": None, "mentees": []})["mentees"].append(
                        {"class_name": new_name, "student_id": s["student_id"], "name": s["name"]})
            roster += _rows_the_ledger_lacks(contacts.rosters.get(name, []), roster, new_name, result)
            for m in staff:
                by_teacher.setdefault(m["teacher_id"], {"name": None, "mentees": []})["name"] = m["name"]
            info = {"school": school_name, "school_year": new_year, "term": new_term, "grade": grade,
                    "class_name": new_name, "head_teacher": c["head_teacher"], "fill_date": start}
            rows: dict[str, list[dict[str, Any]]] = {
                "mentors": [{**{k: m[k] for k in ("teacher_id", "name", "subject", "role", "status", "email")},
                             "phone": contacts.phones.get(m["teacher_id"])} for m in staff],
                "students": roster}
            if new_year_started:  # 双向选择: each student listed, the choices blank
                rows["choices"] = [{"student_id": s["student_id"], "student_name": s["name"]} for s in roster
                                   if s["status"] != "休学"]
            if name in contacts.lost:
                file, reason = contacts.lost[name]
                result.retype.append({"class": new_name, "file": file, "reason": reason})
            path = to / CLASS_FOLDER / f"{safe_file_name(new_name)}.xlsx"
            result.class_books.append(_place_book(path, lambda tmp, info=info, rows=rows: write_workbook_template(
                CLASS_WORKBOOK, tmp, categories, lang, info, rows), result.kept))
        for tid_, t in sorted(by_teacher.items()):
            if not t["mentees"] or not t["name"]:
                continue
            info = {"school": school_name, "school_year": new_year, "term": new_term, "teacher_id": tid_,
                    "name": t["name"], "fill_date": start}
            path = to / MENTOR_FOLDER / f"{safe_file_name(t['name'] + '_' + tid_)}.xlsx"
            result.mentor_books.append(_place_book(path, lambda tmp, info=info, t=t: write_workbook_template(
                MENTOR_WORKBOOK, tmp, categories, lang, info, {"mentees": t["mentees"]}), result.kept))
        return result
    finally:
        history.close()

