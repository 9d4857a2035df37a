"""The rules of the two documents that concern pairing, talks, reports and communities
(《学情会商制度实施方案》 四、组织实施 and 五、具体措施; 《全员育人导师制实施方案》 四、实施步骤 and 六、制度要求), each on a
small hand-built class; every expected figure is computed by hand in the comments.

The calendar (samples.school_toml): term 2026-09-01 (Tue) .. 2027-01-22, 国庆 10-01..10-08, 期中 11-09..11-13,
Saturday 10-10 a make-up working day. A period is due when at least half its weekdays are teaching days of
the pairing. As of 2026-11-01 the weeks (Mon..Sun) from 08-31 to 10-26 have ended:
  08-31 (4 teaching days), 09-07, 09-14, 09-21, 09-28 (Mon-Wed, then 国庆: 3) — due;
  10-05 (only 10-09 and Saturday 10-10 teach: 2 < 2.5) — exempt;
  10-12, 10-19, 10-26 — due.  Eight due weeks; months September and October; half-months 09-01, 09-16, 10-01
  (10-09, 10-10, 10-12..10-15 teach: 6 of 11 weekdays), 10-16.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from tests.builders import class_book, sheet_rows
from workbook_engine.pipeline import run_inbox
from workbook_engine.settings import Settings
from workbook_engine.validation.validate import validate_file
from workbook_engine.writing.assign import run_assign
from workbook_engine.writing.samples import make_class, school_toml

D = dt.date
AS_OF = D(2026, 11, 1)
CLS = "七年级1班"
H, T1, T2 = "070100", "070101", "070102"  # head teacher, two subject mentors
S1, S2, S3, S4 = (f"20260701{i:02d}" for i in range(1, 5))
CHANGE = D(2026, 10, 14)  # a Wednesday: S1 moves from T1 to T2


def _talk(day: dt.date, teacher: str, student: str, form: str = "面谈", topic: str = "学业辅导",
          escalate: str = "否") -> dict:
    return {"date": day, "teacher_id": teacher, "student_id": student, "form": form, "topic": topic,
            "summary": "谈学习", "escalate": escalate}


def paired_class():
    """Four students, S1 and S3 with T1, S2 and S4 with T2 (communities 1-4); S1 moved to T2 on 10-14.
    The talks (谈心记录 rows 2-11) are listed with what each shows."""
    data = make_class(1, 7, 1, students=4, mentors=2, until=AS_OF)
    roster = data.sheets["students"]
    assert [(s["student_id"], s["mentor_id"], s["community"]) for s in roster] == [
        (S1, T1, "1"), (S2, T2, "2"), (S3, T1, "3"), (S4, T2, "4")]
    for s in roster:
        s["attention"], s["note"] = [], None
    t2_name = next(m["name"] for m in data.sheets["mentors"] if m["teacher_id"] == T2)
    roster[0].update(mentor_id=T2, mentor_name=t2_name, paired_on=CHANGE)
    data.sheets["pair_changes"] = [{"student_id": S1, "old_mentor_id": T1, "new_mentor_id": T2, "date": CHANGE,
                                    "reason": "学生调整"}]
    data.sheets["talks"] = [
        _talk(D(2026, 9, 2), T1, S1, topic="思想引导"),  # row 2
        _talk(D(2026, 9, 9), T1, S1),  # row 3
        _talk(D(2026, 9, 16), T1, S1, form="电话"),  # row 4
        _talk(D(2026, 9, 23), T1, S1, escalate="是"),  # row 5 (no talk in the week of 09-28)
        _talk(D(2026, 9, 10), T2, S1),  # row 6: T2 was not yet S1's mentor → warned, not counted
        _talk(D(2026, 10, 13), T1, S1),  # row 7: T1 still S1's mentor on Tuesday → no warning
        _talk(D(2026, 10, 15), T2, S1),  # row 8: the new mentor, week of 10-12
        _talk(D(2026, 10, 20), T1, S1),  # row 9: T1 no longer S1's mentor → warned, not counted
        _talk(D(2026, 10, 21), T2, S1),  # row 10: week of 10-19 (none in the week of 10-26)
        _talk(D(2026, 9, 8), H, S3),  # row 11: the head teacher talks with T1's mentee → no warning
    ]
    data.sheets["contacts"] = [
        {"date": D(2026, 9, 15), "teacher_id": T1, "student_id": S1, "way": "电话", "summary": "沟通"},
        {"date": D(2026, 10, 20), "teacher_id": T2, "student_id": S1, "way": "电话", "summary": "沟通"},
    ]
    data.sheets["reports"] = [
        {"date": D(2026, 9, 5), "student_id": S2, "teacher_id": T2, "form": "面谈", "summary": "汇报"},
        {"date": D(2026, 9, 20), "student_id": S2, "teacher_id": T2, "form": "书面", "summary": "汇报"},
        {"date": D(2026, 10, 20), "student_id": S2, "teacher_id": T2, "form": "面谈", "summary": "汇报"},
        {"date": D(2026, 9, 3), "student_id": S1, "teacher_id": T1, "form": "面谈", "summary": "汇报"},
    ]
    data.sheets["community"] = [
        {"date": D(2026, 9, 21), "community": "1", "teacher_id": T1, "form": "汇报会", "content": "月度汇报"},
        {"date": D(2026, 9, 21), "community": "2", "teacher_id": T2, "form": "汇报会", "content": "月度汇报"},
        {"date": D(2026, 10, 21), "community": "1", "teacher_id": T1, "form": "学习交流", "content": "交流"},
    ]
    data.sheets["paperwork"] = [
        {"teacher_id": T1, "plan_date": D(2026, 9, 5), "reflection_date": D(2027, 1, 10)},
        {"teacher_id": T2, "plan_date": D(2026, 9, 5)},
    ]
    data.sheets["archive"] = []
    return data


def _inbox(tmp_path: Path, data, extra_toml: str = "") -> Path:
    box = tmp_path / "inbox"
    box.mkdir(exist_ok=True)
    class_book(box, data)
    (box / "school.toml").write_text(school_toml([data.class_name]) + extra_toml, encoding="utf-8")
    return box


def _feedback(result) -> openpyxl.Workbook:
    rel = next(f["path"] for f in result.report["feedback"] if f["class"] == CLS)
    return openpyxl.load_workbook(result.out / rel, read_only=True)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rules")
    return run_inbox(_inbox(tmp, paired_class()), tmp / "out", as_of=AS_OF)


# -- pairing history (《学情会商制度实施方案》 四（二）2 师生结对: a changed post, a changed pairing) ---------
def test_each_period_counts_for_the_mentor_paired_on_it(run):
    students = {s["student_id"]: s for s in run.report["students"]}
    s1 = students[S1]
    # S1: T1 until 10-13 — weeks 08-31..09-28 (5; the week of 10-12 has only Mon-Tue for T1: 2 < 2.5, not
    # T1's), T2 from 10-14 — weeks 10-12 (Wed-Fri: 3), 10-19, 10-26 (3). 5 + 3 = 8 weeks, as if never moved.
    # Met: T1 on 09-02, 09-09, 09-16, 09-23 (4); T2 on 10-15, 10-21 (2) → 6; missing 09-28 and 10-26.
    assert (s1["talk_periods_expected"], s1["talk_periods_met"]) == (8, 6)
    assert s1["missing_talk_periods"] == ["2026-09-28", "2026-10-26"]
    assert s1["mentor_id"] == T2
    # parent contacts: September is T1's (contact 09-15); October is T2's (13 of its 22 weekdays from 10-14:
    # 26 ≥ 22), contact 10-20 → 2/2
    assert (s1["parent_periods_expected"], s1["parent_periods_met"]) == (2, 2)
    mentors = {m["teacher_id"]: m for m in run.report["mentors"]}
    # T1: S1's five weeks (4 met) + S3's eight (0 met: the head teacher's talk is not T1's) = 13, 4 met;
    # parent: S1's September (met) + S3's two months = 3, 1 met
    assert (mentors[T1]["talk_periods_expected"], mentors[T1]["talk_periods_met"]) == (13, 4)
    assert (mentors[T1]["parent_periods_expected"], mentors[T1]["parent_periods_met"]) == (3, 1)
    assert mentors[T1]["mentees"] == 1  # S3 (S1 is T2's now)
    # T2: S2 and S4 eight weeks each (0 met) + S1's three weeks (2 met) = 19, 2 met; parent: 2 + 2 + 1 = 5, 1 met
    assert (mentors[T2]["talk_periods_expected"], mentors[T2]["talk_periods_met"]) == (19, 2)
    assert (mentors[T2]["parent_periods_expected"], mentors[T2]["parent_periods_met"]) == (5, 1)
    assert mentors[T2]["mentees"] == 3


def test_the_grid_shows_one_state_per_period(run):
    wb = _feedback(run)
    ws = wb["达标表"]
    rows = sheet_rows(ws)
    head = next(r for r in rows if r and r[0] == "导师")
    s1 = next(r for r in rows if len(r) > 1 and S1 in str(r[1]))
    cells = dict(zip(head, s1))
    # 09-28: T1's, missed; 10-05: exempt (国庆); 10-12: T2's, met on 10-15 (T1's Tuesday talk on 10-13 fell in a
    # week not due for T1: the cell shows the period that counts)
    # (weeks are headed as people name them: 第5周 (09-28–10-04))
    states = {k: next(v for h, v in cells.items() if h and f"{k}–" in str(h)) for k in ("09-28", "10-05", "10-12", "10-26")}
    assert states == {"09-28": "✗", "10-05": "休", "10-12": "✓", "10-26": "✗"}, states


def test_talks_are_warned_against_the_mentor_paired_on_the_day(tmp_path):
    data = paired_class()
    report = validate_file(class_book(tmp_path, data, "c.xlsx"))
    warned = {p.cell for p in report.problems if p.code == "not-own-mentor"}
    # row 6: T2 before the change; row 9: T1 after it. Row 7 (T1 on 10-13) and row 11 (the head teacher) are fine.
    assert warned == {"B6", "B9"}
    assert not any(p.code == "pair-change-mismatch" for p in report.problems)
    # the roster not updated (S1 still T1's) against a change that names T2: warned at the change's new mentor
    data.sheets["students"][0]["mentor_id"] = T1
    data.sheets["students"][0]["mentor_name"] = None
    report = validate_file(class_book(tmp_path, data, "d.xlsx"))
    assert {(p.sheet, p.cell) for p in report.problems if p.code == "pair-change-mismatch"} == {("结对变更", "C2")}


def test_repair_moves_only_the_students_of_a_mentor_who_left(tmp_path):
    data = make_class(1, 7, 1, students=4, mentors=2, until=D(2026, 10, 13))
    for s in data.sheets["students"]:
        s["paired_on"] = None  # blank: paired from the term's start
    data.sheets["mentors"][1]["status"] = "离岗"  # T1 left; S1 and S3 are still T1's
    src = class_book(tmp_path, data, "class.xlsx")
    report = validate_file(src)
    assert {(p.sheet, p.cell) for p in report.problems if p.code == "mentor-left-with-mentees"} == {
        ("学生名册", "F2"), ("学生名册", "F4")}
    assert not report.valid
    out = tmp_path / "repaired.xlsx"
    run_assign(src, out, repair_mode=True, on=CHANGE)
    wb = openpyxl.load_workbook(out)
    roster = {r[0]: r for r in wb["学生名册"].iter_rows(min_row=2, values_only=True) if r[0]}
    # T2 is the one mentor left (the head teacher does not mentor by default): S1 and S3 move to T2 on 10-14;
    # S2 and S4 keep T2 and their blank 结对日期 (filled in, it would erase their weeks since 09-01)
    assert {sid: (r[5], r[7]) for sid, r in roster.items()} == {
        S1: (T2, dt.datetime(2026, 10, 14)), S2: (T2, None), S3: (T2, dt.datetime(2026, 10, 14)), S4: (T2, None)}
    changes = [r for r in wb["结对变更"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert changes == [(S1, T1, T2, dt.datetime(2026, 10, 14), "导师离岗"),
                       (S3, T1, T2, dt.datetime(2026, 10, 14), "导师离岗")]
    # the repaired book reads back clean of the error, and its history keeps T1's weeks T1's
    again = validate_file(out)
    assert not any(p.code == "mentor-left-with-mentees" for p in again.problems)
    assert len(again.records("pair_changes")) == 2


# -- the head teacher (《学情会商制度实施方案》 四（二）2: 班主任老师对班级全体学生负责) ----------------------------
def test_head_teacher_talks_count_when_the_school_says_so(run, tmp_path):
    s3 = next(s for s in run.report["students"] if s["student_id"] == S3)
    assert (s3["talk_periods_expected"], s3["talk_periods_met"]) == (8, 0)  # default: not counted
    result = run_inbox(_inbox(tmp_path, paired_class(), "head_teacher_talks_count = true\n"), tmp_path / "out",
                       as_of=AS_OF)
    s3 = next(s for s in result.report["students"] if s["student_id"] == S3)
    t1 = next(m for m in result.report["mentors"] if m["teacher_id"] == T1)
    # the head teacher's talk on 09-08 fills S3's week of 09-07, for S3's mentor T1: 4 + 1 = 5 of 13
    assert (s3["talk_periods_expected"], s3["talk_periods_met"]) == (8, 1)
    assert (t1["talk_periods_expected"], t1["talk_periods_met"]) == (13, 5)


# -- pairing structure (《全员育人导师制实施方案》 四、实施步骤: 四至五个共同体, 好、中、差搭配) -------------------
def test_pairing_structure_is_warned_at_its_cells(tmp_path):
    data = make_class(1, 7, 1, students=12, mentors=4, until=D(2026, 10, 20))
    staff = {m["teacher_id"]: m for m in data.sheets["mentors"]}
    t1, t2, t3 = "070101", "070102", "070103"  # 070104 gets no mentee
    # students 1-8 with T1, 9-11 with T2, 12 with T3: loads 8, 3, 1 → 8 − 1 = 7 > 3 (the default spread)
    mentor_of = [t1] * 8 + [t2] * 3 + [t3]
    levels = ["好", "中", "差", "好", "中", "中", "好", "中", "差", "好", "中", "差"]
    community = ["1", "1", "1", "2", "2", "2", "3", "3", "3", None, "3", "1"]  # 3 communities, #2 lacks 差
    for s, m, lv, g in zip(data.sheets["students"], mentor_of, levels, community):
        s.update(mentor_id=m, mentor_name=staff[m]["name"], level=lv, community=g, status="在读", left_on=None,
                 paired_on=D(2026, 9, 1))
    roster = data.sheets["students"]
    roster[10].update(enrolled_on=D(2026, 10, 8), paired_on=D(2026, 10, 12))  # row 12: within 7 days
    roster[11].update(enrolled_on=D(2026, 10, 8), paired_on=D(2026, 10, 20))  # row 13: 12 days
    report = validate_file(class_book(tmp_path, data, "c.xlsx"))
    found = {(p.sheet, p.cell, p.code) for p in report.problems if p.code in {
        "community-count", "community-level-mix", "mentee-load-spread", "mentor-without-mentee",
        "student-without-community", "late-pairing"}}
    assert found == {
        ("学生名册", "E1", "community-count"),  # communities 1, 2, 3
        ("学生名册", "E5", "community-level-mix"),  # community 2 (rows 5-7: 好 中 中) has no 差
        ("学生名册", "E11", "student-without-community"),  # student 10
        ("导师名单", "A3", "mentee-load-spread"),  # T1 (row 3) 8 mentees against T3's 1
        ("导师名单", "A6", "mentor-without-mentee"),  # 070104 (row 6)
        ("学生名册", "H13", "late-pairing"),  # enrolled 10-08, paired 10-20
    }
    assert report.valid  # warnings: every row is kept
    spread = next(p for p in report.problems if p.code == "mentee-load-spread")
    assert spread.message() == f"导师 {t1} {staff[t1]['name']} 的受导人数与其他导师相差过大（带 8 人，最少的导师带 1 人，相差超过 3 人）"
    assert "more than 3 apart" in spread.message("en")
    # a wider spread in the settings: no load warning
    wide = Settings.model_validate({"policy": {"mentee_load_spread": 7}})
    assert not any(p.code == "mentee-load-spread" for p in validate_file(tmp_path / "c.xlsx", wide).problems)


# -- the monthly talk summary (《学情会商制度实施方案》 五.4: 每月总结谈话情况记录汇总一次) ------------------------
def test_monthly_talk_summary_in_the_feedback_book(run):
    rows = sheet_rows(_feedback(run)["谈话月度汇总"], min_row=2, blank=False)
    got = {(r[1], r[2]): r[3:] for r in rows}
    assert got == {
        # the head teacher: one talk (S3's, on 09-08), no mentee of theirs reached
        (H, "2026-09"): (1, 0, "面谈 1", "学业辅导 1", 0, "不要求"),
        # T1 in September: rows 2-5, S1: 面谈 ×3, 电话 ×1; 学业辅导 ×3, 思想引导 ×1; one flagged 需学校关注
        (T1, "2026-09"): (4, 1, "面谈 3、电话 1", "学业辅导 3、思想引导 1", 1, "未交"),
        # T2 in September: the talk before S1 was theirs (row 6): held, but no mentee reached
        (T2, "2026-09"): (1, 0, "面谈 1", "学业辅导 1", 0, "未交"),
        # T1 in October: 10-13 (still S1's mentor) and 10-20 (no longer): two talks, S1 reached once
        (T1, "2026-10"): (2, 1, "面谈 2", "学业辅导 2", 0, "未交"),
        (T2, "2026-10"): (2, 1, "面谈 2", "学业辅导 2", 0, "未交"),
    }  # the last column: the mentor's own 月度总结 (none handed in; the head teacher mentors nobody: 不要求)


# -- students report every half month (《全员育人导师制实施方案》 六.3) --------------------------------------------
def test_student_reports_every_half_month(run):
    students = {s["student_id"]: s for s in run.report["students"]}
    # S2 (T2 all term): half-months 09-01, 09-16, 10-01, 10-16 due; reports 09-05, 09-20, 10-20 → 3 of 4
    assert (students[S2]["report_periods_expected"], students[S2]["report_periods_met"]) == (4, 3)
    assert students[S2]["missing_report_periods"] == ["2026-10-01"]
    # S1: 09-01 and 09-16 are T1's; 10-01..10-15 is neither's (T1 4 teaching days, T2 2: both < 5.5 of 11);
    # 10-16 is T2's. Reported to T1 on 09-03 → 1 of 3
    assert (students[S1]["report_periods_expected"], students[S1]["report_periods_met"]) == (3, 1)
    mentors = {m["teacher_id"]: m for m in run.report["mentors"]}
    # T1: S1's two (1 met) + S3's four (0) = 6, 1; T2: S2's 4 (3) + S4's 4 (0) + S1's 1 (0) = 9, 3
    assert (mentors[T1]["report_periods_expected"], mentors[T1]["report_periods_met"]) == (6, 1)
    assert (mentors[T2]["report_periods_expected"], mentors[T2]["report_periods_met"], mentors[T2]["report_rate"]) \
        == (9, 3, round(3 / 9, 4))
    cls = run.report["classes"][0]
    assert (cls["report_periods_expected"], cls["report_periods_met"]) == (15, 4)
    wb = _feedback(run)
    overview = dict((r[0], r[1]) for r in sheet_rows(wb["概况"], min_row=2, blank=False))
    assert overview["学生汇报（已/应，半月）"] == "4/15"
    sheet = {r[1]: r[3:] for r in sheet_rows(wb["学生汇报"], min_row=2, blank=False)}
    assert sheet[S2] == ("3/4", "2026-10 上半月")  # (the half-month from 1 October)


def test_reports_are_not_checked_when_the_school_turns_them_off(tmp_path):
    result = run_inbox(_inbox(tmp_path, paired_class(), "check_student_reports = false\n"), tmp_path / "out",
                       as_of=AS_OF)
    assert all(s["report_periods_expected"] == 0 for s in result.report["students"])
    assert "学生汇报" not in _feedback(result).sheetnames


# -- communities (《全员育人导师制实施方案》 四: 每月一次汇报会; 五: 每学期一份心得体会) ---------------------------
def test_one_report_meeting_a_month_per_class(run, tmp_path):
    cls = run.report["classes"][0]
    # per class (default): September has 汇报会 (09-21), October only a 学习交流 → 1 of 2 months
    assert (cls["community_months_expected"], cls["community_months_met"]) == (2, 1)
    result = run_inbox(_inbox(tmp_path, paired_class(), 'community_meeting = "per_community"\n'), tmp_path / "out",
                       as_of=AS_OF)
    cls = result.report["classes"][0]
    # per community: 4 communities × 2 months = 8; any activity counts: #1 Sep, #2 Sep, #1 Oct → 3
    assert (cls["community_months_expected"], cls["community_months_met"]) == (8, 3)


def test_each_community_hands_in_its_term_reflection(run, tmp_path):
    assert run.report["classes"][0]["community_reflections_expected"] == 0  # not due before the term ends
    result = run_inbox(_inbox(tmp_path, paired_class()), tmp_path / "out", as_of=D(2027, 1, 22))
    cls = result.report["classes"][0]
    # communities: 1 (S1, now T2's), 2 (S2, T2), 3 (S3, T1), 4 (S4, T2); only T1 handed in 共同体心得 (01-10)
    assert (cls["community_reflections_expected"], cls["community_reflections_met"]) == (4, 1)
    assert cls["communities_without_reflection"] == ["1", "2", "4"]
    mentors = {m["teacher_id"]: m for m in result.report["mentors"]}
    assert mentors[T1]["reflection_on_time"] is True and mentors[T2]["reflection_on_time"] is False
    overview = dict((r[0], r[1]) for r in sheet_rows(_feedback(result)["概况"], min_row=2, blank=False))
    assert overview["共同体心得（已交/应交）"] == "1/4"
    json.dumps(result.report)  # still plain JSON


def test_a_new_student_without_a_pairing_date_is_expected_from_enrolment(tmp_path):
    data = paired_class()
    data.sheets["students"][3].update(enrolled_on=D(2026, 10, 12), paired_on=None)  # S4 came on Monday 10-12
    result = run_inbox(_inbox(tmp_path, data), tmp_path / "out", as_of=AS_OF)
    s4 = next(s for s in result.report["students"] if s["student_id"] == S4)
    # from 10-12: weeks 10-12, 10-19, 10-26 (not the five due before it); October's contact (14 teaching days
    # from 10-12: 28 ≥ 22), not September's
    assert (s4["talk_periods_expected"], s4["parent_periods_expected"]) == (3, 1)
    assert s4["missing_talk_periods"] == ["2026-10-12", "2026-10-19", "2026-10-26"]
