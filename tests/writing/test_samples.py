"""The sample school is a primary school, as the schools of 《全员育人导师制实施方案》 and 《学情会商制度实施方案》
are: it runs end to end, the committed sample_data is it, grade cohorts and the ledger's grades are a primary
school's, and no template hint or module names a middle-school grade."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.builders import ROOT, TEMPLATE
from workbook_engine import Settings
from workbook_engine.assessment.scoring import grade_of
from workbook_engine.pipeline import run_inbox
from workbook_engine.schema import CLASS_INFO
from workbook_engine.writing.newterm import move_up
from workbook_engine.writing.samples import make_sample_school

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
