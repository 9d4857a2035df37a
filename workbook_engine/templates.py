"""The blank templates teachers fill, written from the schemas with xlsxwriter (files Excel opens cleanly).
Every text goes through celltext.write_text, the one cell-text path of every writer."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workbook_engine import TEMPLATE_VERSION
from workbook_engine.celltext import XLSXWRITER_OPTIONS, write_text
from workbook_engine.schema import ASSESSMENT_WORKBOOK, CLASS_WORKBOOK, MENTOR_WORKBOOK, SheetSpec, WorkbookSpec
from workbook_engine.settings import SETTINGS_TEMPLATE

TEMPLATE_ROWS = 2000  # rows that carry dropdowns and formats
FIXED_TIME = dt.datetime(2026, 9, 1, 8, 0, 0)  # templates are byte-for-byte reproducible
FONT = "等线"
SETTINGS_FILENAME = "school.toml"


def _formats(wb: Workbook) -> dict[str, object]:
    base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
    return {
        "title": wb.add_format({**base, "bold": True, "font_size": 16}),
        "head": wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "align": "center"}),
        "req": wb.add_format({**base, "bold": True, "bg_color": "#FCE4D6", "font_color": "#C00000", "border": 1,
                              "text_wrap": True, "align": "center"}),
        "text": wb.add_format({**base, "num_format": "@"}),
        "date": wb.add_format({**base, "num_format": "yyyy-mm-dd"}),
        "cell": wb.add_format({**base}),
        "wrap": wb.add_format({**base, "text_wrap": True, "valign": "top"}),
        "bold": wb.add_format({**base, "bold": True}),
        "sheethead": wb.add_format({**base, "bold": True, "font_size": 12, "bg_color": "#E2EFDA"}),
    }


def _page(ws: Worksheet, repeat_header: bool = True) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if repeat_header:
        ws.repeat_rows(0)


PRIVACY_NOTE = {
    "class": "4. 隐私：家长电话、备注、谈心内容、学生档案只留在本班文件中，学校汇总只统计次数和类别。",
    "mentor": "4. 隐私：谈心内容、家长联系内容、学生档案只用于本班反馈，学校汇总只统计次数和类别。",
    "assessment": "4. 扣分事由只用于考核，学校汇总中不显示原文。",
}


def _instructions(wb: Workbook, spec: WorkbookSpec, fmt: dict[str, object]) -> None:
    ws = wb.add_worksheet("说明")
    ws.set_column(0, 0, 20, fmt["cell"])
    ws.set_column(1, 1, 18, fmt["cell"])
    ws.set_column(2, 2, 70, fmt["wrap"])
    write_text(ws, 0, 0, spec.title + " 填写说明", fmt["title"])
    write_text(ws, 1, 0, f"模板版本：{TEMPLATE_VERSION}", fmt["bold"])
    lines = [
        "1. 每张工作表第一行是表头，带 * 的列必须填写；请不要改动表头文字（可以调整列的顺序、增加自己的列）。",
        "2. 有下拉箭头的单元格请从列表中选择；日期写成 2026-09-01 或 2026年9月1日。",
        "3. 学号、工号按文本填写，开头的 0 会保留。",
        PRIVACY_NOTE[spec.kind],
    ]
    if spec.kind == "mentor":
        lines.append("5. 每一行写明学生所在班级；导师工号可以不填（即本人）。同一条记录写在班级工作簿里也没关系，只计一次。")
    for i, line in enumerate(lines):
        write_text(ws, 2 + i, 0, line, fmt["cell"])
    row = 2 + len(lines) + 1
    write_text(ws, row, 0, "工作表", fmt["head"])
    write_text(ws, row, 1, "列", fmt["head"])
    write_text(ws, row, 2, "说明", fmt["head"])
    row += 1
    for sheet in spec.sheets:
        need = "（必需）" if sheet.required else "（可选）"
        write_text(ws, row, 0, sheet.name + need, fmt["sheethead"])
        write_text(ws, row, 1, "", fmt["sheethead"])
        write_text(ws, row, 2, sheet.help, fmt["sheethead"])
        row += 1
        for column in sheet.columns:
            write_text(ws, row, 0, "", fmt["cell"])
            write_text(ws, row, 1, column.template_header, fmt["cell"])
            extra = f"（可选值：{'、'.join(column.choices)}）" if column.choices else ""
            write_text(ws, row, 2, column.help + extra, fmt["wrap"])
            row += 1
    ws.freeze_panes(row - row, 0)
    _page(ws, repeat_header=False)


def _validation(ws: Worksheet, first: int, col: int, column, categories: list[str] | None) -> None:
    last = TEMPLATE_ROWS
    if column.choices:
        ws.data_validation(first, col, last, col, {
            "validate": "list", "source": list(column.choices),
            "input_title": column.header[:32], "input_message": ("请从下拉列表选择：" + "、".join(column.choices))[:255],
            "error_title": "输入有误", "error_message": ("请从下拉列表选择：" + "、".join(column.choices))[:255],
            "error_type": "warning",
        })
    elif column.kind == "date":
        ws.data_validation(first, col, last, col, {
            "validate": "date", "criteria": "between",
            "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2099, 12, 31),
            "input_title": column.header[:32], "input_message": "请输入日期，如 2026-09-01",
            "error_title": "日期有误", "error_message": "请输入日期，如 2026-09-01", "error_type": "warning",
        })
    elif column.kind == "multi" and categories:
        ws.data_validation(first, col, last, col, {
            "validate": "any", "input_title": column.header[:32],
            "input_message": ("可填多个，用“、”分隔：" + "、".join(categories))[:255],
        })
    elif column.kind == "number":
        ws.data_validation(first, col, last, col, {
            "validate": "decimal", "criteria": ">=", "value": 0,
            "input_title": column.header[:32], "input_message": "请输入数字",
            "error_title": "输入有误", "error_message": "请输入数字", "error_type": "warning",
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


def _table_sheet(wb: Workbook, sheet: SheetSpec, fmt: dict[str, object], categories: list[str],
                 rows: list[dict] | None = None) -> None:
    ws = wb.add_worksheet(sheet.name)
    for c, column in enumerate(sheet.columns):
        cell_fmt = fmt["text"] if column.kind == "id" else fmt["date"] if column.kind == "date" else fmt["cell"]
        ws.set_column(c, c, max(column.width, 2 * len(column.template_header) + 2), cell_fmt)
        write_text(ws, 0, c, column.template_header, fmt["req"] if column.required else fmt["head"])
        if column.help:
            ws.write_comment(0, c, column.help, {"author": "workbook-engine", "x_scale": 1.5})
        _validation(ws, 1, c, column, categories)
        for r, rec in enumerate(rows or [], start=1):
            _value(ws, r, c, rec.get(column.field), fmt)
    ws.set_row(0, 30)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, 0, len(sheet.columns) - 1)
    _page(ws)


def _keyvalue_sheet(wb: Workbook, sheet: SheetSpec, fmt: dict[str, object], info: dict | None = None) -> None:
    ws = wb.add_worksheet(sheet.name)
    ws.set_column(0, 0, 16, fmt["cell"])
    ws.set_column(1, 1, 30, fmt["cell"])
    ws.set_column(2, 2, 50, fmt["wrap"])
    write_text(ws, 0, 0, "项目", fmt["head"])
    write_text(ws, 0, 1, "内容", fmt["head"])
    write_text(ws, 0, 2, "说明", fmt["head"])
    for r, column in enumerate(sheet.columns, start=1):
        write_text(ws, r, 0, column.template_header, fmt["req"] if column.required else fmt["head"])
        ws.write_blank(r, 1, None, fmt["date"] if column.kind == "date" else fmt["text"])
        _value(ws, r, 1, (info or {}).get(column.field), fmt)
        write_text(ws, r, 2, column.help, fmt["wrap"])
        if column.choices:
            ws.data_validation(r, 1, r, 1, {"validate": "list", "source": list(column.choices),
                                            "input_title": column.header, "input_message": "请从下拉列表选择",
                                            "error_type": "warning"})
        elif column.kind == "date":
            ws.data_validation(r, 1, r, 1, {"validate": "date", "criteria": "between",
                                            "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2099, 12, 31),
                                            "input_title": column.header, "input_message": "请输入日期，如 2026-09-01",
                                            "error_type": "warning"})
    ws.freeze_panes(1, 0)
    _page(ws)


def write_workbook_template(spec: WorkbookSpec, path: Path, categories: list[str], info: dict | None = None,
                            rows: dict[str, list[dict]] | None = None) -> Path:
    """The blank template of spec; with `info` (the key-value sheet) and `rows` (sheet key -> records) the same
    book pre-filled, as new-term writes next term's books."""
    wb = xlsxwriter.Workbook(str(path), dict(XLSXWRITER_OPTIONS))
    wb.set_properties({"title": spec.title, "author": "workbook-engine", "created": FIXED_TIME,
                       "comments": f"模板版本 {TEMPLATE_VERSION}"})
    wb.set_custom_property("workbook-engine template", spec.kind)
    wb.set_custom_property("template version", TEMPLATE_VERSION)
    fmt = _formats(wb)
    _instructions(wb, spec, fmt)
    for sheet in spec.sheets:
        if sheet.layout == "keyvalue":
            _keyvalue_sheet(wb, sheet, fmt, info)
        else:
            _table_sheet(wb, sheet, fmt, categories, (rows or {}).get(sheet.key))
    wb.worksheets()[1].activate()
    wb.close()
    return path


def write_templates(directory: str | Path = "blank_templates") -> list[Path]:
    """Write the class workbook, the mentor workbook, the assessment workbook and a commented school.toml."""
    from workbook_engine.settings import Settings

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    categories = Settings().attention.categories
    written = [write_workbook_template(spec, out / spec.filename, categories)
               for spec in (CLASS_WORKBOOK, MENTOR_WORKBOOK, ASSESSMENT_WORKBOOK)]
    toml_path = out / SETTINGS_FILENAME
    toml_path.write_text(SETTINGS_TEMPLATE, encoding="utf-8")
    written.append(toml_path)
    return written
