"""The school ledger (学校台账): every term a run has seen, in one SQLite file, so the next run remembers.

Written through the standard library's sqlite3: nothing to install on a school's Windows PC, the file opens in
any SQLite browser, and a run needs no more than transactions, `PRAGMA user_version` and executemany.

Where it lives and how it stays consistent with the run's outputs (publishing/publish.py): the ledger at `[ledger]
path` (default 学校台账.sqlite in OUT) is one of the run's outputs. `remember` copies the published ledger into the
run's stage, replaces this run's term there in ONE transaction, and the copy is published with the rest of the set
(listed in report.json `outputs`, so publish never deletes it). A run that fails or is killed before the publish's
commit point leaves the published ledger exactly as it was; a re-run of a term replaces that term only. An absolute
`[ledger] path` outside OUT cannot be part of the set: its new copy is staged beside it before anything is
published (so a full disk, a lock or a read-only file stops the run before publishing) and renamed into its place
right after the outputs are published (a run killed between the two leaves that ledger at the previous run's
state). How the file is opened, checked, held and kept: ledger/file.py; its tables: ledger/schema.py.

Privacy (`[privacy]`): rows are stored with their schema's public columns only — no free text (talk summaries,
notes, anything of 学生档案 but its dates, recorder and 转化情况), no phone numbers — unless include_private_text /
include_phone_numbers say otherwise; 重点关注类别 keeps only the school's categories.
"""
from __future__ import annotations

import datetime as dt
import json
import operator
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook_engine import catalogue as messages
from workbook_engine.ledger.file import (
    WAIT_S,
    backup,
    check_path,
    fault,
    keep_previous,
    location,
    open_db,
    open_to_read,
    os_fault,
    staged_path,
)
from workbook_engine.ledger.schema import TERM_TABLES, LedgerError, empty_ledger, migrate, rollback
from workbook_engine.model import Merged, Record
from workbook_engine.privacy import settings_dump
from workbook_engine.schema import sheet_spec
from workbook_engine.settings import Settings
from workbook_engine.term import term_before, term_order

PHONE_FIELDS = ("phone", "parent_phone")


def connect(path: str | Path, staged: bool = False, lang: str = "zh") -> sqlite3.Connection:
    """Open (creating if needed) and migrate a ledger. Autocommit mode: every write names its transaction.
    A `staged` copy (discarded unless the run publishes it) keeps its rollback journal in memory and skips
    the per-transaction syncs; `close_synced` makes it durable once, before it is published."""
    try:
        conn = open_db(path)
    except sqlite3.Error as exc:
        raise fault(exc, Path(path), lang) from None
    try:
        # one self-contained file, whatever copies or publishes it (never WAL)
        conn.execute("PRAGMA journal_mode = MEMORY" if staged else "PRAGMA journal_mode = DELETE")
        if staged:
            conn.execute("PRAGMA synchronous = OFF")
        migrate(conn, lang)
    except sqlite3.Error as exc:
        conn.close()
        raise fault(exc, Path(path), lang) from None
    except BaseException:
        conn.close()
        raise
    return conn


# -- reading what earlier runs remembered ---------------------------------------------------------------


@dataclass
class History:
    """What the ledger holds, read before this run changes anything (an in-memory copy, migrated there)."""

    conn: sqlite3.Connection

    def close(self) -> None:
        self.conn.close()

    def terms(self) -> list[tuple[int, str, str, str]]:
        """(term_id, school_year, term, as_of), oldest first."""
        rows = self.conn.execute("SELECT term_id, school_year, term, as_of FROM terms").fetchall()
        return sorted(rows, key=lambda r: term_order((r[1], r[2]), unknown_last=True))

    def grades_of(self, term_id: int) -> list[str] | None:
        """`[ledger] grades` of the settings that ran that term (None for a term remembered before they were kept)."""
        row = self.conn.execute("SELECT settings FROM terms WHERE term_id = ?", (term_id,)).fetchone()
        try:
            grades = json.loads(row[0])["ledger"]["grades"] if row and row[0] else None
        except (ValueError, KeyError, TypeError):
            return None
        return grades if isinstance(grades, list) and all(isinstance(g, str) for g in grades) else None

    def term_id(self, school_year: str | None, term: str | None) -> int | None:
        row = self.conn.execute("SELECT term_id FROM terms WHERE school_year = ? AND term = ?",
                                (school_year, term)).fetchone()
        return row[0] if row else None

    def before(self, school_year: str | None, term: str | None) -> tuple[int, str, str] | None:
        """The term just before this one, when the ledger holds it: (term_id, school_year, term)."""
        prev = term_before(school_year or "", term or "")
        tid = self.term_id(*prev) if prev else None
        return (tid, prev[0], prev[1]) if tid is not None and prev else None

    def mentors_of_students(self, term_id: int) -> dict[str, str]:
        """学号 -> 导师工号 in that term."""
        return {s: t for s, t in self.conn.execute(
            "SELECT student_id, teacher_id FROM pairings WHERE term_id = ? AND teacher_id IS NOT NULL", (term_id,))}

    def grades(self, term_id: int) -> dict[str, float]:
        """学号 -> 本学期成绩 of that term (the next term's 上学期成绩)."""
        out: dict[str, float] = {}
        for sid, fields in self.conn.execute(
                "SELECT student_id, fields FROM records WHERE term_id = ? AND sheet = 'grades'", (term_id,)):
            current = json.loads(fields or "{}").get("current")
            if sid and isinstance(current, (int, float)):
                out[sid] = float(current)
        return out

    def teacher_scores(self, term_id: int) -> dict[str, dict[str, Any]]:
        cur = self.conn.execute("SELECT * FROM teacher_scores WHERE term_id = ?", (term_id,))
        names = [d[0] for d in cur.description]
        return {r[1]: dict(zip(names, r)) for r in cur}

    def class_figures(self, term_id: int) -> dict[str, dict[str, Any]]:
        cur = self.conn.execute("SELECT * FROM class_figures WHERE term_id = ?", (term_id,))
        names = [d[0] for d in cur.description]
        return {r[1]: dict(zip(names, r)) for r in cur}

    def table(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur]


def recall(out: Path, settings: Settings, lang: str = "zh") -> History:
    """The ledger as the last published run left it, copied into memory, checked and migrated there: read
    without changing the published file (a hot journal a killed writer left is rolled back first). An empty
    history when there is none yet."""
    _, path = location(out, settings, lang)
    check_path(path, out, lang)
    if not path.exists():
        return empty_history()
    return History(open_to_read(path, lang))


def empty_history() -> History:
    return History(empty_ledger())


# -- writing this run's term --------------------------------------------------------------------------
def _iso(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


COLUMN_FIELDS = ("date", "teacher_id", "student_id")  # kept in the records table's own columns
NAME_FIELDS = ("teacher_name", "student_name", "mentor_name")  # the people tables hold the names


def field_plan(key: str, settings: Settings) -> list[tuple[str, str]]:
    """(field, how) for each field of a sheet's records the ledger may keep, by its schema and `[privacy]`:
    "value", "date" (ISO text) or "multi" (the school's categories only, unless private text is allowed)."""
    try:
        spec = sheet_spec(key)
    except KeyError:
        return []
    privacy = settings.privacy
    plan = []
    for c in spec.columns:
        if c.field in COLUMN_FIELDS or c.field in NAME_FIELDS:
            continue
        if c.field in PHONE_FIELDS:
            if not privacy.include_phone_numbers:
                continue
        elif c.private and not privacy.include_private_text:
            continue
        plan.append((c.field, "multi" if c.kind == "multi" else "date" if c.kind == "date" else "value"))
    return plan


def public_fields(plan: list[tuple[str, str]], rec: dict[str, Any], categories: set[str] | None) -> dict[str, Any]:
    """A record's fields by field_plan (categories None: any text of a multi-choice cell is kept)."""
    out: dict[str, Any] = {}
    for name, how in plan:
        v = rec.get(name)
        if v is None or v == "" or v == []:
            continue
        if how == "date":
            v = _iso(v)
        elif how == "multi":
            v = [x for x in v if categories is None or x in categories] if isinstance(v, list) else []
            if not v:
                continue
        out[name] = v
    return out


@dataclass(frozen=True)
class TermMemory:
    """What the ledger keeps of one term: its records and the figures computed from them (pipeline.memory_of
    builds it from the term's outcome). `students` is None when the term's figures were not computed (its dates
    unknown): such a term is never remembered."""

    school_year: str | None
    term: str | None
    as_of: dt.date
    settings: Settings
    merged: Merged
    students: Sequence[Mapping[str, Any]] | None  # compliance: one entry per student (figures)
    mentors: Sequence[Mapping[str, Any]]  # compliance: one entry per mentor and class
    classes: Sequence[Mapping[str, Any]]  # compliance: one entry per class
    teachers: list[Record]  # one entry per person over all their classes, with the score
    rectification: list[Record]  # 整改名单


def _rows(result: TermMemory, term_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of this term, by table, but the records (_record_rows)."""
    settings = result.settings
    merged = result.merged
    categories = set(settings.attention.categories)
    rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TERM_TABLES if t != "records"}
    for f in merged.class_files:
        info = f.report.class_info if f.report else {}
        rows["classes"].append((term_id, f.class_name, info.get("grade"), info.get("head_teacher"), f.name,
                                info.get("school")))
    names: dict[str, str | None] = {}
    seen_mentor: set[tuple[Any, Any]] = set()
    for m in merged.records.get("mentors", []):
        key = (m.get("_class"), m.get("teacher_id"))
        if not key[1] or key in seen_mentor:
            continue
        seen_mentor.add(key)
        names.setdefault(key[1], m.get("name"))
        rows["class_mentors"].append((term_id, key[0], key[1], m.get("name"), m.get("subject"), m.get("role"),
                                      m.get("status"), m.get("email"), m.get("_source"), m.get("_row")))
    for t in result.teachers:
        names.setdefault(t["teacher_id"], t.get("name"))
    rows["teachers"] = [(term_id, tid, name) for tid, name in sorted(names.items())]
    seen_student: set[tuple[Any, Any]] = set()
    for s in merged.records.get("students", []):
        key = (s.get("_class"), s.get("student_id"))
        if not key[1] or key in seen_student:
            continue
        seen_student.add(key)
        attention = [a for a in s.get("attention") or [] if a in categories or settings.privacy.include_private_text]
        rows["students"].append((term_id, key[0], key[1], s.get("name"), s.get("gender"), s.get("level"),
                                 s.get("community"), "、".join(attention) or None, s.get("status"),
                                 _iso(s.get("left_on")), s.get("_source"), s.get("_row")))
        until = s.get("left_on") if s.get("status") in ("转出", "休学") else None
        rows["pairings"].append((term_id, key[0], key[1], s.get("mentor_id"), _iso(s.get("paired_on")),
                                 _iso(until)))
    if result.students is not None:
        for fig in result.students:
            rows["student_figures"].append((
                term_id, fig["class"], fig["student_id"], fig["mentor_id"], fig["talk_periods_expected"],
                fig["talk_periods_met"], fig["parent_periods_expected"], fig["parent_periods_met"],
                int(fig["escalated"]), int(fig["left"]), fig.get("archive_periods_expected"),
                fig.get("archive_periods_met")))
        for mf in result.mentors:
            rows["mentor_figures"].append((term_id, mf["class"], mf["teacher_id"], mf["mentees"],
                                           mf["talk_periods_expected"], mf["talk_periods_met"], mf["talk_rate"],
                                           mf["parent_periods_expected"], mf["parent_periods_met"], mf["parent_rate"],
                                           mf["status"]))
        for cf in result.classes:
            rows["class_figures"].append((term_id, cf["class"], cf["students"], cf["talk_rate"], cf["parent_rate"],
                                          cf["talk_periods_expected"], cf["talk_periods_met"],
                                          cf["parent_periods_expected"], cf["parent_periods_met"],
                                          cf["study_weeks_expected"], cf["study_weeks_met"],
                                          cf["community_months_expected"], cf["community_months_met"],
                                          cf["attention_students"], cf["escalated_students"]))
    for t in result.teachers:
        s = t.get("score") or {}
        rows["teacher_scores"].append((term_id, t["teacher_id"], t.get("name"), "、".join(t["classes"]),
                                       t["mentees"], t["talk_rate"], t["parent_rate"], t["status"], s.get("scheme"),
                                       s.get("base"), s.get("grades"), s.get("conduct"), s.get("satisfaction"),
                                       s.get("deductions"), s.get("total"), t.get("rank")))
    for c in result.rectification:
        rows["rectification"].append((term_id, c["teacher_id"], c.get("name"), ",".join(c["months"]), c["listed_on"],
                                      c["deadline"], ",".join(c["judged"]), json.dumps(c["judged_figures"]),
                                      c["state"], c.get("listed_term"), c.get("decided_on")))
    return rows


def _record_rows(result: TermMemory, term_id: int) -> Iterator[tuple[Any, ...]]:
    """Every record of this term as a row of the records table, made as they are inserted (a term of 400 classes
    has 440,000: never all held at once)."""
    settings = result.settings
    categories = set(settings.attention.categories)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    keep = None if settings.privacy.include_private_text else categories
    days: dict[Any, Any] = {}  # date -> ISO text (a term has a few hundred distinct days)
    for sheet, records in result.merged.records.items():
        if sheet == "mentees":
            continue
        plan = field_plan(sheet, settings)
        fields = [f for f, _ in plan]
        lists = any(how == "multi" for _, how in plan)
        kept = operator.itemgetter(*fields) if fields else (lambda r: ())
        texts: dict[Any, str] = {}  # the kept values -> their JSON (talks repeat a few dozen combinations)
        for r in records:
            try:  # records from validation carry every field of their sheet
                values = kept(r)
            except KeyError:
                values = tuple(map(r.get, fields))
            if lists:
                values = tuple(tuple(v) if isinstance(v, list) else v for v in values) if len(fields) > 1 \
                    else (tuple(values) if isinstance(values, list) else values)
            text = texts.get(values)
            if text is None:
                text = texts[values] = dumps(public_fields(plan, r, keep))
            day = r.get("date")
            iso = days.get(day)
            if iso is None:
                iso = days[day] = _iso(day)
            yield (term_id, sheet, r.get("_class") or r.get("class_name"), r.get("_source"), r.get("_row"), iso,
                   r.get("teacher_id"), r.get("student_id"), text)


COLUMNS = {
    "classes": 6, "teachers": 3, "class_mentors": 10, "students": 12, "pairings": 6, "records": 9,
    "student_figures": 12, "mentor_figures": 11, "class_figures": 15, "teacher_scores": 16, "rectification": 11,
}
NAMED = {"classes": "(term_id, class, grade, head_teacher, source_file, school)",
         "student_figures": "(term_id, class, student_id, mentor_id, talk_expected, talk_met, parent_expected, "
                            "parent_met, escalated, left_school, archive_expected, archive_met)"}


def write_term(conn: sqlite3.Connection, result: TermMemory, run_at: dt.datetime | None = None) -> int:
    """Replace the run's term in the ledger in one transaction (other terms untouched). Returns its term_id."""
    term_id = begin_term(conn, result, run_at)
    finish_term(conn, result, term_id)
    return term_id


def begin_term(conn: sqlite3.Connection, start: TermMemory, run_at: dt.datetime | None = None) -> int:
    """The first half of write_term, from what is known once the term's rows are merged (its figures may not be
    computed yet): the transaction begun, the term's old rows deleted, its row and its records inserted. Returns the
    term_id; finish_term (or a rollback) ends the transaction."""
    run_at = run_at or dt.datetime.now(dt.UTC)
    records = sum(len(v) for k, v in start.merged.records.items() if k != "mentees")
    conn.execute("BEGIN IMMEDIATE")
    try:
        old = conn.execute("SELECT term_id FROM terms WHERE school_year = ? AND term = ?",
                           (start.school_year, start.term)).fetchone()
        if old:
            for table in TERM_TABLES:
                conn.execute(f"DELETE FROM {table} WHERE term_id = ?", (old[0],))
            conn.execute("DELETE FROM terms WHERE term_id = ?", (old[0],))
        cur = conn.execute(  # (students and teachers: finish_term, once they are counted)
            "INSERT INTO terms (school_year, term, as_of, run_at, classes, students, teachers, records, settings) "
            "VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?)",
            (start.school_year, start.term, start.as_of.isoformat(), run_at.isoformat(timespec="seconds"),
             len(start.merged.class_files), records,
             json.dumps(settings_dump(start.settings.model_dump(mode="json")), ensure_ascii=False)))
        term_id = int(cur.lastrowid or 0)
        if records:
            with _indexes_after(conn, "records", records):
                conn.executemany(f"INSERT INTO records VALUES ({', '.join('?' * COLUMNS['records'])})",
                                 _record_rows(start, term_id))
    except BaseException:
        rollback(conn)
        raise
    return term_id


def finish_term(conn: sqlite3.Connection, result: TermMemory, term_id: int) -> None:
    """The second half of write_term: every other table's rows of the term, its counts, and the commit."""
    try:
        conn.execute("UPDATE terms SET students = ?, teachers = ? WHERE term_id = ?",
                     (len(result.students) if result.students is not None else None,
                      sum(1 for t in result.teachers if t["mentees"]), term_id))
        for table, rows in _rows(result, term_id).items():
            if rows:
                with _indexes_after(conn, table, len(rows)):
                    marks = ", ".join("?" * COLUMNS[table])
                    conn.executemany(f"INSERT INTO {table} {NAMED.get(table, '')} VALUES ({marks})", rows)
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


@contextmanager
def _indexes_after(conn: sqlite3.Connection, table: str, adding: int) -> Iterator[None]:
    """A table's own indexes (records_by_term, records_by_student) built once after its rows are loaded, rather
    than kept up to date row by row (a third faster for a term's records), when the rows added are at least as many
    as the rows already there (the first terms); the indexes are as the schema made them, in the same transaction."""
    present = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                           "AND sql IS NOT NULL ORDER BY name", (table,)).fetchall() if adding >= present else []
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.execute(sql)


def close_synced(conn: sqlite3.Connection, path: Path) -> None:
    """Close a staged ledger and flush it to the disk once (its transactions skipped the syncs)."""
    conn.close()
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy(src: Path, dst: Path, lang: str = "zh") -> None:
    """A consistent copy of a ledger (SQLite's online backup: never a half-written page). A fault names the
    ledger (src): a full disk while copying it is the ledger that cannot be written."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        source = open_db(src, "ro", timeout=WAIT_S)
        try:
            target = open_db(dst)
            try:
                backup(source, target, src, lang)
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise fault(exc, src, lang) from None


def remember(result: TermMemory, out: Path, stage: Path, lang: str = "zh",
             later: Callable[[], TermMemory] | None = None) -> str | None:
    """The "remember" stage: this run's term into the ledger, before anything is published. The published ledger
    is copied into the stage (a ledger outside OUT: beside it), this term replaced there in one transaction;
    returns the ledger's path relative to OUT when it is one of the run's outputs, for write_outputs to list and
    publish with the set (a ledger outside OUT takes its place after publishing: file.Hold.replace). A run
    without a known term carries the published ledger forward unchanged (so publishing the set never loses it).
    A full disk, a read-only disk or a damaged copy stop the run here (exit 3 or 2), the staged copy removed.

    With `later`, `result` is the term as merged (its figures not computed yet): the copy is made and the term's
    records inserted first (begin_term), then later() gives the whole TermMemory for the rest (finish_term), so
    the records are written while the figures are computed (pipeline.begin_remembering)."""
    rel, path, staged = staged_path(out, result.settings, stage, lang)
    may = _may_have_term(result) if later is not None else _has_term(result)
    if rel is None and not may:
        return None  # outside OUT: nothing to change
    had = path.is_file()
    try:
        if had:
            _copy(path, staged, lang)
        elif not may:
            return None  # nothing remembered yet and nothing to remember
        conn = connect(staged, staged=True, lang=lang)
        try:
            term_id = begin_term(conn, result) if may else None
            result = later() if later is not None else result
            has = _has_term(result)
            if term_id is not None:
                if has:
                    finish_term(conn, result, term_id)
                else:  # the term's figures could not be computed: the ledger stays as it was
                    rollback(conn)
        except BaseException:
            conn.close()
            raise
        if not has and (rel is None or not had):  # as if nothing had been begun
            conn.close()
            _discard(staged)
            return None
        close_synced(conn, staged)
        keep_previous(stage, rel, path, has, lang)
    except sqlite3.Error as exc:
        _discard(staged)
        raise fault(exc, path, lang) from None
    except OSError as exc:  # (a full disk may show only when the copy is synced)
        _discard(staged)
        raise os_fault(exc, path, lang) from None
    except BaseException:
        _discard(staged)
        raise
    return rel


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _has_term(result: TermMemory) -> bool:
    # a term with no accepted class file never replaces what the ledger holds of it
    return _may_have_term(result) and result.students is not None


def _may_have_term(result: TermMemory) -> bool:
    """What _has_term asks but the figures: known as soon as the term's rows are merged."""
    return bool(result.school_year and result.term and result.merged.class_files)


def open_published(out: Path, settings: Settings, lang: str = "zh") -> History:
    """The ledger of a published OUT, for commands that read it (new-term): an in-memory copy, checked. Call it
    with OUT settled (publish.settled)."""
    _, path = location(out, settings, lang)
    check_path(path, out, lang)
    if not path.exists():
        raise LedgerError(messages.t("ledger.missing", lang, path=path, run="run"))
    return recall(out, settings, lang)
