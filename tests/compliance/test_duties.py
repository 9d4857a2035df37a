"""The documents' last duties: 整改名单 (《学情会商制度实施方案》六.2), the principal's meeting going through every class
(三: 逐班排查), 学情研究 hosted by the head teacher with the mentors (三), the mentor's own monthly summary (五.4: 每月
总结谈话情况记录汇总一次) and the 级部's plan, summary and exchange (《全员育人导师制实施方案》). Every figure by hand.

The school: 三年级1班 (head 030100; mentors 030101, 030102, 030103, two students each: s1/s4, s2/s5, s3/s6) and
四年级1班 (head 040100; mentor 040101, three students). Every student has a talk each Wednesday of the term that is
not a holiday and a parent contact on the 15th of each month, except:
- 030101: no talk in the weeks ending by 10-25 (September and October off track) → listed 10-31, deadline 11-30;
  November all met → 已整改 (rectified).
- 030102: no talk in the weeks ending by 11-29 → listed 10-31; November talks 0/8 → 建议更换, both mentees listed.
- 030103: no talk from 10-26 to 12-27 (November and December off) → listed 12-31, deadline 2027-01-30: still open
  at the term's end (January has not ended), carried into the next term by the ledger.
Weeks to a month by the day they end: September 4 due weeks (ending 9-6 … 9-27), October 3 (10-4, 10-18, 10-25;
the 国庆 week is exempt), November 4 (11-1, 11-8, 11-22, 11-29; the exam week is exempt), December 4.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from types import SimpleNamespace

import openpyxl
import pytest

from tests.builders import class_book, sheet_rows
from tests.helpers.terms import term_dir
from workbook_engine.assessment.rectification import carried_cases, cases, month_end, off_track
from workbook_engine.ledger.store import recall
from workbook_engine.pipeline import run_inbox
from workbook_engine.settings import load_settings
from workbook_engine.writing import samples
from workbook_engine.writing.samples import make_class, school_toml, write_assessment

AS_OF = dt.date(2027, 1, 22)  # the term's last day
TERM = "2026-2027第一学期"
SUMMARY = f"汇总_{TERM}.xlsx"


def out_dir(out):
    """Where the term's outputs are: OUT/<学年><学期>/ (tests/helpers/terms.py)."""
    return term_dir(out)


def _wednesdays(until):
    day = dt.date(2026, 9, 2)
    while day <= until:
        if not samples._in_holiday(day):
            yield day
        day += dt.timedelta(days=7)


def _records(cls, skip):
    """A talk each teaching Wednesday and a parent contact on the 15th of each month for every student, but the
    talks `skip(mentor, day)` says to leave out."""
    talks, contacts = [], []
    for s in cls.sheets["students"]:
        s.update(paired_on=samples.TERM_START, status="在读", left_on=None, attention=[], note=None)
        talks += [{"date": d, "teacher_id": s["mentor_id"], "teacher_name": s["mentor_name"],
                   "student_id": s["student_id"], "student_name": s["name"], "form": "面谈", "topic": "学业辅导",
                   "summary": "谈学习", "follow_up": None, "escalate": "否"}
                  for d in _wednesdays(AS_OF) if not skip(s["mentor_id"], d)]
        contacts += [{"date": dt.date(y, m, 15), "teacher_id": s["mentor_id"], "student_id": s["student_id"],
                      "student_name": s["name"], "way": "电话", "contact_person": "母亲", "summary": "沟通"}
                     for y, m in ((2026, 9), (2026, 10), (2026, 11), (2026, 12), (2027, 1))]
    cls.sheets["talks"], cls.sheets["contacts"] = talks, contacts


def _skip(mentor, day):
    return ((mentor == "030101" and day <= dt.date(2026, 10, 25))
            or (mentor == "030102" and day <= dt.date(2026, 11, 29))
            or (mentor == "030103" and dt.date(2026, 10, 26) <= day <= dt.date(2026, 12, 27)))


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    box = tmp_path_factory.mktemp("duties") / "inbox"
    box.mkdir()
    three = make_class(5, 3, 1, students=6, mentors=3, until=AS_OF)
    four = make_class(5, 4, 1, students=3, mentors=1, until=AS_OF)
    _records(three, _skip)
    _records(four, lambda m, d: False)
    staff = {m["teacher_id"]: m for m in three.sheets["mentors"]}
    studies = three.sheets["studies"]
    studies[0]["host"] = staff["030101"]["name"]  # row 2: hosted by a subject mentor → warned at B2
    studies[1]["attendees"] = "家长代表"  # row 3: no mentor of the class → warned at C3
    three.sheets["paperwork"] += [{"teacher_id": "030101", "kind": "月度总结", "date": dt.date(2026, 9, 30)},
                                  {"teacher_id": "030101", "kind": "月度总结", "date": dt.date(2026, 10, 30)}]
    class_book(box, three, "三年级1班.xlsx")
    class_book(box, four, "四年级1班.xlsx")
    book = write_assessment([three, four], box / "学校考核数据.xlsx")
    wb = openpyxl.load_workbook(book)
    work = wb["学校工作记录"]  # 日期, 类型, 主持人, 参加人员, 内容, 研究学生, 年级, 排查班级
    for row in ([dt.date(2026, 9, 25), "专题会议", "高校长", "行政班子", "逐班排查", None, None, "三年级1班、四年级1班"],
                [dt.date(2026, 10, 23), "专题会议", "迟主任", "行政班子", "研究转化", "2026030101", None, None],  # 3
                [dt.date(2026, 12, 4), "专题会议", "吴副校长", "行政班子", "研究转化", "四年级1班", None, None],
                [dt.date(2026, 9, 10), "级部计划", "三年级级部", None, "计划", None, "三年级", None],
                [dt.date(2026, 9, 20), "级部计划", "四年级级部", "四年级全体导师", "计划", None, None, None],
                [dt.date(2026, 9, 12), "级部计划", "教务处", "全体", "计划", None, None, None],  # row 7: no grade
                [dt.date(2027, 1, 15), "级部总结", "三年级级部", None, "总结", None, "三年级", None],
                [dt.date(2026, 11, 20), "级部交流", "教务处", "三年级、四年级", "交流", None, None, None]):
        work.append(row)
    wb.save(book)
    toml = school_toml(["三年级1班", "四年级1班"]).replace(
        "[school]\n", '[school]\nprincipal = "高校长"\nleaders = ["吴副校长"]\n')
    (box / "school.toml").write_text(toml, encoding="utf-8")
    runs = {lang: run_inbox(box, box.parent / f"out-{lang}", as_of=AS_OF, lang=lang,
                            settings=load_settings(box / "school.toml")) for lang in ("zh", "en")}
    return SimpleNamespace(box=box, runs=runs, three=three)


def _report(result):
    return json.loads((out_dir(result.out) / "report.json").read_text("utf-8"))


def _problems(result, file):
    f = next(f for f in _report(result)["files"] if f["path"].endswith(file))
    return [(p["sheet"], p["cell"], p["code"]) for p in f["problems"] if p["severity"] == "warning"]


# -- 整改名单 (《学情会商制度实施方案》 六.2: 限期进行自查整改) ----------------------------------------------------
def test_two_months_off_track_list_a_mentor_with_a_deadline_and_the_deadline_decides(school):
    cases_ = {c["teacher_id"]: c for c in _report(school.runs["zh"])["rectification"]}
    assert sorted(cases_) == ["030101", "030102", "030103"]  # 040101 and the heads were never off track
    one, two, three = cases_["030101"], cases_["030102"], cases_["030103"]
    assert (one["months"], one["listed_on"], one["deadline"], one["judged"], one["state"], one["decided_on"]) == (
        ["2026-09", "2026-10"], "2026-10-31", "2026-11-30", ["2026-11"], "rectified", "2026-11-30")
    # November for 030101: 4 weeks × 2 mentees all met, one contact each → 8/8 and 2/2
    assert one["judged_figures"] == {"talk_expected": 8, "talk_met": 8, "parent_expected": 2, "parent_met": 2}
    assert (one["mentees"], one["commands"]) == ([], [])
    assert (two["months"], two["state"], two["judged_figures"]) == (
        ["2026-09", "2026-10"], "replace", {"talk_expected": 8, "talk_met": 0, "parent_expected": 2, "parent_met": 2})
    students = {s["student_id"]: s["name"] for s in school.three.sheets["students"]}
    assert two["mentees"] == [{"class": "三年级1班", "student_id": sid, "name": students[sid]}
                              for sid in ("2026030102", "2026030105")]
    assert two["commands"] == ['workbook-engine assign "三年级1班.xlsx" --out 重新结对 --repair']
    assert (three["months"], three["listed_on"], three["deadline"], three["judged"], three["state"]) == (
        ["2026-11", "2026-12"], "2026-12-31", "2027-01-30", [], "open")


def test_a_month_the_class_book_does_not_yet_cover_is_not_judged(tmp_path):
    """The same 三年级1班, its book filled on 11-20 and run on 12-06: November is over, but the book says nothing of
    11-21 … 11-30. 030101 (every talk from 10-26 on) and 030102 (none to 11-29) stay listed from 10-31, with
    November not judged: neither is proposed for replacement on a week the class has not reported."""
    box = tmp_path / "inbox"
    box.mkdir()
    three = make_class(5, 3, 1, students=6, mentors=3, until=AS_OF)
    _records(three, _skip)
    class_book(box, samples.snapshot(three, dt.date(2026, 11, 20)), "三年级1班.xlsx")
    (box / "school.toml").write_text(school_toml(["三年级1班"]), encoding="utf-8")
    result = run_inbox(box, tmp_path / "out", as_of=dt.date(2026, 12, 6))
    assert [(c["teacher_id"], c["months"], c["listed_on"], c["deadline"], c["judged"], c["state"])
            for c in _report(result)["rectification"]] == [
        ("030101", ["2026-09", "2026-10"], "2026-10-31", "2026-11-30", [], "open"),
        ("030102", ["2026-09", "2026-10"], "2026-10-31", "2026-11-30", [], "open")]


def test_the_rectification_sheet_in_both_languages(school):
    students = {s["student_id"]: s["name"] for s in school.three.sheets["students"]}
    zh = sheet_rows(out_dir(school.runs["zh"].out) / SUMMARY, "整改名单", row=list)
    assert zh[0] == ["工号", "姓名", "任导班级", "连续未达标月份", "列入日期", "整改期限", "整改检查月份", "状态",
                     "需重新结对的学生", "操作"]
    note = [r[0] for r in zh[1:] if r[0] and not r[1]]  # the rule, in a note below the table
    assert len(note) == 1 and note[0].startswith("连续 2 个月谈心或家长联系未达标（达标率低于 80%）列入整改名单，期限 30 天")
    body = [r for r in zh[1:] if r[1]]
    assert [(r[0], r[3], r[4], r[5], r[6], r[7]) for r in body] == [
        ("030101", "2026-09、2026-10", "2026-10-31", "2026-11-30", "2026-11", "已整改"),
        ("030102", "2026-09、2026-10", "2026-10-31", "2026-11-30", "2026-11", "建议更换"),
        ("030103", "2026-11、2026-12", "2026-12-31", "2027-01-30", None, "整改中")]
    assert body[1][8] == "\n".join(f"三年级1班 {sid} {students[sid]}" for sid in ("2026030102", "2026030105"))
    assert body[1][9] == ("在该班工作簿“导师名单”中将其状态改为“离岗”，再运行：\n"
                          'workbook-engine assign "三年级1班.xlsx" --out 重新结对 --repair')
    assert body[2][9] == "限期自查整改：2027-01-30 前谈心、家长联系须达标"
    en = sheet_rows(out_dir(school.runs["en"].out) / f"汇总_{TERM}.xlsx", "Rectification", row=list)
    assert en[0] == ["Teacher ID", "Name", "Classes", "Months off track", "Listed on", "Deadline", "Months judged",
                     "State", "Mentees to re-pair", "What to do"]
    body = [r for r in en[1:] if r[1]]
    assert [r[7] for r in body] == ["put right", "replace the mentor", "correcting"]
    assert body[1][9].startswith("set the mentor's 状态 to 离岗 in the class workbook's 导师名单, then run:\n")
    assert body[1][9].endswith("--out repaired --repair")
    # the class's feedback book: its mentors' cases, under the rule
    fb = sheet_rows(out_dir(school.runs["zh"].out) / "班级反馈" / "三年级1班.xlsx", "整改名单", row=list)
    assert fb[0][0] == "工号" and fb[-1][0].startswith("连续 2 个月谈心或家长联系未达标")
    assert [(r[0], r[7]) for r in fb[1:] if len(r) > 7] == [("030101", "已整改"), ("030102", "建议更换"), ("030103", "整改中")]
    assert "整改名单" not in openpyxl.load_workbook(out_dir(school.runs["zh"].out) / "班级反馈" / "四年级1班.xlsx",
                                                 read_only=True).sheetnames
    # the overview's to-do list names the mentor to replace
    overview = sheet_rows(out_dir(school.runs["zh"].out) / SUMMARY, "概览", row=list)
    staff = {m["teacher_id"]: m["name"] for m in school.three.sheets["mentors"]}
    at = [r[0] for r in overview].index("建议更换的导师（见整改名单）")
    assert (overview[at][1], overview[at + 1][0].strip()) == (1, staff["030102"])


def test_the_ledger_keeps_the_list_and_carries_an_open_case_into_the_next_term(school):
    result = school.runs["zh"]
    con = sqlite3.connect(result.out / "学校台账.sqlite")  # (the ledger stays at OUT's root)
    assert con.execute("SELECT teacher_id, months, listed_on, deadline, judged, state FROM rectification "
                       "ORDER BY teacher_id").fetchall() == [
        ("030101", "2026-09,2026-10", "2026-10-31", "2026-11-30", "2026-11", "rectified"),
        ("030102", "2026-09,2026-10", "2026-10-31", "2026-11-30", "2026-11", "replace"),
        ("030103", "2026-11,2026-12", "2026-12-31", "2027-01-30", "", "open")]
    con.close()
    # the next term's run reads the open case from the ledger …
    history = recall(result.out, result.settings)
    carried = carried_cases(history, "2026-2027", "第二学期")
    history.close()
    assert list(carried) == ["030103"]
    assert (carried["030103"]["listed_term"], carried["030103"]["deadline"]) == (TERM, "2027-01-30")
    # … and judges it on that term's first month after the listing (the deadline fell in the holidays)
    march = {"month": "2027-03", "talk_expected": 8, "talk_met": 5, "parent_expected": 2, "parent_met": 2}
    feb = {"month": "2027-02", "talk_expected": 4, "talk_met": 4, "parent_expected": 2, "parent_met": 2}
    [case] = cases({"030103": [feb, march]}, carried, 2, 30, 0.8)
    assert (case["judged"], case["state"], case["decided_on"], case["listed_term"]) == (
        ["2027-02"], "rectified", "2027-02-28", TERM)


def test_off_track_and_the_run_of_months_by_hand():
    def month(name, te, tm, pe=1, pm=1):
        return {"month": name, "talk_expected": te, "talk_met": tm, "parent_expected": pe, "parent_met": pm}

    # 4 of 5 is 80%: on the floor, not below it; 3 of 4 (75%) is below; parent 0 of 1 is below; nothing due is not
    assert not off_track(month("2026-09", 5, 4), 0.8)
    assert off_track(month("2026-09", 4, 3), 0.8) and off_track(month("2026-09", 4, 4, 1, 0), 0.8)
    assert not off_track(month("2026-09", 0, 0, 0, 0), 0.8)
    assert month_end("2026-12") == dt.date(2026, 12, 31) and month_end("2027-02") == dt.date(2027, 2, 28)
    # off, on, off: never two in a row → not listed; off, off with rectify_after_months = 3 → not listed
    assert cases({"T": [month("2026-09", 4, 0), month("2026-10", 4, 4), month("2026-11", 4, 0)]}, {}, 2, 30, 0.8) == []
    assert cases({"T": [month("2026-09", 4, 0), month("2026-10", 4, 0)]}, {}, 3, 30, 0.8) == []
    # listed 09-30 with 45 days: October and the first half of November ... the months ending by 11-14: October only;
    # November ends after the deadline and is not judged; October 4/4 → put right when November is over
    [case] = cases({"T": [month("2026-08", 4, 0), month("2026-09", 4, 0), month("2026-10", 4, 4),
                          month("2026-11", 4, 0)]}, {}, 2, 45, 0.8)
    assert (case["listed_on"], case["deadline"], case["judged"], case["state"], case["decided_on"]) == (
        "2026-09-30", "2026-11-14", ["2026-10"], "rectified", "2026-11-30")


def test_a_case_judged_in_part_last_term_is_decided_on_those_months():
    # listed 11-30 with 60 days: December (talks 0 of 8) was judged last term, January had not ended; the deadline
    # 01-29 has passed when February ends, so the months to the deadline (December alone) decide: 建议更换
    carried = {"T": {"teacher_id": "T", "months": ["2026-10", "2026-11"], "listed_on": "2026-11-30",
                     "deadline": "2027-01-29", "state": "open", "judged": ["2026-12"], "listed_term": TERM,
                     "judged_figures": {"talk_expected": 8, "talk_met": 0, "parent_expected": 2, "parent_met": 2}}}
    feb = {"month": "2027-02", "talk_expected": 8, "talk_met": 8, "parent_expected": 2, "parent_met": 2}
    [case] = cases({"T": [feb]}, carried, 2, 60, 0.8)
    assert (case["judged"], case["state"], case["decided_on"]) == (["2026-12"], "replace", "2027-02-28")


# -- 逐班排查 (《学情会商制度实施方案》 三、内容与形式: the principal's monthly meeting) ---------------------------
def test_the_principals_meeting_names_every_class_each_month(school):
    work = _report(school.runs["zh"])["school_work"]
    months = {m["month"]: (m["due"], m["met"], m["classes_not_covered"]) for m in work["months"]}
    # September: both classes in 排查班级; October: a student of 三年级1班 in 研究学生; November: no meeting;
    # December: 四年级1班 typed in 研究学生; January has not ended
    assert months == {"2026-09": (True, True, []), "2026-10": (True, True, ["四年级1班"]),
                      "2026-11": (True, False, ["三年级1班", "四年级1班"]), "2026-12": (True, True, ["三年级1班"]),
                      "2027-01": (False, False, [])}
    assert work["months_all_classes_covered"] == 1
    assert [(m["date"], m["host_is_leader"], m["classes"]) for m in work["meetings"]] == [
        ("2026-09-25", True, ["三年级1班", "四年级1班"]), ("2026-10-23", False, ["三年级1班"]),
        ("2026-12-04", True, ["四年级1班"])]
    # 迟主任 is neither the principal nor a named leader: warned at the host cell, and October still counts held
    assert ("学校工作记录", "C3", "meeting-host-not-leader") in _problems(school.runs["zh"], "学校考核数据.xlsx")
    zh = sheet_rows(out_dir(school.runs["zh"].out) / SUMMARY, "学校工作", row=list)
    assert zh[0][-1] == "未排查班级"
    assert [r[-1] for r in zh[1:6]] == ["全部排查", "四年级1班", "三年级1班、四年级1班", "三年级1班", None]
    en = sheet_rows(out_dir(school.runs["en"].out) / f"汇总_{TERM}.xlsx", "School work", row=list)
    assert [r[-1] for r in en[1:6]] == ["all covered", "四年级1班", "三年级1班, 四年级1班", "三年级1班", None]


def test_without_leaders_in_the_settings_the_host_is_not_checked(tmp_path):
    from workbook_engine.assessment.school_work import host_is_leader, leader_names
    from workbook_engine.settings import Settings

    assert leader_names(Settings()) == [] and host_is_leader("迟主任", []) is None
    named = Settings.model_validate({"school": {"principal": "高明", "leaders": ["吴副校长"]}})
    assert leader_names(named) == ["高明", "吴副校长"]
    assert [host_is_leader(h, leader_names(named)) for h in ("高明校长", "吴副校长", "迟主任", "")] == [
        True, True, False, False]


# -- 学情研究 (《学情会商制度实施方案》 三: 每周班主任与学生成长导师研究一次“学情”) --------------------------------
def test_a_study_hosted_by_someone_else_or_without_a_mentor_is_warned_and_still_held(school):
    found = _problems(school.runs["zh"], "三年级1班.xlsx")
    assert [p for p in found if p[2].startswith("study-")] == [
        ("学情研究", "B2", "study-host-not-head-teacher"), ("学情研究", "C3", "study-without-mentor")]
    # the studies are each Thursday that is not a holiday: 18 weeks due to 01-22, all held but the week of
    # 09-28 (its Thursday is 国庆) → 17, the two warned studies (weeks of 09-03 and 09-10) among them
    cls = next(c for c in _report(school.runs["zh"])["classes"] if c["class"] == "三年级1班")
    assert (cls["study_weeks_expected"], cls["study_weeks_met"]) == (18, 17)
    assert [s["date"] for s in school.three.sheets["studies"][:2]] == [dt.date(2026, 9, 3), dt.date(2026, 9, 10)]
    rows = sheet_rows(out_dir(school.runs["zh"].out) / "班级反馈" / "三年级1班.xlsx", "学情研究", row=list)
    staff = {m["teacher_id"]: m["name"] for m in school.three.sheets["mentors"]}
    mentors = "、".join(staff[t] for t in ("030101", "030102", "030103"))
    assert rows[0] == ["日期", "主持人", "参加人员", "参加的本班导师", "核对"]
    assert [r[1:] for r in rows[1:4]] == [
        [staff["030101"], mentors, mentors, "非班主任主持"],
        [staff["030100"], "家长代表", None, "无本班导师参加"],
        [staff["030100"], mentors, mentors, "班主任主持，导师参加"]]
    en = sheet_rows(out_dir(school.runs["en"].out) / "班级反馈" / "三年级1班.xlsx", "Class studies", row=list)
    assert [r[4] for r in en[1:4]] == ["not hosted by the head teacher", "no class mentor listed",
                                       "head teacher and mentors"]


# -- the mentor's own monthly summary (《学情会商制度实施方案》 五.4) ----------------------------------------------
def test_the_monthly_summary_is_a_checked_frequency_beside_the_talk_counts(school):
    mentors = {m["teacher_id"]: m for m in _report(school.runs["zh"])["mentors"] if m["class"] == "三年级1班"}
    # September to December are due (January has not ended); 030101 handed in September's and October's
    assert [(mentors[t]["summary_months_expected"], mentors[t]["summary_months_met"],
             mentors[t]["missing_summary_months"]) for t in ("030101", "030102")] == [
        (4, 2, ["2026-11", "2026-12"]), (4, 0, ["2026-09", "2026-10", "2026-11", "2026-12"])]
    rows = sheet_rows(out_dir(school.runs["zh"].out) / "班级反馈" / "三年级1班.xlsx", "谈话月度汇总", row=list)
    assert rows[0][-1] == "月度总结"
    # 030101's talks by calendar month: none before 10-26; 10-28; 11-4, 18, 25; 12-2 … 12-30; 1-6, 13, 20 (× 2)
    assert [(r[2], r[3], r[8]) for r in rows[1:] if r[1] == "030101"] == [
        ("2026-09", 0, "2026-09-30"), ("2026-10", 2, "2026-10-30"), ("2026-11", 6, "未交"), ("2026-12", 10, "未交"),
        ("2027-01", 6, "不要求")]
    en = sheet_rows(out_dir(school.runs["en"].out) / "班级反馈" / "三年级1班.xlsx", "Monthly talk summary", row=list)
    assert [r[8] for r in en[1:] if r[1] == "030101"] == [
        "2026-09-30", "2026-10-30", "not handed in", "not handed in", "not required"]


def test_the_monthly_summary_in_the_handbook(school, tmp_path):
    result = run_inbox(school.box, tmp_path / "out", as_of=AS_OF, handbooks=True,
                       settings=load_settings(school.box / "school.toml"))
    [book] = [p for p in result.outputs if p.suffix == ".xlsx" and "030101" in p.name]
    wb = openpyxl.load_workbook(book, read_only=True)
    sheet = next(ws for ws in wb.worksheets if ws.title in ("谈话月度汇总", "月度汇总"))
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if "月度总结" in r)
    col = rows[head].index("月度总结")
    assert [r[col] for r in rows[head + 1:] if r[0] == "三年级1班"] == [
        "2026-09-30", "2026-10-30", "未交", "未交", "不要求"]


def test_a_monthly_summary_without_its_date_is_warned_at_its_cell(tmp_path):
    from workbook_engine import validate_file

    cls = make_class(6, 3, 2, students=3, mentors=1, until=dt.date(2026, 10, 20))
    # 计划总结 rows: 2 the mentor's term dates (from the generator), 3 the head teacher's, 4 a summary without its
    # date, 5 a summary of September
    cls.sheets["paperwork"] += [{"teacher_id": "030201", "kind": "月度总结", "date": None},
                                {"teacher_id": "030201", "kind": "月度总结", "date": dt.date(2026, 9, 30)}]
    report = validate_file(class_book(tmp_path, cls, "c.xlsx"))
    found = [p for p in report.problems if p.code == "monthly-summary-without-date"]
    assert [(p.sheet, p.cell) for p in found] == [("计划总结", "G4")]  # 提交日期 is the 7th column
    assert found[0].message() == "类型为“月度总结”的行没有填写提交日期，不计入任何月份的月度总结"
    assert found[0].message("en") == "a '月度总结' row has no 提交日期; it counts for no month's summary"
    assert report.valid


def test_the_monthly_summary_check_can_be_turned_off(school, tmp_path):
    settings = load_settings(school.box / "school.toml").model_copy(deep=True)
    settings.policy.check_monthly_summary = False
    result = run_inbox(school.box, tmp_path / "out", as_of=AS_OF, settings=settings)
    mentor = next(m for m in result.compliance.mentors if m["teacher_id"] == "030101")
    assert "summary_months_expected" not in mentor
    assert {m["summary_due"] for m in result.compliance.talk_months} == {False}


# -- 级部 work (《全员育人导师制实施方案》 四、实施步骤: 级部计划、总结与经验交流) ---------------------------------
def test_each_grade_has_a_plan_and_a_summary_and_the_school_one_exchange(school):
    grade = _report(school.runs["zh"])["school_work"]["grade_work"]
    # plans due 09-15 (term start + 14 days): 三年级 09-10 on time; 四年级 (named in 参加人员) 09-20 late; the
    # term has ended: 三年级's summary 01-15 on time, 四年级 none; one 级部交流 (11-20) held
    assert grade == {"checked": True, "exchange": {"held": 1, "state": "on_time"}, "grades": [
        {"grade": "三年级", "plan": "2026-09-10", "plan_state": "on_time", "summary": "2027-01-15",
         "summary_state": "on_time"},
        {"grade": "四年级", "plan": "2026-09-20", "plan_state": "late", "summary": None, "summary_state": "missing"}]}
    assert ("学校工作记录", "G7", "grade-work-without-grade") in _problems(school.runs["zh"], "学校考核数据.xlsx")
    zh = sheet_rows(out_dir(school.runs["zh"].out) / SUMMARY, "学校工作", row=list)
    block = zh[zh.index(["级部工作", "级部计划", "计划状态", "级部总结", "总结状态"] + [None] * 6):]
    assert block[1:] == [["三年级", "2026-09-10", "按时", "2027-01-15", "按时"] + [None] * 6,
                         ["四年级", "2026-09-20", "逾期", None, "未交"] + [None] * 6,
                         ["级部交流(本学期)", 1, "已开"] + [None] * 8]
    en = sheet_rows(out_dir(school.runs["en"].out) / f"汇总_{TERM}.xlsx", "School work", row=list)
    block = en[[r[0] for r in en].index("Grade offices' work"):]
    assert [r[:5] for r in block[1:3]] == [["三年级", "2026-09-10", "on time", "2027-01-15", "on time"],
                                           ["四年级", "2026-09-20", "late", None, "missing"]]


def test_monthly_summaries_and_grade_rows_are_records_of_their_own_when_submissions_combine():
    from workbook_engine.combining.combine import combine

    def paper(src, kind=None, day=None, plan=None):
        return {"_source": src, "_class": "三年级1班", "teacher_id": "030101", "kind": kind, "date": day,
                "plan_date": plan}

    sept, octo = dt.date(2026, 9, 30), dt.date(2026, 10, 30)
    rows = [paper("new.xlsx", plan=dt.date(2026, 9, 5)), paper("new.xlsx", "月度总结", sept),
            paper("new.xlsx", "月度总结", octo),
            paper("old.xlsx", plan=dt.date(2026, 9, 6)), paper("old.xlsx", "月度总结", sept)]
    out = combine({"paperwork": rows}, ["new.xlsx", "old.xlsx"])
    # the term-dates row (no 类型, no 提交日期) is one record in both submissions: the newer kept, the other a
    # conflict (another 计划提交日期); September's summary is in both: counted once; October's stays
    assert [(r["_source"], r["kind"], r["date"]) for r in out.records["paperwork"]] == [
        ("new.xlsx", None, None), ("new.xlsx", "月度总结", sept), ("new.xlsx", "月度总结", octo)]
    assert out.duplicates == {"paperwork": 2} and [c.other["plan_date"] for c in out.conflicts] == [
        dt.date(2026, 9, 6)]
    # two 级部计划 on one day by one host for two grades are two records
    work = [{"_source": "a.xlsx", "date": sept, "kind": "级部计划", "host": "教务处", "grade": g} for g in ("三年级", "四年级")]
    work.append({"_source": "b.xlsx", "date": sept, "kind": "级部计划", "host": "教务处", "grade": "三年级"})
    assert len(combine({"school_work": work}, ["a.xlsx", "b.xlsx"]).records["school_work"]) == 2
