"""Warnings found after the files were validated — by the checks on the combined records, the assessment and the
ledger — each put at its record's cell in the file it came from, so the file's report lists it like any other."""
from __future__ import annotations

from typing import Any

from workbook_engine.model import InboxFile, Problem, Record


def warn_at(files: dict[str, InboxFile], rec: Record, sheet: str, field_name: str, code: str,
            value: Any, detail: str = "", detail_en: str | None = None) -> None:
    """A problem at the record's cell in the file it came from (found after the files were validated)."""
    entry = files.get(rec.get("_source") or "")
    report = entry.report if entry is not None else None
    data = report.sheets.get(sheet) if report is not None else None
    if report is None or data is None:
        return
    row = rec.get("_row")
    report.problems.append(Problem(code, data.name, data.cell(row, field_name) if row else None, row,
                                   data.spec.column(field_name).header, value, detail, detail_en))
