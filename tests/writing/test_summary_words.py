"""The summary's and the feedback books' words in the run's language — Chinese by default, English with --lang en:
the score note, every sheet's name and header, and the special-attention tracking sheet (重点关注跟踪), which prints a
full term on one A4 width at 8 pt or more."""
from __future__ import annotations

import datetime as dt
import re
import shutil

import openpyxl
import pytest

from tests.builders import SAMPLE, sheet_rows
from tests.helpers.office import pages, render
from tests.helpers.terms import term_dir
from workbook_engine.pipeline import run_inbox
from workbook_engine.writing.feedback import write_feedback
from workbook_engine.writing.summary import write_summary
from workbook_engine.writing.tables import score_note, tracking_table

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def test_a_score_note_in_both_languages():
    # 成绩 not applicable: the other parts' full marks (8) scaled to the scheme's 10
    score = {"scheme": "points", "not_applicable": ["grades"], "detail": {"applicable_max": 8.0, "full_marks": 10.0}}
    # and the mentor is ranked among those scored on the same parts (a score group)
    assert score_note(score) == "成绩不适用：总分按适用各项满分 8 分折算为 10 分；与适用项目相同的导师比较排名"
    assert score_note(score, "en") == "grades not applicable: the total is scaled from 8 to 10 points; ranked among " \
        "mentors scored on the same parts"
    # only the base: no total, no rank, no award
    nothing = {"scheme": "points", "status": "nothing_evaluated",
               "not_applicable": ["grades", "conduct", "satisfaction"]}
    assert score_note(nothing) == "无可评分项：只有基础分，不计总分、不排名、不评优"
    assert score_note(nothing, "en") == "nothing evaluated: only the base, so no total, no rank, no award"
    four = {"scheme": "four_party", "missing_parts": ["self", "school"]}
    assert score_note(four) == "四方评议不完整：缺自评、学校评议，不计总分、不排名"
    assert score_note(four, "en") == \
        "four-party review incomplete: self-review, school's review missing, no total, not ranked"


TRACKED = [{"class": "三年级1班", "student_id": "2026030114", "name": "高子", "attention": ["学习困难", "留守儿童"],
            "mentor_id": "030101", "leader": "周校长", "months_on_list": 8, "transformation": "好转",
            "flags": ["no_talk_this_month", "escalated"],
            "months": {"2026-09": {"talks": 4, "contacts": 1, "archive": 1},
                       "2026-10": {"talks": 0, "contacts": 1, "archive": 0}}}]


def test_the_tracking_sheet_is_one_row_a_student_and_one_cell_a_month():
    months = ["2026-09", "2026-10"]
    mentors = {("三年级1班", "030101"): "邓宇涵"}
    head, rows = tracking_table(TRACKED, months, "zh", mentors)
    assert head == ["班级", "姓名", "关注类别", "导师", "包靠领导", "在册月数", "转化情况", "提示", "2026-09", "2026-10"]
    assert rows == [["三年级1班", "高子", "学习困难、留守儿童", "邓宇涵", "周校长", 8, "好转", "本月未谈心、需学校关注",
                     "4/1/1", "0/1/0"]]
    head, rows = tracking_table(TRACKED, months, "en", mentors, school=False)  # a class's own book: 学号, no class
    assert head == ["Student ID", "Name", "Attention", "Mentor", "School leader", "Months", "Progress", "Flags",
                    "2026-09", "2026-10"]
    assert rows == [["2026030114", "高子", "学习困难, 留守儿童", "邓宇涵", "周校长", 8, "好转", "no talk, escalated",
                     "4/1/1", "0/1/0"]]


def _summary(result) -> openpyxl.Workbook:
    return openpyxl.load_workbook(next(term_dir(result.out).glob("汇总_*.xlsx")))


def _head(ws) -> list:
    return [c.value for c in ws[1]]


def test_the_summary_s_sheets_and_headers_are_english_in_an_english_run(runs):
    zh, en = _summary(runs["zh"]), _summary(runs["en"])
    names = [ws.title for ws in en.worksheets if not ws.title.startswith("Grid-")]
    assert names[9:] == ["Open flags", "School work", "No leader", "Rectification", "Mentors of the year",
                         "Classes, term on term", "Teachers, term on term", "Months side by side", "Attention tracking"]
    assert [ws.title for ws in zh.worksheets][9:18] == ["待处理关注", "学校工作", "未落实包靠", "整改名单", "学年优秀导师",
                                                       "班级学期对比", "导师学期对比", "月度对比", "重点关注跟踪"]
    assert _head(en["School work"]) == ["Month", "Meeting due", "Meetings", "State", "Students studied",
                                        "of them special attention", "Trainings", "Forums", "Exchanges", "Other",
                                        "Classes not covered"]
    assert _head(en["Mentors of the year"]) == [
        "Teacher ID", "Name", "Classes", "Term 1 score", "Term 1 rank", "Term 1 talk rate",
        "Term 1 parent-contact rate", "Term 1 status", "Term 2 score", "Term 2 rank", "Term 2 talk rate",
        "Term 2 parent-contact rate", "Term 2 status", "Year's mean score", "Year's rank", "Proposed"]
    assert _head(zh["学年优秀导师"])[3:8] == ["第一学期总分", "第一学期排名", "第一学期谈心达标率", "第一学期家长联系达标率",
                                        "第一学期达标状态"]
    # the first term the ledger holds: nothing before it, so "last term"
    assert _head(en["Classes, term on term"]) == ["Class", "talk rate, this term", "talk rate, last term",
                                                  "Talk change", "parent-contact rate, this term",
                                                  "parent-contact rate, last term", "Parent-contact change"]
    assert _head(zh["班级学期对比"]) == ["班级", "本学期谈心达标率", "上学期谈心达标率", "谈心变化", "本学期家长联系达标率",
                                    "上学期家长联系达标率", "家长联系变化"]
    # the term runs from September: three months to 20 November
    assert _head(en["Attention tracking"]) == ["Class", "Name", "Attention", "Mentor", "School leader", "Months",
                                               "Progress", "Flags", "2026-09", "2026-10", "2026-11"]
    assert _head(zh["重点关注跟踪"])[:8] == ["班级", "姓名", "关注类别", "导师", "包靠领导", "在册月数", "转化情况", "提示"]
    # months side by side: a row a class and measure, a column a month, then the change on the month before
    months = en["Months side by side"]
    assert _head(months) == ["Class", "Measure", "2026-09", "2026-10", "2026-11", "Change on last month"]
    rows = [r for r in months.iter_rows(min_row=2, values_only=True) if r[1]]
    assert [r[1] for r in rows] == ["Talk rate", "Parent-contact rate"] * 4  # 4 classes
    assert all(r[5] == round(r[4] - r[3], 4) for r in rows)  # November minus October (every month has a rate)
    assert _head(zh["月度对比"]) == ["班级", "项目", "2026-09", "2026-10", "2026-11", "较上月变化"]
    assert _head(en["Classes"]) == ["Class", "Students", "Talk rate", "Contact rate", "Studies due", "Studies held",
                                    "Community due", "Community held", "Attention", "Escalated"]
    scores = _head(en["Mentor scores"])
    assert scores[4:11] == ["Base", "Grades", "Conduct", "Satisfaction", "Deductions", "Total", "Rank"]
    assert scores[-1] == "Note" and _head(zh["导师考核"])[-1] == "说明"


def test_the_english_summary_s_words_hold_no_chinese_but_the_school_s_data(runs):
    en = _summary(runs["en"])
    students = [r for r in en["Attention tracking"].iter_rows(min_row=2, values_only=True) if r[1]]  # (not the note)
    flags = {r[7] for r in students if r[7]}
    assert flags and all(set(f.split(", ")) <= {"no talk", "relapse", "escalated"} for f in flags)
    cells = [c for r in students for c in r[8:]]
    assert cells and all(re.fullmatch(r"\d+/\d+/\d+", c) for c in cells)
    note = [r[0] for r in en["Attention tracking"].iter_rows(min_row=2, values_only=True) if r[0] and not r[1]]
    assert note == ["One cell a month: talks/parent contacts/archive entries; red: no talk that month. Months: on the "
                    "attention list, earlier terms included; no talk: none yet in the as-of month."]
    work = sheet_rows(en["School work"], min_row=2)
    months = work[:[r[0] for r in work].index(None)]  # (the grade offices' block follows a blank row)
    states = {r[3] for r in months}
    assert states <= {"held", "missing", "not due", "not checked"} | {f"{a}/{b}" for a in range(9) for b in range(9)}
    assert [r[0] for r in work[len(months) + 1:]] == ["Grade offices' work", "三年级", "四年级",
                                                       "Exchange between grades (this term)"]
    assert {r[2] for r in work[len(months) + 2:-1]} | {r[4] for r in work[len(months) + 2:-1]} <= {
        "on time", "late", "missing", "not due yet"}
    # every award's basis: English words around numbers and the school's own names (classes)
    bases = [r[6] for r in en["Recognition"].iter_rows(min_row=2, values_only=True) if r[6]]
    assert bases and not [b for b in bases if HAN.search(re.sub(r"[\u4e00-\u9fff]+\d*班", "", b))]
    zh_bases = [r[6] for r in _summary(runs["zh"])["表彰建议"].iter_rows(min_row=2, values_only=True) if r[6]]
    assert len(zh_bases) == len(bases) and all(HAN.search(b) for b in zh_bases)


def test_the_feedback_book_s_tracking_sheet_in_english(runs):
    result = runs["en"]
    ws = openpyxl.load_workbook(result.out / result.layout.feedback["三年级1班"])["Attention tracking"]
    # two legend lines above the header
    assert [ws["A1"].value, ws["A2"].value] == [
        "One cell a month: talks/parent contacts/archive entries; red: no talk that month.",
        "Months: on the attention list, earlier terms included; no talk: none yet in the as-of month."]
    assert [c.value for c in ws[3]] == ["Student ID", "Name", "Attention", "Mentor", "School leader", "Months",
                                       "Progress", "Flags", "2026-09", "2026-10", "2026-11"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler missing")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_full_term_of_tracking_prints_one_page_wide_at_8_pt(tmp_path, lang):
    """The sample term to its end (September to January: 5 months), then a sixth month and every flag added to
    each tracked student — a second term's width (February to July) — in the summary and a feedback book."""
    result = run_inbox(SAMPLE, tmp_path / "out", as_of=dt.date(2027, 1, 22), lang=lang)
    assert result.across.tracking
    for tr in result.across.tracking:
        tr["months"]["2027-02"] = {"talks": 12, "contacts": 10, "archive": 10}  # the widest cell: 12/10/10
        tr["flags"] = ["no_talk_this_month", "relapse", "escalated"]
    books = [write_summary(result.outcome, result.report, tmp_path / "summary.xlsx"),
             write_feedback(result.outcome, "三年级1班", tmp_path / "feedback.xlsx")]
    sheet = "重点关注跟踪" if lang == "zh" else "Attention tracking"
    first = "姓名" if lang == "zh" else "Name"  # (in both books)
    for pdf, book in zip(render(books, tmp_path / "pdf"), ("summary", "feedback")):
        tracking = [words for words in pages(pdf) if sheet in " ".join(s for *_, s in words)]  # (its page header)
        assert tracking, book
        for words in tracking:
            texts = {s for *_, s in words}
            # one page wide: the header row (repeated on every page) from its first column to the sixth month
            assert {first, "2026-09", "2027-02"} <= texts, book
            heights = [h for w, h, s in words if w >= h or len(s) == 1]
            assert min(heights) >= 8 * 1.29, (book, min(heights))  # (as test_paper: 8-pt text, boxes ≥ 10.39)
            # a student ID is never broken over two lines
            assert not [s for *_, s in words if re.fullmatch(r"20\d{6,7}", s)], book
