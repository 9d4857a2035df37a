"""The two forms 《全员育人导师制实施方案》 names: 《学生发展共同体与全员导师制导师分工班级明细表》
(四、实施步骤), written by every run, one A4 page per class; and 《导师工作手册》 (七、考核评价), with
`run --handbooks`, one workbook per teacher holding that teacher's data alone. Expected figures are worked out by hand from how samples.make_class builds a class."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.builders import class_book, sheet_rows
from tests.helpers.office import SOFFICE
from tests.helpers.terms import term_dir, term_relative
from workbook_engine.cli import main
from workbook_engine.pipeline import run_inbox
from workbook_engine.publishing.layout import handbook_files
from workbook_engine.writing.samples import make_class, move_mentor

UNTIL = dt.date(2026, 10, 20)
T = "070101"  # mentors in 七年级1班 and, below, in 七年级2班 (in place of 070201)
FORM = "导师分工明细表_2026-2027第一学期.xlsx"
TITLE = "学生发展共同体与全员导师制导师分工班级明细表"


@pytest.fixture
def school(tmp_path):
    """Two classes of 6 students, a head teacher and 2 mentors each; T mentors in both.
    make_class pairs student s with mentor (s-1) % 2 + 1: students 1, 3, 5 with 01 and 2, 4, 6 with 02; their
    academic levels are 好 中 差 好 中 差 and their communities 1 2 3 4 5 1 (by (s-1) % 5 + 1)."""
    box = tmp_path / "inbox"
    box.mkdir()
    a = make_class(1, 7, 1, students=6, mentors=2, until=UNTIL)
    b = make_class(2, 7, 2, students=6, mentors=2, until=UNTIL)
    name = next(m["name"] for m in a.sheets["mentors"] if m["teacher_id"] == T)
    move_mentor(b, "070201", T, name)
    for data in (a, b):  # special attention set by hand: students 1 and 2 of each class, nobody else
        for i, s in enumerate(data.sheets["students"], start=1):
            s["attention"] = ["留守儿童"] if i <= 2 else []
    b.sheets["students"][4]["level"] = None  # 七年级2班 student 5 (T's) has no level
    class_book(box, a, "七年级1班.xlsx")
    class_book(box, b, "七年级2班.xlsx")
    return box, a, b, name


def test_assignment_form_one_sheet_per_class_in_the_forms_layout(school, tmp_path):
    box, a, _, name = school
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    wb = openpyxl.load_workbook(term_dir(result.out) / FORM)
    assert wb.sheetnames == ["七年级1班", "七年级2班"]
    ws = wb["七年级1班"]
    rows = sheet_rows(ws)
    assert rows[0][0] == TITLE
    head = next(m["name"] for m in a.sheets["mentors"] if m["role"] == "班主任")
    assert "班级：七年级1班" in rows[1][0] and f"班主任：{head}" in rows[1][0] and "2026-2027学年第一学期" in rows[1][0]
    assert rows[3] == ("序号", "导师", "工号", "任教学科", "角色", "共同体", "受导学生", "受导人数", "学业水平搭配",
                       "重点关注人数")
    students = a.sheets["students"]
    by_id = {m["teacher_id"]: m for m in a.sheets["mentors"]}
    # head teacher: no mentees; T: students 1, 3, 5 (好, 差, 中; communities 1, 3, 5; student 1 needs attention);
    # 070102: students 2, 4, 6 (中, 好, 差; communities 2, 4, 1; student 2 needs attention)
    assert rows[4] == (1, by_id["070100"]["name"], "070100", "语文", "班主任", None, None, 0, None, 0)
    assert rows[5] == (2, name, T, by_id[T]["subject"], "科任导师", "1、3、5",
                       "、".join(students[i]["name"] for i in (0, 2, 4)), 3, "好\xa01  中\xa01  差\xa01", 1)
    assert rows[6] == (3, by_id["070102"]["name"], "070102", by_id["070102"]["subject"], "科任导师", "1、2、4",
                       "、".join(students[i]["name"] for i in (1, 3, 5)), 3, "好\xa01  中\xa01  差\xa01", 1)
    assert rows[7] == ("合计", None, None, None, None, None, None, 6, "好\xa02  中\xa02  差\xa02", 2)  # 3 + 3; 1 + 1
    texts = [v for r in rows[8:] for v in r if v]
    assert any(v.startswith("班主任（签字）") for v in texts) and any(v.startswith("级部主任（签字）") for v in texts)
    # 七年级2班: T's student 5 has no level → counted apart
    rows2 = sheet_rows(wb["七年级2班"])
    assert rows2[5][2] == T and rows2[5][8] == "好\xa01  中\xa00  差\xa01  未填\xa01"
    # printed: A4, one page wide (fitToWidth absent means 1, OOXML's default) and as many tall as the class needs
    # (fitToHeight 0: a large class runs onto a second page rather than shrinking below 8 pt), title in the page
    # header, page numbers in the footer, the title, class line and header row repeated on every page
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert TITLE in ws.oddHeader.center.text and "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.print_title_rows == "$1:$4"


def test_forms_are_listed_in_report_outputs_and_handbooks_only_on_request(school, tmp_path):
    box, _, _, name = school
    plain = run_inbox(box, tmp_path / "plain", as_of=UNTIL)
    paths = [term_relative(o["path"]) for o in plain.report["outputs"]]
    assert FORM in paths and not any(p.startswith("导师手册/") for p in paths)
    assert not (term_dir(plain.out) / "导师手册").exists()
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL, handbooks=True)
    report = json.loads((term_dir(result.out) / "report.json").read_text(encoding="utf-8"))
    listed = {term_relative(o["path"]): o["sha256"] for o in report["outputs"]}
    # one handbook per teacher: 2 head teachers + 070102 + 070202 + T (once, for both classes) = 5
    books = sorted(p for p in listed if p.startswith("导师手册/"))
    assert books == sorted(["导师手册/070100_" + _teacher(result, "070100") + ".xlsx",
                            "导师手册/070102_" + _teacher(result, "070102") + ".xlsx",
                            "导师手册/070200_" + _teacher(result, "070200") + ".xlsx",
                            "导师手册/070202_" + _teacher(result, "070202") + ".xlsx",
                            f"导师手册/{T}_{name}.xlsx"])
    for rel in books + [FORM]:
        assert hashlib.sha256((term_dir(result.out) / rel).read_bytes()).hexdigest() == listed[rel]
    assert sorted(p.name for p in (term_dir(result.out) / "导师手册").iterdir()) == sorted(Path(b).name for b in books)


def _teacher(result, tid: str) -> str:
    return next(t["name"] for t in result.teachers if t["teacher_id"] == tid)


def test_a_teacher_in_two_classes_gets_one_handbook_with_only_their_data(school, tmp_path, start_method):
    """(Handbooks are shared between forked children where the platform allows: the same under spawn.)"""
    box, a, b, name = school
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL, handbooks=True)
    wb = openpyxl.load_workbook(term_dir(result.out) / f"导师手册/{T}_{name}.xlsx")
    assert wb.sheetnames == ["基本信息", "受导学生", "谈心记录", "家长联系", "谈话月度汇总", "达标与得分"]
    cover = {r[0]: r[1] for r in sheet_rows(wb["基本信息"]) if r[0] and r[1] is not None}
    assert cover["工号"] == T and cover["姓名"] == name and cover["任导班级"] == "七年级1班、七年级2班"
    assert cover["受导人数"] == 6  # 3 in each class
    mine = [(d.class_name, s) for d in (a, b) for s in d.sheets["students"] if s["mentor_id"] == T]
    mentees = sheet_rows(wb["受导学生"])[1:]
    assert [(r[0], r[1], r[2]) for r in mentees] == [(c, s["student_id"], s["name"]) for c, s in mine]
    # every talk and parent contact T recorded, in both classes, and no one else's
    talks = [(d.class_name, t["student_id"], t["date"]) for d in (a, b) for t in d.sheets["talks"] if t["teacher_id"] == T]
    got = [(r[0], r[2], r[1].date()) for r in sheet_rows(wb["谈心记录"])[1:]]
    assert sorted(got) == sorted(talks) and len(talks) > 20
    contacts = [(d.class_name, c["student_id"]) for d in (a, b) for c in d.sheets["contacts"] if c["teacher_id"] == T]
    assert sorted((r[0], r[2]) for r in sheet_rows(wb["家长联系"])[1:]) == sorted(contacts)
    # the monthly summary: T's talks per class and month add up to all of T's talks
    months = sheet_rows(wb["谈话月度汇总"])[1:]
    assert {r[0] for r in months} == {"七年级1班", "七年级2班"} and sum(r[2] for r in months) == len(talks)
    score = sheet_rows(wb["达标与得分"])  # (a card: the figures down column A, a column per class)
    assert score[0] == ("班级", "七年级1班", "七年级2班") and score[1] == ("工号", T, T)
    # scan every cell of every sheet: no other teacher's 工号 or name, no student who is not T's mentee
    others = {m["teacher_id"] for d in (a, b) for m in d.sheets["mentors"]} - {T}
    other_names = {m["name"] for d in (a, b) for m in d.sheets["mentors"] if m["teacher_id"] != T} - {name}
    own_ids = {s["student_id"] for _, s in mine}
    own_names = {s["name"] for _, s in mine}
    other_students = {s["student_id"] for d in (a, b) for s in d.sheets["students"]} - own_ids
    other_student_names = {s["name"] for d in (a, b) for s in d.sheets["students"]} - own_names
    parents = {s["parent_name"] for d in (a, b) for s in d.sheets["students"]} - own_names
    phones = {s["parent_phone"] for d in (a, b) for s in d.sheets["students"]}
    forbidden = others | other_names | other_students | other_student_names | parents | phones
    assert len(others) == 4 and len(other_students) == 6
    cells = [str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r if v is not None]
    cells += [ws.oddHeader.center.text or "" for ws in wb.worksheets]
    leaks = {f for f in forbidden for c in cells if f and f in c}
    assert not leaks


def test_handbook_files_are_safe_and_never_collide():
    files = handbook_files([("T1", "李明"), ("t1", "李明"), ("0701", "王/老师"), ("0702", None)])
    # T1_李明 and t1_李明 are one name to Windows and macOS: both get a suffix from their own text's hash
    assert files["T1"] == f"导师手册/T1_李明-{hashlib.sha256('T1_李明'.encode()).hexdigest()[:6]}.xlsx"
    assert files["t1"] == f"导师手册/t1_李明-{hashlib.sha256('t1_李明'.encode()).hexdigest()[:6]}.xlsx"
    # a separator is replaced (and marked with the hash); a teacher without a name is filed by 工号
    assert files["0701"] == f"导师手册/0701_王_老师-{hashlib.sha256('0701_王/老师'.encode()).hexdigest()[:6]}.xlsx"
    assert files["0702"] == "导师手册/0702.xlsx"
    # the same teacher gets the same file in whatever order
    assert handbook_files(reversed([("T1", "李明"), ("t1", "李明"), ("0701", "王/老师"), ("0702", None)])) == files


def test_cli_run_handbooks_flag(school, tmp_path, capsys):
    box, _, _, name = school
    out = tmp_path / "out"
    code = main(["run", str(box), "--out", str(out), "--as-of", UNTIL.isoformat(), "--handbooks"])
    assert code == 0
    assert (term_dir(out) / f"导师手册/{T}_{name}.xlsx").is_file() and (term_dir(out) / FORM).is_file()
    assert f"导师手册/{T}_{name}.xlsx" in capsys.readouterr().out.replace("\\", "/")




@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or shutil.which("pdfinfo") is None, reason="LibreOffice or pdfinfo not installed")
def test_assignment_form_prints_one_page_per_class(tmp_path):
    """Three classes, one of them large (45 students, 8 mentors: a long mentee list per row): LibreOffice
    prints the form on exactly 3 pages."""
    box = tmp_path / "inbox"
    box.mkdir()
    for seed, no, students, mentors in ((1, 1, 6, 2), (2, 2, 45, 8), (3, 3, 30, 5)):
        class_book(box, make_class(seed, 3, no, students=students, mentors=mentors, until=UNTIL),
                   f"3年级{no}班.xlsx")
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    pdf_dir = tmp_path / "pdf"
    src = pdf_dir / "form.xlsx"
    pdf_dir.mkdir()
    shutil.copy(term_dir(result.out) / FORM, src)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                    "--outdir", str(pdf_dir), str(src)], capture_output=True, timeout=300, check=False)
    info = subprocess.run(["pdfinfo", str(pdf_dir / "form.pdf")], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1)) == 3
    fonts = subprocess.run(["pdffonts", str(pdf_dir / "form.pdf")], capture_output=True, text=True, check=True).stdout
    assert any(k in fonts for k in ("CJK", "Noto Sans SC", "WenQuanYi", "Droid Sans Fallback")), fonts
    text = subprocess.run(["pdftotext", "-layout", str(pdf_dir / "form.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    for no, page in zip((1, 2, 3), pages):  # each page is its own class's, with the signature lines
        assert f"三年级{no}班" in page and "班主任（签字）" in page and "级部主任（签字）" in page


def test_a_phone_number_typed_into_a_name_is_masked_in_the_office_form(tmp_path):
    """The 明细表 goes to the office: like the summary, a phone number typed into a cell is masked."""
    box = tmp_path / "inbox"
    box.mkdir()
    data = make_class(1, 7, 1, students=4, mentors=1, until=UNTIL)
    data.sheets["students"][0]["name"] = "张三 13912345678"
    class_book(box, data, "七年级1班.xlsx")
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    cells = [str(v) for r in sheet_rows(term_dir(result.out) / FORM, "七年级1班") for v in r if v]
    assert not any("13912345678" in c for c in cells)
    assert any(c.startswith("张三 ***") for c in cells)  # student 1 is the only mentor's first mentee
