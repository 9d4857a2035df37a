"""The school's own work (《学情会商制度实施方案》 三、内容与形式: the principal's monthly meeting;
《全员育人导师制实施方案》 六.4: the leading group's 座谈会): the principal's monthly 专题会议 from `学校工作记录`,
the students it studied, training and exchange events, special-attention students without a 包靠 leader,
warnings for 包靠 rows that name an unknown class or 学号, and the life of a 需学校关注 flag. Every figure by
hand."""
from __future__ import annotations

import datetime as dt
import json

import openpyxl

from tests.builders import sheet_rows
from tests.helpers.terms import term_dir
from workbook_engine.assessment.school_work import named_students
from workbook_engine.pipeline import run_inbox

AS_OF = dt.date(2026, 12, 10)
SUMMARY = "汇总_2026-2027第一学期.xlsx"


def test_the_principals_monthly_meeting_and_the_school_events(school, tmp_path):
    box, a, _ = school
    result = run_inbox(box, tmp_path / "out", as_of=AS_OF)
    work = json.loads((term_dir(tmp_path / "out") / "report.json").read_text("utf-8"))["school_work"]
    # Months of the term due by 12-10: September, October (22 weekdays, 国庆 6 off, one make-up day: 17 teaching)
    # and November (21 weekdays, exam week 5 off: 16); December has not ended. Meetings 09-25 and 11-06 meet
    # September and November; October has only a training and an exchange → 2 of 3, October missing.
    assert (work["months_expected"], work["months_met"], work["missing_months"]) == (3, 2, ["2026-10"])
    assert [m["date"] for m in work["meetings"]] == ["2026-09-25", "2026-11-06", "2026-12-04"]
    # 09-25 studied a0 and a1 (both special attention); 11-06 b0 (the name and 29999999 are not roster 学号s);
    # 12-04 a1 again (typed as a number) → 3 distinct students, 2 of them special attention
    assert [m["students_studied"] for m in work["meetings"]] == [2, 1, 1]
    assert (work["students_studied"], work["attention_students_studied"]) == (3, 2)
    assert [(e["date"], e["kind"]) for e in work["events"]] == [("2026-10-16", "导师培训"), ("2026-10-23", "经验交流")]
    assert work["events_by_kind"] == {"导师培训": 1, "座谈会": 0, "经验交流": 1, "其他": 0}
    # a0 is led (row 2), b2 by the whole-class row 3; a1 has no leader
    assert [(s["class"], s["student_id"]) for s in work["attention_without_leader"]] == [("三年级1班", a[1]["student_id"])]

    rows = sheet_rows(term_dir(result.out) / SUMMARY, "学校工作", row=list)
    assert rows[0] == ["月份", "专题会议应开", "专题会议(次)", "状态", "研究学生(人)", "其中重点关注(人)",
                       "导师培训(次)", "座谈会(次)", "经验交流(次)", "其他(次)", "未排查班级"]
    # 未排查班级: September's meeting studied a0 and a1 (三年级1班), November's b0 (三年级2班); October held none
    assert rows[1:7] == [["2026-09", 1, 1, "已开", 2, 2, 0, 0, 0, 0, "三年级2班"],
                         ["2026-10", 1, 0, "未开", 0, 0, 1, 0, 1, 0, "三年级1班、三年级2班"],
                         ["2026-11", 1, 1, "已开", 1, 0, 0, 0, 0, 0, "三年级1班"],
                         ["2026-12", 0, 1, "已开", 1, 1, 0, 0, 0, 0, None],  # held, though not yet due
                         ["2027-01", 0, 0, "未到期", 0, 0, 0, 0, 0, 0, None],
                         ["合计", 3, 3, "2/3", 3, 2, 1, 0, 1, 0, None]]
    assert sheet_rows(term_dir(result.out) / SUMMARY, "未落实包靠", row=list)[1:] == [["三年级1班", a[1]["student_id"], a[1]["name"], "留守儿童",
                                                           a[1]["mentor_id"]]]
    overview = {r[0]: r[1] for r in sheet_rows(term_dir(result.out) / SUMMARY, "概览", row=list)[4:] if r and r[0]}
    assert (overview["校长专题会议（已开月数）"], overview["校长专题会议（应开月数）"]) == (2, 3)
    assert overview["无包靠领导的重点关注学生"] == 1
    # no free text reaches the summary: the meetings' content, hosts and attendees stay in the merged book
    text = {str(v) for name in ("学校工作", "未落实包靠", "待处理关注") for r in sheet_rows(term_dir(result.out) / SUMMARY, name, row=list) for v in r}
    assert not text & {"逐班排查", "研究转化", "谈心技巧", "高校长", "行政班子", "已报教务处"}


def test_leader_rows_naming_an_unknown_class_or_student_are_warned(school, tmp_path):
    box, _, b = school
    result = run_inbox(box, tmp_path / "out", as_of=AS_OF)
    problems = {(p.sheet, p.cell, p.code): p for f in result.files for p in f.problems}
    assert ("校级领导包靠", "C4", "leader-student-not-in-class") in problems
    assert problems[("校级领导包靠", "C4", "leader-student-not-in-class")].message("zh") == \
        f"学号 {b[1]['student_id']} 不在班级名册中（该生在 三年级2班），此包靠行不生效"
    assert ("校级领导包靠", "B5", "assessment-unknown-class") in problems
    assert ("校级领导包靠", "C6", "assessment-unknown-student") in problems
    assert ("学校工作记录", "F5", "school-work-unknown-student") in problems
    assert problems[("学校工作记录", "F5", "school-work-unknown-student")].message("en") == \
        "student id 29999999 in 研究学生 is on no accepted roster"
    # the valid rows are not warned; the name 张三 in 研究学生 is not a 学号 and draws nothing
    mine = {k for k in problems if k[0] in ("校级领导包靠", "学校工作记录")}
    assert mine == {("校级领导包靠", "C4", "leader-student-not-in-class"), ("校级领导包靠", "B5", "assessment-unknown-class"),
                    ("校级领导包靠", "C6", "assessment-unknown-student"),
                    ("学校工作记录", "F5", "school-work-unknown-student")}
    # the warning reaches the summary's 数据问题 too
    assert any(r[3] == "校级领导包靠" and r[4] == "C4" for r in sheet_rows(term_dir(result.out) / SUMMARY, "数据问题", row=list)[1:])


def test_school_attention_flags_stay_open_until_followed_up(school, tmp_path):
    box, a, _ = school
    result = run_inbox(box, tmp_path / "out", as_of=AS_OF)
    flags = json.loads((term_dir(tmp_path / "out") / "report.json").read_text("utf-8"))["open_flags"]
    # a0: 10-12 closed by the 10-20 talk with 后续措施; open again from 11-16 (two flags, 11-16 and 11-23):
    #     12-10 − 11-16 = 24 days
    # a2: 11-30, 后续措施 on the flagged talk itself does not close it: 12-10 − 11-30 = 10 days
    # a1 (closed by the 12-04 meeting) and b0 (by the 11-06 meeting) are not listed
    assert [(f["class"], f["student_id"], f["opened"], f["days_open"], f["flags"]) for f in flags] == [
        ("三年级1班", a[0]["student_id"], "2026-11-16", 24, 2),
        ("三年级1班", a[2]["student_id"], "2026-11-30", 10, 1)]
    assert flags[0]["mentor_id"] == a[0]["mentor_id"] and flags[0]["mentor"] == a[0]["mentor_name"]
    rows = sheet_rows(term_dir(result.out) / SUMMARY, "待处理关注", row=list)
    assert rows[0] == ["班级", "学号", "姓名", "导师工号", "导师", "提出日期", "已过天数", "需学校关注(次)"]
    assert rows[1:] == [["三年级1班", a[0]["student_id"], a[0]["name"], a[0]["mentor_id"], a[0]["mentor_name"],
                         "2026-11-16", 24, 2],
                        ["三年级1班", a[2]["student_id"], a[2]["name"], a[2]["mentor_id"], a[2]["mentor_name"],
                         "2026-11-30", 10, 1]]
    overview = {r[0]: r[1] for r in sheet_rows(term_dir(result.out) / SUMMARY, "概览", row=list)[4:] if r and r[0]}
    assert overview["待处理的需学校关注（人）"] == 2
    # each class's feedback book lists its own open flags (三年级2班 has none: b0's was closed by the 11-06 meeting)
    assert sheet_rows(term_dir(result.out) / "班级反馈" / "三年级1班.xlsx", "待处理关注", row=list)[1:] == rows[1:]
    assert sheet_rows(term_dir(result.out) / "班级反馈" / "三年级2班.xlsx", "待处理关注", row=list)[1:] == [["无"]]  # an empty section says so


def test_an_earlier_as_of_date_sees_the_flags_of_that_day(school, tmp_path):
    box, a, b = school
    result = run_inbox(box, tmp_path / "out", as_of=dt.date(2026, 11, 3))
    # on 11-03: a0's 10-12 flag was closed on 10-20; a1 flagged 11-02 (1 day); b0 flagged 10-28 and the meeting
    # naming b0 (11-06) has not happened yet (6 days). Later flags do not exist yet.
    assert [(f["student_id"], f["days_open"]) for f in result.open_flags] == [(b[0]["student_id"], 6),
                                                                             (a[1]["student_id"], 1)]
    # by 11-03 September and October have ended (10-31 ≤ 11-03): September met, October missing
    work = result.report["school_work"]
    assert (work["months_expected"], work["months_met"], work["missing_months"]) == (2, 1, ["2026-10"])


def test_research_students_are_read_as_student_ids():
    assert named_students("20260301、20260302,20260303；张三 20260301") == ["20260301", "20260302", "20260303", "张三"]
    assert named_students(20260301.0) == ["20260301"]
    assert named_students(None) == []


def test_without_the_school_work_sheet_the_meeting_is_not_checked(school, tmp_path):
    box, a, b = school
    book = box / "学校考核数据.xlsx"
    wb = openpyxl.load_workbook(book)
    del wb["学校工作记录"]
    wb.save(book)
    result = run_inbox(box, tmp_path / "out", as_of=AS_OF)
    work = result.report["school_work"]
    # no accepted workbook carries 学校工作记录: no month is due, nothing is missing, nobody studied
    assert (work["checked"], work["months_expected"], work["months_met"], work["missing_months"]) == (False, 0, 0, [])
    rows = sheet_rows(term_dir(result.out) / SUMMARY, "学校工作", row=list)
    assert [r[3] for r in rows[1:]] == ["未检查"] * 5 + ["未检查"]
    overview = {r[0]: r[1] for r in sheet_rows(term_dir(result.out) / SUMMARY, "概览", row=list)[4:] if r and r[0]}
    assert overview["校长专题会议（应开月数）"] == "—"
    # without the meetings, b0 (flagged 10-28: 12-10 − 10-28 = 43 days) and a1 (11-02: 38 days) stay open too
    assert [(f["student_id"], f["days_open"]) for f in result.open_flags] == [
        (b[0]["student_id"], 43), (a[1]["student_id"], 38), (a[0]["student_id"], 24), (a[2]["student_id"], 10)]


def test_the_meeting_check_can_be_turned_off(school, tmp_path):
    box, _, _ = school
    toml = box / "school.toml"
    toml.write_text(toml.read_text("utf-8") + "check_principal_meeting = false\n", encoding="utf-8")
    result = run_inbox(box, tmp_path / "out", as_of=AS_OF)
    work = result.report["school_work"]
    # the meetings are still listed (3), no month is due
    assert (work["checked"], work["months_expected"], len(work["meetings"])) == (False, 0, 3)
