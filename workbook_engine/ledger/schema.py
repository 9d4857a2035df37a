"""The ledger's tables: each version's layout as the migration that builds it, and the migrating itself."""
from __future__ import annotations

import sqlite3

from workbook_engine import catalogue as messages
from workbook_engine.errors import EngineError

SCHEMA_VERSION = 4

# Each step takes a ledger of version i to i + 1 (index i). Version 1 is the first layout; version 2 adds the
# growth-archive figures per student, the school's name per class and an index for a student's records; version 3
# keeps the settings each term ran with (no secret), so new-term moves classes up by the grades that term used;
# version 4 adds the term's 整改名单 (assessment/rectification.py: a case still open is carried into the next
# term).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE terms (
        term_id INTEGER PRIMARY KEY, school_year TEXT NOT NULL, term TEXT NOT NULL, as_of TEXT NOT NULL,
        run_at TEXT NOT NULL, classes INTEGER, students INTEGER, teachers INTEGER, records INTEGER,
        UNIQUE (school_year, term));
    CREATE TABLE classes (term_id INTEGER NOT NULL, class TEXT NOT NULL, grade TEXT, head_teacher TEXT,
        source_file TEXT, PRIMARY KEY (term_id, class));
    CREATE TABLE teachers (term_id INTEGER NOT NULL, teacher_id TEXT NOT NULL, name TEXT,
        PRIMARY KEY (term_id, teacher_id));
    CREATE TABLE class_mentors (term_id INTEGER NOT NULL, class TEXT NOT NULL, teacher_id TEXT NOT NULL, name TEXT,
        subject TEXT, role TEXT, status TEXT, email TEXT, source_file TEXT, source_row INTEGER,
        PRIMARY KEY (term_id, class, teacher_id));
    CREATE TABLE students (term_id INTEGER NOT NULL, class TEXT NOT NULL, student_id TEXT NOT NULL, name TEXT,
        gender TEXT, level TEXT, community TEXT, attention TEXT, status TEXT, left_on TEXT, source_file TEXT,
        source_row INTEGER, PRIMARY KEY (term_id, class, student_id));
    CREATE TABLE pairings (term_id INTEGER NOT NULL, class TEXT NOT NULL, student_id TEXT NOT NULL,
        teacher_id TEXT, paired_on TEXT, until TEXT, PRIMARY KEY (term_id, class, student_id));
    CREATE TABLE records (term_id INTEGER NOT NULL, sheet TEXT NOT NULL, class TEXT, source_file TEXT,
        source_row INTEGER, date TEXT, teacher_id TEXT, student_id TEXT, fields TEXT);
    CREATE INDEX records_by_term ON records (term_id, sheet);
    CREATE TABLE student_figures (term_id INTEGER NOT NULL, class TEXT NOT NULL, student_id TEXT NOT NULL,
        mentor_id TEXT, talk_expected INTEGER, talk_met INTEGER, parent_expected INTEGER, parent_met INTEGER,
        escalated INTEGER, left_school INTEGER, PRIMARY KEY (term_id, class, student_id));
    CREATE TABLE mentor_figures (term_id INTEGER NOT NULL, class TEXT NOT NULL, teacher_id TEXT NOT NULL,
        mentees INTEGER, talk_expected INTEGER, talk_met INTEGER, talk_rate REAL, parent_expected INTEGER,
        parent_met INTEGER, parent_rate REAL, status TEXT, PRIMARY KEY (term_id, class, teacher_id));
    CREATE TABLE class_figures (term_id INTEGER NOT NULL, class TEXT NOT NULL, students INTEGER, talk_rate REAL,
        parent_rate REAL, talk_expected INTEGER, talk_met INTEGER, parent_expected INTEGER, parent_met INTEGER,
        study_weeks_expected INTEGER, study_weeks_met INTEGER, community_months_expected INTEGER,
        community_months_met INTEGER, attention_students INTEGER, escalated_students INTEGER,
        PRIMARY KEY (term_id, class));
    CREATE TABLE teacher_scores (term_id INTEGER NOT NULL, teacher_id TEXT NOT NULL, name TEXT, classes TEXT,
        mentees INTEGER, talk_rate REAL, parent_rate REAL, status TEXT, scheme TEXT, base REAL, grades REAL,
        conduct REAL, satisfaction REAL, deductions REAL, total REAL, rank INTEGER,
        PRIMARY KEY (term_id, teacher_id));
    """,
    """
    ALTER TABLE student_figures ADD COLUMN archive_expected INTEGER;
    ALTER TABLE student_figures ADD COLUMN archive_met INTEGER;
    CREATE INDEX records_by_student ON records (student_id, term_id);
    ALTER TABLE classes ADD COLUMN school TEXT;
    """,
    """
    ALTER TABLE terms ADD COLUMN settings TEXT;
    """,
    """
    CREATE TABLE rectification (term_id INTEGER NOT NULL, teacher_id TEXT NOT NULL, name TEXT, months TEXT,
        listed_on TEXT NOT NULL, deadline TEXT, judged TEXT, judged_figures TEXT, state TEXT, listed_term TEXT,
        decided_on TEXT, PRIMARY KEY (term_id, teacher_id, listed_on));
    """,
)
TERM_TABLES = ("classes", "teachers", "class_mentors", "students", "pairings", "records", "student_figures",
               "mentor_figures", "class_figures", "teacher_scores", "rectification")
assert len(MIGRATIONS) == SCHEMA_VERSION


class LedgerError(EngineError):
    """The ledger file cannot be used: newer than this program, or damaged (file.damaged)."""


def migrate(conn: sqlite3.Connection, lang: str = "zh") -> int:
    """Bring an open ledger to SCHEMA_VERSION, one step per transaction. Returns the version it had."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise LedgerError(messages.t("ledger.too_new", lang, version=version, ours=SCHEMA_VERSION,
                                     program="workbook-engine"))
    for step in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[step].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step + 1}")
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)
            raise
    return version


def rollback(conn: sqlite3.Connection) -> None:
    """Undo the open transaction, if SQLite has not already (it rolls back by itself on a full disk, and a
    ROLLBACK then would only hide the real error behind "cannot rollback - no transaction is active")."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def empty_ledger() -> sqlite3.Connection:
    """An empty ledger of this version, in memory (what a run reads before any term is remembered)."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    migrate(memory)
    return memory
