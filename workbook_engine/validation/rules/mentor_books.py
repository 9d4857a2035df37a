"""A mentor's own book (导师工作手册) speaks only for its own 工号, about that mentor's mentees in the period of
the row: a row naming another mentor, a student on no accepted roster of the class it names, or a student who
was another mentor's mentee on the row's date is not used (a warning at its cell). The check takes the row and
a lookup of the term's mentees; combining calls it while the submissions are combined (combine.Mentees)."""
from __future__ import annotations

from typing import Any, Protocol

from workbook_engine.validation.rules import W, code

code("mentor-book-other-mentor", W, "relation")
code("mentor-book-unknown-student", W, "relation")
code("not-own-mentee", W, "relation")

STUDENT_SHEETS = ("talks", "contacts", "reports", "archive")  # the mentor book's rows about a student


class MenteeLookup(Protocol):
    """Whose mentee each student is, from the winning class books (combine.Mentees)."""

    def known(self, class_name: Any, student_id: Any) -> bool: ...

    def mentor_on(self, class_name: Any, student_id: Any, day: Any) -> Any: ...


def not_for_this_mentor(key: str, row: dict[str, Any], own_id: Any, mentees: MenteeLookup
                        ) -> tuple[str, str, Any, str] | None:
    """Why a mentor book's row (of sheet `key`) is not used — (code, field, value, detail) — or None."""
    if row.get("teacher_id") not in (None, "", own_id):
        return "mentor-book-other-mentor", "teacher_id", row.get("teacher_id"), str(own_id)
    if key not in STUDENT_SHEETS:
        return None
    cls, sid = row.get("class_name"), row.get("student_id")
    if not mentees.known(cls, sid):
        return "mentor-book-unknown-student", "student_id", sid, str(cls or "")
    mentor = mentees.mentor_on(cls, sid, row.get("date"))
    if mentor != own_id:
        return "not-own-mentee", "student_id", sid, str(mentor or "—")
    return None
