"""A teacher is one person across classes, scored once, and assessment rows are checked against the term's people
before they are scored (《全员育人导师制实施方案》 七、考核评价). Expected figures are computed by hand below."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from tests.builders import assessment_book, class_book
from tests.helpers.terms import term_dir
from workbook_engine.pipeline import run_inbox
from workbook_engine.writing.samples import make_class, move_mentor

UNTIL = dt.date(2026, 10, 20)
T = "070101"  # mentors all four students of 七年级1班 and, below, all four of 七年级2班
OTHER_NAME = "另一个名字"


@pytest.fixture
def two_classes(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    a = make_class(1, 7, 1, students=4, mentors=1, until=UNTIL)
    b = make_class(2, 7, 2, students=4, mentors=1, until=UNTIL)
    name = next(m["name"] for m in a.sheets["mentors"] if m["teacher_id"] == T)
    move_mentor(b, "070201", T, OTHER_NAME)  # the same 工号, typed with another name in 七年级2班
    class_book(box, a, "七年级1班.xlsx")
    class_book(box, b, "七年级2班.xlsx")
    mentees = [s["student_id"] for s in a.sheets["students"] + b.sheets["students"]]
    votes = [[sid, T, "满意"] for sid in mentees[:7]] + [[mentees[7], T, "不满意"]]  # rows 2-9
    votes += [["29999999", T, "不满意"],   # row 10: a student on no roster
              [mentees[0], T, "满意"],     # row 11: the same student's second vote for T
              [mentees[1], "070100", "不满意"]]  # row 12: a vote for a teacher who is not this student's mentor
    deductions = [[T, dt.date(2026, 10, d), "其他", "事由"] for d in (9, 12, 13)]  # rows 2-4
    deductions.append(["999999", dt.date(2026, 10, 14), "其他", "事由"])  # row 5: an unknown 工号
    assessment_book(box / "学校考核数据.xlsx", {"satisfaction": votes, "deductions": deductions})
    return box, name


def test_a_teacher_in_two_classes_is_scored_once(two_classes, tmp_path):
    box, name = two_classes
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    teachers = {t["teacher_id"]: t for t in result.report["teachers"]}
    t = teachers[T]
    assert t["classes"] == ["七年级1班", "七年级2班"] and t["mentees"] == 8 and t["name"] == name
    # by hand: base 5 once; no grades or conduct data → not applicable; votes of own mentees 7 满意 of 8 = 0.875
    # → 80–90% → 0.6; deductions (1 不满意 + 3 cases) × 1 = 4, counted once → total scaled from the applicable
    # 6 points (base 5 + satisfaction 1) to 10: (5 + 0.6) × 10 / 6 − 4 = 9.333… − 4 = 5.33
    score = t["score"]
    assert (score["base"], score["satisfaction"], score["deductions"], score["total"]) == (5.0, 0.6, 4.0, 5.33)
    assert (score["detail"]["votes"], score["detail"]["unsatisfied_votes"], score["detail"]["deduction_cases"]) \
        == (8, 1, 3)
    # the class view shows the same one score and rank in both classes
    per_class = [m for m in result.report["mentors"] if m["teacher_id"] == T]
    assert [m["class"] for m in per_class] == ["七年级1班", "七年级2班"]
    assert {m["score"]["total"] for m in per_class} == {5.33} and len({m["rank"] for m in per_class}) == 1
    # the summary's 导师考核 has one row for the teacher, naming both classes
    wb = openpyxl.load_workbook(term_dir(result.out) / "汇总_2026-2027第一学期.xlsx", read_only=True)
    rows = [r for r in wb["导师考核"].iter_rows(min_row=2, values_only=True) if r[0] == T]
    assert len(rows) == 1 and rows[0][2] == "七年级1班、七年级2班" and float(rows[0][9]) == 5.33


def test_assessment_rows_about_unknown_people_are_warned_and_not_scored(two_classes, tmp_path):
    box, _ = two_classes
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    found = {f.name: {(p.sheet, p.cell, p.code) for p in f.problems} for f in result.files}
    assert {("满意度测评", "A10", "assessment-unknown-student"), ("满意度测评", "A11", "duplicate-vote"),
            ("满意度测评", "B12", "vote-not-own-mentor"), ("考核扣分", "A5", "assessment-unknown-teacher"),
            } <= found["学校考核数据.xlsx"]
    # the same 工号 under another name in 七年级2班's 导师名单
    assert any(code == "teacher-name-mismatch" and sheet == "导师名单" for sheet, _, code in found["七年级2班.xlsx"])
    # nothing was lost: every row is still in the merged data (accepted), only left out of scoring
    rows = next(f for f in result.files if f.name == "学校考核数据.xlsx").rows
    assert rows["满意度测评"].accepted == 11 and rows["考核扣分"].accepted == 4
    head = next(t for t in result.report["teachers"] if t["teacher_id"] == "070100")
    assert head["score"]["detail"]["votes"] == 0  # the vote for a teacher not the student's mentor


def test_unknown_class_and_unknown_student_in_grades_are_not_scored(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    a = make_class(1, 7, 1, students=4, mentors=1, until=UNTIL)
    class_book(box, a, "七年级1班.xlsx")
    ids = [s["student_id"] for s in a.sheets["students"]]
    # known students keep their places (no gain); the unknown one jumps from last to first
    grades = [[sid, None, "七年级1班", 500 + 10 * i, 500 + 10 * i] for i, sid in enumerate(ids)]  # rows 2-5
    grades.append(["29999999", None, "七年级1班", 100, 900])  # row 6
    conduct = [["七年级1班", "1", 90], ["七年级9班", "1", 100]]  # row 3: a class that sent no workbook
    assessment_book(box / "学校考核数据.xlsx", {"grades": grades, "conduct": conduct})
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    problems = {(p.sheet, p.cell, p.code) for f in result.files for p in f.problems}
    assert ("成绩", "A6", "assessment-unknown-student") in problems
    assert ("德育量化", "A3", "assessment-unknown-class") in problems
    assert [r for r in result.recognition if r["type"] == "pacesetter"] == []  # nobody gained, once it is out
    t = next(t for t in result.report["teachers"] if t["teacher_id"] == T)
    # conduct: mentees in communities 1-4, only community 1 has a score, 90 of the grade's best 90 → 1 × 1 = 1.0
    assert t["score"]["conduct"] == 1.0 and t["score"]["detail"]["mean_percentile_change"] == 0
