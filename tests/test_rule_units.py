"""Each rule one unit (workbook_engine/rules): registered once with its code, severity, messages and check; a
new rule is one file; every registered code is raised by some test of the suite."""
from __future__ import annotations

import datetime as dt
import pickle
import string

import numpy as np
import pytest

from tests.conftest import problems_of
from tests.helpers import raised_codes
from workbook_engine import rules, validate_file
from workbook_engine.compliance import FREQUENCIES, PERIOD_DAYS, Calendar
from workbook_engine.problems import CODES, Problem
from workbook_engine.rules import W, rule


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
    import openpyxl
    wb = openpyxl.load_workbook(class_file)
    wb["谈心记录"]["A2"] = "2026-10-18"  # a Sunday (2026-10-19 is a Monday)
    wb.save(class_file)
    report = validate_file(class_file)
    assert ("谈心记录", "A2", "talk-on-sunday") in problems_of(report)
    hit = next(p for p in report.problems if p.code == "talk-on-sunday")
    assert (hit.message(), hit.message("en")) == ("2026-10-18 是星期日", "2026-10-18 is a Sunday")
    assert report.valid  # a warning: the workbook is still accepted


def test_a_code_is_registered_once(scratch_rule):
    with pytest.raises(ValueError, match="unknown-student"):
        rules.code("unknown-student", W, "relation", "重复", "again")


def test_problems_codes_are_built_from_the_registry():
    # every rule registered in workbook_engine/rules is a problem code, with the same spec
    assert {c: r.spec for c, r in rules.RULES.items()} == {c: CODES[c] for c in rules.RULES}
    # the moved cross-sheet checks, the pairing structure and the assessment screening are rule units
    assert {"unknown-student", "not-own-mentor", "community-level-mix", "late-pairing", "duplicate-vote",
            "assessment-unknown-class", "grade-baseline-missing"} <= set(rules.RULES)
    assert rules.RULES["unknown-student"].module == "workbook_engine.rules.relations"
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
