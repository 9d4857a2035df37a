"""What the tests build and read, in one place: class workbooks and inboxes from the sample generator
(workbook_engine/writing/samples.py), the offices' assessment workbooks, and one reader of a sheet's rows.

A test says what its school is (how many classes, students and mentors, what it changes by hand); these
functions only write it the way the school's people would: each class workbook filled into the blank template,
the assessment workbook beside them, the school's settings as school.toml."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from tests.helpers.terms import term_dir
from workbook_engine.schema import ASSESSMENT_WORKBOOK
from workbook_engine.writing.samples import ClassData, fill_template, make_class, school_toml, write_assessment

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "blank_templates" / "班级学情工作簿.xlsx"
SAMPLE = ROOT / "sample_data"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def problems_of(report) -> set[tuple]:
    return {(p.sheet, p.cell, p.code) for p in report.problems}


def edit(path: Path, changes: Callable[[openpyxl.Workbook], object]) -> Path:
    """Apply changes(wb) with openpyxl, the way another program would, and save in place."""
    wb = openpyxl.load_workbook(path)
    changes(wb)
    wb.save(path)
    return path


# -- classes and inboxes -------------------------------------------------------------------------------------
def class_data(seed: int, grade_no: int = 7, class_no: int | None = None, *, students: int = 4, mentors: int = 1,
                until: dt.date, name: str | None = None, **kw: Any) -> ClassData:
    """samples.make_class(seed, grade_no, class_no) (class_no defaults to seed: 七年级<seed>班), a head teacher and
    `mentors` subject mentors; `name` renames the class as its teachers typed it."""
    data = make_class(seed, grade_no, seed if class_no is None else class_no, students=students, mentors=mentors,
                      until=until, **kw)
    if name is not None:
        data.class_name = name
    return data


def class_book(folder: Path, data: ClassData, file_name: str | None = None, template: Path = TEMPLATE) -> Path:
    """The class filled into the blank class template (or `template`, e.g. a book new-term wrote) at
    folder/file_name (default: the class's name)."""
    return fill_template(template, data, folder / (file_name or f"{data.class_name}.xlsx"))


def numbered_class(box: Path, no: int, *, until: dt.date, name: str | None = None, email: str | None = None,
                   file_name: str | None = None) -> Path:
    """七年级<no>班 (seed no): 4 students, a head teacher and one mentor, saved as box/class<no>.xlsx (or
    file_name); name renames the class, email replaces the e-mail of the mentor list's first row."""
    data = class_data(no, until=until, name=name)
    if email is not None:
        data.sheets["mentors"][0]["email"] = email
    return class_book(box, data, file_name or f"class{no}.xlsx")


def school_inbox(box: Path, classes: Sequence[ClassData], *, assessment: bool = False, toml: bool = True) -> Path:
    """An inbox as the office keeps it: each class's workbook under its class name, the assessment workbook
    (学校考核数据.xlsx, from the classes' rosters) when asked, and school.toml naming the classes."""
    box.mkdir(parents=True, exist_ok=True)
    for c in classes:
        class_book(box, c, template=getattr(c, "template", TEMPLATE))
    if assessment:
        write_assessment(list(classes), box / "学校考核数据.xlsx")
    if toml:
        (box / "school.toml").write_text(school_toml([c.class_name for c in classes]), encoding="utf-8")
    return box


# -- the offices' assessment workbooks -----------------------------------------------------------------------
def assessment_book(path: Path, rows: dict[str, list[list]]) -> Path:
    """An assessment workbook written from scratch: every table sheet but 四方评价 with its template headers,
    then the rows given by sheet key (satisfaction, deductions, grades, conduct …)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in ASSESSMENT_WORKBOOK.sheets:
        if spec.key == "four_party" or spec.layout != "table":
            continue
        ws = wb.create_sheet(spec.name)
        ws.append([c.template_header for c in spec.columns])
        for r in rows.get(spec.key, []):
            ws.append(r)
    wb.save(path)
    return path


def office_book(path: Path, office: str, fill: dt.date, rows: dict[str, list[list]]) -> Path:
    """assessment_book with a 填报信息 sheet in front: the office (填报部门) and its 填表日期, which decide how
    several offices' rows combine."""
    assessment_book(path, rows)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("填报信息", 0)
    for r in (["项目", "内容"], ["学校", "青年路中学"], ["学年", "2026-2027"], ["学期", "第一学期"],
              ["填报部门", office], ["填表日期", fill]):
        ws.append(r)
    wb.save(path)
    return path


# -- files as other programs (or attackers) write them --------------------------------------------------------
def rezip(src: Path, dst: Path, change: Callable[[str, bytes], Any]) -> Path:
    """Copy a zip part by part; change(name, data) returns new data, None to drop, or a list of (name, data)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            out = change(info.filename, zin.read(info.filename))
            if out is None:
                continue
            for name, data in (out if isinstance(out, list) else [(info.filename, out)]):
                zout.writestr(name, data)
    return dst


# -- reading what a run wrote --------------------------------------------------------------------------------
def rows(sheet: Worksheet | Path, name: str | None = None, *, min_row: int = 1, blank: bool = True,
         row: Callable[[Iterable[Any]], Any] = tuple) -> list:
    """The values of a sheet's rows, from min_row: a worksheet, or the sheet `name` of the workbook at a path
    (opened read-only and closed again). blank=False leaves out rows with no value; `row` makes each row
    (tuple, or list where a test compares with lists)."""
    if isinstance(sheet, Path):
        wb = openpyxl.load_workbook(sheet, read_only=True)
        try:
            return rows(wb[name], min_row=min_row, blank=blank, row=row)
        finally:
            wb.close()
    return [row(r) for r in sheet.iter_rows(min_row=min_row, values_only=True)
            if blank or any(v is not None for v in r)]


def records(path: Path, name: str) -> list[dict]:
    """The sheet's rows as {header: value} (a required column's * dropped from its header), blank rows left out."""
    head, *body = rows(path, name)
    keys = [str(h).rstrip("*") if h else h for h in head]
    return [dict(zip(keys, r)) for r in body if any(v is not None for v in r)]


def term_report(out: Path | str) -> dict:
    """The term's report.json in OUT."""
    return json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))
