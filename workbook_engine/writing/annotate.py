"""Annotated copies: each problem cell filled red (error) or yellow (warning) with a comment, and a first
sheet listing every problem with a link to its cell. The input file is never touched."""
from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink

from workbook_engine.catalogue import t
from workbook_engine.files import atomic_path, shown_name
from workbook_engine.model import CODES, FileReport, Severity
from workbook_engine.reading.celltext import append_row, cell_text, put, sheet_title
from workbook_engine.reading.reader import open_workbook
from workbook_engine.writing.stable_save import save_openpyxl
from workbook_engine.writing.paper import PageText, openpyxl_page
from workbook_engine.writing.sheet import text_width
from workbook_engine.writing.styles import COLOURS, openpyxl_fill

RED = openpyxl_fill("missed")
YELLOW = openpyxl_fill("warn")


def editable_copy(path: Path, fmt: str | None) -> Workbook:
    """The workbook as openpyxl can edit it, for a copy (the input is never touched). An .xlsx is loaded as
    it is (formatting and its own formulas kept). Any other format, or an .xlsx openpyxl cannot parse (text
    holding a character XML does not allow, which other readers accept), is rebuilt from the values read,
    every text through celltext: a cell's text never becomes a formula in the copy."""
    if fmt == "xlsx":
        try:
            return _without_formulas(_load(path), path)
        except Exception:
            pass
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    raw = open_workbook(path)
    try:
        for name in raw.sheet_names:
            ws = wb.create_sheet(sheet_title(name))
            for row in raw.sheet(name).rows:
                append_row(ws, row)
    finally:
        raw.close()
    return wb


def _load(path: Path, data_only: bool = False) -> Workbook:
    """openpyxl's reading of a user's workbook, its warnings kept off the console: what it drops (an Excel
    data-validation extension, an unknown part) is openpyxl's notice to a programmer, not the user's business."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(path, data_only=data_only)


def _without_formulas(wb: Workbook, path: Path) -> Workbook:
    """Every formula cell of the user's workbook replaced by the value it was saved with (or, where none was
    saved, its text as text): a copy the engine writes never carries a live formula (=HYPERLINK, =DDE …)."""
    cached = None
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    if cached is None:
                        cached = _load(path, data_only=True)
                    value = cached[ws.title][cell.coordinate].value
                    put(cell, value if value is not None else str(cell.value))
    return wb


LIST_KEYS = ["severity", "sheet", "cell", "column", "value", "message", "category", "code"]
LIST_WIDTHS = [7, 12, 8, 14, 16, 50, 10, 24]  # 141 wide: one landscape A4 page at about 100%


def annotate(report: FileReport, out_dir: str | Path, lang: str = "zh", taken: set[str] | None = None
             ) -> Path | None:
    """Write <name>.批注.xlsx into out_dir; None when the file could not be opened at all or has no
    problems (a copy without marks would only be noise)."""
    if report.unreadable or not report.problems:
        return None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wb = editable_copy(report.path, report.format)
    listing = wb.create_sheet(t("annotate.sheet", lang), 0)
    append_row(listing, [t("annotate.col." + k, lang) for k in LIST_KEYS])
    header_fill = openpyxl_fill("header")
    for cell in listing[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    comments: dict[tuple[str, str], list[str]] = {}
    for p in report.problems:
        value = "" if p.value is None else str(p.value)
        append_row(listing, [t("severity." + p.severity.value, lang), p.sheet or "", p.cell or "", p.column or "",
                             value, p.message(lang), t("category." + CODES[p.code].category, lang), p.code])
        row = listing.max_row
        lines = 1
        for col in (4, 5, 6):
            listing.cell(row, col).alignment = wrap
            text = listing.cell(row, col).value
            if isinstance(text, str):
                lines = max(lines, -(-text_width(text) // (LIST_WIDTHS[col - 1] - 1)))
        if lines > 1:  # (no reader computes wrapped heights for a file it did not lay out itself)
            listing.row_dimensions[row].height = 15 * lines
        if p.sheet and p.cell and p.sheet in wb.sheetnames:
            link = listing.cell(row, 3)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{p.sheet}'!{p.cell}", display=p.cell)
            link.font = Font(color=COLOURS["link"], underline="single")
            ws = wb[p.sheet]
            target = ws[p.cell]
            if type(target).__name__ == "MergedCell":
                continue
            current = comments.get((p.sheet, p.cell))
            fill = RED if p.severity is Severity.ERROR else YELLOW
            if current is None or fill is RED:
                target.fill = fill
            comments.setdefault((p.sheet, p.cell), []).append(p.message(lang))
    for (sheet, ref), messages in comments.items():
        comment = Comment(cell_text("\n".join(messages)), "workbook-engine")
        comment.width, comment.height = 300, 40 + 20 * len(messages)
        wb[sheet][ref].comment = comment
    for i, w in enumerate(LIST_WIDTHS):
        listing.column_dimensions[chr(65 + i)].width = w
    listing.freeze_panes = "A2"
    listing.print_title_rows = "1:1"
    page = PageText(t("book.annotated", lang, name=shown_name(report.path.name)), footnote=t("annotate.footnote", lang), lang=lang)
    for ws in wb.worksheets:
        openpyxl_page(ws, page, LIST_WIDTHS if ws is listing else None)
    wb.active = 0
    name = f"{report.path.stem}.批注.xlsx"
    if taken is not None:  # files of one name from two folders (or x.ods beside x.xls) keep their own copies
        n = 2
        while name.casefold() in taken:
            name, n = f"{report.path.stem}({n}).批注.xlsx", n + 1
        taken.add(name.casefold())
    target_path = out_dir / name
    with atomic_path(target_path) as tmp:
        save_openpyxl(wb, tmp)
    return target_path
