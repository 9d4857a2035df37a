"""The data that flows between the run's stages, at the ground floor so every stage imports down to it.

Read top to bottom as the run produces it: a workbook's problems and what was read of it (`Problem`,
`SheetData`, `FileReport`), each file found in the inbox and what became of it (`InboxFile`, `RowCount`), the
term's combined records (`Merged`), what the ledger remembered of earlier terms (`History`, built by
ledger.store), and one term's run through the later stages (`TermRun`, pipeline.py). A record read from a
workbook stays a `dict[str, Any]` keyed by the schema's fields (schema.py): its shape is the school's template,
not the code's.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from workbook_engine.catalogue import t
from workbook_engine.cells import cell_ref
from workbook_engine.files import shown_name
from workbook_engine.schema import SheetSpec

Record = dict[str, Any]  # one row of a sheet as read: schema field -> value, plus `_row`, `_class`, `_file`


# -- problems ----------------------------------------------------------------------------------------------


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class CodeSpec:
    """A problem code's severity and category; its message is the catalogue's `problem.<code>`."""

    severity: Severity
    category: str


# code -> its spec: the file and cell codes (validation/problems.py) and every rule's (validation/rules/) register
# here when the validation package is imported
CODES: dict[str, CodeSpec] = {}


@dataclass
class Problem:
    """One thing wrong with a workbook, located as precisely as the data allows."""

    code: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    detail: str = ""
    detail_en: str | None = None  # the detail in English, where it is not a value from the file

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    def message(self, lang: str = "zh") -> str:
        """The catalogue's message for the code (`problem.<code>`) in lang, filled with this problem's fields."""
        detail = self.detail_en if lang == "en" and self.detail_en is not None else self.detail
        return t(f"problem.{self.code}", lang,
                 sheet=self.sheet or "", column=self.column or "", value=shown_value(self.value), detail=detail)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "value": _json_value(self.value),
            "message": self.message(lang),
        }


def shown_value(value: Any) -> str:
    """A cell value as a message shows it: nothing for an empty cell, 3 for 3.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# -- a file as read ------------------------------------------------------------------------------------------


@dataclass
class SheetData:
    """One sheet as read: where it was, which column holds which field, and its parsed rows."""

    spec: SheetSpec
    name: str | None = None  # the sheet's name in the file
    header_row: int | None = None  # 1-based
    columns: dict[str, int] = field(default_factory=dict)  # field -> 1-based column
    extra: dict[str, int] = field(default_factory=dict)  # extra header -> 1-based column
    records: list[dict[str, Any]] = field(default_factory=list)  # each has "_row" (1-based sheet row)

    def cell(self, row: int, field_name: str) -> str | None:
        col = self.columns.get(field_name)
        return cell_ref(row, col) if col else None


@dataclass
class FileReport:
    """Everything known about one input file after validation."""

    path: Path
    kind: str = "unknown"  # class | assessment | unknown
    format: str | None = None
    problems: list[Problem] = field(default_factory=list)
    sheets: dict[str, SheetData] = field(default_factory=dict)  # spec key -> data
    class_info: dict[str, Any] = field(default_factory=dict)
    unreadable: bool = False
    template_version: str | None = None
    timings: dict[str, float] = field(default_factory=dict)  # read / validate seconds, for the benchmark

    @property
    def valid(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)

    @property
    def rows(self) -> dict[str, int]:
        return {data.spec.name: len(data.records) for data in self.sheets.values() if data.name is not None
                and data.spec.layout == "table"}

    def rejected_rows(self) -> dict[str, dict[int, list[Problem]]]:
        """Sheet name -> row -> the errors that reject that row."""
        by_sheet_name = {data.name: data.spec.key for data in self.sheets.values() if data.name}
        out: dict[str, dict[int, list[Problem]]] = {}
        for p in self.problems:
            if p.severity is Severity.ERROR and p.row is not None and p.sheet in by_sheet_name:
                key = by_sheet_name[p.sheet]
                out.setdefault(key, {}).setdefault(p.row, []).append(p)
        return out

    def records(self, key: str) -> list[dict[str, Any]]:
        data = self.sheets.get(key)
        return data.records if data else []

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "path": shown_name(str(self.path)),
            "kind": self.kind,
            "valid": self.valid,
            "format": self.format,
            "rows": self.rows,
            "errors": sum(p.severity is Severity.ERROR for p in self.problems),
            "warnings": sum(p.severity is Severity.WARNING for p in self.problems),
            "problems": [p.to_dict(lang) for p in self.problems],
        }


@dataclass
class ValidationReport:
    files: list[FileReport]

    @property
    def valid(self) -> bool:
        return all(f.valid for f in self.files)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"valid": self.valid, "files": [f.to_dict(lang) for f in self.files]}


# -- the inbox -------------------------------------------------------------------------------------------------
ACCEPTED, SUPERSEDED, REJECTED, SKIPPED = "accepted", "superseded", "rejected", "skipped"  # what became of a file


@dataclass
class RowCount:
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    superseded: int = 0  # of the rejected rows, those in a version that a newer file replaced

    def to_dict(self) -> dict[str, int]:
        return {"read": self.read, "accepted": self.accepted, "rejected": self.rejected, "superseded": self.superseded}


@dataclass
class InboxFile:
    """One file found in the inbox and what became of it."""

    path: Path
    name: str  # path relative to the inbox, with forward slashes
    status: str = ACCEPTED
    reason: str = ""
    sha256: str | None = None
    mtime: float = 0.0
    report: FileReport | None = None
    superseded_by: str | None = None
    rows: dict[str, RowCount] = field(default_factory=dict)  # sheet name -> counts
    provenance: dict[str, Any] | None = None  # from, date, subject, message_id when it came by email

    @property
    def kind(self) -> str:
        return self.report.kind if self.report else "other"

    @property
    def class_name(self) -> str | None:
        return self.report.class_info.get("class_name") if self.report else None

    @property
    def fill_date(self) -> dt.date | None:
        value = self.report.class_info.get("fill_date") if self.report else None
        return value if isinstance(value, dt.date) else None

    @property
    def problems(self) -> list[Problem]:
        return self.report.problems if self.report else []

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.problems)

    @property
    def accounting_ok(self) -> bool:
        return all(c.read == c.accepted + c.rejected for c in self.rows.values())

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "path": self.name,
            "kind": self.kind,
            "class": self.class_name,
            "status": self.status,
            "reason": self.reason,
            "superseded_by": self.superseded_by,
            "provenance": self.provenance,
            "sha256": self.sha256,
            "fill_date": self.fill_date.isoformat() if self.fill_date else None,
            "format": self.report.format if self.report else None,
            "rows": {sheet: c.to_dict() for sheet, c in self.rows.items()},
            "rows_accounted": self.accounting_ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [p.to_dict(lang) for p in self.problems],
        }


# -- combined --------------------------------------------------------------------------------------------------


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


@dataclass
class RejectedRow:
    file: str
    class_name: str | None
    spec: SheetSpec
    row: int
    reason: str
    record: dict[str, Any]


@dataclass
class LostRow:
    class_name: str | None
    spec: SheetSpec
    old_file: str
    row: int
    kept_file: str
    record: dict[str, Any]


@dataclass
class Merged:
    """Every accepted row by sheet key, each tagged with its class and source file; and what was not taken."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rejected: list[RejectedRow] = field(default_factory=list)
    lost: list[LostRow] = field(default_factory=list)
    class_files: list[InboxFile] = field(default_factory=list)  # the winning class files, by class name
    assessments: list[InboxFile] = field(default_factory=list)  # the winning workbook of each office
    mentor_files: list[InboxFile] = field(default_factory=list)  # the winning 导师工作手册 of each mentor
    duplicates: dict[str, int] = field(default_factory=dict)  # sheet key -> rows also in another submission
    conflicts: list[Conflict] = field(default_factory=list)  # same identity, other content: the newer one kept


# -- work done in worker processes ---------------------------------------------------------------------------


@dataclass
class WorkerFailure:
    """The per-file stage did not return: why, in words for the report."""

    path: str
    reason: str
    crashed: bool  # the worker process died (True) or the function raised (False)
    memory_limit_mb: int | None = None  # set when it was stopped at this memory limit (limits.worker_memory_mb)


class Executor(Protocol):
    """Runs the per-file stage over many files (execution.ProcessExecutor, SerialExecutor), yielding (index,
    result or WorkerFailure) as each file finishes."""

    def map_files(self, fn: Callable[..., Any], paths: Sequence[Any], *args: Any) -> Iterator[tuple[int, Any]]: ...
