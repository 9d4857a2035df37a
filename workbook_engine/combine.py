"""Combining submissions record by record (WORKBOOKS.md, "How submissions combine").

Different submissions of a term — class workbooks, each office's assessment workbook — are combined by each
record's identity: the same record in two submissions counts once (a duplicate), the same identity with other
content is a conflict, resolved for the newer submission and listed. Nothing is dropped without being counted:
per sheet, accepted rows = unique + duplicates (conflicts are among the duplicates).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    "paperwork": ("_class", "teacher_id"),
    "choices": ("_class", "student_id"),
    "wishes": ("_class", "teacher_id", "student_id"),
    "grades": ("student_id",),
    "conduct": ("class_name", "community"),
    "satisfaction": ("student_id", "teacher_id"),
    "deductions": ("teacher_id", "date", "kind"),
    "leaders": ("class_name", "student_id"),
    "four_party": ("teacher_id",),
}


@dataclass
class Conflict:
    """Two submissions disagree about one record: `kept` (from the newer) is used, `other` is not."""

    key: str
    kept: dict[str, Any]
    other: dict[str, Any]


@dataclass
class Combined:
    records: dict[str, list[dict[str, Any]]]
    duplicates: dict[str, int] = field(default_factory=dict)  # sheet key -> rows counted once elsewhere
    conflicts: list[Conflict] = field(default_factory=list)


def identity(key: str, rec: dict[str, Any]) -> tuple | None:
    """The record's identity, or None when a field of it is blank (such a record is never merged away)."""
    fields = IDENTITY.get(key)
    if not fields:
        return None
    values = tuple(rec.get(f) for f in fields)
    if any(v is None or v == "" for v in values):
        return None
    return values


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
    duplicate only of a row from another submission."""
    rank = {name: i for i, name in enumerate(newest_first)}
    out = Combined({})
    for key, rows in records.items():
        first: dict[tuple, dict[str, Any]] = {}  # identity -> the kept row (from the newest source holding it)
        for rec in sorted(rows, key=lambda r: rank.get(r.get("_source"), len(rank))):
            ident = identity(key, rec)
            if ident is not None:
                kept = first.setdefault(ident, rec)
                if kept is not rec and kept.get("_source") != rec.get("_source"):
                    out.duplicates[key] = out.duplicates.get(key, 0) + 1
                    if not same_content(kept, rec):
                        out.conflicts.append(Conflict(key, kept, rec))
                    rec["_dropped"] = True
        out.records[key] = [r for r in rows if not r.pop("_dropped", False)]
    return out
