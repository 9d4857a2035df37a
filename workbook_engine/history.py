"""`workbook-engine history`: term-by-term figures from the school ledger, for a teacher, a class, a student or
the whole school. Read-only: the ledger is copied into memory (migrated there, never in the file); only a hot
journal a killed writer left is rolled back in the file first, as SQLite recovers it."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Callable

from workbook_engine.errors import UsageError
from workbook_engine.messages import CATALOGUE, t, term_name
from workbook_engine.settings import Settings

# what each view shows, in order: the column in the query (its header is message history.col.<column>)
COLUMNS: dict[str, list[str]] = {
    "school": ["school_year", "term", "as_of", "classes", "students", "teachers", "talk_rate", "parent_rate"],
    "teacher": ["school_year", "term", "name", "classes", "mentees", "talk_rate", "parent_rate", "status", "total",
                "rank"],
    "class": ["school_year", "term", "students", "talk_rate", "parent_rate", "study_weeks", "community_months",
              "attention_students", "escalated_students"],
    "student": ["school_year", "term", "class", "mentor_id", "talks", "parents", "archive"],
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


def history(out: str | Path, settings: Settings, teacher: str | None = None, class_name: str | None = None,
            student: str | None = None, lang: str = "zh",
            on_wait: Callable[[], None] | None = None) -> tuple[str, list[dict[str, Any]]]:
    """(view, one row per term, oldest first) from OUT's ledger: a teacher's, a class's or a student's figures,
    or the school's when none is named. OUT is settled first, as a run would (a publish a killed run left half
    done is finished or undone; a run under way is waited for, on_wait tells); the ledger is read into memory
    and checked there (ledger.open_published). LedgerError when there is none or it is damaged."""
    from workbook_engine.ledger import open_published
    from workbook_engine.publish import settled

    with settled(Path(out), lang, on_wait):
        ledger = open_published(Path(out), settings, lang, missing="history.no_ledger")
    view, args = ("teacher", (teacher,)) if teacher else ("class", (class_name,)) if class_name else \
        ("student", (student,)) if student else ("school", ())
    try:
        ledger.conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in ledger.conn.execute(QUERIES[view], args)]
    except sqlite3.DatabaseError as exc:
        raise UsageError(t("history.unreadable", lang, path=out, error=exc)) from None
    finally:
        ledger.close()
    return view, rows


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
