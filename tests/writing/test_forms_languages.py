"""The two named forms and `assign` in the language asked for: the 导师分工明细表, the 导师工作手册 and assign's
分配说明 say everything in English with --lang en (what users typed excepted) and in Chinese by default; no Chinese
literal is left in forms.py or assign.py but the words the workbooks' readers parse. And the 明细表 on paper: a
large class prints at full size, running onto a second page with its heading rows repeated and the signature lines
at its end, never below 8 pt. Expected figures are worked out by hand from how samples.make_class builds a class."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest

from tests.builders import class_book, sheet_rows
from tests.helpers.han import HAN, han_literals
from tests.helpers.office import SOFFICE, WORD
from tests.helpers.terms import term_dir
from workbook_engine.cli import main
from workbook_engine.pipeline import run_inbox
from workbook_engine.settings import Settings
from workbook_engine.writing.samples import SCHOOL, make_class

UNTIL = dt.date(2026, 10, 20)
FORM = "导师分工明细表_2026-2027第一学期.xlsx"  # (file names are output.py's, the same in either language)
NBSP = "\xa0"  # binds a level word to its count in the 学业水平搭配 cell

# -- the Chinese literals that stay in code: words the workbooks' readers parse (the data contract) ---------------
ALLOWED = {
    "writing/forms.py": {
        "转出": "the roster's 状态 value for a student who left (schema choice): such students are not on the form",
        "好": "the roster's 学业水平 value (schema choice), counted under its label",
        "中": "the roster's 学业水平 value (schema choice), counted under its label",
        "差": "the roster's 学业水平 value (schema choice), counted under its label",
    },
    "writing/assign.py": {
        "好": "学业水平 value (schema choice): the balance of levels", "中": "学业水平 value (schema choice)",
        "差": "学业水平 value (schema choice)",
        "男": "性别 value (schema choice): the balance of genders", "女": "性别 value (schema choice)",
        "在读": "the roster's 状态 value of a student still in the class (schema choice)",
        "班主任": "导师名单's 角色 value (schema choice): head teachers mentor only when the settings say so",
        "离岗": "导师名单's 状态 value (schema choice): a mentor who left is re-paired on --repair",
        "导师离岗": "结对变更's 原因 dropdown value (schema choice), written into the class's own sheet",
        "学生调整": "结对变更's 原因 dropdown value (schema choice), written into the class's own sheet",
    },
}


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_no_chinese_literal_is_left_but_the_data_contract(module):
    found = {text for _, text in han_literals(module)}
    assert found - set(ALLOWED[module]) == set()
    assert set(ALLOWED[module]) <= found  # (the allow-list names nothing the module no longer holds)


# -- the 导师分工明细表 ---------------------------------------------------------------------------------------------
@pytest.fixture
def school(tmp_path):
    """七年级1班: 6 students, a head teacher and 2 mentors. make_class pairs student s with mentor (s-1) % 2 + 1:
    students 1, 3, 5 with 070101 and 2, 4, 6 with 070102; levels 好 中 差 好 中 差; communities (s-1) % 5 + 1,
    i.e. 1 2 3 4 5 1. Students 1 and 2 (one of each mentor) need special attention, nobody else."""
    box = tmp_path / "inbox"
    box.mkdir()
    data = make_class(1, 7, 1, students=6, mentors=2, until=UNTIL)
    for i, s in enumerate(data.sheets["students"], start=1):
        s["attention"] = ["留守儿童"] if i <= 2 else []
    class_book(box, data, "七年级1班.xlsx")
    return box, data


def test_the_assignment_form_in_english(school, tmp_path):
    box, data = school
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL, lang="en")
    wb = openpyxl.load_workbook(term_dir(result.out) / FORM)
    assert wb.sheetnames == ["七年级1班"]  # the class's own name
    ws = wb["七年级1班"]
    rows = sheet_rows(ws)
    title = "Mentor Assignments by Class: Student Development Communities and Mentors for All"
    assert rows[0][0] == title
    head = data.info["head_teacher"]
    assert rows[1][0] == ("School: 青年路小学     Term: 2026-2027 第一学期     Grade: 七年级     Class: 七年级1班     "
                          f"Head teacher: {head}")
    assert rows[3] == ("No.", "Mentor", "Teacher ID", "Subject", "Role", "Community", "Mentees", "Number",
                       "Level mix", "Special attention")
    names = [s["name"] for s in data.sheets["students"]]
    mentors = {m["teacher_id"]: m for m in data.sheets["mentors"]}
    # 070101: students 1, 3, 5 (好, 差, 中; communities 1, 3, 5; student 1 needs attention);
    # 070102: students 2, 4, 6 (中, 好, 差; communities 2, 4, 1; student 2 needs attention)
    assert rows[5] == (2, mentors["070101"]["name"], "070101", mentors["070101"]["subject"], "科任导师", "1, 3, 5",
                       f"{names[0]}, {names[2]}, {names[4]}", 3, f"high{NBSP}1  mid{NBSP}1  low{NBSP}1", 1)
    assert rows[6][5:] == ("1, 2, 4", f"{names[1]}, {names[3]}, {names[5]}", 3,
                           f"high{NBSP}1  mid{NBSP}1  low{NBSP}1", 1)
    assert rows[7] == ("Total", None, None, None, None, None, None, 6, f"high{NBSP}2  mid{NBSP}2  low{NBSP}2", 2)
    signs = [v for r in rows[8:] for v in r if v]
    assert signs == ["Head teacher (signature): ________________", "Grade director (signature): ________________",
                     "Date: ________________"]
    assert ws.oddHeader.center.text == title and ws.oddFooter.center.text == "page &P of &N"
    # nothing Chinese but what the school typed: names, subjects, roles, school, grade, class, term
    typed = {SCHOOL, "第一学期", "七年级", "七年级1班", *names, *(m["name"] for m in mentors.values()),
             *(m["subject"] for m in mentors.values()), "班主任", "科任导师"}
    for r in rows:
        for v in r:
            if isinstance(v, str):
                for word in sorted(typed, key=len, reverse=True):
                    v = v.replace(word, "")
                assert not HAN.search(v), v


def test_the_assignment_form_stays_chinese_by_default(school, tmp_path):
    box, data = school
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    ws = openpyxl.load_workbook(term_dir(result.out) / FORM)["七年级1班"]
    rows = sheet_rows(ws)
    assert rows[0][0] == "学生发展共同体与全员导师制导师分工班级明细表"
    assert rows[1][0] == (f"学校：青年路小学　　学年学期：2026-2027学年第一学期　　年级：七年级　　班级：七年级1班　　"
                          f"班主任：{data.info['head_teacher']}")
    assert rows[5][5] == "1、3、5" and rows[5][8] == f"好{NBSP}1  中{NBSP}1  差{NBSP}1"
    assert rows[7][0] == "合计"
    assert [v for r in rows[8:] for v in r if v] == ["班主任（签字）：＿＿＿＿＿＿＿＿", "级部主任（签字）：＿＿＿＿＿＿＿＿",
                                                     "日期：　　年　　月　　日"]
    assert ws.oddFooter.center.text == "第 &P 页 / 共 &N 页"


# -- the 导师工作手册 ---------------------------------------------------------------------------------------------
def test_the_handbook_in_english(school, tmp_path):
    box, data = school
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL, lang="en", handbooks=True)
    mentor = next(m for m in data.sheets["mentors"] if m["teacher_id"] == "070101")
    wb = openpyxl.load_workbook(term_dir(result.out) / f"导师手册/070101_{mentor['name']}.xlsx")
    assert wb.sheetnames == ["Profile", "Mentees", "Talks", "Parent contacts", "Monthly talk summary",
                             "Compliance and score"]
    cover = wb["Profile"]
    assert cover["A1"].value == f"Mentor handbook ({mentor['name']})"
    labels = [r[0] for r in sheet_rows(cover)[2:] if r[0]]
    # the points scheme's parts (the summary's own English words), then the note and the two signature lines
    assert labels == ["Teacher ID", "Name", "Term", "Classes", "Mentees", "As of", "Compliance", "Talk rate",
                      "Parent-contact rate", "Base", "Grades", "Conduct", "Satisfaction", "Deductions", "Total",
                      "Rank", "Note", "Mentor (signature): ________________",
                      "Checked by (signature): ________________     Date: ________________"]
    values = {r[0]: r[1] for r in sheet_rows(cover) if r[0]}
    assert values["Mentees"] == 3 and values["Classes"] == "七年级1班" and values["Term"] == "2026-2027 第一学期"
    assert values["Compliance"] in {"on track", "needs attention", "off track"}
    assert [c.value for c in wb["Mentees"][1]] == [
        "Class", "Student ID", "Name", "Gender", "Level", "Community", "Attention", "Paired on", "Talks (held/due)",
        "Periods without a talk", "Contacts (made/due)", "Periods without a contact"]
    assert [c.value for c in wb["Talks"][1]] == ["Class", "Date", "Student ID", "Student", "Form", "Type", "Summary",
                                                 "Follow-up", "School attention"]
    assert [c.value for c in wb["Parent contacts"][1]] == ["Class", "Date", "Student ID", "Student", "Way",
                                                           "Contact", "Summary"]
    assert [c.value for c in wb["Monthly talk summary"][1]] == ["Class", "Month", "Talks", "Mentees reached",
                                                                "Forms", "Types", "For the school's attention",
                                                                "Own monthly summary"]
    card = sheet_rows(wb["Compliance and score"])  # the figures down column A, one column per class
    assert [r[0] for r in card] == ["Class", "Teacher ID", "Name", "Mentees", "Base", "Grades", "Conduct",
                                    "Satisfaction", "Deductions", "Total", "Rank", "Compliance", "Talk rate",
                                    "Parent-contact rate", "Note"]
    assert card[0][1:] == ("七年级1班",) and card[1][1:] == ("070101",)
    for ws in wb.worksheets:  # every label, header and footer of every sheet: English
        assert ws.oddFooter.center.text == "page &P of &N", ws.title
        own = [c.value for c in (ws["A"] if ws.title in {"Profile", "Compliance and score"} else ws[1])]
        for v in [ws.title, ws.oddHeader.center.text, *(v for v in own if isinstance(v, str))]:
            assert not HAN.search(v.replace(mentor["name"], "")), (ws.title, v)
    # the periods without a talk are named as people name them, in English: "week 3 (09-14–09-20)"
    missing = [r[9] for r in sheet_rows(wb["Mentees"])[1:] if r[9]]
    assert missing and all(re.fullmatch(r"week \d+ \([\d-]+–[\d-]+\)(, week \d+ \([\d-]+–[\d-]+\))*", m)
                           for m in missing), missing


def test_the_handbook_stays_chinese_by_default(school, tmp_path):
    box, data = school
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL, handbooks=True)
    mentor = next(m for m in data.sheets["mentors"] if m["teacher_id"] == "070101")
    wb = openpyxl.load_workbook(term_dir(result.out) / f"导师手册/070101_{mentor['name']}.xlsx")
    assert wb.sheetnames == ["基本信息", "受导学生", "谈心记录", "家长联系", "谈话月度汇总", "达标与得分"]
    assert wb["基本信息"]["A1"].value == f"导师工作手册（{mentor['name']}）"
    assert [c.value for c in wb["受导学生"][1]][8:] == ["谈心(已/应)", "缺谈心的周期", "家长联系(已/应)", "缺联系的月份"]
    missing = [r[9] for r in sheet_rows(wb["受导学生"])[1:] if r[9]]
    assert missing and all(m.startswith("第") and "周" in m for m in missing), missing  # 第3周 (09-14–09-20)


# -- assign ------------------------------------------------------------------------------------------------------
def _assign_class(tmp_path: Path) -> Path:
    """七年级5班: 6 students, a head teacher and 2 mentors (070501, 070502). Students 1–4 chose 070501 first and
    070502 second; students 5 and 6 chose nobody."""
    data = make_class(9, 7, 5, students=6, mentors=2, until=dt.date(2026, 9, 5))
    for s in data.sheets["students"]:
        s["mentor_id"] = s["mentor_name"] = s["community"] = None
    data.sheets["choices"] = [{"student_id": s["student_id"], "student_name": s["name"], "choice1": "070501",
                               "choice2": "070502", "choice3": None} for s in data.sheets["students"][:4]]
    data.sheets["wishes"] = []
    return class_book(tmp_path, data, "七年级5班.xlsx")


def test_assign_in_english(tmp_path, capsys):
    src = _assign_class(tmp_path)
    out = tmp_path / "assigned.xlsx"
    assert main(["assign", str(src), "--out", str(out), "--seed", "1", "--date", "2026-09-07", "--lang", "en"]) == 0
    # 6 students, 2 mentors: 3 places each (6 / 2). 070501's 3 places go to three of its four choosers, the fourth
    # gets its second choice (070502); students 5 and 6 chose nobody and fill 070502's last two places
    assert capsys.readouterr().out.strip() == f"6 students assigned, 4 got one of their choices, 0 unmatched → {out}"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == "Assignment notes" and "分配说明" not in wb.sheetnames
    rows = sheet_rows(wb["Assignment notes"])
    assert rows[0][0] == "Mode: students choose mentors (mutual choice)"
    assert rows[2] == ("Mentor or community", "Students", "High", "Mid", "Low", "Boys", "Girls", "Special attention")
    at = next(i for i, r in enumerate(rows) if r[0] == "Student ID")
    assert rows[at][:6] == ("Student ID", "Name", "Mentor", "Community", "Choice granted", "Reason")
    granted = [r[4] for r in rows[at + 1:]]
    assert sorted(granted) == ["choice 1", "choice 1", "choice 1", "choice 2", "—", "—"]
    assert [r[5] for r in rows[at + 1:] if r[4] == "—"] == ["no choices given", "no choices given"]
    page = wb["Assignment notes"]
    assert page.oddHeader.center.text == "Mutual choice: how the class was assigned"
    assert page.oddFooter.center.text == "page &P of &N" and page.page_setup.paperSize == 9
    # the sheets the validator reads keep their names (the class's own workbook)
    assert "学生名册" in wb.sheetnames and [c.value for c in wb["学生名册"][1]][5:8] == ["导师工号*", "导师姓名", "结对日期"]


def test_assign_stays_chinese_by_default(tmp_path, capsys):
    src = _assign_class(tmp_path)
    out = tmp_path / "assigned.xlsx"
    assert main(["assign", str(src), "--out", str(out), "--seed", "1", "--date", "2026-09-07"]) == 0
    assert capsys.readouterr().out.strip() == f"已分配 6 名学生，4 人得到了自己的志愿，未能分配 0 人 → {out}"
    rows = sheet_rows(openpyxl.load_workbook(out)["分配说明"])
    assert rows[0][0] == "分配方式：学生选导师（双向选择）"
    at = next(i for i, r in enumerate(rows) if r[0] == "学号")
    assert sorted(r[4] for r in rows[at + 1:]) == ["—", "—", "第1志愿", "第1志愿", "第1志愿", "第2志愿"]
    assert [r[5] for r in rows[at + 1:] if r[4] == "—"] == ["未填写志愿", "未填写志愿"]


def test_assign_reasons_and_errors_in_json_and_on_the_console(tmp_path, capsys):
    src = _assign_class(tmp_path)
    config = tmp_path / "school.toml"
    config.write_text("[assign]\nmax_per_mentor = 2\n", encoding="utf-8")
    # at most 2 students a mentor: 4 placed, 2 left over (6 - 2 × 2), each because every mentor is full
    assert main(["assign", str(src), "--out", str(tmp_path / "a.xlsx"), "--config", str(config), "--json", "-",
                 "--lang", "en"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [u["reason"] for u in data["unmatched"]] == ["every mentor is at capacity"] * 2
    assert main(["assign", str(src), "--out", str(tmp_path / "b.xlsx"), "--config", str(config), "--json", "-"]) == 1
    assert [u["reason"] for u in json.loads(capsys.readouterr().out)["unmatched"]] == ["所有导师的可带人数都已满"] * 2
    assert main(["assign", str(src), "--out", str(src), "--lang", "en"]) == 2
    assert capsys.readouterr().err.strip() == "error: --out must not be the input file"
    assert main(["assign", str(src), "--out", str(src)]) == 2
    assert capsys.readouterr().err.strip() == "错误：--out 不能是输入文件本身"


def test_assign_errors_of_the_library_follow_lang(tmp_path):
    from workbook_engine.errors import UsageError
    from workbook_engine.writing.assign import run_assign

    src = _assign_class(tmp_path)
    with pytest.raises(UsageError, match=r"^2 subject mentors available, fewer than the 4 communities$"):
        run_assign(src, tmp_path / "c.xlsx", Settings(), "communities", groups=4, lang="en")
    with pytest.raises(UsageError, match=r"^在岗科任导师 2 人，少于共同体 4 个$"):
        run_assign(src, tmp_path / "c.xlsx", Settings(), "communities", groups=4)


# -- the 明细表 of a large class on paper -------------------------------------------------------------------------


def _render(xlsx: Path, outdir: Path) -> list[list[tuple[float, float, str]]]:
    """The pages of a workbook printed by LibreOffice: per page its words as (width, height, text)."""
    outdir.mkdir(parents=True, exist_ok=True)
    copy = outdir / "form.xlsx"
    shutil.copy(xlsx, copy)
    profile = (outdir / f"lo-{uuid.uuid4().hex}").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                    "--outdir", str(outdir), str(copy)], capture_output=True, timeout=300, check=False)
    html = subprocess.run(["pdftotext", "-bbox", str(outdir / "form.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [[(float(x1) - float(x0), float(y1) - float(y0), w) for x0, y0, x1, y1, w in WORD.findall(page)]
            for page in html.split("<page ")[1:]]


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice or poppler missing")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_large_class_prints_readable_on_two_pages_with_its_heading_repeated(lang, tmp_path):
    """Three classes: 6 students with 2 mentors, 55 with 8, and a very large one, 70 students with 16 mentors
    (each mentor's row holds 4–5 names over two or three lines). The first two print on a page each; the third
    runs onto a second page that repeats the title, the class line and the header row, and carries the
    signature lines at its end. No word on any page is under 8 pt."""
    box = tmp_path / "inbox"
    box.mkdir()
    for seed, no, students, mentors in ((1, 1, 6, 2), (2, 2, 55, 8), (3, 3, 70, 16)):
        class_book(box, make_class(seed, 3, no, students=students, mentors=mentors, until=UNTIL),
                   f"3年级{no}班.xlsx")
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL, lang=lang)
    pages = _render(term_dir(result.out) / FORM, tmp_path / "pdf")
    text = [" ".join(w for *_, w in page) for page in pages]
    klass, sign, header_word = (("Class:", "Head teacher (signature):", "Special") if lang == "en" else
                                ("班级：", "班主任（签字）：", "受导学生"))
    # which class each page belongs to: its class line, repeated on every page of the class
    owners = [re.search(re.escape(klass) + r"\s*(三年级\d班)", page).group(1) for page in text]
    assert owners == ["三年级1班", "三年级2班", "三年级3班", "三年级3班"]
    for page in text:
        assert header_word in page  # the header row on every page
        assert re.search(r"page \d+ of \d+" if lang == "en" else r"第 \d+ 页 / 共 \d+ 页", page)
    # the signature lines close each class: on its last page only
    assert [sign.split()[0] in page and ("signature" in page if lang == "en" else "签字" in page)
            for page in text] == [True, True, False, True]
    for n, words in enumerate(pages, start=1):
        # a word's box is about 1.3 × its size: 8 pt → 10.4 (test_paper's measure); upright words left out
        heights = [h for w, h, s in words if w >= h or len(s) == 1]
        assert min(heights) >= 8 * 1.29, (n, min(heights))


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice or poppler missing")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_handbook_prints_readable(lang, school, tmp_path):
    """Every page of a teacher's handbook: its footer, and no word under 8 pt (its widest sheets, the mentees
    with their missing periods and the talks, are fitted to a landscape page with the long text wrapped)."""
    box, data = school
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL, lang=lang, handbooks=True)
    mentor = next(m for m in data.sheets["mentors"] if m["teacher_id"] == "070101")
    pages = _render(term_dir(result.out) / f"导师手册/070101_{mentor['name']}.xlsx", tmp_path / "pdf")
    assert len(pages) >= 6  # a sheet each at least: profile, mentees, talks, contacts, months, compliance
    for n, words in enumerate(pages, start=1):
        text = " ".join(w for *_, w in words)
        assert re.search(r"page \d+ of \d+" if lang == "en" else r"第 \d+ 页 / 共 \d+ 页", text), n
        heights = [h for w, h, s in words if w >= h or len(s) == 1]
        assert min(heights) >= 8 * 1.29, (n, min(heights))
