"""Every problem code, triggered by a real workbook and asserted as (sheet, cell, code)."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.builders import edit, problems_of
from workbook_engine import Settings, validate_file
from workbook_engine.model import CODES


def test_template_filled_by_openpyxl_is_clean(class_file):
    report = validate_file(class_file)
    assert report.kind == "class"
    # (the 8-student fixture is too small for 4-5 communities that each mix 好/中/差: tests/validation/test_rules.py)
    assert [p for p in report.problems if p.code != "missing-optional-sheet"
            and CODES[p.code].category != "pairing"] == []
    assert report.valid
    assert report.rows["学生名册"] == 8
    assert report.class_info["class_name"] == "七年级9班"
    assert report.class_info["fill_date"] == dt.date(2026, 10, 20)


def test_messy_workbook_has_no_errors_and_reads_every_row(messy_file, small_class):
    report = validate_file(messy_file)
    assert report.valid, [p.to_dict() for p in report.problems if p.severity.value == "error"]
    assert report.rows["谈心记录"] == len(small_class.sheets["talks"])
    assert report.rows["学生名册"] == len(small_class.sheets["students"])
    talks = report.records("talks")
    assert {t["student_id"] for t in talks} == {s["student_id"] for s in small_class.sheets["students"] if
                                                  any(x["student_id"] == s["student_id"] for x in small_class.sheets["talks"])}
    assert [t["date"] for t in talks] == [t["date"] for t in small_class.sheets["talks"]]
    # the extra column is kept and noted
    assert ("学生名册", "P2", "extra-column") in problems_of(report)  # (O: 入学日期)
    assert report.records("students")[0]["_extra"] == {"座位号": "1"}


def test_cells_are_right_under_a_title_row_with_reordered_columns_and_blank_rows(messy_file, small_class):
    # 谈心记录 in the messy file: title in row 1, header in row 2, 日期 moved to the last column (J),
    # a blank row after every 17 records. Record 20 sits on sheet row 2 + 20 + 1 = 23.
    edit(messy_file, lambda wb: wb["谈心记录"].__setitem__("J23", "2026.2.30"))
    report = validate_file(messy_file)
    assert ("谈心记录", "J23", "invalid-date") in problems_of(report)
    bad = next(p for p in report.problems if p.code == "invalid-date")
    assert (bad.row, bad.column, bad.value) == (23, "日期", "2026.2.30")


def _set(sheet, ref, value):
    return lambda wb: wb[sheet].__setitem__(ref, value)


CASES = [
    ("invalid-date", _set("谈心记录", "A2", "2026.13.5"), ("谈心记录", "A2")),
    ("date-out-of-term", _set("谈心记录", "A2", dt.date(2025, 3, 1)), ("谈心记录", "A2")),
    ("value-not-allowed", _set("谈心记录", "F2", "聊天"), ("谈心记录", "F2")),
    ("value-normalized", _set("谈心记录", "F2", "面 谈"), ("谈心记录", "F2")),
    ("missing-value", _set("谈心记录", "H2", None), ("谈心记录", "H2")),
    ("unknown-student", _set("谈心记录", "D2", "20269999"), ("谈心记录", "D2")),
    ("unknown-mentor", _set("谈心记录", "B2", "999999"), ("谈心记录", "B2")),
    ("name-mismatch", _set("谈心记录", "E2", "不是此人"), ("谈心记录", "E2")),
    ("invalid-id", _set("学生名册", "A2", "张三"), ("学生名册", "A2")),
    ("student-without-mentor", _set("学生名册", "F2", None), ("学生名册", "F2")),
    ("duplicate-student-id", lambda wb: wb["学生名册"].__setitem__("A3", wb["学生名册"]["A2"].value), ("学生名册", "A3")),
    ("invalid-number", _set("导师名单", "G2", "很多"), ("导师名单", "G2")),
    ("class-info-missing", _set("班级信息", "B6", None), ("班级信息", "B6")),
    ("missing-column", lambda wb: wb["谈心记录"].delete_cols(8), ("谈心记录", "A1")),
    ("extra-column", _set("谈心记录", "K1", "备用"), ("谈心记录", "K1")),
    ("missing-sheet", lambda wb: wb.remove(wb["家长联系"]), ("家长联系", None)),
    ("missing-optional-sheet", lambda wb: wb.remove(wb["学生档案"]), ("学生档案", None)),
    ("old-template-version", _set("说明", "A2", "模板版本：0.9"), ("说明", "A2")),
    ("formula-without-value", _set("导师名单", "G2", "=1+1"), ("导师名单", "G2")),
    ("invalid-school-year", _set("班级信息", "B3", "2026-2027/../../inbox/LEAK_"), ("班级信息", "B3")),
]


def _missing_header(wb):
    ws = wb["学情研究"]
    ws.delete_rows(1, ws.max_row)
    ws["A1"] = "本周没有记录"


CASES.append(("missing-header", _missing_header, ("学情研究", None)))


def _not_own_mentor(wb):
    roster = wb["学生名册"]
    talks = wb["谈心记录"]
    sid = talks["D2"].value
    own = next(r for r in roster.iter_rows(min_row=2, values_only=True) if r[0] == sid)[5]
    other = next(r for r in wb["导师名单"].iter_rows(min_row=2, values_only=True)
                 if r[0] not in (own, None) and r[3] != "班主任")  # (the head teacher's talks draw no warning)
    talks["B2"], talks["C2"] = other[0], other[1]


CASES.append(("not-own-mentor", _not_own_mentor, ("谈心记录", "B2")))


@pytest.mark.parametrize("code,change,where", CASES, ids=[c[0] for c in CASES])
def test_each_code_is_reported_at_its_cell(class_file, code, change, where):
    edit(class_file, change)
    report = validate_file(class_file)
    assert (where[0], where[1], code) in problems_of(report)
    problem = next(p for p in report.problems if p.code == code)
    assert problem.severity.value == CODES[code].severity.value
    assert problem.message("zh") and problem.message("en")
    assert report.valid is (CODES[code].severity.value == "warning" and
                            all(p.severity.value == "warning" for p in report.problems))


def test_not_own_mentor_talk_is_kept(class_file):
    edit(class_file, _not_own_mentor)
    report = validate_file(class_file)
    assert report.valid
    assert report.rows["谈心记录"] == len(report.records("talks"))


def _file_case(tmp_path: Path, name: str, payload: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(payload)
    return path


def test_file_level_codes(tmp_path, class_file):
    text = _file_case(tmp_path, "notes.xlsx", "学号,姓名\n1,张三\n".encode())
    empty = _file_case(tmp_path, "empty.xlsx", b"")
    html = _file_case(tmp_path, "export.xls", b"<html><table><tr><td>1</td></tr></table></html>")
    truncated = _file_case(tmp_path, "broken.xlsx", class_file.read_bytes()[:3000])
    docx = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    ole = _file_case(tmp_path, "locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
                     + "EncryptionInfo".encode("utf-16-le") + b"\0" * 500)
    folder = tmp_path / "folder.xlsx"  # a folder named like a workbook: cannot be opened
    folder.mkdir()
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便一张表"
    wb.save(other)
    expect = {text: "not-a-workbook", empty: "not-a-workbook", html: "not-a-workbook", docx: "not-a-workbook",
              truncated: "damaged-file", ole: "encrypted-file", other: "unknown-workbook", folder: "unreadable-file"}
    for path, code in expect.items():
        report = validate_file(path)
        assert [p.code for p in report.problems] == [code], path
        assert not report.valid
    assert validate_file(other).kind == "unknown"
    small = Settings.model_validate({"limits": {"max_file_mb": 0.001}})
    assert [p.code for p in validate_file(class_file, small).problems] == ["file-too-large"]


# (every registered code is raised by some test: tests/validation/test_rule_registry.py::test_every_registered_code_is_raised_by_a_test)


def test_assessment_workbook(assessment_file):
    report = validate_file(assessment_file)
    assert report.kind == "assessment"
    assert report.valid
    assert report.rows["成绩"] == 8
    edit(assessment_file, _set("满意度测评", "C2", "非常满意"))
    assert ("满意度测评", "C2", "value-not-allowed") in problems_of(validate_file(assessment_file))


def test_na_and_null_stay_text(class_file):
    edit(class_file, _set("谈心记录", "I2", "NA"))
    edit(class_file, _set("谈心记录", "I3", "null"))
    talks = validate_file(class_file).records("talks")
    assert [talks[0]["follow_up"], talks[1]["follow_up"]] == ["NA", "null"]


def test_leading_zeros_survive(class_file):
    report = validate_file(class_file)
    assert all(m["teacher_id"].startswith("0") for m in report.records("mentors"))


def test_merged_cells_take_the_merged_value(class_file):
    def merge(wb):
        ws = wb["谈心记录"]
        ws["A3"] = None
        ws.merge_cells("A2:A3")
    edit(class_file, merge)
    talks = validate_file(class_file).records("talks")
    assert talks[1]["date"] == talks[0]["date"]


def test_far_away_formatted_cell_costs_nothing(class_file):
    def far(wb):
        wb["谈心记录"].cell(1048576, 16384).fill = openpyxl.styles.PatternFill("solid", fgColor="FF0000")
    edit(class_file, far)
    report = validate_file(class_file)
    assert report.valid


def test_without_settings_the_term_comes_from_the_workbook(class_file):
    # 第一学期 of 2026-2027 runs 2026-09-01 to 2027-01-31 when no school.toml says otherwise
    edit(class_file, _set("谈心记录", "A2", dt.date(2027, 1, 30)))
    assert validate_file(class_file).valid
    edit(class_file, _set("谈心记录", "A2", dt.date(2027, 2, 2)))
    assert ("谈心记录", "A2", "date-out-of-term") in problems_of(validate_file(class_file))


def test_english_messages(class_file):
    edit(class_file, _set("谈心记录", "F2", "聊天"))
    data = validate_file(class_file).to_dict("en")
    problem = next(p for p in data["problems"] if p["code"] == "value-not-allowed")
    assert problem["message"].startswith("'聊天' is not allowed")
