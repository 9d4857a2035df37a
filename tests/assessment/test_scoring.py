"""Scoring exactly as the documents write it (《全员育人导师制实施方案》 七、考核评价; the four-party review of
《学情会商制度实施方案》 六、考核与评价): satisfaction tiers on the exact ratio, the four-party review never
re-weighted, parts without data not applicable (scaled to 10), recognition from data only, 小明星 from
nominations, deductions per type. Every expected figure is computed by hand in a comment."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from tests.builders import ROOT, class_book, sheet_rows
from tests.helpers.terms import term_dir
from workbook_engine.assessment.scoring import recognition, satisfaction_points, score_teachers
from workbook_engine.errors import SettingsError
from workbook_engine.pipeline import run_inbox
from workbook_engine.schema import ASSESSMENT_WORKBOOK
from workbook_engine.settings import Settings, load_settings
from workbook_engine.writing.samples import make_class, school_toml

UNTIL = dt.date(2026, 10, 20)
ASSESSMENT_TEMPLATE = ROOT / "blank_templates" / "学校考核数据.xlsx"


# -- small hand-built cases ------------------------------------------------------------------------
def teacher(tid, mentees=1):
    return {"teacher_id": tid, "name": f"老师{tid}", "classes": [], "mentees": mentees, "status": "on_track",
            "talk_rate": 1.0, "parent_rate": 1.0}


def pupil(sid, tid, cls, community="1", expected=10, met=10):
    return {"student_id": sid, "name": f"学生{sid}", "class": cls, "mentor_id": tid, "community": community,
            "talk_periods_expected": expected, "talk_periods_met": met, "attention": [], "escalated": False}


def score_of(people, students, records, settings=None, grades=None):
    score_teachers(people, students, records, grades or {}, settings or Settings())
    return {t["teacher_id"]: t for t in people}


def test_satisfaction_tiers_on_the_exact_ratio():
    tiers = Settings().assessment.satisfaction_tiers
    # 200/200 = 100% → 1; 199/200 = 99.5% is not 100% → 0.8; 180/200 = 90% exactly → 0.8; 179/200 = 89.5% → 0.6;
    # 160/200 = 80% exactly → 0.6; 159/200 = 79.5% → 0 (rounding first gave 1, 0.8 and 0.6 for the odd ones)
    got = [satisfaction_points(n, 200, tiers) for n in (200, 199, 180, 179, 160, 159)]
    assert got == [1.0, 0.8, 0.8, 0.6, 0.6, 0.0]
    # 27 of 30 is 90% exactly, whatever floating point makes of 27/30
    assert satisfaction_points(27, 30, tiers) == 0.8


def test_a_teacher_with_199_of_200_satisfied_votes_gets_0_8():
    students = [pupil(f"S{i:03d}", "T1", "三年级1班", community="1") for i in range(200)]
    votes = [{"student_id": s["student_id"], "teacher_id": "T1", "rating": "满意"} for s in students[:199]]
    votes.append({"student_id": students[199]["student_id"], "teacher_id": "T1", "rating": "基本满意"})
    votes[0]["rating"] = "不满意"  # 198 满意 + 1 基本满意 = 199 satisfied of 200, one 不满意
    records = {"satisfaction": votes,
               "conduct": [{"class_name": "三年级1班", "community": "1", "score": 95}],
               "grades": [{"student_id": s["student_id"], "class_name": "三年级1班", "previous": 500, "current": 500}
                          for s in students]}
    t = score_of([teacher("T1", 200)], students, records)["T1"]
    s = t["score"]
    # grades: nobody moved (all tied, percentile 50.25 both terms) → change 0 → tier ≥ 0 → 1
    # conduct: 95 of the grade's best 95 → 1; satisfaction: 199/200 = 99.5% → 0.8; one 不满意 → −1
    # total: 5 + 1 + 1 + 0.8 − 1 = 6.8 (nothing is not applicable: no scaling)
    assert (s["grades"], s["conduct"], s["satisfaction"], s["deductions"], s["total"]) == (1.0, 1.0, 0.8, 1.0, 6.8)
    assert s["detail"]["satisfied_ratio"] == 0.995 and s["not_applicable"] == []


def test_four_party_missing_part_is_incomplete_not_reweighted():
    records = {"four_party": [{"teacher_id": "T1", "self": 100},  # only a self-review: before, 100 and first
                              {"teacher_id": "T2", "self": 90, "students": 80, "teachers": 70},  # no school part
                              {"teacher_id": "T3", "self": 60, "students": 70, "teachers": 80, "school": 90}]}
    four = Settings.model_validate({"assessment": {"scheme": "four_party"}})
    people = score_of([teacher("T1"), teacher("T2"), teacher("T3")],
                      [pupil("A", "T1", "三年级1班"), pupil("B", "T2", "三年级1班"), pupil("C", "T3", "三年级1班")],
                      records, four)
    assert people["T1"]["score"]["status"] == "incomplete" and people["T1"]["rank"] is None
    assert people["T1"]["score"]["missing_parts"] == ["students", "teachers", "school"]
    assert people["T1"]["score"]["total"] is None
    t2 = people["T2"]["score"]
    assert (t2["status"], t2["missing_parts"], t2["total"], people["T2"]["rank"]) == ("incomplete", ["school"], None,
                                                                                        None)
    assert (t2["self"], t2["students"], t2["teachers"], t2["school"]) == (90.0, 80.0, 70.0, None)
    # T3: (60 + 70 + 80 + 90) × 0.25 = 75, the only one ranked
    assert (people["T3"]["score"]["total"], people["T3"]["rank"]) == (75.0, 1)
    # a school that weights the school part 0 does not need it: T2 = (90 + 80 + 70) × 0.25 / 0.75 = 80
    no_school = Settings.model_validate({"assessment": {"scheme": "four_party", "four_party_weights": {
        "self": 0.25, "students": 0.25, "teachers": 0.25, "school": 0}}})
    people = score_of([teacher("T2")], [pupil("B", "T2", "三年级1班")], records, no_school)
    assert (people["T2"]["score"]["status"], people["T2"]["score"]["total"]) == ("complete", 80.0)


def _grade_one_and_three():
    """一年级 has no marks at all; 三年级 has. G1 mentors in 一年级 only, G3 in 三年级 only, GX in both."""
    grades_of = {"一年级1班": "一年级", "三年级1班": "三年级"}
    students = [pupil("a1", "G1", "一年级1班", "1"), pupil("a2", "G1", "一年级1班", "2"),
                pupil("c1", "G3", "三年级1班", "1"), pupil("c2", "G3", "三年级1班", "1"),
                pupil("c3", "GX", "三年级1班", "2"), pupil("c4", "GX", "三年级1班", "2"),
                pupil("a3", "GX", "一年级1班", "2")]
    records = {
        # 三年级: last term c1 60, c2 70, c3 80, c4 90 → percentiles 25, 50, 75, 100; this term c1 90, c2 80,
        # c3 70, c4 60 → 100, 75, 50, 25. Changes: c1 +75, c2 +25, c3 −25, c4 −75.
        "grades": [{"student_id": k, "class_name": "三年级1班", "previous": p, "current": c}
                   for k, p, c in (("c1", 60, 90), ("c2", 70, 80), ("c3", 80, 70), ("c4", 90, 60))],
        "conduct": [{"class_name": "一年级1班", "community": "1", "score": 90},
                    {"class_name": "一年级1班", "community": "2", "score": 100}],
        "satisfaction": [{"student_id": s, "teacher_id": t, "rating": "满意"}
                         for s, t in (("a1", "G1"), ("a2", "G1"), ("c1", "G3"), ("c3", "GX"))],
    }
    return grades_of, students, records


def test_a_grade_one_mentor_without_marks_is_scaled_to_ten():
    grades_of, students, records = _grade_one_and_three()
    people = score_of([teacher("G1", 2), teacher("G3", 2), teacher("GX", 3)], students, records, grades=grades_of)
    g1 = people["G1"]["score"]
    # G1: grades not applicable (一年级 has no marks); conduct (90/100 + 100/100) / 2 = 0.95; satisfaction 2/2 → 1.
    # Applicable maxima: base 5 + conduct 1 + satisfaction 1 = 7; earned 5 + 0.95 + 1 = 6.95;
    # total = 6.95 × 10 / 7 = 9.928… → 9.93
    assert g1["grades"] is None and g1["not_applicable"] == ["grades"]
    assert (g1["conduct"], g1["satisfaction"], g1["total"]) == (0.95, 1.0, 9.93)
    assert (g1["detail"]["points"], g1["detail"]["applicable_max"], g1["detail"]["full_marks"]) == (6.95, 7.0, 10.0)
    g3 = people["G3"]["score"]
    # G3: grades mean(+75, +25) = +50 → 3; conduct: no 德育量化 for 三年级 → not applicable; satisfaction 1/1 → 1.
    # (5 + 3 + 1) × 10 / 9 = 10.0
    assert (g3["grades"], g3["conduct"], g3["satisfaction"], g3["total"]) == (3.0, None, 1.0, 10.0)
    assert g3["not_applicable"] == ["conduct"]
    gx = people["GX"]["score"]
    # GX mentors in both grades: 三年级 has marks, so grades apply — mean(−25, −75) = −50 → 0 (a3 has none);
    # conduct: c3, c4 in 三年级 community 2 (no score), a3 in 一年级 community 2: 100/100 → 1;
    # satisfaction 1/1 → 1; nothing is not applicable: 5 + 0 + 1 + 1 = 7
    assert (gx["grades"], gx["conduct"], gx["satisfaction"], gx["total"], gx["not_applicable"]) == \
        (0.0, 1.0, 1.0, 7.0, [])
    # ranking like with like: each is built from other parts, so each is first of its own score group — G3's
    # 10.0 from grades and votes is not ranked above GX's 7.0 from all three parts
    assert [(people[k]["score"]["group"], people[k]["rank"]) for k in ("GX", "G3", "G1")] == [
        ("grades+conduct+satisfaction", 1), ("grades+satisfaction", 1), ("conduct+satisfaction", 1)]


def test_missing_part_zero_counts_a_part_without_data_as_nothing():
    grades_of, students, records = _grade_one_and_three()
    zero = Settings.model_validate({"assessment": {"missing_part": "zero"}})
    people = score_of([teacher("G1", 2), teacher("G3", 2)], students, records, zero, grades_of)
    # G1: 5 + 0 + 0.95 + 1 = 6.95; G3: 5 + 3 + 0 + 1 = 9.0 (the old behaviour)
    assert (people["G1"]["score"]["grades"], people["G1"]["score"]["total"]) == (0.0, 6.95)
    assert (people["G3"]["score"]["conduct"], people["G3"]["score"]["total"]) == (0.0, 9.0)
    assert people["G1"]["score"]["not_applicable"] == [] and people["G1"]["score"]["detail"]["no_data"] == ["grades"]


def test_deductions_after_scaling_and_per_type():
    grades_of, students, records = _grade_one_and_three()
    records["deductions"] = ([{"teacher_id": "G1", "date": dt.date(2026, 10, 9), "kind": "教育效果不明显"}]
                             + [{"teacher_id": "G1", "date": dt.date(2026, 10, d), "kind": "其他"} for d in (12, 13, 14)])
    records["satisfaction"].append({"student_id": "a3", "teacher_id": "G1", "rating": "不满意"})
    # G1 now: 2 满意 of 3 votes = 66.7% → 0; earned 5 + 0.95 + 0 = 5.95; × 10 / 7 = 8.5
    # default: 1 不满意 × 1 + 1 教育效果不明显 × 1 + 3 其他 × 1 = 5 → 8.5 − 5 = 3.5
    people = score_of([teacher("G1", 2)], students, records, grades=grades_of)
    assert (people["G1"]["score"]["deductions"], people["G1"]["score"]["total"]) == (5.0, 3.5)
    assert people["G1"]["score"]["detail"]["deduction_cases_by_type"] == {"其他": 3, "教育效果不明显": 1}
    # per type from settings: 教育效果不明显 2, 其他 0.5; a 不满意 vote stays deduction_per_case 1:
    # 1 + 2 + 3 × 0.5 = 4.5 → 8.5 − 4.5 = 4.0
    typed = Settings.model_validate({"assessment": {"deduction_points": {"教育效果不明显": 2, "其他": 0.5}}})
    people = score_of([teacher("G1", 2)], students, records, typed, grades_of)
    assert (people["G1"]["score"]["deductions"], people["G1"]["score"]["total"]) == (4.5, 4.0)
    # still capped once: 教育效果不明显 4 points → 1 + 4 + 1.5 = 6.5, capped at 5 → 3.5
    heavy = Settings.model_validate({"assessment": {"deduction_points": {"教育效果不明显": 4, "其他": 0.5}}})
    people = score_of([teacher("G1", 2)], students, records, heavy, grades_of)
    assert people["G1"]["score"]["deductions"] == 5.0


def test_deduction_points_name_only_known_types(tmp_path):
    path = tmp_path / "school.toml"
    path.write_text('[assessment.deduction_points]\n"迟到" = 1\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="迟到"):
        load_settings(path)


def test_a_community_without_data_is_never_proposed():
    students = [pupil("a1", "T1", "三年级1班", "1"), pupil("a2", "T1", "三年级1班", "2"),
                pupil("a3", "T1", "三年级1班", "3", expected=0, met=0),  # paired today: nothing due yet
                pupil("a4", "T1", "三年级1班", "4", expected=10, met=5)]  # half its talks: off track
    records = {"conduct": [{"class_name": "三年级1班", "community": c, "score": v}
                           for c, v in (("1", 80), ("2", 90), ("3", 99), ("4", 98), ("5", 100))]}
    found = recognition([], students, _empty_pct(), records, {"三年级1班": "三年级"}, Settings())
    # community 5 scored best but has no member on the roster; 3 has no talk period due (no data); 4 is at 50%:
    # only 2 (90) and 1 (80) are proposed, in that order
    assert [(r["class"], r["id"]) for r in found if r["type"] == "community"] == [("三年级1班", "2"),
                                                                                  ("三年级1班", "1")]
    # a class with no 德育量化 at all has no candidate, whatever its talks
    found = recognition([], students, _empty_pct(), {"conduct": []}, {"三年级1班": "三年级"}, Settings())
    assert [r for r in found if r["type"] == "community"] == []


def _empty_pct():
    from workbook_engine.assessment.scoring import percentile_changes

    return percentile_changes([], {})


# -- real workbooks through `run` --------------------------------------------------------------------
def _class(seed: int, grade_no: int, name: str, grade: str):
    data = make_class(seed, grade_no, 1, students=4, mentors=1, until=UNTIL)
    data.class_name, data.grade = name, grade
    return data


def _assessment_book(path: Path, rows: dict[str, list[list]]) -> Path:
    """The blank 学校考核数据 template, filled in as an office would (填报信息 and the sheets given)."""
    wb = openpyxl.load_workbook(ASSESSMENT_TEMPLATE)
    info = {"学校": "青年路中学", "学年": "2026-2027", "学期": "第一学期", "填报部门": "教务处",
            "填表日期": dt.date(2026, 10, 19)}
    ws = wb["填报信息"]
    for r in range(2, ws.max_row + 1):
        key = str(ws.cell(r, 1).value or "").rstrip("*")
        if key in info:
            ws.cell(r, 2).value = info[key]
    for spec in ASSESSMENT_WORKBOOK.sheets:
        for row in rows.get(spec.key, []):
            wb[spec.name].append(row)
    wb.save(path)
    return path


@pytest.fixture
def primary(tmp_path):
    """一年级1班 (no marks) and 三年级1班, one subject mentor each with four mentees in communities 1-4."""
    box = tmp_path / "inbox"
    box.mkdir()
    one, three = _class(31, 1, "一年级1班", "一年级"), _class(33, 3, "三年级1班", "三年级")
    class_book(box, one, "一年级1班.xlsx")
    class_book(box, three, "三年级1班.xlsx")
    a = [s["student_id"] for s in one.sheets["students"]]
    c = [s["student_id"] for s in three.sheets["students"]]
    m1, m3 = one.sheets["students"][0]["mentor_id"], three.sheets["students"][0]["mentor_id"]
    rows = {
        # 三年级 only: last term 60, 70, 80, 90 (percentiles 25, 50, 75, 100), this term 90, 70, 80, 60
        # (100, 50, 75, 25): changes +75, 0, 0, −75 → mean 0 → 1 point for 三年级's mentor
        "grades": [[sid, None, "三年级1班", p, n] for sid, p, n in zip(c, (60, 70, 80, 90), (90, 70, 80, 60))],
        # 一年级1班 communities 1 and 2; 一年级2班 sent no workbook (its row is warned, never a candidate)
        "conduct": [["一年级1班", "1", 90], ["一年级1班", "2", 100], ["一年级2班", "1", 150]],
        # 一年级: 4 of 4 satisfied → 1; 三年级: 3 of 4 → 75% → 0, and one 不满意
        "satisfaction": [[sid, m1, "满意"] for sid in a] + [[sid, m3, "满意"] for sid in c[:3]] + [[c[3], m3, "不满意"]],
        "deductions": [[m3, dt.date(2026, 10, 9), "教育效果不明显", "作业未跟进"]],
        "school_work": [[dt.date(2026, 9, 28), "专题会议", "高校长", "各班班主任", "逐班排查需关注学生", a[0]],
                        [dt.date(2026, 10, 16), "导师培训", "迟副校长", "全体导师", "谈心技巧", None]],
        # rows 2-4: a[0] by three; rows 5-7: a[1] by three; row 8: a[2] by one; row 9: 张三 again for a[0]
        # (counted once, warned); rows 10-11: c[0] by two; row 12: c[1] by one; row 13: a student on no roster
        "star_nominations": [[a[0], "张三", "主动帮同学讲题"], [a[0], "李四", None], [a[0], "王五", None],
                             [a[1], "赵六", None], [a[1], "钱七", None], [a[1], "孙八", None],
                             [a[2], "周九", None], [a[0], "张三", "又帮了我"],
                             [c[0], "吴一", None], [c[0], "郑二", None], [c[1], "冯三", None],
                             ["29999999", "陈四", None]],
    }
    _assessment_book(box / "学校考核数据.xlsx", rows)
    (box / "school.toml").write_text(school_toml(["一年级1班", "三年级1班"]), encoding="utf-8")
    return box, one, three, m1, m3


def test_run_scores_a_primary_school_with_parts_not_applicable(primary, tmp_path):
    box, _, _, m1, m3 = primary
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    teachers = {t["teacher_id"]: t for t in json.loads((term_dir(tmp_path / "out") / "report.json").read_text("utf-8"))["teachers"]}
    s1, s3 = teachers[m1]["score"], teachers[m3]["score"]
    # 一年级 mentor: grades not applicable; conduct: mentees in communities 1-4, scores for 1 (90) and 2 (100) of the
    # grade's best 100 → (0.9 + 1.0) / 2 = 0.95; satisfaction 4/4 → 1. (5 + 0.95 + 1) × 10 / 7 = 9.928… → 9.93
    assert (s1["grades"], s1["conduct"], s1["satisfaction"], s1["total"]) == (None, 0.95, 1.0, 9.93)
    assert s1["not_applicable"] == ["grades"]
    # 三年级 mentor: grades 1; conduct not applicable (no 德育量化 for 三年级1班); satisfaction 0; deductions
    # 1 不满意 + 1 教育效果不明显 = 2. (5 + 1 + 0) × 10 / 9 − 2 = 6.667 − 2 = 4.67
    assert (s3["grades"], s3["conduct"], s3["satisfaction"], s3["deductions"], s3["total"]) == \
        (1.0, None, 0.0, 2.0, 4.67)
    # built from other parts (conduct and votes; grades and votes), each is ranked in its own score group
    assert [(teachers[m]["score"]["group"], teachers[m]["rank"]) for m in (m1, m3)] == [
        ("conduct+satisfaction", 1), ("grades+satisfaction", 1)]
    summary = term_dir(result.out) / "汇总_2026-2027第一学期.xlsx"
    rows = sheet_rows(summary, "导师考核")
    header = rows[0]
    assert header[4:11] == ("基础分", "成绩", "德育", "满意度", "扣分", "总分", "排名") and header[-1] == "说明"
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id[m1][5] == "不适用" and float(by_id[m1][9]) == 9.93
    assert by_id[m1][-1] == "成绩不适用：总分按适用各项满分 7 分折算为 10 分"  # (the group's heading says the rest)
    assert by_id[m3][6] == "不适用" and by_id[m3][-1] == "德育不适用：总分按适用各项满分 9 分折算为 10 分"
    # the class's own feedback book shows the same
    feedback = sheet_rows(term_dir(result.out) / "班级反馈" / "一年级1班.xlsx", "导师得分")
    mine = next(r for r in feedback[1:] if r[1] == m1)
    assert mine[5] == "不适用" and mine[-1].startswith("成绩不适用")  # 班级, 工号, 姓名, 受导人数, 基础分, 成绩


def test_run_with_missing_part_zero(primary, tmp_path):
    box, _, _, m1, m3 = primary
    toml = box / "school.toml"
    toml.write_text(toml.read_text("utf-8") + '\n[assessment]\nmissing_part = "zero"\n', encoding="utf-8")
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    teachers = {t["teacher_id"]: t for t in result.report["teachers"]}
    # 一年级: 5 + 0 + 0.95 + 1 = 6.95; 三年级: 5 + 1 + 0 + 0 − 2 = 4.0
    assert (teachers[m1]["score"]["total"], teachers[m3]["score"]["total"]) == (6.95, 4.0)
    by_id = {r[0]: r for r in sheet_rows(term_dir(result.out) / "汇总_2026-2027第一学期.xlsx", "导师考核")[1:]}
    assert float(by_id[m1][5]) == 0 and by_id[m1][-1] == "成绩无数据，记 0 分"


def test_run_proposes_candidates_from_data_only(primary, tmp_path):
    box, one, three, _, _ = primary
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    problems = {(p.sheet, p.cell, p.code) for f in result.files for p in f.problems}
    # 一年级2班 sent no workbook: its 德育量化 row (row 4, the highest score) is warned and proposes nothing
    # (rows appended by openpyxl land below the template's 25 ruled rows: the cell is the row it was written to)
    assert [(sheet, code) for sheet, _, code in problems if sheet == "德育量化"] == [("德育量化", "assessment-unknown-class")]
    communities = [(r["class"], r["id"]) for r in result.recognition if r["type"] == "community"]
    assert ("一年级2班", "1") not in communities
    assert all(cls == "一年级1班" for cls, _ in communities)  # 三年级1班 has no 德育量化: no candidate
    # 乐于助人小明星: 一年级1班 a[0] and a[1] tie with 3 nominations each (张三's second counts once);
    # 三年级1班 c[0] with 2. The unknown 学号 is warned and not counted.
    a = [s["student_id"] for s in one.sheets["students"]]
    c = [s["student_id"] for s in three.sheets["students"]]
    stars = [(r["class"], r["id"], r["value"], r["tied"]) for r in result.recognition if r["type"] == "star"]
    assert stars == [("一年级1班", a[0], 3, True), ("一年级1班", a[1], 3, True), ("三年级1班", c[0], 2, False)]
    # rows 9 and 13 of the data, appended below the template's 25 ruled rows (+25)
    assert ("小明星推荐", "A34", "duplicate-nomination") in problems
    assert ("小明星推荐", "A38", "assessment-unknown-student") in problems
    listed = [r for r in sheet_rows(term_dir(result.out) / "汇总_2026-2027第一学期.xlsx", "表彰建议")[1:] if r[0] == "乐于助人小明星"]
    names = {s["student_id"]: s["name"] for s in one.sheets["students"]}
    assert [(r[2], r[4], r[6]) for r in listed[:2]] == [
        ("一年级1班", a[0], f"获 3 人推荐（与{names[a[1]]}并列最多）"),
        ("一年级1班", a[1], f"获 3 人推荐（与{names[a[0]]}并列最多）")]
    summary_text = " ".join(str(v) for r in sheet_rows(term_dir(result.out) / "汇总_2026-2027第一学期.xlsx", "表彰建议") for v in r)
    assert "主动帮同学讲题" not in summary_text  # the reasons typed stay out of the summary
    # 学校工作记录 is read and merged
    merged = sheet_rows(term_dir(result.out) / "合并数据_2026-2027第一学期.xlsx", "学校工作记录")
    assert [(r[3], r[4]) for r in merged[1:]] == [("专题会议", "高校长"), ("导师培训", "迟副校长")]


def test_run_four_party_shows_all_four_parts(primary, tmp_path):
    box, _, _, m1, m3 = primary
    book = box / "学校考核数据.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["四方评议"].append([m1, 90, 80, 70, None])  # no 学校评议
    wb["四方评议"].append([m3, 60, 70, 80, 90])
    wb.save(book)
    toml = box / "school.toml"
    toml.write_text(toml.read_text("utf-8") + '\n[assessment]\nscheme = "four_party"\n', encoding="utf-8")
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    teachers = {t["teacher_id"]: t for t in result.report["teachers"]}
    assert teachers[m1]["score"]["status"] == "incomplete" and teachers[m1]["rank"] is None
    assert teachers[m3]["score"]["total"] == 75.0 and teachers[m3]["rank"] == 1  # (60+70+80+90) / 4
    rows = sheet_rows(term_dir(result.out) / "汇总_2026-2027第一学期.xlsx", "导师考核")
    assert rows[0][4:10] == ("自评", "学生评议", "教师评议", "学校评议", "总分", "排名")
    by_id = {r[0]: r for r in rows[1:]}
    assert [float(v) for v in by_id[m1][4:7]] == [90, 80, 70] and by_id[m1][7] == "未交"
    assert by_id[m1][8] is None and by_id[m1][9] is None
    assert by_id[m1][-1] == "四方评议不完整：缺学校评议，不计总分、不排名"
    assert rows[1][0].startswith("考核组 1（评价项目：自评、学生评议、教师评议、学校评议）：1 人")
    assert rows[2][0] == m3  # the ranked teacher first, under the heading of its group
