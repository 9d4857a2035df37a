"""What the tests build and read, in one place: class workbooks and inboxes from the sample generator
(workbook_engine/writing/samples.py), the offices' assessment workbooks, and one reader of a sheet's rows.

A test says what its school is (how many classes, students and mentors, what it changes by hand); these
functions only write it the way the school's people would: each class workbook filled into the blank template,
the assessment workbook beside them, the school's settings as school.toml."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable, Iterable, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from tests.helpers.terms import term_dir
from workbook_engine.cli import main
from workbook_engine.schema import ASSESSMENT_WORKBOOK
from workbook_engine.writing import samples
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


# -- the ledger's school over two terms: 七年级9班 and 九年级1班, which graduates ----------------------------
LEDGER = "学校台账.sqlite"
T1_END = dt.date(2026, 10, 20)
T2 = {"TERM": "第二学期", "TERM_START": dt.date(2027, 2, 22), "TERM_END": dt.date(2027, 7, 9), "HOLIDAYS": [],
      "WORKDAYS": []}
T2_END = dt.date(2027, 4, 20)


def term1_class():
    """七年级9班: 8 students, 班主任 070900 and mentors 070901/070902 (students alternate between them), every talk
    and contact made; student 3 转出 on 2026-10-01; a third mentor 070903 离岗 without students; student 1 a
    special-attention student (留守儿童) with two archive entries (free text, 转化情况 稳定)."""
    c = make_class(3, 7, 9, students=8, mentors=2, until=T1_END, talk_rate=1.0, contact_rate=1.0)
    c.sheets["mentors"].append({"teacher_id": "070903", "name": "离岗老师", "role": "科任导师", "status": "离岗"})
    st = c.sheets["students"]
    for s in st:
        s["attention"] = []
    st[0]["attention"] = ["留守儿童"]
    st[2]["status"], st[2]["left_on"] = "转出", dt.date(2026, 10, 1)
    c.sheets["archive"] = [
        {"student_id": st[0]["student_id"], "date": dt.date(2026, 9, 15), "family": "父母在外务工由奶奶照顾",
         "highlights": "乐于助人爱劳动", "transformation": "稳定"},
        {"student_id": st[0]["student_id"], "date": dt.date(2026, 10, 15), "family": "父母在外务工由奶奶照顾",
         "transformation": "好转"}]
    return c


def graduating_class():
    """九年级1班: 4 students, 班主任 090100 and mentors 090101/090102."""
    return make_class(3, 9, 1, students=4, mentors=2, until=T1_END, talk_rate=1.0, contact_rate=1.0)


def write_inbox(inbox: Path, classes, drop_grade: str | None = None, blank_previous: tuple[str, ...] = ()) -> None:
    """The inbox afresh: the classes, the assessment workbook without drop_grade's 成绩 row and with the 上学期成绩
    of blank_previous's students blank, and school.toml."""
    if inbox.exists():
        shutil.rmtree(inbox)
    school_inbox(inbox, classes, assessment=True)
    path = inbox / "学校考核数据.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["成绩"]
    for row in list(ws.iter_rows(min_row=2)):
        if row[0].value == drop_grade:
            ws.delete_rows(row[0].row)
        elif row[0].value in blank_previous:
            row[3].value = None
    wb.save(path)


def term2_inbox(tmp_path: Path, out: Path, monkeypatch, change_mentor: bool = True, config: Sequence[str] = (),
                **kw: Any) -> Path:
    """new-term books for 2026-2027 第二学期, filled with the sample generator's term-2 records; student 2 moved
    from mentor 070902 to 070901 without a 结对变更 row (unless change_mentor is false); config: new-term's settings options (--config …), as
    the run had them."""
    books = tmp_path / "books2"
    assert main(["new-term", str(out), "--to", str(books), *config]) == 0
    with monkeypatch.context() as m:
        for k, v in T2.items():
            m.setattr(samples, k, v)
        c = make_class(3, 7, 9, students=8, mentors=2, until=T2_END, talk_rate=1.0, contact_rate=1.0)
        c.sheets["students"] = [s for s in c.sheets["students"] if s["student_id"] != "2026070903"]  # 转出 last term
        for s in c.sheets["students"]:
            s["attention"] = ["留守儿童"] if s["student_id"] == "2026070901" else []
        if change_mentor:
            moved = c.sheets["students"][1]
            assert moved["student_id"] == "2026070902" and moved["mentor_id"] == "070902"
            moved["mentor_id"] = "070901"
        c.template = books / "班级学情工作簿" / "七年级9班.xlsx"  # the new-term book, filled as a teacher would
        inbox = tmp_path / "in2"
        write_inbox(inbox, [c], **kw)
    return inbox


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
def sheet_rows(sheet: Worksheet | Path, name: str | None = None, *, min_row: int = 1, blank: bool = True,
         row: Callable[[Iterable[Any]], Any] = tuple) -> list:
    """The values of a sheet's rows, from min_row: a worksheet, or the sheet `name` of the workbook at a path
    (opened read-only and closed again). blank=False leaves out rows with no value; `row` makes each row
    (tuple, or list where a test compares with lists)."""
    if isinstance(sheet, Path):
        wb = openpyxl.load_workbook(sheet, read_only=True)
        try:
            return sheet_rows(wb[name], min_row=min_row, blank=blank, row=row)
        finally:
            wb.close()
    return [row(r) for r in sheet.iter_rows(min_row=min_row, values_only=True)
            if blank or any(v is not None for v in r)]


def sheet_records(path: Path, name: str) -> list[dict]:
    """The sheet's rows as {header: value} (a required column's * dropped from its header), blank rows left out."""
    head, *body = sheet_rows(path, name)
    keys = [str(h).rstrip("*") if h else h for h in head]
    return [dict(zip(keys, r)) for r in body if any(v is not None for v in r)]


def term_report(out: Path | str) -> dict:
    """The term's report.json in OUT."""
    return json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))


# -- mail as the school's teachers send it ------------------------------------------------------------------
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def mail_with(attachment: bytes | None, filename: str, subject: str = "七年级9班学情记录",
              sender: str = "王老师 <wang@example.edu.cn>", message_id: str = "<a1@example.edu.cn>") -> bytes:
    """A teacher's mail to the office with the workbook attached under filename (no attachment when None)."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "jwc@example.edu.cn", subject
    msg["Date"], msg["Message-ID"] = "Mon, 19 Oct 2026 08:30:00 +0800", message_id
    msg.set_content("请查收本班学情记录。")
    if attachment is not None:
        msg.add_attachment(attachment, maintype="application", subtype=XLSX.split("/")[1], filename=filename)
    return msg.as_bytes()
