"""`new-term`: next term's class and mentor workbooks, pre-filled from the school ledger.

Class information for the new term, mentors without 离岗, the roster without 转出, pairings and communities carried
over, record sheets empty. At a new school year every class moves up one grade (`[ledger] grades`, lowest
first: 三年级1班 → 四年级1班) and the school's top grade leaves; the 双向选择 sheet lists each student, ready for
the year's choices. The books are the blank templates with rows filled (templates.write_workbook_template).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from workbook_engine import messages
from workbook_engine.errors import UsageError
from workbook_engine.ledger import History, open_published, term_after
from workbook_engine.output import TERMS, safe_file_name
from workbook_engine.output import school_year as parse_year
from workbook_engine.schema import CLASS_WORKBOOK, MENTOR_WORKBOOK
from workbook_engine.settings import Settings, default_term_range

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

    def to_dict(self) -> dict[str, Any]:
        return {"school_year": self.school_year, "term": self.term, "from": list(self.source),
                "class_books": [str(p) for p in self.class_books], "mentor_books": [str(p) for p in self.mentor_books],
                "graduated": self.graduated, "renamed": self.renamed,
                "unpaired": [{"class": c, "student_id": s} for c, s in self.unpaired]}


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
            new_term = term
            if term == TERMS[1]:
                new_year = latest[1] if latest[2] == TERMS[0] else new_year
    if new_term not in TERMS:
        raise UsageError(messages.t("newterm.bad_term", lang, term=new_term, terms=" / ".join(TERMS)))
    if (new_year, new_term) in {(t[1], t[2]) for t in terms}:
        pass  # writing books for a term the ledger already holds is allowed (a lost book re-made)
    before = [t for t in terms if (t[1], TERMS.index(t[2])) < (new_year, TERMS.index(new_term))]
    if not before:
        raise UsageError(messages.t("newterm.no_earlier", lang, year=new_year, term=new_term))
    src = before[-1]
    return (src[0], src[1], src[2]), new_year, new_term


def write_new_term(out: str | Path, to: str | Path, settings: Settings, term: str | None = None,
                   year: str | None = None, today: dt.date | None = None, lang: str = "zh",
                   on_wait: Callable[[], None] | None = None) -> NewTerm:
    from workbook_engine.publish import settled
    from workbook_engine.templates import write_workbook_template

    with settled(Path(out), lang, on_wait):  # a publish a killed run left half done: finished first
        history = open_published(Path(out), settings, lang)
    try:
        (tid, src_year, src_term), new_year, new_term = target_term(history, term, year, lang)
        new_year_started = new_year != src_year
        start = (default_term_range(new_year, new_term) or (today or dt.date.today(),))[0]
        result = NewTerm(new_year, new_term, (src_year, src_term))
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
        categories = settings.attention.categories
        by_teacher: dict[str, dict[str, Any]] = {}
        for c in classes:
            name, grade = c["class"], c["grade"]
            if new_year_started:
                moved = move_up(name, grade, settings.ledger.grades)
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
                roster.append({
                    "student_id": s["student_id"], "name": s["name"], "gender": s["gender"], "level": s["level"],
                    "community": s["community"], "mentor_id": mentor,
                    "mentor_name": next((m["name"] for m in staff if m["teacher_id"] == mentor), None),
                    "paired_on": dt.date.fromisoformat(s["paired_on"]) if s["paired_on"] and mentor else None,
                    "attention": s["attention"], "status": s["status"],
                    "left_on": dt.date.fromisoformat(s["left_on"]) if s["left_on"] and s["status"] == "休学" else None})
                if mentor:
                    by_teacher.setdefault(mentor, {"name": None, "mentees": []})["mentees"].append(
                        {"class_name": new_name, "student_id": s["student_id"], "name": s["name"]})
            for m in staff:
                by_teacher.setdefault(m["teacher_id"], {"name": None, "mentees": []})["name"] = m["name"]
            info = {"school": school_name, "school_year": new_year, "term": new_term, "grade": grade,
                    "class_name": new_name, "head_teacher": c["head_teacher"], "fill_date": start}
            rows: dict[str, list[dict[str, Any]]] = {
                "mentors": [{k: m[k] for k in ("teacher_id", "name", "subject", "role", "status", "email")}
                            for m in staff],
                "students": roster}
            if new_year_started:  # 双向选择: each student listed, the choices blank
                rows["choices"] = [{"student_id": s["student_id"], "student_name": s["name"]} for s in roster
                                   if s["status"] != "休学"]
            path = to / CLASS_FOLDER / f"{safe_file_name(new_name)}.xlsx"
            path.parent.mkdir(parents=True, exist_ok=True)
            result.class_books.append(write_workbook_template(CLASS_WORKBOOK, path, categories, lang, info, rows))
        for tid_, t in sorted(by_teacher.items()):
            if not t["mentees"] or not t["name"]:
                continue
            info = {"school": school_name, "school_year": new_year, "term": new_term, "teacher_id": tid_,
                    "name": t["name"], "fill_date": start}
            path = to / MENTOR_FOLDER / f"{safe_file_name(t['name'] + '_' + tid_)}.xlsx"
            path.parent.mkdir(parents=True, exist_ok=True)
            result.mentor_books.append(write_workbook_template(MENTOR_WORKBOOK, path, categories, lang, info,
                                                               {"mentees": t["mentees"]}))
        return result
    finally:
        history.close()

