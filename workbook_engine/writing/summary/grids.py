"""The summary's last sheets: one compliance grid per class (books.grid_sheet), in the classes' order."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbook_engine.writing.books import Book, label, safe_sheet_name, write_grid

if TYPE_CHECKING:
    from workbook_engine.outcome import TermOutcome


def class_grids(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """Mentor by student down the side, periods across, for every class that sent a workbook."""
    used = {n.lower() for n in book.wb.sheetnames}
    for f in outcome.merged.class_files:
        write_grid(book, outcome.compliance, f.class_name,
                   safe_sheet_name(label("grid_prefix", book.lang) + (f.class_name or ""), used), book.lang)
