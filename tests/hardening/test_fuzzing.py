"""Fuzzing what comes in: damaged workbooks, arbitrary cell values and a whole inbox of mutated files always give a
report, never a traceback, and leave the inbox as it was."""
from __future__ import annotations

import datetime as dt
import random
import shutil
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.builders import class_book, rezip, sha256
from workbook_engine.pipeline import run_inbox
from workbook_engine.validation.validate import validate_file

AS_OF = dt.date(2026, 10, 20)


@pytest.fixture(scope="module")
def seed_bytes(tmp_path_factory) -> bytes:
    from workbook_engine.writing.samples import make_class

    data = make_class(5, 7, 4, students=4, mentors=1, until=dt.date(2026, 9, 30))
    return class_book(tmp_path_factory.mktemp("seed"), data, "seed.xlsx").read_bytes()


def _mutate(seed: bytes, how: str, r: random.Random, tmp: Path) -> Path:
    src = tmp / "seed.xlsx"
    src.write_bytes(seed)
    dst = tmp / f"fuzz-{how}.xlsx"
    if how == "flip":
        data = bytearray(seed)
        for _ in range(r.randint(1, 20)):
            data[r.randrange(len(data))] ^= r.randrange(1, 256)
        dst.write_bytes(bytes(data))
        return dst
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
    victim = r.choice(names)
    if how == "drop":
        return rezip(src, dst, lambda n, d: None if n == victim else d)
    if how == "duplicate":
        return rezip(src, dst, lambda n, d: [(n, d), (n, d[: len(d) // 2])] if n == victim else d)
    if how == "content-types":
        return rezip(src, dst, lambda n, d: b"<Types><Default Extension='xml' ContentType='text/plain'/></Types>"
                      if n == "[Content_Types].xml" else d)
    return rezip(src, dst, lambda n, d: d[: r.randrange(len(d) + 1)] if n == victim else d)  # cut a part short


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["flip", "drop", "duplicate", "content-types", "cut"]), st.integers(0, 10_000))
def test_damaged_workbooks_always_give_a_report(seed_bytes, tmp_path, how, seed):
    path = _mutate(seed_bytes, how, random.Random(seed), tmp_path)
    report = validate_file(path)  # never raises
    assert report.kind in ("class", "assessment", "unknown")
    assert all(p.message() for p in report.problems)


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=60), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                          st.booleans(), st.dates()), min_size=1, max_size=10))
def test_arbitrary_cell_values_always_give_a_report(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("cells") / "cells.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "nan_inf_to_errors": True})
    info = wb.add_worksheet("班级信息")
    for r, (k, v) in enumerate([("项目", "内容"), ("学年", "2026-2027"), ("学期", "第一学期"), ("班级", "七年级1班")]):
        info.write(r, 0, k)
        info.write(r, 1, v)
    ws = wb.add_worksheet("谈心记录")
    headers = ["日期", "导师工号", "学号", "形式", "内容摘要", "需学校关注"]
    for c, h in enumerate(headers):
        ws.write_string(0, c, h)
    for i, v in enumerate(values):
        if isinstance(v, dt.date):
            ws.write_datetime(1 + i // 6, i % 6, dt.datetime(v.year, v.month, v.day))
        else:
            ws.write(1 + i // 6, i % 6, v)
    wb.add_worksheet("学生名册").write_row(0, 0, ["学号", "姓名", "导师工号"])
    wb.close()
    report = validate_file(path)
    assert report.kind == "class"
    assert all(p.message() for p in report.problems)


def test_a_fuzzed_inbox_still_runs(seed_bytes, tmp_path, class_file):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(class_file, inbox / "好文件.xlsx")
    r = random.Random(7)
    for how in ("flip", "drop", "duplicate", "content-types", "cut"):
        shutil.move(_mutate(seed_bytes, how, r, tmp_path), inbox / f"{how}.xlsx")
    before = {p.name: sha256(p) for p in inbox.iterdir()}
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF)
    statuses = {f["path"]: f["status"] for f in result.report["files"]}
    assert statuses["好文件.xlsx"] == "accepted"
    assert {p.name: sha256(p) for p in inbox.iterdir()} == before
