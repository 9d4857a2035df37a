"""Submissions combined record by record: several offices' assessment workbooks combine and neither replaces the
other, a conflict about a class reaches its feedback book, a mentor's own workbook joins the class records by
identity, and splitting the same records across submissions changes nothing."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.builders import TEMPLATE, class_book, office_book, sheet_rows
from tests.helpers.terms import term_dir
from workbook_engine.combining.combine import settle
from workbook_engine.compliance.compute import compute
from workbook_engine.model import FileReport, InboxFile, SheetData
from workbook_engine.pipeline import run_inbox
from workbook_engine.schema import CLASS_WORKBOOK
from workbook_engine.settings import Settings
from workbook_engine.writing.samples import make_class

UNTIL = dt.date(2026, 10, 20)
T = "070101"  # mentors all four students of 七年级1班 and, below, all four of 七年级2班


def test_two_offices_combine_and_neither_replaces_the_other(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    a = make_class(1, 7, 1, students=4, mentors=1, until=UNTIL)
    class_book(box, a, "七年级1班.xlsx")
    ids = [s["student_id"] for s in a.sheets["students"]]
    # 教务处 (10-10): grades, votes, a deduction, the leader; 政教处 (10-15, later): conduct alone, and two of the
    # same votes again — one identical (a duplicate), one with another rating (a conflict: the newer is used)
    office_book(box / "教务处.xlsx", "教务处", dt.date(2026, 10, 10), {
        "grades": [[sid, None, "七年级1班", 500, 500] for sid in ids],
        "satisfaction": [[sid, T, "满意"] for sid in ids],
        "deductions": [[T, dt.date(2026, 10, 9), "其他", "事由"]],
        "leaders": [["周校长", "七年级1班", None]]})
    office_book(box / "政教处.xlsx", "政教处", dt.date(2026, 10, 15), {
        "conduct": [["七年级1班", "1", 90], ["七年级1班", "2", 90]],
        "satisfaction": [[ids[0], T, "满意"], [ids[1], T, "不满意"]]})
    # 政教处's earlier version of its own workbook is replaced by the newer one (versions of one submission)
    office_book(box / "政教处(旧).xlsx", "政教处", dt.date(2026, 10, 1), {
        "conduct": [["七年级1班", "1", 50], ["七年级1班", "3", 70]]})
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    status = {f.name: f.status for f in result.files}
    assert status["教务处.xlsx"] == status["政教处.xlsx"] == "accepted" and status["政教处(旧).xlsx"] == "superseded"
    t = next(t for t in result.report["teachers"] if t["teacher_id"] == T)
    d = t["score"]["detail"]
    # grades, leader and deduction from 教务处 survive 政教处's workbook: 4 mentees with grades, 1 case
    assert d["mentees_with_grades"] == 4 and d["deduction_cases"] == 1
    # votes: 4 unique (ids[0] counted once, ids[1] now 不满意 from the newer 政教处) → 3 of 4 satisfied = 0.75 → 0
    assert (d["votes"], d["satisfied_votes"], d["unsatisfied_votes"]) == (4, 3, 1)
    # conduct from the newest 政教处 version: communities 1 and 2 at 90 (the grade's best) → mentees in 1, 2 → 1.0
    assert t["score"]["conduct"] == 1.0
    # base 5 + grades (no change → 1) + conduct 1 + satisfaction 0 − (1 不满意 + 1 case) = 5.0
    assert t["score"]["total"] == 5.0
    summary = result.report["summary"]
    assert summary["duplicates"] == {"满意度测评": 2} and summary["conflicts"] == 1
    rows = {f.name: f.rows for f in result.files}
    assert rows["政教处.xlsx"]["满意度测评"].accepted == 2  # accepted = unique + duplicates: counted, not lost
    assert len(result.merged.records["satisfaction"]) == 4
    # version lost rows: the older 政教处 had community 3, which the newer lacks
    assert [(r.spec.name, r.record["community"]) for r in result.merged.lost] == [("德育量化", "3")]
    # the conflict is listed in the merged book, newer version first
    wb = openpyxl.load_workbook(term_dir(result.out) / "合并数据_2026-2027第一学期.xlsx", read_only=True)
    listed = sheet_rows(wb["冲突的记录"], min_row=2)
    assert len(listed) == 1 and listed[0][2] == "政教处.xlsx" and "不满意" in listed[0][4] \
        and listed[0][5] == "教务处.xlsx" and "评价=满意" in listed[0][7]
    assert result.report["conflicts"][0]["kept"] == {"file": "政教处.xlsx", "row": 3}


def test_a_conflict_about_a_class_reaches_its_feedback_book(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    a = make_class(1, 7, 1, students=4, mentors=1, until=UNTIL)
    class_book(box, a, "七年级1班.xlsx")
    sid = a.sheets["students"][0]["student_id"]
    office_book(box / "教务处.xlsx", "教务处", dt.date(2026, 10, 10), {"grades": [[sid, None, "七年级1班", 500, 510]]})
    office_book(box / "校长室.xlsx", "校长室", dt.date(2026, 10, 12), {"grades": [[sid, None, "七年级1班", 500, 520]]})
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    assert [r["current"] for r in result.merged.records["grades"]] == [520]  # the newer office's figure
    rows = sheet_rows(term_dir(result.out) / "班级反馈" / "七年级1班.xlsx", "冲突的记录", min_row=2)
    assert len(rows) == 1 and rows[0][1] == "校长室.xlsx" and "本学期成绩=520" in rows[0][3] \
        and "本学期成绩=510" in rows[0][6]


# -- a mentor's own workbook beside the class workbook ---------------------------------------------------
MENTOR_TEMPLATE = TEMPLATE.parent / "导师工作手册.xlsx"


def test_a_mentor_book_joins_the_class_records_by_identity(tmp_path):
    from workbook_engine.schema import MENTOR_WORKBOOK
    from workbook_engine.writing.samples import fill_workbook

    full = make_class(5, 7, 1, students=6, mentors=2, until=UNTIL)
    reference = tmp_path / "reference"
    reference.mkdir()
    class_book(reference, full, "七年级1班.xlsx")
    expected = {s["student_id"]: (s["talk_periods_met"], s["talk_periods_expected"])
                for s in run_inbox(reference, tmp_path / "ref-out", as_of=UNTIL).report["students"]}

    box = tmp_path / "inbox"
    box.mkdir()
    mentor = full.sheets["mentors"][1]
    mine = [s for s in full.sheets["students"] if s["mentor_id"] == mentor["teacher_id"]]
    other = next(s for s in full.sheets["students"] if s["mentor_id"] != mentor["teacher_id"])
    moved = [t for t in full.sheets["talks"] if t["student_id"] == mine[0]["student_id"]]  # only in the book
    shared = [t for t in full.sheets["talks"] if t["student_id"] == mine[1]["student_id"]][:3]  # in both
    changed = dict([t for t in full.sheets["talks"] if t["student_id"] == mine[2]["student_id"]][0])
    changed["summary"] = "导师本人补充的摘要"  # the same talk (identity) with other content: a conflict
    class_data = make_class(5, 7, 1, students=6, mentors=2, until=UNTIL)
    class_data.sheets["talks"] = [t for t in full.sheets["talks"] if t not in moved]
    class_data.fill_date = UNTIL - dt.timedelta(days=2)  # the mentor's book is newer
    class_book(box, class_data, "七年级1班.xlsx")
    book_talks = [{**t, "class_name": "七年级1班", "teacher_id": None} for t in moved + shared + [changed]]
    stray = {**moved[0], "class_name": "七年级1班", "student_id": other["student_id"]}  # another mentor's student
    unknown = {**moved[0], "class_name": "七年级1班", "student_id": "20269999"}  # on no roster
    info = {"school": "青年路中学", "school_year": "2026-2027", "term": "第一学期", "teacher_id": mentor["teacher_id"],
            "name": mentor["name"], "fill_date": UNTIL}
    fill_workbook(MENTOR_TEMPLATE, MENTOR_WORKBOOK, info, {
        "mentees": [{"class_name": "七年级1班", "student_id": s["student_id"], "name": s["name"]} for s in mine],
        "talks": book_talks + [stray, unknown]}, box / "导师工作手册_本人.xlsx")

    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    book = next(f for f in result.files if f.name == "导师工作手册_本人.xlsx")
    assert book.kind == "mentor" and book.status == "accepted"
    # every student's talk figures are what the complete class file gives: the book's talks count (blank 导师工号
    # is the mentor's own), the three shared ones and the changed one count once
    got = {s["student_id"]: (s["talk_periods_met"], s["talk_periods_expected"]) for s in result.report["students"]}
    assert got == expected
    # duplicates: 3 identical + 1 conflicting row of the book's (or the class file's) talks
    assert result.report["summary"]["duplicates"] == {"谈心记录": 4} and result.report["summary"]["conflicts"] == 1
    kept = result.merged.conflicts[0].kept
    assert kept["_source"] == "导师工作手册_本人.xlsx" and kept["summary"] == "导师本人补充的摘要"
    # the stray rows are warned at their cells and not used (a mentor's book speaks only for its mentor's mentees)
    n = len(book_talks)
    problems = {(p.sheet, p.cell, p.code) for p in book.problems}
    assert ("谈心记录", f"E{n + 2}", "not-own-mentee") in problems
    assert ("谈心记录", f"E{n + 3}", "mentor-book-unknown-student") in problems
    assert (book.rows["谈心记录"].accepted, book.rows["谈心记录"].rejected) == (n, 2) and book.accounting_ok


# -- splitting the same records across submissions changes nothing -----------------------------------------
SPLIT_CLASS = make_class(6, 7, 1, students=5, mentors=2, until=UNTIL)
TERM = (dt.date(2026, 9, 1), dt.date(2027, 1, 31))


def _submission(name: str, kind: str, fill: dt.date, sheets: dict[str, list[dict]], info: dict) -> InboxFile:
    report = FileReport(Path(name), kind=kind, class_info={**info, "school_year": "2026-2027", "term": "第一学期",
                                                           "fill_date": fill})
    specs = {s.key: s for s in CLASS_WORKBOOK.sheets}
    for key, rows in sheets.items():
        report.sheets[key] = SheetData(specs[key], name=specs[key].name,
                                       records=[{**r, "_row": i + 2} for i, r in enumerate(rows)])
    return InboxFile(Path(name), name, report=report, mtime=0)


def _figures(entries: list[InboxFile]) -> dict:
    merged = settle(entries, Settings())
    comp = compute(merged, Settings(), TERM, UNTIL)
    talks = sorted((t["date"], t["teacher_id"], t["student_id"], t["form"]) for t in merged.records["talks"])
    accepted = sum(f.rows["谈心记录"].accepted for f in entries if "谈心记录" in f.rows)
    assert accepted == len(talks) + merged.duplicates.get("talks", 0)  # accepted = unique + duplicates
    return {"talks": talks,
            "students": {s["student_id"]: (s["talk_periods_met"], s["parent_periods_met"]) for s in comp.students}}


@hsettings(max_examples=25, deadline=None)
@given(st.lists(st.sets(st.integers(0, 1), min_size=1), min_size=len(SPLIT_CLASS.sheets["talks"]),
                max_size=len(SPLIT_CLASS.sheets["talks"])),
       st.permutations([0, 1, 2]))
def test_splitting_records_across_submissions_gives_the_same_compliance(where, order):
    """Each talk goes to the class file (0), its own mentor's book (1), or both; the class file and mentor A's and
    mentor B's books in any order of their 填表日期: every student's figures are those of the class file holding
    every talk."""
    data = SPLIT_CLASS
    base = {k: v for k, v in data.sheets.items()}
    whole = _figures([_submission("class.xlsx", "class", UNTIL, base, data.info)])
    mentors = [m["teacher_id"] for m in data.sheets["mentors"] if m["role"] == "科任导师"]
    talks: list[list[dict]] = [[], [], []]
    for talk, places in zip(data.sheets["talks"], where):
        book = mentors.index(talk["teacher_id"]) + 1 if talk["teacher_id"] in mentors[:2] else 0
        for dest in {book if p else 0 for p in places}:
            talks[dest].append({**talk, "class_name": data.class_name} if dest else dict(talk))
    fills = [UNTIL - dt.timedelta(days=d) for d in order]
    entries = [_submission("class.xlsx", "class", fills[0], {**base, "talks": talks[0]}, data.info)]
    for i, tid in enumerate(mentors[:2], start=1):
        entries.append(_submission(f"mentor{i}.xlsx", "mentor", fills[i], {"talks": talks[i]}, {"teacher_id": tid}))
    assert _figures(entries) == whole
