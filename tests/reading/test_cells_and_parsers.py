from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook_engine.cells import cell_ref, col_letter, parse_ref
from workbook_engine.reading.normalize import match_choice, parse_date, parse_id, split_multi

TERM = (dt.date(2026, 9, 1), dt.date(2027, 1, 31))


@pytest.mark.parametrize("row,col,ref", [(1, 1, "A1"), (2, 26, "Z2"), (10, 27, "AA10"), (7, 52, "AZ7"),
                                         (1, 702, "ZZ1"), (1, 703, "AAA1"), (1048576, 16384, "XFD1048576")])
def test_cell_refs_round_trip(row, col, ref):
    assert cell_ref(row, col) == ref
    assert parse_ref(ref) == (row, col)


@given(st.integers(1, 1048576), st.integers(1, 16384))
def test_cell_ref_round_trip_property(row, col):
    assert parse_ref(cell_ref(row, col)) == (row, col)
    assert col_letter(col).isupper()


@pytest.mark.parametrize("raw", ["2026.9.1", "2026/9/1", "2026-9-1", "2026年9月1日", "20260901", "9月1日",
                                 "２０２６．９．１", 46266, 46266.0, 20260901, "2026-09-01 00:00:00",
                                 dt.datetime(2026, 9, 1, 8, 30), dt.date(2026, 9, 1), " 2026 年 9 月 1 日 "])
def test_dates_as_teachers_type_them(raw):
    assert parse_date(raw, TERM) == dt.date(2026, 9, 1)


def test_month_day_takes_the_year_inside_the_term():
    assert parse_date("1月5日", TERM) == dt.date(2027, 1, 5)
    assert parse_date("1月5日", None) is None


@pytest.mark.parametrize("raw", ["NA", "null", "2026.13.5", "2026-02-30", "明天", "", None, True, float("nan")])
def test_not_dates(raw):
    assert parse_date(raw, TERM) is None


@pytest.mark.parametrize("raw,expected", [(20230101, "20230101"), (20230101.0, "20230101"), ("２０２３０１０１", "20230101"),
                                          ("20230101.0", "20230101"), ("0012", "0012"), (" 00 12 ", "0012"),
                                          ("T07", "T07"), ("张三", None), (1.5, None), (None, None), ("", None)])
def test_ids(raw, expected):
    assert parse_id(raw) == expected


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                 st.dates(), st.datetimes(), st.none(), st.booleans()))
def test_parsers_never_crash(value):
    parse_date(value, TERM)
    parse_date(value, None)
    parse_id(value)
    match_choice(value, ("电话", "面谈"))
    split_multi(value)


def test_choice_normalisation_and_multi_split():
    assert match_choice("电 话", ("电话",)) == ("电话", True)
    assert match_choice("电话", ("电话",)) == ("电话", False)
    assert match_choice(1.0, ("1", "2")) == ("1", False)
    assert match_choice("聊天", ("电话",)) == (None, False)
    assert split_multi("留守儿童、学习困难; 心理障碍，父母离异") == ["留守儿童", "学习困难", "心理障碍", "父母离异"]
