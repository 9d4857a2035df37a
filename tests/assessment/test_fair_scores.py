"""Fair scores (《全员育人导师制实施方案》七、考核评价; 《小学学情会商制度实施方案》: 表扬与奖励): every deduction case counts once,
mentors are compared with those scored on the same parts, a score of the base alone has no total, the termly list
is 学期表扬, and ties are shown as ties. Every expected figure is computed by hand in a comment, from the settings'
defaults: base 5; grade tiers mean percentile change ≥ 5 → 3, ≥ 2 → 2, ≥ 0 → 1; conduct max 1; satisfaction
100% → 1, ≥ 90% → 0.8, ≥ 80% → 0.6, below → 0; 1 point per 不满意 vote and per 教育效果不明显 case, at most 5."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from tests.builders import assessment_book, class_book, office_book
from tests.helpers.terms import term_dir
from workbook_engine.assessment.scoring import recognition, score_teachers, top_with_ties
from workbook_engine.pipeline import run_inbox
from workbook_engine.settings import Settings
from workbook_engine.writing.samples import make_class

UNTIL = dt.date(2026, 10, 20)
T1, T2 = "070101", "070102"  # 七年级1班 (8 students, 2 mentors): T1 has students 1, 3, 5, 7; T2 has 2, 4, 6, 8


def _summary(result) -> openpyxl.Workbook:
    """The run's summary workbook, in the term's folder."""
    return openpyxl.load_workbook(next(term_dir(result.out).glob("汇总_*.xlsx")))


def _report(result) -> dict:
    return json.loads((term_dir(result.out) / "report.json").read_text("utf-8"))


def _case(sid_label: str) -> list:
    return [T1, dt.date(2026, 10, 20), "教育效果不明显", f"{sid_label} 作业多次未完成，未见跟进"]


@pytest.fixture
def audit_school(tmp_path) -> Path:
    """The audit's school: 教务处 records two 教育效果不明显 cases against T1 on 10/20 (A01, A02), 政教处 a third the
    same day (B01) — and also sends 教务处's A01 case again, and its own B01 case twice."""
    box = tmp_path / "inbox"
    box.mkdir()
    cls = make_class(1, 7, 1, students=8, mentors=2, until=UNTIL)
    class_book(box, cls, "七年级1班.xlsx")
    ids = [s["student_id"] for s in cls.sheets["students"]]
    mine, theirs = ids[0::2], ids[1::2]  # T1: students 1, 3, 5, 7; T2: 2, 4, 6, 8
    # grades: T1's mentees were the cohort's bottom four last term and are its top four now
    grades = [[sid, None, "七年级1班", 60 + i, 90 + i] for i, sid in enumerate(mine)]
    grades += [[sid, None, "七年级1班", 70 + i, 80 + i] for i, sid in enumerate(theirs)]
    votes = [[sid, T1, "满意"] for sid in mine[:3]] + [[mine[3], T1, "不满意"]]
    office_book(box / "教务处.xlsx", "教务处", dt.date(2026, 10, 20), {
        "grades": grades, "satisfaction": votes, "deductions": [_case("A01"), _case("A02")]})
    # communities (student n is in community (n − 1) % 5 + 1): T1's students 1, 3, 5, 7 are in 1, 3, 5, 2
    conduct = [["七年级1班", "1", 100], ["七年级1班", "2", 0], ["七年级1班", "3", 50], ["七年级1班", "4", 20],
               ["七年级1班", "5", 50]]
    office_book(box / "政教处.xlsx", "政教处", dt.date(2026, 10, 20), {
        "conduct": conduct, "deductions": [_case("B01"), _case("A01"), _case("B01")]})  # rows 2, 3, 4
    return box


def test_every_case_counts_once(audit_school, tmp_path):
    result = run_inbox(audit_school, tmp_path / "out", as_of=UNTIL)
    t1 = next(t for t in _report(result)["teachers"] if t["teacher_id"] == T1)
    s = t1["score"]
    # grades: cohort of 8; T1's four go from percentiles 12.5, 25, 37.5, 50 to 62.5, 75, 87.5, 100: +50 each, mean
    # +50 ≥ 5 → 3. conduct: communities 1, 3, 5, 2 score 100, 50, 50, 0 of the grade's best 100 → (1 + 0.5 + 0.5 + 0)
    # / 4 = 0.5 → 0.5. satisfaction: 3 满意 of 4 votes = 75% < 80% → 0. Every part applies: no scaling.
    # deductions: three cases (A01, A02 from 教务处; B01 from 政教处) × 1 + one 不满意 vote × 1 = 4.0 — not 2.0:
    # the same day and type with another 事由 is another case; 政教处's copy of A01 and its second B01 count once.
    # total = 5 + 3 + 0.5 + 0 − 4 = 4.5 (was 6.5)
    assert (s["base"], s["grades"], s["conduct"], s["satisfaction"]) == (5.0, 3.0, 0.5, 0.0)
    assert (s["detail"]["deduction_cases"], s["detail"]["unsatisfied_votes"], s["deductions"], s["total"]) == \
        (3, 1, 4.0, 4.5)
    # nothing listed as a conflict; the copy of A01 from the other office is a duplicate counted once
    report = _report(result)
    assert report["conflicts"] == [] and report["summary"]["duplicates"] == {"考核扣分": 1}
    # the repeated B01 inside 政教处's own sheet (row 4) is warned at its cell and counted once, in both languages
    zj = next(f for f in result.files if f.name == "政教处.xlsx")
    dup = [p for p in zj.problems if p.code == "duplicate-deduction"]
    assert [(p.sheet, p.cell) for p in dup] == [("考核扣分", "A4")]
    assert dup[0].message() == f"工号 {T1} 的这一扣分（同日期、类型、事由）已记录过，只计一次"
    assert dup[0].message("en") == \
        f"this deduction for {T1} (same date, type and reason) is already recorded; counted once"


def test_a_case_dated_in_another_term_is_not_this_term_s(audit_school, tmp_path):
    """教务处 keeps one running 考核扣分 sheet and sends it again: its case of 2026-06-15 (last school year's second
    term) is warned at its date cell and not counted; the audit's three cases and one 不满意 vote still cost 4.0."""
    book = audit_school / "教务处.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["考核扣分"].append([T1, dt.date(2026, 6, 15), "其他", "上学年第二学期的一次"])  # row 4
    wb.save(book)
    result = run_inbox(audit_school, tmp_path / "out", as_of=UNTIL)
    s = next(t for t in _report(result)["teachers"] if t["teacher_id"] == T1)["score"]
    assert (s["detail"]["deduction_cases"], s["deductions"], s["total"]) == (3, 4.0, 4.5)
    jw = next(f for f in result.files if f.name == "教务处.xlsx")
    late = [p for p in jw.problems if p.code == "deduction-outside-term"]
    assert [(p.sheet, p.cell) for p in late] == [("考核扣分", "B4")]
    # no settings: the default dates of 第一学期, 2026-09-01 to 2027-01-31
    assert late[0].message() == "扣分日期 2026-06-15 不在本学期（2026-09-01 – 2027-01-31）内，此扣分不计入本学期考核"
    assert late[0].message("en") == ("the deduction's date 2026-06-15 is outside this term (2026-09-01 – 2027-01-31); "
                                     "it is not counted this term")


def _three_grades() -> tuple[list, list, dict, dict]:
    """T3 teaches only 一年级 (no marks, no 德育量化, no votes); TA in 三年级 with every part; TB in 二年级 with
    conduct and votes only (二年级 has no marks); TC in 三年级 like TA."""
    grades_of = {"一年级1班": "一年级", "二年级1班": "二年级", "三年级1班": "三年级"}

    def teacher(tid: str, mentees: int) -> dict:
        return {"teacher_id": tid, "name": f"老师{tid}", "classes": [], "mentees": mentees, "status": "on_track",
                "talk_rate": 1.0, "parent_rate": 1.0}

    def pupil(sid: str, tid: str, cls: str, community: str = "1") -> dict:
        return {"student_id": sid, "name": f"学生{sid}", "class": cls, "mentor_id": tid, "community": community,
                "talk_periods_expected": 4, "talk_periods_met": 4}

    people = [teacher("T3", 2), teacher("TA", 2), teacher("TB", 2), teacher("TC", 2)]
    students = [pupil("a1", "T3", "一年级1班"), pupil("a2", "T3", "一年级1班"),
                pupil("b1", "TB", "二年级1班"), pupil("b2", "TB", "二年级1班"),
                pupil("c1", "TA", "三年级1班", "1"), pupil("c2", "TA", "三年级1班", "1"),
                pupil("c3", "TC", "三年级1班", "2"), pupil("c4", "TC", "三年级1班", "2")]
    records = {
        # 三年级: last term c1..c4 = 60, 70, 80, 90 (percentiles 25, 50, 75, 100); this term all 80 (62.5 each):
        # changes +37.5, +12.5, −12.5, −37.5 → TA mean +25 → 3; TC mean −25 → 0
        "grades": [{"student_id": k, "class_name": "三年级1班", "previous": p, "current": 80}
                   for k, p in (("c1", 60), ("c2", 70), ("c3", 80), ("c4", 90))],
        "conduct": [{"class_name": "二年级1班", "community": "1", "score": 100},
                    {"class_name": "三年级1班", "community": "1", "score": 90},
                    {"class_name": "三年级1班", "community": "2", "score": 90}],
        "satisfaction": [{"student_id": s, "teacher_id": t, "rating": "满意"}
                         for s, t in (("b1", "TB"), ("b2", "TB"), ("c1", "TA"), ("c2", "TA"), ("c3", "TC"),
                                      ("c4", "TC"))],
    }
    return people, students, records, grades_of


def test_like_is_compared_with_like_and_the_base_alone_has_no_total():
    people, students, records, grades_of = _three_grades()
    score_teachers(people, students, records, grades_of, Settings())
    by = {p["teacher_id"]: p for p in people}
    # T3: no part evaluated — before, points 5.0 of an applicable 5.0, total 10, rank 1. Now: no total, no rank.
    t3 = by["T3"]["score"]
    assert (t3["status"], t3["base"], t3["total"], t3["group"], by["T3"]["rank"]) == \
        ("nothing_evaluated", 5.0, None, None, None)
    # TA: 5 + 3 + 1 (90 of the grade's best 90) + 1 (2/2) = 10.0; TC: 5 + 0 + 1 + 1 = 7.0 — one group of two
    # TB: conduct 100/100 → 1, votes 2/2 → 1: (5 + 1 + 1) × 10 / 7 = 10.0 — a group of its own, not above TA or TC
    assert [(k, by[k]["score"]["total"], by[k]["score"]["group"], by[k]["rank"], by[k]["score"]["group_size"])
            for k in ("TA", "TC", "TB")] == [
        ("TA", 10.0, "grades+conduct+satisfaction", 1, 2), ("TC", 7.0, "grades+conduct+satisfaction", 2, 2),
        ("TB", 10.0, "conduct+satisfaction", 1, 1)]
    # recognition proposes from the best-evaluated group first: with two places, TA then TC (TB's 10.0 from two
    # parts comes after both); T3 never
    one = Settings.model_validate({"assessment": {"outstanding_mentors": 2}})
    found = recognition(people, students, records_pct(records, grades_of), records, grades_of, one)
    assert [r["id"] for r in found if r["type"] == "term_praise"] == ["TA", "TC"]
    three = Settings.model_validate({"assessment": {"outstanding_mentors": 4}})
    found = recognition(people, students, records_pct(records, grades_of), records, grades_of, three)
    assert [r["id"] for r in found if r["type"] == "term_praise"] == ["TA", "TC", "TB"]
    assert not [r for r in found if r["type"] == "mentor"]  # 优秀导师 is the yearly award only


def records_pct(records: dict, grades_of: dict):
    from workbook_engine.assessment.scoring import percentile_changes

    return percentile_changes(records["grades"], grades_of)


def test_ties_at_the_last_place_are_all_listed():
    # ordered by the measure, then the tie rule: 85, 85, 85, 70 with two places → all three 85s (tied for 1st)
    items = [("x", 85.0), ("y", 85.0), ("z", 85.0), ("w", 70.0)]
    assert top_with_ties(items, lambda i: i[1], 2) == [(1, True, items[0]), (1, True, items[1]), (1, True, items[2])]
    # 90, 85, 85, 70 with two places → 90 (1st, alone), then both 85s (tied for 2nd); 70 is out
    items = [("x", 90.0), ("y", 85.0), ("z", 85.0), ("w", 70.0)]
    assert top_with_ties(items, lambda i: i[1], 2) == [(1, False, items[0]), (2, True, items[1]),
                                                        (2, True, items[2])]


def test_two_communities_tied_are_both_listed_with_the_rule(tmp_path):
    # the audit: two 优秀学生发展共同体 at 85.0 and 100% talks, one place: both are listed, each marked tied
    students = [{"class": "七年级1班", "community": k, "student_id": f"s{k}", "name": f"学生{k}",
                 "talk_periods_expected": 4, "talk_periods_met": 4} for k in ("1", "2", "3")]
    records = {"conduct": [{"class_name": "七年级1班", "community": "1", "score": 85},
                           {"class_name": "七年级1班", "community": "2", "score": 85},
                           {"class_name": "七年级1班", "community": "3", "score": 80}]}
    one = Settings.model_validate({"assessment": {"outstanding_communities": 1}})
    for lang, tied in (("zh", "（并列第 1 名）"), ("en", " (tied for place 1)")):
        found = [r for r in recognition([], students, records_pct({"grades": []}, {}), records, {}, one, lang)
                 if r["type"] == "community"]
        assert [(r["id"], r["rank"], r["tied"]) for r in found] == [("1", 1, True), ("2", 1, True)]
        assert all(r["reason"].endswith(tied) for r in found)


def test_a_term_with_no_mentor_to_praise_says_so(audit_school, tmp_path):
    """The audit's school: T1 and T2 are ranked, but neither met 95% of the talks and parent contacts due (the
    generator's talks stop short of every week), so 学期表扬 proposes nobody; the 表彰建议 sheet says so in one
    row instead of leaving the category out without a word."""
    for lang, praise, none in (("zh", "学期表扬", "无：没有既在考核中排名、谈心和家长联系又都达标（≥ 95%）的导师"),
                               ("en", "term praise",
                                "none: no mentor is both ranked and on track (≥ 95%) in talks and parent contacts")):
        result = run_inbox(audit_school, tmp_path / f"out-{lang}", as_of=UNTIL, lang=lang)
        teachers = _report(result)["teachers"]
        assert {t["teacher_id"] for t in teachers if t["rank"]} == {T1, T2}
        assert not [t for t in teachers if t["rank"] and t["status"] == "on_track"]
        assert "term_praise" not in {r["type"] for r in result.recognition}
        ws = _summary(result)["表彰建议" if lang == "zh" else "Recognition"]
        rows = [[v for v in r if v is not None] for r in ws.iter_rows(values_only=True)]
        assert [praise, none] in rows


def test_the_t3_example_in_a_run(tmp_path):
    """T3 (010101) mentors only in 一年级1班 and nothing about them is evaluated; 七年级1班's mentors have votes."""
    box = tmp_path / "inbox"
    box.mkdir()
    class_book(box, make_class(1, 1, 1, students=4, mentors=1, until=UNTIL), "一年级1班.xlsx")
    seven = make_class(1, 7, 1, students=4, mentors=1, until=UNTIL)
    class_book(box, seven, "七年级1班.xlsx")
    assessment_book(box / "学校考核数据.xlsx", {"satisfaction": [[s["student_id"], T1, "满意"]
                                                          for s in seven.sheets["students"]]})
    for lang in ("zh", "en"):
        result = run_inbox(box, tmp_path / f"out-{lang}", as_of=UNTIL, lang=lang)
        teachers = {t["teacher_id"]: t for t in _report(result)["teachers"]}
        t3, t1 = teachers["010101"], teachers[T1]
        assert (t3["score"]["status"], t3["score"]["total"], t3["rank"], t3["score"]["group"]) == \
            ("nothing_evaluated", None, None, None)
        # T1: votes 4/4 → 1; (5 + 1) × 10 / 6 = 10.0, first of the one-part group "satisfaction" (1 mentor)
        assert (t1["score"]["total"], t1["score"]["group"], t1["rank"], t1["score"]["group_size"]) == \
            (10.0, "satisfaction", 1, 1)
        assert "010101" not in {r["id"] for r in result.recognition}
        ws = _summary(result).worksheets[1]  # 导师考核 / the teachers' sheet
        rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
        heads = [r[0] for r in rows if not str(r[0]).isdigit()]
        if lang == "zh":
            assert heads[:2] == ["考核组 1（评价项目：满意度）：1 人，组内排名",
                                 "不排名：3 人（无受导学生、无可评分项或四方评议不完整）"]
            assert next(r for r in rows if r[0] == "010101")[-1] == "无可评分项：只有基础分，不计总分、不排名、不评优"
        else:
            assert heads[:2] == ["Score group 1 (evaluated on: satisfaction): 1 in the group, ranked within it",
                                 "Not ranked: 3 (no mentees, nothing evaluated, or an incomplete four-party review)"]
            assert next(r for r in rows if r[0] == "010101")[-1] == \
                "nothing evaluated: only the base, so no total, no rank, no award"


@pytest.mark.parametrize("as_of, load, conduct", [
    # 10-10: student 7 (paired 10-19) has not joined 070101 yet; student 11 (left 10-30) is still 070102's
    (dt.date(2026, 10, 10), {"070101": 3, "070102": 4}, 0.75),
    # 11-20: student 7 counts for 070101; student 11 left on 10-30 and counts for nobody
    (dt.date(2026, 11, 20), {"070101": 4, "070102": 3}, 1.0)])
def test_leavers_stop_counting_and_newcomers_start(tmp_path, as_of, load, conduct):
    # 七年级1班, 11 students, 3 mentors: 070101 has students 1, 4, 7, 10; 070102 has 2, 5, 8, 11; 070103 has 3, 6, 9
    box = tmp_path / "inbox"
    box.mkdir()
    cls = make_class(1, 7, 1, students=11, mentors=3, until=as_of)
    class_book(box, cls, "七年级1班.xlsx")
    # 070102's students 2, 5, 8, 11 are in communities 2, 5, 3, 1; community 1 scored 0, the others the best 100
    assessment_book(box / "学校考核数据.xlsx", {"conduct": [["七年级1班", str(k), 0 if k == 1 else 100]
                                                      for k in range(1, 6)]})
    result = run_inbox(box, tmp_path / "out", as_of=as_of)
    report = _report(result)
    teachers = {t["teacher_id"]: t for t in report["teachers"]}
    assert {k: teachers[k]["mentees"] for k in load} == load
    assert {m["teacher_id"]: m["mentees"] for m in report["mentors"] if m["teacher_id"] in load} == load
    # conduct of 070102: with student 11 (community 1: 0 of 100) (1 + 1 + 1 + 0) / 4 = 0.75; after 10-30 without
    # them (1 + 1 + 1) / 3 = 1.0
    assert teachers["070102"]["score"]["conduct"] == conduct


def test_a_subject_teacher_with_one_mentee_is_warned(tmp_path):
    # 七年级1班, 7 students, 3 mentors: 070101 has students 1, 4, 7; 070102 has 2, 5; 070103 has 3, 6. Student 6 is
    # re-paired with 070101: 070103 keeps one mentee (student 3) — fewer than min_mentees 2 — and is warned at its
    # 导师名单 row (row 5: the head teacher, then 070101..070103); 070102 with two is not.
    box = tmp_path / "inbox"
    box.mkdir()
    cls = make_class(1, 7, 1, students=7, mentors=3, until=UNTIL)
    cls.sheets["students"][5]["mentor_id"] = "070101"
    class_book(box, cls, "七年级1班.xlsx")
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    found = [p for f in result.files for p in f.problems if p.code == "too-few-mentees"]
    assert [(p.sheet, p.cell, p.value) for p in found] == [("导师名单", "A5", "070103")]
    assert found[0].message() == "科任导师 070103 在各班共带受导学生 1 名，少于 2 名（每位任课教师需要受导多名学生）"
    assert found[0].message("en") == \
        "subject teacher 070103 mentors 1, fewer than 2 over all classes (each subject teacher mentors several " \
        "students)"
    # min_mentees = 0: not checked
    (box / "school.toml").write_text("[policy]\nmin_mentees = 0\n", encoding="utf-8")
    result = run_inbox(box, tmp_path / "out2", as_of=UNTIL)
    assert not [p for f in result.files for p in f.problems if p.code == "too-few-mentees"]


# -- quieter and truer words ------------------------------------------------------------------------------------
def test_a_class_s_first_term_without_last_term_grades_is_one_line(tmp_path):
    # a first run (no ledger): 七年级1班's 4 grade rows leave 上学期成绩 blank — one line for the class at the first
    # row's 上学期成绩 (row 2, column D), not a warning for each of the 4 students
    box = tmp_path / "inbox"
    box.mkdir()
    cls = make_class(1, 7, 1, students=4, mentors=1, until=UNTIL)
    class_book(box, cls, "七年级1班.xlsx")
    assessment_book(box / "学校考核数据.xlsx", {"grades": [[s["student_id"], None, "七年级1班", None, 80]
                                                     for s in cls.sheets["students"]]})
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    found = [p for f in result.files for p in f.problems if p.code.startswith("grade-baseline")]
    assert [(p.sheet, p.cell, p.code) for p in found] == [("成绩", "D2", "grade-baseline-first-term")]
    assert found[0].message() == "班级“七年级1班”本学期是在本校的第一个学期：4 名学生没有上学期成绩，成绩进步一项对他们不适用"
    assert found[0].message("en") == ("class '七年级1班' is in its first term at the school: 4 students have no "
                                      "上学期成绩, so grade change does not apply to them")


class _Ledger:
    """A ledger whose last term knows 一年级1班 and 二年级1班 (last year's classes of those names) and no grades."""

    def before(self, school_year, term):
        return (1, "2025-2026", "第二学期")

    def grades(self, term_id):
        return {}

    def class_figures(self, term_id):
        return {"一年级1班": {}, "二年级1班": {}}


@pytest.mark.parametrize("term, codes", [
    # the lowest grade's 第一学期: 一年级1班 is a new cohort (the ledger's 一年级1班 was last year's): one line;
    # 二年级1班 was in the ledger's last term: its students should have grades there — one warning each
    ("第一学期", ["grade-baseline-first-term", "grade-baseline-missing", "grade-baseline-missing"]),
    # 第二学期: 一年级1班 was at the school last term — each student is warned
    ("第二学期", ["grade-baseline-missing"] * 4)])
def test_the_lowest_grade_s_first_term_is_one_line(term, codes, monkeypatch):
    import workbook_engine.assessment.across_terms as across

    rows = [{"student_id": f"a{i}", "class_name": "一年级1班", "previous": None, "current": 90} for i in (0, 1)]
    rows += [{"student_id": f"b{i}", "class_name": "二年级1班", "previous": None, "current": 90} for i in (0, 1)]
    raised = []
    monkeypatch.setattr(across, "_warn", lambda files, rec, sheet, field, code, value, detail="": raised.append(code))
    across.grade_baseline({"grades": rows}, [], _Ledger(), "2026-2027", term,
                          {"一年级1班": "一年级", "二年级1班": "二年级"}, "一年级")
    assert raised == codes


def test_a_month_that_required_nothing_says_so(school, tmp_path):
    # the 国庆 holiday runs to 10-23: October keeps 6 teaching days of 22 weekdays (10-26..30, the make-up 10-10),
    # fewer than half — it required no meeting. By 12-10 it is over: 不要求; January has not ended: 未到期.
    box, _, _ = school
    toml = box / "school.toml"
    toml.write_text(toml.read_text("utf-8").replace("end = 2026-10-08", "end = 2026-10-23"), encoding="utf-8")
    for lang, words in (("zh", ("不要求", "未到期")), ("en", ("not required", "not due"))):
        result = run_inbox(box, tmp_path / lang, as_of=dt.date(2026, 12, 10), lang=lang)
        work = result.report["school_work"]
        assert (work["months_expected"], work["months_met"]) == (2, 2)  # September and November, both held
        ws = _summary(result).worksheets
        sheet = next(w for w in ws if w.title in ("学校工作", "School work"))
        states = {r[0]: r[3] for r in sheet.iter_rows(min_row=2, values_only=True)}
        assert (states["2026-10"], states["2027-01"]) == words


@pytest.mark.parametrize("as_of, overdue", [(dt.date(2026, 10, 30), 4), (dt.date(2026, 10, 23), 0)])
def test_an_overdue_list_beside_a_100_percent_rate_is_explained(tmp_path, as_of, overdue):
    # every student of 七年级1班 talked with their mentor every day up to Monday 10-19: every week due is met (talk
    # rate 100%). On 10-30, 9 teaching days have passed since (10-20..23, 10-26..30), more than a week's 5: all 4
    # are overdue, though the week of 10-26 has not ended and the rate is still 100% — the overview says why.
    # On 10-23 only 4 teaching days have passed: nobody is overdue and there is nothing to explain.
    box = tmp_path / "inbox"
    box.mkdir()
    cls = make_class(1, 7, 1, students=4, mentors=1, until=dt.date(2026, 10, 19))
    template = cls.sheets["talks"][0]
    days = [dt.date(2026, 9, 1) + dt.timedelta(days=i) for i in range(49)]  # 9-01 .. 10-19
    cls.sheets["talks"] = [{**template, "date": d, "student_id": s["student_id"], "student_name": s["name"]}
                           for s in cls.sheets["students"] for d in days]
    contact = cls.sheets["contacts"][0]  # and a parent contact each month: 9-17 and 10-16 (parent rate 100%)
    cls.sheets["contacts"] = [{**contact, "date": d, "student_id": s["student_id"], "student_name": s["name"]}
                              for s in cls.sheets["students"] for d in (dt.date(2026, 9, 17), dt.date(2026, 10, 16))]
    class_book(box, cls, "七年级1班.xlsx")
    for lang, note in (("zh", "说明：达标率按已结束的周期计算，逾期名单按距上次谈心（家长联系）的天数计算"),
                       ("en", "Note: the rates count completed periods, the overdue list the days since")):
        result = run_inbox(box, tmp_path / f"out-{lang}", as_of=as_of, lang=lang)
        assert result.compliance.school_rates()[0] == 1.0
        assert len(result.compliance.overdue) == overdue  # (all for talks: the parents were contacted on 10-16)
        overview = [str(c) for r in _summary(result).worksheets[0].iter_rows(values_only=True) for c in r if c]
        assert sum(c.startswith(note) for c in overview) == (1 if overdue else 0)


def test_the_year_s_mentors_are_compared_like_with_like():
    from types import SimpleNamespace

    from workbook_engine.assessment.across_terms import yearly_mentors, yearly_recognition

    full = {"scheme": "points", "grades": 1.0, "conduct": 1.0, "satisfaction": 1.0}
    no_grades = {**full, "grades": None}  # the ledger stores a part not applicable as NULL
    first = {"Y1": {**full, "total": 8.0}, "Y2": {**full, "total": 9.0}, "Y3": {**no_grades, "total": 10.0}}
    for row in first.values():
        row.update(rank=1, talk_rate=1.0, parent_rate=1.0, status="on_track")
    history = SimpleNamespace(term_id=lambda year, term: 1, teacher_scores=lambda term_id: first)

    def teacher(tid: str, total: float, group: str) -> dict:
        return {"teacher_id": tid, "name": tid, "classes": ["七年级1班"], "mentees": 3, "rank": 1, "talk_rate": 1.0,
                "parent_rate": 1.0, "status": "on_track", "score": {"total": total, "group": group}}

    teachers = [teacher("Y1", 8.0, "grades+conduct+satisfaction"), teacher("Y2", 9.0, "grades+conduct+satisfaction"),
                teacher("Y3", 10.0, "conduct+satisfaction")]
    yearly = yearly_mentors(history, teachers, "2026-2027", "第二学期")  # type: ignore[arg-type]
    # means: Y1 (8 + 8) / 2 = 8, Y2 9, Y3 10 — Y3's two terms without grades are a group of their own, after the
    # group scored on all three parts in both terms; ranks within each group
    assert [(y["teacher_id"], y["year_total"], y["group"], y["year_rank"]) for y in yearly] == [
        ("Y2", 9.0, "grades+conduct+satisfaction", 1), ("Y1", 8.0, "grades+conduct+satisfaction", 2),
        ("Y3", 10.0, "conduct+satisfaction", 1)]
    assert [r["id"] for r in yearly_recognition(yearly, 2)] == ["Y2", "Y1"]


def test_a_class_s_mentor_scores_list_groups_best_evaluated_first():
    from workbook_engine.writing.tables import sorted_mentors

    def m(tid: str, rank: int | None, group: str | None) -> dict:
        return {"teacher_id": tid, "class": "七年级1班", "rank": rank, "score": {"group": group}}

    # a class with two score groups: both first of their group, the one scored on all three parts comes first
    ordered = sorted_mentors([m("B", 1, "conduct+satisfaction"), m("C", None, None),
                               m("A2", 2, "grades+conduct+satisfaction"), m("A1", 1, "grades+conduct+satisfaction")])
    assert [x["teacher_id"] for x in ordered] == ["A1", "A2", "B", "C"]
