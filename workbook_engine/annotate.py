"""Annotated copies: each problem cell filled red (error) or yellow (warning) with a comment, and a first
sheet listing every problem with a link to its cell. The input file is never touched."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.workbook import Workbook

from workbook_engine.celltext import append_row, cell_text, sheet_title, strip_not_xml
from workbook_engine.output import atomic_path
from workbook_engine.problems import Severity
from workbook_engine.reader import open_workbook
from workbook_engine.validate import FileReport

RED = PatternFill("solid", fgColor="FFC7CE")
YELLOW = PatternFill("solid", fgColor="FFEB9C")
LIST_SHEET = "问题清单"


def _load(report: FileReport) -> Workbook:
    """The input as an openpyxl workbook. An .xlsx is loaded as it is (its own formulas stay formulas, its
    text stays text, minus any character XML cannot carry); any other format is rebuilt from the values
    read, every text through celltext, so a cell's text never becomes a formula in the copy."""
    if report.format == "xlsx":
        wb = openpyxl.load_workbook(report.path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "s" and isinstance(cell.value, str):
                        cleaned = strip_not_xml(cell.value)
                        if cleaned != cell.value:
                            cell.value = cleaned
                            cell.data_type = "s"
        return wb
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    raw = open_workbook(report.path)
    try:
        for name in raw.sheet_names:
            ws = wb.create_sheet(sheet_title(name))
            for row in raw.sheet(name).rows:
                append_row(ws, row)
    finally:
        raw.close()
    return wb


def annotate(report: FileReport, out_dir: str | Path, lang: str = "zh") -> Path | None:
    """Write <name>.批注.xlsx into out_dir; None when the file could not be opened at all."""
    if report.unreadable:
        return None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wb = _load(report)
    listing = wb.create_sheet(LIST_SHEET, 0)
    headers = ["级别", "代码", "工作表", "单元格", "列", "值", "说明"] if lang != "en" else \
        ["severity", "code", "sheet", "cell", "column", "value", "message"]
    append_row(listing, headers)
    for cell in listing[1]:
        cell.font = Font(bold=True)
    comments: dict[tuple[str, str], list[str]] = {}
    for p in report.problems:
        severity = ("错误" if p.severity is Severity.ERROR else "警告") if lang != "en" else p.severity.value
        value = "" if p.value is None else str(p.value)
        append_row(listing, [severity, p.code, p.sheet or "", p.cell or "", p.column or "", value, p.message(lang)])
        row = listing.max_row
        if p.sheet and p.cell and p.sheet in wb.sheetnames:
            link = listing.cell(row, 4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{p.sheet}'!{p.cell}", display=p.cell)
            link.font = Font(color="0563C1", underline="single")
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
    widths = [8, 22, 14, 10, 14, 20, 60]
    for i, w in enumerate(widths):
        listing.column_dimensions[chr(65 + i)].width = w
    listing.freeze_panes = "A2"
    wb.active = 0
    target_path = out_dir / f"{report.path.stem}.批注.xlsx"
    with atomic_path(target_path) as tmp:
        wb.save(tmp)
    return target_path
