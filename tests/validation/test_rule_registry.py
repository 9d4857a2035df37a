"""Each rule one unit (workbook_engine/validation/rules): registered once with its code, severity, messages and check; a
new rule is one file; every registered code is raised by some test of the suite."""
from __future__ import annotations

import datetime as dt
import pickle
import re
import string
from pathlib import Path

import numpy as np
import pytest

from tests.builders import ROOT, TEMPLATE, edit, problems_of
from tests.helpers import raised_codes
from workbook_engine import Settings, validate_file
from workbook_engine.validation import rules
from workbook_engine.assessment.scoring import grade_of
from workbook_engine.compliance.check import FREQUENCIES, PERIOD_DAYS, Calendar
from workbook_engine.ledger.newterm import move_up
from workbook_engine.pipeline import run_inbox
from workbook_engine.validation.problems import CODES, Problem
from workbook_engine.validation.rules import W, rule
from workbook_engine.writing.samples import make_sample_school
from workbook_engine.schema import CLASS_INFO


@pytest.fixture
def scratch_rule():
    """Register rules for one test only, then remove them from the registry again."""
    before = (dict(CODES), dict(rules.RULES), list(rules.CLASS_CHECKS))
    yield rule
    CODES.clear(), CODES.update(before[0])
    rules.RULES.clear(), rules.RULES.update(before[1])
    rules.CLASS_CHECKS[:] = before[2]


def test_a_new_rule_is_one_function_and_runs_on_every_class_workbook(scratch_rule, class_file):
    # one decorator gives the code, severity, category, both messages and the check; nothing else is edited
    @scratch_rule("talk-on-sunday", W, "relation", "{value} 是星期日", "{value} is a Sunday")
    def talk_on_sunday(book):
        talks = book.sheets["talks"]
        for rec in talks.records:
            if rec["date"].weekday() == 6:
                book.add("talk-on-sunday", talks.name, rec["_row"], talks.columns["date"], "日期",
                         rec["date"].isoformat())

    report = validate_file(class_file)
    sundays = [p for p in report.problems if p.code == "talk-on-sunday"]
    # the fixture's talks run on school days only: none is on a Sunday, so the rule finds nothing
    assert sundays == []
    edit(class_file, lambda wb: wb["谈心记录"].__setitem__("A2", "2026-10-18"))  # a Sunday (19 October: Monday)
    report = validate_file(class_file)
    assert ("谈心记录", "A2", "talk-on-sunday") in problems_of(report)
    hit = next(p for p in report.problems if p.code == "talk-on-sunday")
    assert (hit.message(), hit.message("en")) == ("2026-10-18 是星期日", "2026-10-18 is a Sunday")
    assert report.valid  # a warning: the workbook is still accepted


def test_a_code_is_registered_once(scratch_rule):
    with pytest.raises(ValueError, match="unknown-student"):
        rules.code("unknown-student", W, "relation", "重复", "again")


def test_problems_codes_are_built_from_the_registry():
    # every rule registered in workbook_engine/validation/rules is a problem code, with the same spec
    assert {c: r.spec for c, r in rules.RULES.items()} == {c: CODES[c] for c in rules.RULES}
    # the moved cross-sheet checks, the pairing structure and the assessment screening are rule units
    assert {"unknown-student", "not-own-mentor", "community-level-mix", "late-pairing", "duplicate-vote",
            "assessment-unknown-class", "grade-baseline-missing"} <= set(rules.RULES)
    assert rules.RULES["unknown-student"].module == "workbook_engine.validation.rules.relations"
    assert rules.RULES["late-pairing"].check in rules.CLASS_CHECKS


def test_every_message_template_names_only_the_problem_fields():
    fields = {"sheet", "column", "value", "detail"}
    for code, spec in CODES.items():
        for template in (spec.zh, spec.en):
            used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert used <= fields, (code, template)
        assert spec.category and spec.zh and spec.en, code


def test_the_recorder_sees_problems_made_here_and_in_worker_processes(scratch_rule):
    rules.code("made-for-this-test", W, "file", "测试", "a test")
    # registered and raised by no test: the final check would name it
    assert "made-for-this-test" in raised_codes.unraised(set(CODES))
    # a Problem from a worker process arrives pickled: unpickling it records its code
    shipped = pickle.dumps(Problem("made-for-this-test", "学生名册"))
    raised_codes.RAISED.discard("made-for-this-test")  # (made here, it was recorded: forget that)
    assert pickle.loads(shipped).sheet == "学生名册"
    assert "made-for-this-test" not in raised_codes.unraised(set(CODES))
    raised_codes.RAISED.discard("made-for-this-test")


def test_every_registered_code_is_raised_by_a_test(request):
    """Runs last (tests/conftest.py). Only a run of the whole suite can tell which codes no test raises."""
    partial = raised_codes.whole_suite(request.session)
    if partial:
        pytest.skip(f"not the whole suite ({partial})")
    missing = raised_codes.unraised(set(CODES))
    assert not missing, f"registered codes that no test raises: {sorted(missing)}"


# -- item 13: primary school first --------------------------------------------------------------------
PRIMARY_GRADES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]
PRIMARY_SUBJECTS = {"语文", "数学", "英语", "科学", "道德与法治", "音乐", "体育", "美术"}
SAMPLE_FILES = ["school.toml", "三年级1班.xlsx", "三年级2班 学情记录（王老师）.xlsx", "四年级1班.xlsx",
                "四年级2班(补充修改).xlsx", "四年级2班.xlsx", "学校考核数据.xlsx"]


def test_the_sample_school_is_a_primary_school_and_runs_end_to_end(tmp_path):
    inbox = tmp_path / "in"
    make_sample_school(inbox, TEMPLATE)
    assert sorted(p.name for p in inbox.iterdir()) == sorted(SAMPLE_FILES)
    result = run_inbox(inbox, tmp_path / "out", as_of=dt.date(2026, 11, 20))
    status = {Path(f["path"]).name: (f["status"], f["class"]) for f in result.report["files"]}
    assert status == {
        "school.toml": ("skipped", None),
        "三年级1班.xlsx": ("accepted", "三年级1班"),
        "三年级2班 学情记录（王老师）.xlsx": ("accepted", "三年级2班"),  # the messy one, still accepted
        "四年级1班.xlsx": ("accepted", "四年级1班"),  # four mistakes: those rows rejected, the file kept
        "四年级2班(补充修改).xlsx": ("accepted", "四年级2班"),
        "四年级2班.xlsx": ("superseded", "四年级2班"),  # sent twice: the correction wins
        "学校考核数据.xlsx": ("accepted", None),
    }
    assert result.report["missing_classes"] == ["四年级3班"]
    assert [(c["class"], c["grade"]) for c in result.report["classes"]] == [
        ("三年级1班", "三年级"), ("三年级2班", "三年级"), ("四年级1班", "四年级"), ("四年级2班", "四年级")]
    errors = next(f for f in result.files if f.name == "四年级1班.xlsx").report.problems
    assert sorted((p.sheet, p.cell, p.code) for p in errors if p.severity.value == "error") == [
        ("学生名册", "F9", "student-without-mentor"), ("谈心记录", "A5", "invalid-date"),
        ("谈心记录", "D6", "unknown-student"), ("谈心记录", "F7", "value-not-allowed")]
    # grade cohorts are the primary grades of the class names; mentors teach a primary school's subjects
    assert sorted(set(result.percentiles["cohort"])) == ["三年级", "四年级"]
    assert {m["subject"] for m in result.merged.records["mentors"]} <= PRIMARY_SUBJECTS
    assert result.report["settings"]["school"]["name"] == "青年路小学"


def test_the_committed_sample_data_is_the_primary_school():
    assert sorted(p.name for p in (ROOT / "sample_data").iterdir()) == sorted(SAMPLE_FILES)


@pytest.mark.parametrize("name, grade", [("三年级1班", "三年级"), ("一年级12班", "一年级"), ("六年级3班", "六年级"),
                                         ("七年级1班", "七年级")])
def test_grade_cohorts_of_primary_classes(name, grade):
    assert grade_of(name, {}) == grade


def test_the_ledger_grades_are_a_primary_schools_and_the_sixth_grade_leaves():
    grades = Settings().ledger.grades
    assert grades == PRIMARY_GRADES
    assert move_up("三年级1班", "三年级", grades) == ("四年级1班", "四年级")
    assert move_up("六年级2班", "六年级", grades) is None  # graduates


def test_template_hints_and_the_package_name_no_middle_school_grade():
    assert CLASS_INFO.column("grade").help == "如 三年级"
    assert CLASS_INFO.column("class_name").help.startswith("如 三年级1班")
    middle = re.compile(r"[七八九]年级|初[一二三中]|高[一二三]|中学")
    found = [(p.name, line.strip()) for p in (ROOT / "workbook_engine").rglob("*.py")
             for line in p.read_text(encoding="utf-8").splitlines() if middle.search(line)]
    # (the class-name parser still reads a school's own 初一/高一 names: its pattern is 初[一二三], not a grade)
    assert found == []


# -- a frequency is one object (compliance.FREQUENCIES) ------------------------------------------------
@pytest.mark.parametrize("key, day, start, end, zh, en", [
    # 2026-09-09 is a Wednesday: its week runs Monday 7 to Sunday 13 September
    ("weekly", dt.date(2026, 9, 9), dt.date(2026, 9, 7), dt.date(2026, 9, 13), "9月7日—9月13日",
     "week 2026-09-07 – 2026-09-13"),
    # halves of a month: 1-15 and 16 to the month's end (30 September; 28 February 2027)
    ("semimonthly", dt.date(2026, 9, 20), dt.date(2026, 9, 16), dt.date(2026, 9, 30), "2026年9月下半月",
     "second half of September 2026"),
    ("semimonthly", dt.date(2027, 2, 28), dt.date(2027, 2, 16), dt.date(2027, 2, 28), "2027年2月下半月",
     "second half of February 2027"),
    ("semimonthly", dt.date(2026, 10, 15), dt.date(2026, 10, 1), dt.date(2026, 10, 15), "2026年10月上半月",
     "first half of October 2026"),
    ("monthly", dt.date(2026, 11, 5), dt.date(2026, 11, 1), dt.date(2026, 11, 30), "2026年11月", "November 2026"),
])
def test_a_frequency_is_one_object_with_its_periods_and_labels(key, day, start, end, zh, en):
    freq = FREQUENCIES[key]
    first = int(freq.starts(np.array([day.toordinal()]))[0])
    assert (dt.date.fromordinal(first), dt.date.fromordinal(freq.end(first))) == (start, end)
    assert (freq.period_label(start), freq.period_label(start, "en")) == (zh, en)


def test_the_calendar_takes_its_periods_from_the_frequency_objects():
    cal = Calendar(dt.date(2026, 9, 1), dt.date(2026, 10, 31), dt.date(2026, 10, 31))
    # September and October 2026: two months, four half months; weeks from Monday 31 August to Monday 26 October
    assert list(cal.periods("monthly")["name"]) == ["2026-09-01", "2026-10-01"]
    assert list(cal.periods("semimonthly")["name"]) == ["2026-09-01", "2026-09-16", "2026-10-01", "2026-10-16"]
    weeks = cal.periods("weekly")
    assert (weeks["name"].iloc[0], weeks["name"].iloc[-1], len(weeks)) == ("2026-08-31", "2026-10-26", 9)
    assert PERIOD_DAYS == {"weekly": 7, "semimonthly": 15, "monthly": 31}
    assert [f.label("zh") for f in FREQUENCIES.values()] == ["每周一次", "每半月一次", "每月一次"]
