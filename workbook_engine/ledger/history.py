"""`workbook-engine history`: term-by-term figures from the school ledger, for a teacher, a class, a student or
the whole school. Read-only: the ledger is copied into memory, checked and migrated there (ledger/file.py),
never changed — only a write a killed program left unfinished (a hot `-journal`) is rolled back first, as SQLite
recovers it.

It speaks about what it was asked: an id the ledger never held is named as such; a student's rows show the
student's 转出/转入 (离校日期, 入学日期) and every mentor of the term with the day each took over (结对变更,
《全员育人导师制实施方案》: the pairing changes at once when a teacher changes post). When a run was interrupted
inside its publish, history reads the ledger that run had published last (or, past its commit point, the one
it published) without finishing the publish — the next `run` does that — and says so."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_engine.catalogue import CATALOGUE, t, term_name
from workbook_engine.errors import UsageError
from workbook_engine.ledger.file import check_path, location, open_to_read
from workbook_engine.publishing.publish import published_file
from workbook_engine.schema import sheet_spec
from workbook_engine.settings import Settings
from workbook_engine.term import default_term_range

_, LEFT, SUSPENDED = sheet_spec("students").column("status").choices  # 在读, 转出, 休学

# what each view shows, in order: the column in the query (its header is message history.col.<column>)
COLUMNS: dict[str, list[str]] = {
    "school": ["school_year", "term", "as_of", "classes", "students", "teachers", "talk_rate", "parent_rate"],
    "teacher": ["school_year", "term", "name", "classes", "mentees", "talk_rate", "parent_rate", "status", "total",
                "rank"],
    "class": ["school_year", "term", "students", "talk_rate", "parent_rate", "study_weeks", "community_months",
              "attention_students", "escalated_students"],
    "student": ["school_year", "term", "class", "mentors", "moves", "talks", "parents", "archive"],
}


def header(view: str, column: str, lang: str) -> str:
    """A column's header: a teacher's 任导班级 are the classes they mentor in, the school's 班级数 a count."""
    return t("history.col." + ("mentor_classes" if (view, column) == ("teacher", "classes") else column), lang)


QUERIES = {
    "school": """
        SELECT t.school_year, t.term, t.as_of, t.classes, t.students, t.teachers,
               CAST(sum(c.talk_met) AS REAL) / nullif(sum(c.talk_expected), 0) AS talk_rate,
               CAST(sum(c.parent_met) AS REAL) / nullif(sum(c.parent_expected), 0) AS parent_rate
        FROM terms t LEFT JOIN class_figures c USING (term_id)
        GROUP BY t.term_id ORDER BY t.school_year, t.term""",
    "teacher": """
        SELECT t.school_year, t.term, s.name, s.classes, s.mentees, s.talk_rate, s.parent_rate, s.status,
               s.total, s.rank
        FROM teacher_scores s JOIN terms t USING (term_id) WHERE s.teacher_id = ?
        ORDER BY t.school_year, t.term""",
    "class": """
        SELECT t.school_year, t.term, c.students, c.talk_rate, c.parent_rate,
               c.study_weeks_met || '/' || c.study_weeks_expected AS study_weeks,
               c.community_months_met || '/' || c.community_months_expected AS community_months,
               c.attention_students, c.escalated_students
        FROM class_figures c JOIN terms t USING (term_id) WHERE c.class = ?
        ORDER BY t.school_year, t.term""",
    "student": """
        SELECT t.school_year, t.term, f.class, f.mentor_id,
               f.talk_met || '/' || f.talk_expected AS talks, f.parent_met || '/' || f.parent_expected AS parents,
               coalesce(f.archive_met, 0) || '/' || coalesce(f.archive_expected, 0) AS archive
        FROM student_figures f JOIN terms t USING (term_id) WHERE f.student_id = ?
        ORDER BY t.school_year, t.term""",
}


# where an id is known at all, whatever figures a term kept
KNOWN = {"teacher": "SELECT 1 FROM teachers WHERE teacher_id = ? UNION SELECT 1 FROM class_mentors WHERE teacher_id = ?",
         "class": "SELECT 1 FROM classes WHERE class = ? UNION SELECT 1 FROM class_figures WHERE class = ?",
         "student": "SELECT 1 FROM students WHERE student_id = ? UNION SELECT 1 FROM student_figures "
                    "WHERE student_id = ?"}


@dataclass
class Answer:
    """What history found: the view, one row per term (oldest first), and whether an interrupted run's publish
    is still unfinished (the ledger read is the last one published; the next `run` finishes it)."""

    view: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    interrupted: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"view": self.view, "terms": self.rows, "interrupted_run": self.interrupted}


def history(out: str | Path, settings: Settings, teacher: str | None = None, class_name: str | None = None,
            student: str | None = None, lang: str = "zh") -> Answer:
    """A teacher's, a class's or a student's figures term by term from OUT's ledger, or the school's when none is
    named. UsageError when there is no ledger, or when the ledger never held the id asked about."""
    rel, path = location(Path(out), settings, lang)
    check_path(path, Path(out), lang)  # a link, a device: refused before anything is opened
    interrupted = False
    if rel is not None:
        path, interrupted = published_file(Path(out), rel)
    if not path.is_file():
        raise UsageError(t("history.no_ledger", lang, path=path))
    view, asked = ("teacher", teacher) if teacher else ("class", class_name) if class_name else \
        ("student", student) if student else ("school", None)
    conn = open_to_read(path, lang)  # damaged: exit 2 with what to do
    try:
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(QUERIES[view], (asked,) if asked is not None else ())]
        if asked is not None and not rows and conn.execute(KNOWN[view], (asked, asked)).fetchone() is None:
            raise UsageError(t("history.not_found." + view, lang, id=asked, path=path))
        if view == "student":
            _student_changes(conn, rows, str(asked))
    except sqlite3.DatabaseError as exc:
        raise UsageError(t("history.unreadable", lang, path=path, error=exc)) from None
    finally:
        conn.close()
    return Answer(view, rows, interrupted)


def _term_start(settings_json: str | None, school_year: str, term: str) -> dt.date | None:
    """The first day of a term: its calendar in the settings that ran it, else the documented default."""
    try:
        kept = json.loads(settings_json) if settings_json else {}
    except ValueError:
        kept = {}
    entries = [kept.get("term")] + list(kept.get("terms") or []) if isinstance(kept, dict) else []
    for e in entries:
        if isinstance(e, dict) and (e.get("school_year"), e.get("term")) == (school_year, term) and e.get("start"):
            try:
                return dt.date.fromisoformat(str(e["start"]))
            except ValueError:
                break
    default = default_term_range(school_year, term)
    return default[0] if default else None


def _student_changes(conn: sqlite3.Connection, rows: list[dict[str, Any]], student: str) -> None:
    """Add to each term's row the student's moves (转出/休学 with the 离校日期, 转入 with an 入学日期 after the
    term began) and the term's mentors in order, each with the day they took over (结对变更)."""
    names = dict(conn.execute("SELECT teacher_id, name FROM teachers WHERE name IS NOT NULL"))
    for row in rows:
        tid, settings_json = conn.execute("SELECT term_id, settings FROM terms WHERE school_year = ? AND term = ?",
                                          (row["school_year"], row["term"])).fetchone()
        moves = []
        me = conn.execute("SELECT status, left_on FROM students WHERE term_id = ? AND student_id = ?",
                          (tid, student)).fetchone()
        roster = conn.execute("SELECT fields FROM records WHERE term_id = ? AND sheet = 'students' "
                              "AND student_id = ?", (tid, student)).fetchone()
        enrolled = json.loads(roster[0] or "{}").get("enrolled_on") if roster else None
        start = _term_start(settings_json, row["school_year"], row["term"])
        if enrolled and start and str(enrolled) > start.isoformat():
            moves.append({"kind": "in", "date": str(enrolled)})
        if me and me["status"] in (LEFT, SUSPENDED):
            moves.append({"kind": "out" if me["status"] == LEFT else "suspended", "date": me["left_on"]})
        row["moves"] = moves
        changes = conn.execute("SELECT date, fields FROM records WHERE term_id = ? AND sheet = 'pair_changes' "
                               "AND student_id = ? ORDER BY date", (tid, student)).fetchall()
        mentors: list[dict[str, Any]] = []
        for date, fields in changes:
            f = json.loads(fields or "{}")
            if not mentors and f.get("old_mentor_id"):
                mentors.append({"teacher_id": f["old_mentor_id"], "from": None})
            if f.get("new_mentor_id"):
                mentors.append({"teacher_id": f["new_mentor_id"], "from": date})
        if not mentors and row.get("mentor_id"):
            mentors.append({"teacher_id": row["mentor_id"], "from": None})
        for m in mentors:
            m["name"] = names.get(m["teacher_id"])
        row["mentors"] = mentors


def table(view: str, rows: list[dict[str, Any]], lang: str = "zh") -> list[tuple[str, ...]]:
    """The rows as text for the console: a header, then a term a line; rates as percentages."""
    columns = COLUMNS[view]
    out = [tuple(header(view, key, lang) for key in columns)]
    for r in rows:
        cells = []
        for key in columns:
            v = r.get(key)
            if v is None:
                cells.append("—")
            elif key == "mentors":
                cells.append(" → ".join(_mentor(m, lang) for m in v) or "—")
            elif key == "moves":
                cells.append(t("cli.list_sep", lang).join(t("history.move." + m["kind"], lang, date=m["date"] or "—")
                                                          for m in v) or "—")
            elif key == "status":
                cells.append(t("band." + v, lang) if f"band.{v}" in CATALOGUE else v)
            elif key == "term":
                cells.append(term_name(v, lang))
            elif key.endswith("_rate"):
                cells.append(f"{v:.1%}")
            elif isinstance(v, float):
                cells.append(f"{v:.2f}")
            else:
                cells.append(str(v))
        out.append(tuple(cells))
    return out


def _mentor(m: dict[str, Any], lang: str) -> str:
    who = f"{m['teacher_id']} {m['name']}" if m.get("name") else m["teacher_id"]
    return t("history.mentor_from", lang, mentor=who, date=m["from"]) if m.get("from") else who
