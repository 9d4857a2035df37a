"""The school ledger across terms: two terms into one OUT, a re-run replacing one term, failed runs, migration,
privacy, new-term books, rules across terms and the school year's mentors."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from tests.builders import LEDGER, T1_END, T2_END, graduating_class, sha256, term1_class, term2_inbox, write_inbox
from tests.helpers.terms import TERM2, term_dir
from workbook_engine.cli import main
from workbook_engine.ledger.schema import MIGRATIONS, SCHEMA_VERSION, LedgerError
from workbook_engine.ledger.store import connect
from workbook_engine.model import CODES
from workbook_engine.pipeline import run_inbox
from workbook_engine.settings import load_settings
from workbook_engine.validation.validate import validate_file
from workbook_engine.writing.newterm import move_up


def grades_of(inbox: Path) -> dict[str, tuple]:
    ws = openpyxl.load_workbook(inbox / "学校考核数据.xlsx")["成绩"]
    return {r[0]: (r[3], r[4]) for r in ws.iter_rows(min_row=2, values_only=True)}


def db(out: Path) -> sqlite3.Connection:
    return sqlite3.connect(out / LEDGER)


@pytest.fixture
def term1(tmp_path):
    """Term 1 run into OUT: 七年级9班 and 九年级1班; 2026070902's grade row left out of the assessment."""
    inbox, out = tmp_path / "in1", tmp_path / "out"
    classes = [term1_class(), graduating_class()]
    write_inbox(inbox, classes, drop_grade="2026070902")
    result = run_inbox(inbox, out, as_of=T1_END)
    return SimpleNamespace(result=result, classes=classes, inbox=inbox, out=out)


# -- the ledger ----------------------------------------------------------------------------------------------------
def test_a_second_run_lists_the_ledger_and_its_previous_copy_with_their_hashes(term1):
    """The ledger's child hashes the files it staged (the ledger and, from the second run on, the copy of it as it
    was): report.json lists each with the SHA-256 of the file published, and the previous copy is the first run's
    ledger byte for byte."""
    first = sha256(term1.out / LEDGER)
    run_inbox(term1.inbox, term1.out, as_of=T1_END)
    report = json.loads((term_dir(term1.out) / "report.json").read_text(encoding="utf-8"))
    listed = {o["path"]: o["sha256"] for o in report["outputs"]}
    previous = "学校台账.previous.sqlite"
    assert listed[LEDGER] == sha256(term1.out / LEDGER) != first  # (its run_at changed)
    assert listed[previous] == sha256(term1.out / previous) == first


def test_a_run_writes_its_term_and_the_ledger_is_one_of_the_outputs(term1):
    classes = term1.classes
    out = term1.out
    report = json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))
    listed = {o["path"]: o["sha256"] for o in report["outputs"]}
    assert listed[LEDGER] == sha256(out / LEDGER)  # published with the set, so publish never deletes it
    con = db(out)
    # 2 classes; 8 + 4 students; mentors with mentees: 070901, 070902, 090101, 090102
    assert con.execute("SELECT school_year, term, as_of, classes, students, teachers FROM terms").fetchall() == [
        ("2026-2027", "第一学期", "2026-10-20", 2, 12, 4)]
    # people: 4 teachers in 七年级9班 (班主任, two mentors, 离岗), 3 in 九年级1班
    assert con.execute("SELECT count(*) FROM class_mentors").fetchone() == (7,)
    assert con.execute("SELECT status FROM class_mentors WHERE teacher_id = '070903'").fetchone() == ("离岗",)
    assert con.execute("SELECT teacher_id FROM pairings WHERE student_id = '2026070902'").fetchone() == ("070902",)
    # accepted records with their source file and row: the first talk is row 2 of 谈心记录 in 七年级9班.xlsx
    first_talk = classes[0].sheets["talks"][0]
    assert con.execute("SELECT source_file, source_row, date, teacher_id FROM records WHERE sheet = 'talks' "
                       "AND student_id = ? ORDER BY source_row LIMIT 1", (first_talk["student_id"],)).fetchone() == \
        ("七年级9班.xlsx", 2, first_talk["date"].isoformat(), first_talk["teacher_id"])
    # every accepted row of every sheet is there (mentees excepted: none here)
    assert con.execute("SELECT count(*) FROM records").fetchone()[0] == report["summary"]["rows"]["accepted"] + 0
    # figures: the class's talk rate as the report has it; a score per teacher
    assert con.execute("SELECT talk_rate FROM class_figures WHERE class = '七年级9班'").fetchone()[0] == \
        next(c["talk_rate"] for c in report["classes"] if c["class"] == "七年级9班")
    assert con.execute("SELECT count(*) FROM teacher_scores").fetchone() == (len(report["teachers"]),)
    assert con.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_the_ledger_keeps_no_parent_phone_or_archive_text_by_default(term1, tmp_path):
    classes = term1.classes
    inbox = term1.inbox
    out = term1.out
    data = (out / LEDGER).read_bytes()
    phones = [s["parent_phone"] for c in classes for s in c.sheets["students"]]
    talk_texts = {t["summary"] for t in classes[0].sheets["talks"]}
    for secret in phones + ["父母在外务工由奶奶照顾", "乐于助人爱劳动", *talk_texts]:
        assert secret.encode("utf-8") not in data
    con = db(out)
    # what 学生档案 leaves in the ledger: dates and 转化情况
    assert con.execute("SELECT student_id, date, fields FROM records WHERE sheet = 'archive' ORDER BY date").fetchall() \
        == [("2026070901", "2026-09-15", '{"transformation":"稳定"}'),
            ("2026070901", "2026-10-15", '{"transformation":"好转"}')]
    # the school may decide otherwise: with include_phone_numbers the phones are kept (the check above can fail)
    toml = (inbox / "school.toml").read_text(encoding="utf-8") + "\n[privacy]\ninclude_phone_numbers = true\n"
    (inbox / "school.toml").write_text(toml, encoding="utf-8")
    run_inbox(inbox, out, as_of=T1_END)
    assert phones[0].encode("utf-8") in (out / LEDGER).read_bytes()


def assert_indexed(out: Path) -> None:
    """The records' two indexes, as the schema makes them, whole and used by a look-up of a student's records."""
    con = db(out)
    try:
        indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' "
                              "ORDER BY name").fetchall()
        assert indexes == [("records_by_student", "CREATE INDEX records_by_student ON records (student_id, term_id)"),
                           ("records_by_term", "CREATE INDEX records_by_term ON records (term_id, sheet)")]
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        plan = con.execute("EXPLAIN QUERY PLAN SELECT * FROM records WHERE student_id = ?", ("1",)).fetchall()
        assert "records_by_student" in str(plan)
    finally:
        con.close()


def test_two_terms_in_one_ledger_and_a_rerun_replaces_only_its_term(term1, tmp_path, monkeypatch):
    inbox1 = term1.inbox
    out = term1.out
    assert_indexed(out)  # the first term: its records loaded, then the indexes built
    inbox2 = term2_inbox(tmp_path, out, monkeypatch)
    run_inbox(inbox2, out, as_of=T2_END)
    assert_indexed(out)  # fewer records than the ledger holds: the indexes kept up to date row by row
    con = db(out)
    terms = con.execute("SELECT term_id, term, classes, students, run_at FROM terms ORDER BY term_id").fetchall()
    # term 2: one class (九年级1班 is not sent), 7 students (student 3 left last term)
    assert [(t[1], t[2], t[3]) for t in terms] == [("第一学期", 2, 12), ("第二学期", 1, 7)]
    term2_rows = con.execute("SELECT count(*) FROM records WHERE term_id = ?", (terms[1][0],)).fetchone()
    con.close()
    # term 1 again, with 九年级1班 only: term 1 is replaced (4 students), term 2 untouched (same run_at, rows)
    write_inbox(inbox1, [graduating_class()])
    run_inbox(inbox1, out, as_of=T1_END, replace_term=True)  # 8 of 12 students go: confirmed
    con = db(out)
    again = con.execute("SELECT term_id, term, classes, students, run_at FROM terms ORDER BY term").fetchall()
    assert [(t[1], t[2], t[3]) for t in again] == [("第一学期", 1, 4), ("第二学期", 1, 7)]
    assert again[1] == terms[1]
    assert con.execute("SELECT count(*) FROM records WHERE term_id = ?", (terms[1][0],)).fetchone() == term2_rows
    assert con.execute("SELECT DISTINCT class FROM students WHERE term_id = ?", (again[0][0],)).fetchall() == \
        [("九年级1班",)]
    con.close()
    assert_indexed(out)


def test_a_failed_run_leaves_the_ledger_as_it_was(term1, monkeypatch):
    inbox = term1.inbox
    out = term1.out
    before = sha256(out / LEDGER)
    write_inbox(inbox, [graduating_class()])  # a different term 1: would replace it

    def broken(*args, **kwargs):
        raise RuntimeError("the disk went away after the ledger was written")

    monkeypatch.setattr("workbook_engine.pipeline.publish", broken)
    with pytest.raises(RuntimeError):
        run_inbox(inbox, out, as_of=T1_END, replace_term=True)
    assert sha256(out / LEDGER) == before
    assert not (out / ".workbook-engine").exists()  # the staged copy went with the stage


def test_a_run_killed_inside_the_ledger_transaction_leaves_it_as_it_was(term1, monkeypatch):
    """The staged ledger's transaction interrupted mid-way (after the term's old rows are deleted)."""
    inbox = term1.inbox
    out = term1.out
    before = sha256(out / LEDGER)
    from workbook_engine.ledger import store as ledger

    real = ledger._rows

    def dying(*args, **kwargs):
        real(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger, "_rows", dying)
    with pytest.raises(KeyboardInterrupt):
        run_inbox(inbox, out, as_of=T1_END)
    assert sha256(out / LEDGER) == before
    assert db(out).execute("SELECT count(*) FROM terms").fetchone() == (1,)


def test_the_term_is_replaced_in_one_transaction(term1, monkeypatch, tmp_path):
    """Interrupted after the old term's rows were deleted: the ledger still holds the old term, row for row."""
    result = term1.result
    out = term1.out
    copy = tmp_path / "copy.sqlite"
    shutil.copy(out / LEDGER, copy)
    counts = sqlite3.connect(copy).execute("SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM terms)").fetchone()
    from workbook_engine.ledger import store as ledger
    from workbook_engine.pipeline import memory_of

    monkeypatch.setattr(ledger, "_rows", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    conn = connect(copy)
    with pytest.raises(KeyboardInterrupt):
        ledger.write_term(conn, memory_of(result.outcome))
    assert conn.execute("SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM terms)").fetchone() == counts
    assert counts[0] > 0 and counts[1] == 1


def test_older_ledgers_are_migrated_on_open(tmp_path):
    # version 0: an empty file
    empty = tmp_path / "v0.sqlite"
    sqlite3.connect(empty).close()
    con = connect(empty)
    assert con.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} >= {
        "terms", "classes", "teachers", "class_mentors", "students", "pairings", "records", "student_figures",
        "mentor_figures", "class_figures", "teacher_scores", "rectification"}
    con.close()
    # version 1, made by hand with a term and a student's figures
    v1 = tmp_path / "v1.sqlite"
    raw = sqlite3.connect(v1)
    raw.executescript(MIGRATIONS[0])
    raw.execute("INSERT INTO terms VALUES (1, '2025-2026', '第二学期', '2026-07-01', '2026-07-02T00:00:00', 1, 1, 1, 5)")
    raw.execute("INSERT INTO student_figures VALUES (1, '七年级1班', '001', '0701', 20, 19, 5, 5, 0, 0)")
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    con = connect(v1)
    assert con.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert con.execute("SELECT talk_met, archive_expected FROM student_figures").fetchall() == [(19, None)]
    assert con.execute("SELECT school FROM classes").fetchall() == []  # the column v2 added
    assert con.execute("SELECT count(*) FROM rectification").fetchone() == (0,)  # the table v4 added
    con.close()
    # newer than this program: refused, untouched
    newer = tmp_path / "v9.sqlite"
    raw = sqlite3.connect(newer)
    raw.execute("PRAGMA user_version = 9")
    raw.close()
    with pytest.raises(LedgerError):
        connect(newer)


def test_a_run_on_an_out_with_a_v1_ledger_keeps_its_terms(term1, tmp_path):
    inbox = term1.inbox
    out = term1.out
    old = tmp_path / "old.sqlite"
    raw = sqlite3.connect(old)
    raw.executescript(MIGRATIONS[0])
    raw.execute("INSERT INTO terms VALUES (7, '2025-2026', '第二学期', '2026-07-01', '2026-07-02T00:00:00', 3, 90, 9, 5)")
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    shutil.copy(old, out / LEDGER)
    run_inbox(inbox, out, as_of=T1_END)
    con = db(out)
    assert con.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert con.execute("SELECT school_year, term, students FROM terms ORDER BY school_year").fetchall() == [
        ("2025-2026", "第二学期", 90), ("2026-2027", "第一学期", 12)]


def test_a_ledger_outside_out_is_updated_after_publishing(tmp_path, term1):
    inbox = term1.inbox
    elsewhere = tmp_path / "台账" / "school.sqlite"
    toml = (inbox / "school.toml").read_text(encoding="utf-8") + f'\n[ledger]\npath = "{elsewhere.as_posix()}"\n'
    (inbox / "school.toml").write_text(toml, encoding="utf-8")
    out2 = tmp_path / "out2"
    r = run_inbox(inbox, out2, as_of=T1_END)
    assert r.ledger is None and not (out2 / LEDGER).exists()
    assert sqlite3.connect(elsewhere).execute("SELECT count(*) FROM terms").fetchone() == (1,)


# -- new-term ------------------------------------------------------------------------------------------------------
def test_new_term_books_carry_the_roster_and_validate_clean(term1, tmp_path):
    out = term1.out
    books = tmp_path / "books"
    assert main(["new-term", str(out), "--to", str(books), "--term", "第二学期"]) == 0
    class_book = books / "班级学情工作簿" / "七年级9班.xlsx"
    report = validate_file(class_book)
    # no problem but the pairing-structure advice a 7-student class draws (4–5 mixed communities, loads)
    assert report.kind == "class" and [p.code for p in report.problems if CODES[p.code].category != "pairing"] == []
    assert report.class_info["term"] == "第二学期" and report.class_info["school_year"] == "2026-2027"
    # mentors: 班主任, 070901, 070902 (070903 离岗 left out); roster: 8 students less student 3 (转出) = 7
    assert [m["teacher_id"] for m in report.records("mentors")] == ["070900", "070901", "070902"]
    roster = report.records("students")
    assert len(roster) == 7 and "2026070903" not in {s["student_id"] for s in roster}
    # pairings and communities carried over; attention kept; record sheets empty
    assert [(s["mentor_id"], s["community"]) for s in roster[:2]] == [("070901", "1"), ("070902", "2")]
    assert roster[0]["attention"] == ["留守儿童"]
    assert report.records("talks") == [] and report.records("choices") == []
    # a mentor book per mentor with mentees: 070901 (students 1, 5, 7 of 七年级9班) — 3 is 转出
    mentor_books = sorted(p.name for p in (books / "导师工作手册").iterdir())
    assert len(mentor_books) == 4  # 070901, 070902 and 九年级1班's 090101, 090102
    book = next(p for p in (books / "导师工作手册").iterdir() if "070901" in p.name)
    mine = validate_file(book)
    assert mine.kind == "mentor" and [p.code for p in mine.problems] == []
    assert [m["student_id"] for m in mine.records("mentees")] == ["2026070901", "2026070905", "2026070907"]


def test_new_school_year_moves_classes_up_and_the_top_grade_leaves(term1, tmp_path, capsys):
    out = term1.out
    books = tmp_path / "books"
    # a middle school names its grades (the default is a primary school's 一年级…六年级)
    config = tmp_path / "middle.toml"
    config.write_text('[ledger]\ngrades = ["七年级", "八年级", "九年级"]\n', encoding="utf-8")
    assert main(["new-term", str(out), "--to", str(books), "--year", "2027-2028", "--json",
                 "--config", str(config)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["graduated"] == ["九年级1班"] and data["renamed"] == {"七年级9班": "八年级9班"}
    assert sorted(p.name for p in (books / "班级学情工作簿").iterdir()) == ["八年级9班.xlsx"]
    report = validate_file(books / "班级学情工作簿" / "八年级9班.xlsx")
    assert [p.code for p in report.problems if CODES[p.code].category != "pairing"] == []
    assert (report.class_info["grade"], report.class_info["class_name"], report.class_info["term"]) == \
        ("八年级", "八年级9班", "第一学期")
    # 双向选择 ready: the 7 students, choices blank
    assert [c["student_id"] for c in report.records("choices")] == [f"20260709{i:02d}" for i in (1, 2, 4, 5, 6, 7, 8)]
    assert all(c["choice1"] is None for c in report.records("choices"))


@pytest.mark.parametrize("name, grade, grades, expected", [
    ("七年级1班", "七年级", ["七年级", "八年级", "九年级"], ("八年级1班", "八年级")),
    ("九年级3班", "九年级", ["七年级", "八年级", "九年级"], None),
    ("六年级2班", "六年级", ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"], None),
    ("五年级2班", None, ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"], ("六年级2班", "六年级")),
    ("高一(3)班", "高一", ["七年级", "八年级", "九年级"], ("高一(3)班", "高一")),  # not the school's: kept
])
def test_move_up(name, grade, grades, expected):
    assert move_up(name, grade, grades) == expected


# -- rules across terms, yearly awards, summary --------------------------------------------------------------------
def test_second_term_warnings_baseline_yearly_awards_and_trends(term1, tmp_path, monkeypatch):
    result1 = term1.result
    inbox1 = term1.inbox
    out = term1.out
    t1_grades = grades_of(inbox1)
    # term 2: 上学期成绩 left blank for 2026070901 (the ledger has its term-1 grade) and 2026070902 (it has none)
    inbox2 = term2_inbox(tmp_path, out, monkeypatch, blank_previous=("2026070901", "2026070902"))
    r2 = run_inbox(inbox2, out, as_of=T2_END)
    report = json.loads((term_dir(out, TERM2) / "report.json").read_text(encoding="utf-8"))
    problems = [(p["sheet"], p["cell"], p["code"]) for f in report["files"] for p in f["problems"]
                if p["code"] in ("mentor-changed-without-record", "grade-baseline-missing")]
    # student 2 is row 3 of 学生名册 (导师工号 is column F); its grade row is row 3 of 成绩 (上学期成绩 column D)
    assert sorted(problems) == [("学生名册", "F3", "mentor-changed-without-record"),
                                ("成绩", "D3", "grade-baseline-missing")]
    # the baseline of 2026070901 is its term-1 本学期成绩
    pct = r2.percentiles.set_index("student_id")
    assert pct.loc["2026070901", "previous"] == t1_grades["2026070901"][1]
    assert "2026070902" not in pct.index  # no baseline: not in the grade change
    # the school year's mentors: both terms' totals; the year's mean
    t1 = {t["teacher_id"]: t for t in json.loads(json.dumps(result1.teachers, default=str))}
    yearly = {y["teacher_id"]: y for y in report["yearly_mentors"]}
    assert set(yearly) == {"070901", "070902"}  # 九年级1班 was not sent in term 2
    for tid, y in yearly.items():
        total2 = next(t for t in report["teachers"] if t["teacher_id"] == tid)["score"]["total"]
        assert y["first"]["total"] == t1[tid]["score"]["total"] and y["second"]["total"] == total2
        assert y["year_total"] == round((t1[tid]["score"]["total"] + total2) / 2 + 1e-9, 2)
    # 070902 kept every talk and contact in both terms (on track twice): the one candidate. 070901 is not on track
    # in either: term 1, student 7 paired on 19 October; term 2, student 2's talks are still by 070902
    assert (yearly["070902"]["eligible"], yearly["070901"]["eligible"]) == (True, False)
    candidates = [r for r in report["recognition"] if r["type"] == "mentor_year"]
    assert [(c["id"], c["value"]) for c in candidates] == [("070902", yearly["070902"]["year_total"])]
    assert set(candidates[0]["terms"]) == {"第一学期", "第二学期"}
    # the termly list is 学期表扬 (优秀导师 is the yearly award only), from term 2's ranks only
    assert all(r["reason"].startswith("考核总分") for r in report["recognition"] if r["type"] == "term_praise")
    assert not [r for r in report["recognition"] if r["type"] == "mentor"]
    # trends: term 2 beside term 1 for 七年级9班
    trend = report["trends"]["classes"][0]
    t1_class = next(c for c in result1.report["classes"] if c["class"] == "七年级9班")
    assert report["previous_term"] == ["2026-2027", "第一学期"]
    assert trend["talk_rate_before"] == t1_class["talk_rate"]
    assert trend["talk_change"] == round(trend["talk_rate"] - t1_class["talk_rate"], 4)
    # months of term 2 to 2027-04-20 with a talk week ended: 2027-02 (from the week ending 28 Feb), 03, 04
    assert report["trends"]["months"] == ["2027-02", "2027-03", "2027-04"]
    # 教育转化: 2026070901 on the list 5 months last term (Sep–Jan) + Feb, Mar, Apr this term = 8
    track = report["attention_tracking"]  # (包靠: write_assessment names 周校长 for 七年级's first such student)
    assert [(t["student_id"], t["months_on_list"], t["transformation"]) for t in track] == [("2026070901", 8, "好转")]
    # a talk a week from the week of 22 February to the week of 12 April (the next ends after 20 April): 8 weeks
    # — 1 in February, then 4 or 5 in March (the week of 29 March may fall in April)
    talks = {m: v["talks"] for m, v in track[0]["months"].items()}
    assert sum(talks.values()) == 8 and talks["2027-02"] == 1
    summary = openpyxl.load_workbook(term_dir(out, TERM2) / "汇总_2026-2027第二学期.xlsx")
    assert summary["学年优秀导师"].max_row == 1 + len(yearly)
    # 重点关注跟踪: one row a student (the mentor by name; the 学号 is on 重点关注学生), then one column a month of
    # the term to the as-of date holding talks/contacts/archive entries; February's cell starts with its one
    # talk, the talks add up to 8
    sheet = summary["重点关注跟踪"]
    head = [c.value for c in sheet[1]]
    assert head == ["班级", "姓名", "关注类别", "导师", "包靠领导", "在册月数", "转化情况", "提示",
                    "2027-02", "2027-03", "2027-04"]
    row = [c.value for c in sheet[2]]
    assert row[:7] == ["七年级9班", track[0]["name"], "留守儿童", r2.compliance.mentor_names[("七年级9班", "070901")],
                       "周校长", 8, "好转"]
    months = track[0]["months"]
    assert row[8:] == [f"{months[m]['talks']}/{months[m]['contacts']}/{months[m]['archive']}" for m in head[8:]]
    assert row[8].startswith("1/") and sum(int(cell.split("/")[0]) for cell in row[8:]) == 8


def test_no_warning_when_the_mentor_stayed(term1, tmp_path, monkeypatch):
    out = term1.out
    inbox2 = term2_inbox(tmp_path, out, monkeypatch, change_mentor=False)
    run_inbox(inbox2, out, as_of=T2_END)
    report = json.loads((term_dir(out, TERM2) / "report.json").read_text(encoding="utf-8"))
    assert not [p for f in report["files"] for p in f["problems"] if p["code"] == "mentor-changed-without-record"]


def test_settings_know_the_ledger(tmp_path):
    path = tmp_path / "school.toml"
    path.write_text('[ledger]\npath = "台账/学校台账.sqlite"\ngrades = ["一年级", "二年级"]\n', encoding="utf-8")
    s = load_settings(path)
    assert s.ledger.path == "台账/学校台账.sqlite" and s.ledger.grades == ["一年级", "二年级"]


# -- history -------------------------------------------------------------------------------------------------------
def test_history_prints_both_terms_from_the_ledger(term1, tmp_path, monkeypatch, capsys):
    out = term1.out
    r2 = run_inbox(term2_inbox(tmp_path, out, monkeypatch), out, as_of=T2_END)
    before = sha256(out / "学校台账.sqlite")
    capsys.readouterr()  # (new-term's own lines)
    t1 = {t["teacher_id"]: t for t in term1.result.teachers}
    t2 = {t["teacher_id"]: t for t in r2.teachers}
    assert main(["history", str(out), "--teacher", "070901", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["view"] == "teacher"
    assert [(r["term"], r["total"], r["rank"], r["mentees"]) for r in data["terms"]] == [
        ("第一学期", t1["070901"]["score"]["total"], t1["070901"]["rank"], t1["070901"]["mentees"]),
        ("第二学期", t2["070901"]["score"]["total"], t2["070901"]["rank"], t2["070901"]["mentees"])]
    # a student's talks term by term, as the runs counted them
    s1 = next(s for s in term1.result.compliance.students if s["student_id"] == "2026070901")
    s2 = next(s for s in r2.compliance.students if s["student_id"] == "2026070901")
    assert main(["history", str(out), "--student", "2026070901", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["terms"]
    assert [r["talks"] for r in rows] == [f"{s['talk_periods_met']}/{s['talk_periods_expected']}" for s in (s1, s2)]
    # the school's rows, as a table: two terms, the term-1 talk rate as the run printed it
    assert main(["history", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    rate1, _ = term1.result.compliance.school_rates()
    assert len(printed) == 3 and "第一学期" in printed[1] and f"{rate1:.1%}" in printed[1] and "第二学期" in printed[2]
    assert sha256(out / "学校台账.sqlite") == before  # read-only
    assert main(["history", str(tmp_path / "nowhere")]) == 2


def test_records_written_before_the_figures_are_taken_back_when_the_figures_never_come(term1, tmp_path):
    """remember begins with the term's records while compliance is still being computed (pipeline.begin_remembering)
    and finishes once it is given the figures. Given none (the term's dates unknown, so nothing was computed): the
    staged ledger holds exactly what the published one held, and with no ledger published yet none is staged."""
    from dataclasses import replace

    from workbook_engine.ledger.store import remember
    from workbook_engine.pipeline import memory_of

    out = term1.out
    start = replace(memory_of(term1.result.outcome), students=None)
    assert start.merged.records["talks"]  # records there would be to write

    def tables(path: Path) -> dict[str, list]:
        con = sqlite3.connect(path)
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: con.execute(f"SELECT * FROM {n} ORDER BY rowid").fetchall() for n in names}

    stage = tmp_path / "stage"
    stage.mkdir()
    assert remember(start, out, stage, later=lambda: start) == LEDGER
    staged = next(p for p in stage.rglob("*.sqlite") if p.name == Path(LEDGER).name)
    assert tables(staged) == tables(out / LEDGER)
    assert tables(staged)["records"] and len(tables(staged)["terms"]) == 1  # term 1, as published

    fresh, stage2 = tmp_path / "fresh", tmp_path / "stage2"
    fresh.mkdir()
    stage2.mkdir()
    assert remember(start, fresh, stage2, later=lambda: start) is None
    assert not list(stage2.rglob("*.sqlite"))
