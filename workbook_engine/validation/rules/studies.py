"""学情研究 as 《学情会商制度实施方案》三 describes it: 每周班主任与学生成长导师研究一次“学情” — hosted by the class's head
teacher, with the class's mentors taking part. A study hosted by someone else, or listing no mentor of the class in
参加人员, is a warning at its cell; it still counts as held (compliance counts every dated study)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from workbook_engine.reading.normalize import fold
from workbook_engine.validation.rules import ClassBook, W, rule

_SPLIT = re.compile(r"[、,，;；/\s]+")


def _named(text: Any, people: dict[str, str]) -> list[str]:
    """The people (工号 -> name) a free-text cell names, by 工号 or by name (a name inside a longer token counts:
    王芳老师), in the order of `people`."""
    if text is None or str(text).strip() == "":
        return []
    raw = str(text)
    tokens = {fold(tok) for tok in _SPLIT.split(raw) if tok}
    folded = fold(raw)
    return [tid for tid, name in people.items()
            if fold(tid) in tokens or (name and fold(name) in folded)]


def study_people(rec: dict[str, Any], heads: dict[str, str], mentors: dict[str, str]) -> tuple[bool | None, list[str]]:
    """(hosted by a head teacher of the class — None when the class names none; the class's mentors (工号) named in
    参加人员). `heads` and `mentors` map 工号 -> name."""
    host_is_head = bool(_named(rec.get("host"), heads)) if heads else None
    return host_is_head, _named(rec.get("attendees"), mentors)


def class_people(mentor_rows: Iterable[dict[str, Any]], head_name: Any = None) -> tuple[dict[str, str], dict[str, str]]:
    """(the head teachers, the subject mentors) of a class, 工号 -> name, from its 导师名单 rows (and 班级信息's 班主任,
    by name, when the list has no 班主任 row)."""
    heads: dict[str, str] = {}
    mentors: dict[str, str] = {}
    for m in mentor_rows:
        tid = m.get("teacher_id")
        if tid:
            (heads if m.get("role") == "班主任" else mentors)[tid] = m.get("name") or ""
    if not heads and head_name:
        heads[str(head_name)] = str(head_name)  # (a name alone: matched by name)
    return heads, mentors


@rule("study-host-not-head-teacher", W, "relation")
def study_host_not_head_teacher(book: ClassBook) -> None:
    heads, _ = _people(book)
    if not heads:
        return
    for _, studies in book.present("studies"):
        for rec in studies.records:
            if rec.get("host") and study_people(rec, heads, {})[0] is False:
                book.add("study-host-not-head-teacher", studies.name, rec["_row"], studies.columns.get("host"),
                         "主持人", rec["host"], "、".join(n or t for t, n in heads.items()))


@rule("study-without-mentor", W, "relation")
def study_without_mentor(book: ClassBook) -> None:
    _, mentors = _people(book)
    if not mentors:
        return
    for _, studies in book.present("studies"):
        for rec in studies.records:
            if rec.get("date") is not None and not study_people(rec, {}, mentors)[1]:
                book.add("study-without-mentor", studies.name, rec["_row"],
                         studies.columns.get("attendees"),
                         "参加人员", rec.get("attendees") or "")


def _people(book: ClassBook) -> tuple[dict[str, str], dict[str, str]]:
    info = book.report.class_info if book.report is not None else {}
    return class_people(book.mentors.values(), info.get("head_teacher"))
