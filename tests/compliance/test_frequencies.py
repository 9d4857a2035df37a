"""A frequency is one registered object (compliance.check.FREQUENCIES): its periods and their labels in both
languages, and the calendar takes its periods from it."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from workbook_engine.compliance.calendar import Calendar
from workbook_engine.compliance.frequencies import FREQUENCIES


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
    assert {k: f.days for k, f in FREQUENCIES.items()} == {"weekly": 7, "semimonthly": 15, "monthly": 31}
    assert [f.label("zh") for f in FREQUENCIES.values()] == ["每周一次", "每半月一次", "每月一次"]


def test_the_settings_accept_the_registered_frequencies_and_each_requirement_reads_real_settings():
    from typing import get_args

    from workbook_engine.compliance.frequencies import REQUIREMENTS
    from workbook_engine.settings import Frequency, Policy

    assert set(get_args(Frequency)) == set(FREQUENCIES)
    policy = Policy()  # (a switch or frequency field that Policy does not have fails here, by name)
    assert {r.rule: (r.frequency(policy).key, r.checked(policy)) for r in REQUIREMENTS.values()} == {
        "talk": ("weekly", True), "parent": ("monthly", True), "report": ("semimonthly", True),
        "study": ("weekly", True), "community": ("monthly", True), "archive": ("monthly", True),
        "summary": ("monthly", True)}
