"""Rules across terms, against the school ledger: a pairing lasts at least a school year, so in a 第二学期 a
student whose mentor is not the one of 第一学期 needs a 结对变更 row. The check takes plain data — the roster,
the 结对变更 rows and the ledger's 第一学期 pairings — and assessment.across_terms raises each finding at the
roster's 导师工号 cell."""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from workbook_engine.validation.rules import W, code

code("mentor-changed-without-record", W, "relation")


def changed_without_record(students: Iterable[dict[str, Any]], pair_changes: Iterable[dict[str, Any]],
                           before: Mapping[Any, Any], left_statuses: Collection[Any]
                           ) -> list[tuple[dict[str, Any], Any]]:
    """The roster rows whose 导师工号 is not the mentor `before` (学号 -> 导师工号 of 第一学期, from the ledger)
    gives, with no 结对变更 row for the student, the student still in the class (status not in
    `left_statuses`): (row, the earlier mentor), for mentor-changed-without-record."""
    changed = {r.get("student_id") for r in pair_changes}
    out = []
    for rec in students:
        sid, mentor = rec.get("student_id"), rec.get("mentor_id")
        old = before.get(sid)
        if not mentor or not old or old == mentor or sid in changed or rec.get("status") in left_statuses:
            continue
        out.append((rec, old))
    return out
