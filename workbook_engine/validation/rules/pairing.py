"""The pairing structure of the roster (《全员育人导师制实施方案》, 《学情会商制度实施方案》): a mentor who has left
keeps no mentee (an error); 4-5 communities, each mixing 好/中/差, mentee loads within the set spread, every subject
teacher with mentees, every student in a community, new students paired within a week (warnings: the rows
stay)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from workbook_engine.catalogue import LANGS, t
from workbook_engine.validation.rules import ClassBook, E, W, rule

LEVELS = ("好", "中", "差")


def _who(rec: dict[str, Any], id_field: str = "student_id") -> str:
    return f"{rec[id_field]} {rec.get('name') or ''}".strip()


@rule("mentor-left-with-mentees", E, "relation")
def mentor_left_with_mentees(book: ClassBook) -> None:
    roster = book.roster
    if roster.name is None:
        return
    for rec in book.current:
        mid = rec.get("mentor_id")
        if mid in book.left:
            book.add("mentor-left-with-mentees", roster.name, rec["_row"], roster.columns.get("mentor_id"), "导师工号",
                     f"{mid} {book.mentors[mid].get('name') or ''}".strip())


def _communities(book: ClassBook) -> dict[str, list[dict[str, Any]]] | None:
    """共同体 -> its current students; None when the roster has no 共同体 column or no student."""
    if book.roster.name is None or not book.current or "community" not in book.roster.columns:
        return None
    members: dict[str, list[dict[str, Any]]] = {}
    for rec in book.current:
        if rec.get("community"):
            members.setdefault(rec["community"], []).append(rec)
    return members


@rule("student-without-community", W, "pairing")
def student_without_community(book: ClassBook) -> None:
    if _communities(book) is None:
        return
    roster = book.roster
    for rec in book.current:
        if not rec.get("community"):
            book.add("student-without-community", roster.name, rec["_row"], roster.columns.get("community"), "共同体",
                     _who(rec))


@rule("community-count", W, "pairing")
def community_count(book: ClassBook) -> None:
    members = _communities(book)
    if members and not 4 <= len(members) <= 5:
        roster = book.roster
        book.add("community-count", roster.name, roster.header_row, roster.columns.get("community"), "共同体",
                 len(members))


@rule("community-level-mix", W, "pairing")
def community_level_mix(book: ClassBook) -> None:
    members = _communities(book)
    if not members:
        return
    levels = [lv for lv in LEVELS if any(r.get("level") == lv for r in book.current)]
    for g in sorted(members, key=lambda g: (len(g), g)):
        lacking = [lv for lv in levels if not any(r.get("level") == lv for r in members[g])]
        if lacking:
            first = min(r["_row"] for r in members[g])
            book.add("community-level-mix", book.roster.name, first, book.roster.columns.get("community"), "共同体", g,
                     "、".join(lacking))


def _loads(book: ClassBook) -> dict[str, int] | None:
    """工号 -> mentees, for every mentor who is not the 班主任 and has not left; None without a roster."""
    if book.roster.name is None or not book.mentors or not book.current or "mentor_id" not in book.roster.columns:
        return None
    load = {tid: 0 for tid, m in book.mentors.items() if m.get("role") != "班主任" and tid not in book.left}
    for rec in book.current:
        mid = rec.get("mentor_id")
        if mid in book.mentors and mid not in book.left:
            load[mid] = load.get(mid, 0) + 1
    return load


@rule("mentor-without-mentee", W, "pairing")
def mentor_without_mentee(book: ClassBook) -> None:
    sheet = book.sheets["mentors"]
    for tid, n in (_loads(book) or {}).items():
        if n == 0:
            book.add("mentor-without-mentee", sheet.name, book.mentors[tid]["_row"], sheet.columns.get("teacher_id"),
                     "工号", _who(book.mentors[tid], "teacher_id"))


@rule("mentee-load-spread", W, "pairing")
def mentee_load_spread(book: ClassBook) -> None:
    load = _loads(book) or {}
    spread = book.settings.policy.mentee_load_spread
    sheet = book.sheets["mentors"]
    low = min((n for n in load.values() if n), default=0)
    for tid, n in load.items():
        if n and n - low > spread:
            detail = {lang: t("problem.mentee-load-spread.detail", lang, n=n, low=low, spread=spread) for lang in LANGS}
            book.add("mentee-load-spread", sheet.name, book.mentors[tid]["_row"], sheet.columns.get("teacher_id"),
                     "工号", _who(book.mentors[tid], "teacher_id"), detail["zh"], detail["en"])


@rule("late-pairing", W, "pairing")
def late_pairing(book: ClassBook) -> None:
    """A student enrolled this term (from a month before it) is paired within `policy.pairing_days` days."""
    roster = book.roster
    if roster.name is None or not book.term or "enrolled_on" not in roster.columns:
        return
    days = book.settings.policy.pairing_days
    col = roster.columns.get
    for rec in book.current:
        enrolled = rec.get("enrolled_on")
        if not isinstance(enrolled, dt.date) or enrolled < book.term[0] - dt.timedelta(days=31):
            continue  # not a new student of this term
        paired = rec.get("paired_on")
        if not isinstance(paired, dt.date) or (paired - enrolled).days > days:
            detail = {lang: t("problem.late-pairing.detail", lang, days=days, enrolled=enrolled.isoformat(),
                              paired=paired.isoformat() if isinstance(paired, dt.date)
                              else t("problem.late-pairing.not_paired", lang)) for lang in LANGS}
            book.add("late-pairing", roster.name, rec["_row"], col("paired_on") or col("enrolled_on"), "结对日期",
                     _who(rec), detail["zh"], detail["en"])
