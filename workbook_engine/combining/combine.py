"""Combining what was read: each file's status, the versions of one submission (newest 填表日期 wins, rows the
newest lacks reported as lost), exact row accounting, then submissions record by record (WORKBOOKS.md, "How
submissions combine").

Different submissions of a term — class workbooks, each office's assessment workbook — are combined by each
record's identity: the same record in two submissions counts once (a duplicate), the same identity with other
content is a conflict, resolved for the newer submission and listed. Nothing is dropped without being counted:
per sheet, accepted rows = unique + duplicates (conflicts are among the duplicates).
"""
from __future__ import annotations

import datetime as dt
import operator
from collections import Counter
from typing import Any

from workbook_engine.catalogue import t
from workbook_engine.model import (
    ACCEPTED,
    REJECTED,
    SUPERSEDED,
    Combined,
    Conflict,
    FileReport,
    InboxFile,
    LostRow,
    Merged,
    Problem,
    RejectedRow,
    RowCount,
)
from workbook_engine.schema import SheetSpec
from workbook_engine.settings import Settings
from workbook_engine.validation.rules.mentor_books import not_for_this_mentor

# A record's identity per sheet key. Records kept per class carry their class in the identity too (a community
# "1" or a mentor row exists in every class); students and teachers are school-wide by their ids.
IDENTITY: dict[str, tuple[str, ...]] = {
    "mentors": ("_class", "teacher_id"),
    "students": ("_class", "student_id"),
    "talks": ("date", "teacher_id", "student_id", "form"),
    "contacts": ("date", "teacher_id", "student_id", "way"),
    "studies": ("_class", "date", "host"),
    "community": ("_class", "date", "community"),
    "archive": ("student_id", "date"),
    "paperwork": ("_class", "teacher_id", "kind", "date"),
    "choices": ("_class", "student_id"),
    "wishes": ("_class", "teacher_id", "student_id"),
    "reports": ("date", "student_id"),
    "pair_changes": ("student_id", "date"),
    "grades": ("student_id",),
    "conduct": ("class_name", "community"),
    "satisfaction": ("student_id", "teacher_id"),
    # one row a case (《全员育人导师制实施方案》七: 每有一人次): distinct cases on one day all count
    "deductions": ("teacher_id", "date", "kind", "reason"),
    "leaders": ("class_name", "student_id"),
    "four_party": ("teacher_id",),
    "school_work": ("date", "kind", "host", "grade"),
    "star_nominations": ("student_id", "nominator"),
}
# Identity fields that may be blank (a blank is a value of its own): 计划总结's row of term dates has no 类型 or
# 提交日期, its monthly summaries have both; a 学校工作记录 row names a 年级 only for the 级部's work.
OPTIONAL_IDENTITY: dict[str, tuple[str, ...]] = {"paperwork": ("kind", "date"), "school_work": ("grade",)}


def same_content(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two records agree when every field both of them fill holds the same value (a field one submission leaves
    blank — a mentor's book has no 导师姓名, say — is no disagreement)."""
    for k, v in a.items():
        if k.startswith("_") or v is None or v == "" or v == []:
            continue
        w = b.get(k)
        if w is not None and w != "" and w != [] and w != v:
            return False
    return True


def combine(records: dict[str, list[dict[str, Any]]], newest_first: list[str]) -> Combined:
    """Combine accepted records (each tagged with its `_source`) across submissions; `newest_first` orders the
    sources. Rows of one submission are never merged with each other (validation reports those); a row is a
    duplicate only of a row from another submission. Identities are built and counted at C speed; only the
    rows whose identity occurs more than once are looked at one by one."""
    rank: dict[Any, int] = {name: i for i, name in enumerate(newest_first)}
    out = Combined({})
    for key, rows in records.items():
        fields = IDENTITY.get(key)
        idents = _identities(rows, fields, OPTIONAL_IDENTITY.get(key, ())) if fields and len(rows) > 1 else []
        counts = Counter(idents)
        repeated = {k for k, n in counts.items() if n > 1 and k is not None}
        if not repeated:
            out.records[key] = rows
            continue
        kept_at: dict[tuple, int] = {}  # identity -> the kept row (from the newest source holding it)
        dropped: set[int] = set()
        candidates = [i for i, k in enumerate(idents) if k in repeated]
        for i in sorted(candidates, key=lambda i: rank.get(rows[i].get("_source"), len(rank))):
            ident = idents[i]
            assert ident is not None  # (only repeated identities are candidates)
            j = kept_at.setdefault(ident, i)
            kept, rec = rows[j], rows[i]
            if j != i and kept.get("_source") != rec.get("_source"):
                unused = i
                if _about_another_mentor(kept, rec):  # the class book's row stands, the newer book's goes
                    kept_at[ident] = i
                    kept, rec, unused = rec, kept, j
                out.duplicates[key] = out.duplicates.get(key, 0) + 1
                if not same_content(kept, rec):
                    out.conflicts.append(Conflict(key, kept, rec))
                dropped.add(unused)
        out.records[key] = [r for i, r in enumerate(rows) if i not in dropped] if dropped else rows
    return out


def _about_another_mentor(newer: dict[str, Any], older: dict[str, Any]) -> bool:
    """A mentor's own book (its rows carry `_book_of`, the book's 工号) speaks only for that mentor: it never
    settles a conflict against a class book's row about another mentor, however new it is."""
    own = newer.get("_book_of")
    return bool(own) and not older.get("_book_of") and older.get("teacher_id") not in (None, "", own)


def _identities(rows: list[dict[str, Any]], fields: tuple[str, ...], optional: tuple[str, ...] = ()
                ) -> list[tuple | None]:
    """Each row's identity (None where a field of it that is not `optional` is blank)."""
    get = operator.itemgetter(*fields)
    try:
        values = list(map(get, rows))
    except KeyError:  # rows that lack a field (not from validation)
        values = [tuple(r.get(f) for f in fields) if len(fields) > 1 else r.get(fields[0]) for r in rows]
    if len(fields) == 1:
        values = [(v,) for v in values]
    if optional:
        needed = [i for i, f in enumerate(fields) if f not in optional]
        return [None if any(t[i] is None or t[i] == "" for i in needed) else t for t in values]
    return [None if (None in t or "" in t) else t for t in values]


# -- files, versions and row accounting ----------------------------------------------------------------
# Which fields identify "the same row" across two versions of one submission: a record's identity
# (combine.IDENTITY) within its own file. A row whose identity is incomplete is compared on every field instead.
VERSION_IDENTITY: dict[str, tuple[str, ...]] = {k: tuple(f for f in v if f != "_class") for k, v in IDENTITY.items()}
DEFAULT_OFFICE = "教务处"  # an assessment workbook without 填报信息


def _identity(key: str, rec: dict[str, Any], spec: SheetSpec) -> tuple:
    fields = VERSION_IDENTITY.get(key)
    optional = OPTIONAL_IDENTITY.get(key, ())
    if fields and all(rec.get(f) not in (None, "", []) for f in fields if f not in optional):
        return tuple(rec.get(f) for f in fields)
    return tuple(_hashable(rec.get(c.field)) for c in spec.columns)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _sheet_specs(report: FileReport) -> list[tuple[str, SheetSpec, str]]:
    """(key, spec, name in file) for each table sheet the file has."""
    return [(k, d.spec, d.name) for k, d in report.sheets.items() if d.name is not None and d.spec.layout == "table"]


def lost_rows(winner: InboxFile, older: InboxFile) -> list[LostRow]:
    """Rows of an older version whose identity is missing (or fewer times present) in the winner."""
    out: list[LostRow] = []
    assert winner.report and older.report
    for key, spec, _ in _sheet_specs(older.report):
        new = Counter(_identity(key, r, spec) for r in winner.report.records(key))
        for rec in older.report.records(key):
            ident = _identity(key, rec, spec)
            if new[ident] > 0:
                new[ident] -= 1
            else:
                out.append(LostRow(older.class_name, spec, older.name, rec["_row"], winner.name, rec))
    return out


def _reason_text(problems: list[Problem], lang: str) -> str:
    return "；".join(f"{p.cell or ''} {p.message(lang)}".strip() for p in problems)


def _raw_record(spec: SheetSpec, rec: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """The record with each rejected cell's original text put back, so the rejected list keeps what was typed."""
    out = dict(rec)
    by_header = {c.header: c.field for c in spec.columns}
    for p in problems:
        fld = by_header.get(p.column or "")
        if fld and p.value is not None:
            out[fld] = p.value
    return out


def settle(entries: list[InboxFile], settings: Settings, lang: str = "zh") -> Merged:
    """Decide each file's status, pick versions, count rows and gather the merged records."""
    strict = settings.policy.strict
    for e in entries:
        r = e.report
        assert r is not None
        if r.unreadable:
            e.status = REJECTED
            e.reason = r.problems[0].message(lang) if r.problems else t("combine.unreadable", lang)
        elif r.kind == "unknown":
            e.status = REJECTED
            e.reason = t("combine.unknown", lang)
        elif r.kind == "class" and not e.class_name:
            e.status = REJECTED
            e.reason = t("combine.no_class", lang)
        elif r.kind == "mentor" and not r.class_info.get("teacher_id"):
            e.status = REJECTED
            e.reason = t("combine.no_teacher", lang)
        elif r.kind in ("class", "mentor") and not (r.class_info.get("school_year") and r.class_info.get("term")):
            e.status = REJECTED
            e.reason = t("combine.no_term", lang)
        elif any(p.code == "dates-outside-own-term" for p in r.problems):
            e.status = REJECTED
            e.reason = t("combine.wrong_term", lang)
        elif strict and not r.valid:
            e.status = REJECTED
            e.reason = t("combine.strict", lang, n=e.errors)
        else:
            e.status = ACCEPTED

    merged = Merged()
    groups: dict[tuple, list[InboxFile]] = {}
    for e in entries:
        if e.status != ACCEPTED:
            continue
        info = e.report.class_info if e.report else {}
        if e.kind == "class":
            key: tuple = ("class", info.get("school_year"), info.get("term"), e.class_name)
        elif e.kind == "mentor":
            key = ("mentor", info.get("school_year"), info.get("term"), info.get("teacher_id"))
        else:
            key = ("assessment", info.get("office") or DEFAULT_OFFICE)
        groups.setdefault(key, []).append(e)
    for _, group in sorted(groups.items(), key=lambda kv: tuple(str(x) for x in kv[0])):
        group.sort(key=lambda e: (e.fill_date or dt.date.min, e.mtime, e.name), reverse=True)
        winner = group[0]
        lost_counts: Counter[str] = Counter()
        for older in group[1:]:
            older.status = SUPERSEDED
            older.superseded_by = winner.name
            older.reason = t("combine.superseded", lang, name=winner.name)
            for lost in lost_rows(winner, older):  # versions of any one submission: rows the newest lacks
                merged.lost.append(lost)
                lost_counts[lost.spec.name] += 1
        for sheet, count in sorted(lost_counts.items()):
            assert winner.report is not None  # (every settled file was read)
            winner.report.problems.append(Problem("rows-lost", sheet, None, None, None, count,
                                                  "、".join(o.name for o in group[1:])))
        if winner.kind == "class":
            merged.class_files.append(winner)
        elif winner.kind == "mentor":
            merged.mentor_files.append(winner)
        else:
            merged.assessments.append(winner)
    merged.class_files.sort(key=lambda e: e.class_name or "")

    mentees = Mentees(merged.class_files)
    for e in entries:
        _account(e, merged, lang, mentees)
    winners = sorted(merged.class_files + merged.mentor_files + merged.assessments,
                     key=lambda e: (e.fill_date or dt.date.min, e.mtime, e.name), reverse=True)
    combined = combine(merged.records, [e.name for e in winners])
    merged.records, merged.duplicates, merged.conflicts = combined.records, combined.duplicates, combined.conflicts
    return merged


class Mentees:
    """Whose mentee each student is on a given day, from the winning class books (《全员育人导师制实施方案》: the
    学生名册 names the current mentor; each 结对变更 hands the student over on its date, the 原导师工号 being
    responsible before it). Rows with errors do not count."""

    def __init__(self, class_files: list[InboxFile]) -> None:
        self.current: dict[tuple, Any] = {}
        self.changes: dict[tuple, list[tuple[dt.date, Any]]] = {}
        for e in class_files:
            r = e.report
            assert r is not None
            bad = r.rejected_rows()
            for s in r.records("students"):
                if s["_row"] not in bad.get("students", {}):
                    self.current[(e.class_name, s.get("student_id"))] = s.get("mentor_id")
            for c in r.records("pair_changes"):
                if c["_row"] not in bad.get("pair_changes", {}) and isinstance(c.get("date"), dt.date):
                    self.changes.setdefault((e.class_name, c.get("student_id")), []).append(
                        (c["date"], c.get("old_mentor_id")))
        for changes in self.changes.values():
            changes.sort(key=operator.itemgetter(0))

    def known(self, class_name: Any, student_id: Any) -> bool:
        return (class_name, student_id) in self.current

    def mentor_on(self, class_name: Any, student_id: Any, day: Any) -> Any:
        """The student's mentor on day (the current one when the day is unknown)."""
        if isinstance(day, dt.date):
            for changed_on, before in self.changes.get((class_name, student_id), []):
                if day < changed_on:
                    return before
        return self.current.get((class_name, student_id))


def _account(e: InboxFile, merged: Merged, lang: str, mentees: Mentees) -> None:
    r = e.report
    if r is None:
        return
    rejected_by_key = r.rejected_rows()
    whole_file_rejected = e.status == REJECTED and not r.unreadable
    mentor_book, class_name, own_id, source = e.kind == "mentor", e.class_name, r.class_info.get("teacher_id"), e.name
    for key, spec, name in _sheet_specs(r):
        records = r.records(key)
        count = RowCount(read=len(records))
        bad = rejected_by_key.get(key, {})
        if e.status == ACCEPTED:
            data = r.sheets[key]
            taken = merged.records.setdefault(key, [])
            for rec in records:
                problems = bad.get(rec["_row"])
                if problems:
                    count.rejected += 1
                    merged.rejected.append(RejectedRow(e.name, e.class_name, spec, rec["_row"],
                                                       _reason_text(problems, lang), _raw_record(spec, rec, problems)))
                    continue
                why = not_for_this_mentor(key, rec, own_id, mentees) if mentor_book else None
                if why:  # a warning at its cell; the row is not used (listed with the rows not taken)
                    code, fld, value, detail = why
                    problem = Problem(code, name, data.cell(rec["_row"], fld), rec["_row"], spec.column(fld).header,
                                      value, detail)
                    r.problems.append(problem)
                    count.rejected += 1
                    merged.rejected.append(RejectedRow(e.name, e.class_name, spec, rec["_row"],
                                                       _reason_text([problem], lang), dict(rec)))
                else:
                    count.accepted += 1
                    row = rec  # tagged in place, not copied: the file's report and the merged rows share it
                    if mentor_book:  # a mentor's own book: each row names its class, 导师工号 may be blank
                        row["_class"] = row.pop("class_name", None)
                        row["_book_of"] = own_id
                        if not row.get("teacher_id") and key != "mentees":
                            row["teacher_id"] = own_id
                    else:
                        row["_class"] = class_name
                    row["_source"] = source
                    taken.append(row)
        else:
            count.rejected = len(records)
            if e.status == SUPERSEDED:
                count.superseded = len(records)
            if whole_file_rejected:
                for rec in records:
                    merged.rejected.append(RejectedRow(e.name, e.class_name, spec, rec["_row"], e.reason,
                                                       _raw_record(spec, rec, bad.get(rec["_row"], []))))
        e.rows[name] = count


# -- the whole run -------------------------------------------------------------------------------
