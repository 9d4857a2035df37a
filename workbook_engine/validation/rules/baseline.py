"""The grade baseline (《全员育人导师制实施方案》七: 以上学期成绩为基数): a blank 上学期成绩 is taken from the school
ledger's last-term 本学期成绩. A blank with no remembered grade is grade-baseline-missing at the row; in a class's
first term at the school — the lowest grade's 第一学期, or a class the ledger has not seen — a blank is expected:
one line for the class (grade-baseline-first-term), not grade-baseline-missing for each student. The check takes
plain data (the 成绩 rows and the ledger's grades); assessment.across_terms raises each finding at its cell."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from workbook_engine.validation.rules import W, code

code("grade-baseline-missing", W, "relation")
code("grade-baseline-first-term", W, "relation")


def fill_baseline(rows: Iterable[dict[str, Any]], remembered: Mapping[Any, Any], first_term: Callable[[Any], bool]
                  ) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], str, Any, str]]]:
    """The 成绩 rows with each blank 上学期成绩 taken from `remembered` (学号 -> last term's grade; copies, marked
    `_baseline: ledger`), and the findings (row, code, value, detail) for the blanks left: one
    grade-baseline-first-term for a class in its first term at the school (`first_term(class)`), else a
    grade-baseline-missing a row."""
    filled = []
    unfilled: dict[Any, list[dict[str, Any]]] = {}  # class -> its rows without a baseline
    for r in rows:
        if r.get("previous") is None:
            base = remembered.get(r.get("student_id"))
            if base is None:
                unfilled.setdefault(r.get("class_name"), []).append(r)
            else:
                r = {**r, "previous": base, "_baseline": "ledger"}
        filled.append(r)
    findings: list[tuple[dict[str, Any], str, Any, str]] = []
    for cls, missing in unfilled.items():
        if first_term(cls):
            findings.append((missing[0], "grade-baseline-first-term", cls, str(len(missing))))
            continue
        findings += [(r, "grade-baseline-missing", r.get("student_id"), "") for r in missing]
    return filled, findings
