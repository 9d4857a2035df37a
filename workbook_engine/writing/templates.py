"""The blank templates teachers fill, written from the schemas with xlsxwriter (files Excel opens cleanly).
Every text goes through celltext.write_text, the one cell-text path of every writer."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workbook_engine import TEMPLATE_VERSION
from workbook_engine.catalogue import t
from workbook_engine.files import UMASK
from workbook_engine.reading.celltext import XLSXWRITER_OPTIONS, write_text
from workbook_engine.schema import ASSESSMENT_WORKBOOK, CLASS_WORKBOOK, MENTOR_WORKBOOK, SheetSpec, WorkbookSpec
from workbook_engine.settings import Settings, settings_template
from workbook_engine.writing.paper import PageText, fit_widths, xlsxwriter_page
from workbook_engine.writing.sheet import text_width
from workbook_engine.writing.styles import XlsxFormats

TEMPLATE_ROWS = 2000  # rows that carry dropdowns and formats
FIXED_TIME = dt.datetime(2026, 9, 1, 8, 0, 0)  # templates are byte-for-byte reproducible
SETTINGS_FILENAME = "school.toml"


TEMPLATE_STYLES = {  # the names this module uses -> the registry's styles (styles.py)
    "title": "template.title", "head": "header", "req": "template.required", "text": "text",
    "date": "date", "cell": "cell", "wrap": "wrap", "bold": "template.bold", "sheethead": "template.sheet_head",
    "sheethead_wrap": "template.sheet_head_wrap", "text_ruled": "template.text_ruled",
    "date_ruled": "template.date_ruled", "cell_ruled": "template.cell_ruled", "text_box": "template.text_box",
    "date_box": "template.date_box",
}


def _formats(wb: Workbook) -> dict[str, object]:
    formats = XlsxFormats(wb)
    return {short: formats[name] for short, name in TEMPLATE_STYLES.items()}


RULED_ROWS = 25  # ruled rows printed on every record sheet, to fill in by hand


def _page(ws: Worksheet, spec: WorkbookSpec, widths: list[float], lang: str, repeat_header: bool = True) -> None:
    """A4, orientation by width, one page wide, header (template · sheet) and footer (version · page x of y)."""
    page = PageText(template_title(spec, lang), footnote=t("paper.template_footer", lang, version=TEMPLATE_VERSION),
                    lang=lang)
    xlsxwriter_page(ws, page, widths)
    if repeat_header:
        ws.repeat_rows(0)


def template_title(spec: WorkbookSpec, lang: str) -> str:
    return t("kind." + spec.kind, lang).capitalize() if lang == "en" else spec.title


def _instructions(wb: Workbook, spec: WorkbookSpec, fmt: dict[str, object], lang: str) -> None:
    ws = wb.add_worksheet(t("tpl.sheet", lang) if lang == "en" else "说明")
    widths = [16.0, 18.0, 62.0]  # 96: one portrait page
    for c, w in enumerate(widths):
        ws.set_column(c, c, w, fmt["wrap"] if c == 2 else fmt["cell"])
    write_text(ws, 0, 0, t("tpl.title", lang, title=template_title(spec, lang)), fmt["title"])
    write_text(ws, 1, 0, t("tpl.version", lang, version=TEMPLATE_VERSION), fmt["bold"])
    lines = [t("tpl.line1", lang), t("tpl.line2", lang), t("tpl.line3", lang), t("tpl.privacy." + spec.kind, lang)]
    if spec.kind == "mentor":
        lines.append(t("tpl.line_mentor", lang))
    for i, line in enumerate(lines):
        ws.merge_range(2 + i, 0, 2 + i, 2, "", fmt["wrap"])
        write_text(ws, 2 + i, 0, line, fmt["wrap"])
        ws.set_row(2 + i, 16 * max(1, -(-text_width(line) // int(sum(widths) - 4))) + 2)
    row = 2 + len(lines) + 1
    write_text(ws, row, 0, t("tpl.col.sheet", lang), fmt["head"])
    write_text(ws, row, 1, t("tpl.col.column", lang), fmt["head"])
    write_text(ws, row, 2, t("tpl.col.help", lang), fmt["head"])
    row += 1
    for sheet in spec.sheets:
        need = t("tpl.required" if sheet.required else "tpl.optional", lang)
        write_text(ws, row, 0, sheet.name + need, fmt["sheethead"])
        write_text(ws, row, 1, "", fmt["sheethead"])
        write_text(ws, row, 2, sheet.help, fmt["sheethead_wrap"])
        row += 1
        for column in sheet.columns:
            write_text(ws, row, 0, "", fmt["cell"])
            write_text(ws, row, 1, column.template_header, fmt["cell"])
            extra = t("tpl.choices", lang, choices="、".join(column.choices)) if column.choices else ""
            write_text(ws, row, 2, column.help + extra, fmt["wrap"])
            row += 1
    ws.freeze_panes(row - row, 0)
    _page(ws, spec, widths, lang, repeat_header=False)


def _validation(ws: Worksheet, first: int, col: int, column, categories: list[str] | None, lang: str = "zh") -> None:
    last = TEMPLATE_ROWS
    if column.choices:
        ws.data_validation(first, col, last, col, {
            "validate": "list", "source": list(column.choices),
            "input_title": column.header[:32], "input_message": t("tpl.pick", lang, choices="、".join(column.choices))[:255],
            "error_title": t("tpl.wrong", lang), "error_message": t("tpl.pick", lang, choices="、".join(column.choices))[:255],
            "error_type": "warning",
        })
    elif column.kind == "date":
        ws.data_validation(first, col, last, col, {
            "validate": "date", "criteria": "between",
            "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2099, 12, 31),
            "input_title": column.header[:32], "input_message": t("tpl.date", lang),
            "error_title": t("tpl.bad_date", lang), "error_message": t("tpl.date", lang), "error_type": "warning",
        })
    elif column.kind == "multi" and categories:
        ws.data_validation(first, col, last, col, {
            "validate": "any", "input_title": column.header[:32],
            "input_message": t("tpl.multi", lang, choices="、".join(categories))[:255],
        })
    elif column.kind == "number":
        ws.data_validation(first, col, last, col, {
            "validate": "decimal", "criteria": ">=", "value": 0,
            "input_title": column.header[:32], "input_message": t("tpl.number", lang),
            "error_title": t("tpl.wrong", lang), "error_message": t("tpl.number", lang), "error_type": "warning",
        })


def _value(ws: Worksheet, row: int, col: int, value: object, fmt: dict[str, object]) -> None:
    """A pre-filled cell (new-term): text through celltext, dates as dates, numbers as numbers."""
    if value is None or value == "" or value == []:
        return
    if isinstance(value, list):
        value = "、".join(map(str, value))
    if isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt["date"])
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt["cell"])
    else:
        write_text(ws, row, col, value, fmt["text"])


def _table_sheet(wb: Workbook, spec: WorkbookSpec, sheet: SheetSpec, fmt: dict[str, object], categories: list[str],
                 lang: str, rows: list[dict] | None = None) -> None:
    """A record sheet: its header, then RULED_ROWS ruled rows printed to write in by hand (new-term: the
    records given first)."""
    ws = wb.add_worksheet(sheet.name)
    wanted = [max(column.width, 2 * len(column.template_header) + 2) for column in sheet.columns]
    floors = [w if column.kind in ("date", "id") else 6 for w, column in zip(wanted, sheet.columns)]
    widths, _ = fit_widths(wanted, floors)  # a wide sheet's text columns narrower: the page stays above 8 pt
    for c, column in enumerate(sheet.columns):
        kind = "text" if column.kind == "id" else "date" if column.kind == "date" else "cell"
        ws.set_column(c, c, widths[c], fmt[kind])
        write_text(ws, 0, c, column.template_header, fmt["req"] if column.required else fmt["head"])
        for r in range(1, RULED_ROWS + 1):
            ws.write_blank(r, c, None, fmt[kind + "_ruled"])
        if column.help:
            ws.write_comment(0, c, column.help, {"author": "workbook-engine", "x_scale": 1.5})
        _validation(ws, 1, c, column, categories, lang)
        for r, rec in enumerate(rows or [], start=1):
            _value(ws, r, c, rec.get(column.field), fmt)
    ws.set_row(0, max(30, 15 * max(-(-text_width(c.template_header) // max(int(w) - 1, 1))
                                     for c, w in zip(sheet.columns, widths)) + 4))
    for r in range(1, RULED_ROWS + 1):
        ws.set_row(r, 18)  # 25 rows and the header fit one landscape page
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, 0, len(sheet.columns) - 1)
    _page(ws, spec, widths, lang)


def _keyvalue_sheet(wb: Workbook, spec: WorkbookSpec, sheet: SheetSpec, fmt: dict[str, object], lang: str,
                    info: dict | None = None) -> None:
    """班级信息 / 基本信息: one boxed cell to fill in beside each item, its help to the right (new-term: filled)."""
    ws = wb.add_worksheet(sheet.name)
    widths = [16.0, 30.0, 50.0]
    ws.set_column(0, 0, widths[0], fmt["cell"])
    ws.set_column(1, 1, widths[1], fmt["cell"])
    ws.set_column(2, 2, widths[2], fmt["wrap"])
    write_text(ws, 0, 0, t("tpl.item", lang), fmt["head"])
    write_text(ws, 0, 1, t("tpl.value", lang), fmt["head"])
    write_text(ws, 0, 2, t("tpl.col.help", lang), fmt["head"])
    for r, column in enumerate(sheet.columns, start=1):
        write_text(ws, r, 0, column.template_header, fmt["req"] if column.required else fmt["head"])
        ws.write_blank(r, 1, None, fmt["date_box"] if column.kind == "date" else fmt["text_box"])
        _value(ws, r, 1, (info or {}).get(column.field), fmt)
        write_text(ws, r, 2, column.help, fmt["wrap"])
        ws.set_row(r, 24)
        if column.choices:
            ws.data_validation(r, 1, r, 1, {"validate": "list", "source": list(column.choices),
                                            "input_title": column.header, "input_message": t("tpl.pick_short", lang),
                                            "error_type": "warning"})
        elif column.kind == "date":
            ws.data_validation(r, 1, r, 1, {"validate": "date", "criteria": "between",
                                            "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2099, 12, 31),
                                            "input_title": column.header, "input_message": t("tpl.date", lang),
                                            "error_type": "warning"})
    ws.freeze_panes(1, 0)
    _page(ws, spec, widths, lang)


def write_workbook_template(spec: WorkbookSpec, path: Path, categories: list[str], lang: str = "zh",
                            info: dict | None = None, rows: dict[str, list[dict]] | None = None) -> Path:
    """The blank template of spec; with `info` (the key-value sheet) and `rows` (sheet key -> records) the same
    book pre-filled, as new-term writes next term's books."""
    wb = xlsxwriter.Workbook(str(path), dict(XLSXWRITER_OPTIONS))
    wb.set_properties({"title": spec.title, "author": "workbook-engine", "created": FIXED_TIME,
                       "comments": t("tpl.version", lang, version=TEMPLATE_VERSION)})
    wb.set_custom_property("workbook-engine template", spec.kind)
    wb.set_custom_property("template version", TEMPLATE_VERSION)
    fmt = _formats(wb)
    _instructions(wb, spec, fmt, lang)
    for sheet in spec.sheets:
        if sheet.layout == "keyvalue":
            _keyvalue_sheet(wb, spec, sheet, fmt, lang, info)
        else:
            _table_sheet(wb, spec, sheet, fmt, categories, lang, (rows or {}).get(sheet.key))
    wb.worksheets()[1].activate()
    wb.close()
    return path


def new_name(path: Path) -> Path:
    """Where a template goes when an edited file of that name is kept: school.toml.new, 班级学情工作簿.new.xlsx."""
    return path.with_name(path.name + ".new") if path.suffix == ".toml" else path.with_name(f"{path.stem}.new{path.suffix}")


def place_new(tmp: Path, target: Path, force: bool, kept: list[tuple[Path, Path]]) -> Path:
    """Move a freshly written template to target, unless a different file is there (someone's edits): then
    it goes beside it under new_name(target), and (target, new) is added to kept. force overwrites."""
    if target.exists() and not force and target.read_bytes() != tmp.read_bytes():
        new = new_name(target)
        os.replace(tmp, new)
        kept.append((target, new))
        return new
    os.replace(tmp, target)
    return target


def write_templates(directory: str | Path = "blank_templates", lang: str = "zh", force: bool = False,
                    kept: list[tuple[Path, Path]] | None = None) -> list[Path]:
    """Write the class workbook, the mentor workbook, the assessment workbook and a commented school.toml.
    An existing file that differs (an edited school.toml) is never overwritten unless force: the new one is
    written beside it (school.toml.new) and the pair is added to `kept`. lang="en" writes the instructions,
    input messages and page texts in English; sheet names and headers stay as the validator reads them."""
    kept = kept if kept is not None else []
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    categories = Settings().attention.categories
    written = []
    for spec in (CLASS_WORKBOOK, MENTOR_WORKBOOK, ASSESSMENT_WORKBOOK):
        target = out / spec.filename
        tmp = out / f".tmp-{spec.filename}"
        try:
            write_workbook_template(spec, tmp, categories, lang)
            os.chmod(tmp, 0o666 & ~UMASK)  # as files.atomic_path leaves a file
            written.append(place_new(tmp, target, force, kept))
        finally:
            if tmp.exists():
                tmp.unlink()
    toml_path = out / SETTINGS_FILENAME
    tmp = out / f".tmp-{SETTINGS_FILENAME}"
    tmp.write_text(settings_template(lang), encoding="utf-8")
    written.append(place_new(tmp, toml_path, force, kept))
    return written
