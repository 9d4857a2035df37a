"""Rules: each validation rule is one unit — its code, severity, category and its check (a function here, or
one a later stage calls with plain data) — registered here, beside the schema, into `model.CODES`, so
`Problem(code, …)` works for every registered code. Its words are the catalogue's: `problem.<code>` in
workbook_engine/catalogue/problems.py, a template taking {sheet}, {column}, {value} and {detail}.

Adding a rule is one file, its catalogue line and its test: a module in this package (every module here is
imported, in name order) with a function decorated by

    @rule("my-code", W, "relation")
    def my_code(book: ClassBook) -> None:
        for rec in book.sheets["talks"].records: ...
            book.add("my-code", sheet_name, row, col, column_header, value, detail)

and `"problem.my-code": ("中文：{value} …", "English: {value} …")` in the catalogue. `rule` registers a check run
on every class workbook after its sheets are read; `code` registers a code that a later stage raises with the
unit's check (the assessment screening in `screening.py`, the school ledger's checks across terms in
`ledger.py` and `baseline.py`, the mentor books' rows in `mentor_books.py`). A code without its catalogue
message is refused. A test must raise every registered code: tests/validation/test_rule_registry.py fails when
one is raised by no test of the suite.
"""
from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from workbook_engine.catalogue import CATALOGUE
from workbook_engine.model import CODES, CodeSpec, Severity
from workbook_engine.reading.normalize import fold

if TYPE_CHECKING:
    from workbook_engine.model import FileReport, SheetData
    from workbook_engine.validation.view import ReadingSettings

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Rule:
    """One registered code: its spec and, for a class-workbook rule, its check."""

    code: str
    spec: CodeSpec
    check: Callable[[ClassBook], None] | None
    module: str


RULES: dict[str, Rule] = {}  # code -> rule, in registration order
CLASS_CHECKS: list[Callable[[ClassBook], None]] = []  # the checks run on each class workbook, in order


def code(code: str, severity: Severity, category: str, check: Callable[[ClassBook], None] | None = None,
         module: str = "") -> CodeSpec:
    """Register a problem code (raised by a later stage, or by `check`). A code is registered once, and only
    with its message in the catalogue (`problem.<code>`)."""
    if code in CODES:
        raise ValueError(f"problem code {code!r} is registered twice")
    if f"problem.{code}" not in CATALOGUE:
        raise ValueError(f"problem code {code!r} has no message in the catalogue (problem.{code})")
    spec = CodeSpec(severity, category)
    CODES[code] = spec
    RULES[code] = Rule(code, spec, check, module)
    if check is not None and check not in CLASS_CHECKS:
        CLASS_CHECKS.append(check)
    return spec


def rule(code_: str, severity: Severity, category: str
         ) -> Callable[[Callable[[ClassBook], None]], Callable[[ClassBook], None]]:
    """Decorator: register `code_` and the decorated check, run on every class workbook."""
    def register(check: Callable[[ClassBook], None]) -> Callable[[ClassBook], None]:
        code(code_, severity, category, check, check.__module__)
        return check
    return register


class ClassBook:
    """What a class-workbook check sees: the sheets as read (`sheets[key]`, see schema.py), the settings, the
    term, the roster and mentor list indexed once, and `add` to report a problem at a cell."""

    def __init__(self, sheets: dict[str, SheetData], settings: ReadingSettings, term: tuple[dt.date, dt.date] | None,
                 add: Callable[..., None], report: FileReport | None = None) -> None:
        self.sheets = sheets
        self.settings = settings
        self.term = term
        self.add = add  # add(code, sheet, row, col, column, value, detail, detail_en)
        self.report = report

    @cached_property
    def mentors(self) -> dict[str, dict[str, Any]]:
        """工号 -> the 导师名单 row."""
        return {r["teacher_id"]: r for r in self.sheets["mentors"].records if r.get("teacher_id")}

    @property
    def roster(self) -> SheetData:
        return self.sheets["students"]

    @cached_property
    def students(self) -> dict[str, dict[str, Any]]:
        """学号 -> the first 学生名册 row holding it."""
        out: dict[str, dict[str, Any]] = {}
        for rec in self.roster.records:
            sid = rec.get("student_id")
            if sid and sid not in out:
                out[sid] = rec
        return out

    @cached_property
    def current(self) -> list[dict[str, Any]]:
        """The roster's students still in the class (not 转出 or 休学)."""
        return [r for r in self.students.values() if r.get("status") not in ("转出", "休学")]

    @cached_property
    def heads(self) -> set[str]:
        """The 工号 of the class's 班主任 (responsible for every student)."""
        return {tid for tid, m in self.mentors.items() if m.get("role") == "班主任"}

    @cached_property
    def left(self) -> set[str]:
        """The 工号 of mentors who have left (离岗)."""
        return {tid for tid, m in self.mentors.items() if m.get("status") == "离岗"}

    def present(self, *keys: str) -> Iterator[tuple[str, SheetData]]:
        """The named sheets that the file has."""
        for key in keys:
            data = self.sheets.get(key)
            if data is not None and data.name is not None:
                yield key, data

    def check_name(self, data: SheetData, rec: dict[str, Any], field_name: str, expected: str | None) -> None:
        """name-mismatch when the row's name differs from the one its id stands for."""
        given = rec.get(field_name)
        if given and expected and given != expected and fold(given) != fold(expected):
            self.add("name-mismatch", data.name, rec["_row"], data.columns.get(field_name),
                     data.spec.column(field_name).header, given, expected)

    @cached_property
    def mentor_on(self) -> Callable[[str, Any], str | None]:
        """mentor_on(student, day): the mentor paired with the student on that day — the 原导师工号 of the first
        结对变更 after the day, else the roster's mentor."""
        changes = self.sheets.get("pair_changes")
        history: dict[str, list[tuple[dt.date, str]]] = {}
        for c in changes.records if changes is not None and changes.name is not None else []:
            if isinstance(c.get("date"), dt.date) and c.get("student_id") and c.get("old_mentor_id"):
                history.setdefault(c["student_id"], []).append((c["date"], c["old_mentor_id"]))
        for moves in history.values():
            moves.sort()
        students = self.students

        def mentor_on(sid: str, day: Any) -> str | None:
            current = students[sid].get("mentor_id") if sid in students else None
            if isinstance(day, dt.date):
                for changed, old in history.get(sid, ()):
                    if day < changed:
                        return old
            return current

        return mentor_on


def check_class(book: ClassBook) -> None:
    """Run every registered class-workbook rule, in registration order."""
    for check in CLASS_CHECKS:
        check(book)


def modules() -> Iterable[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


for _name in modules():  # every rule module registers its codes on import
    importlib.import_module(f"{__name__}.{_name}")
