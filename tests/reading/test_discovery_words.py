"""Discovery in the run's language: why a file was not read (an Excel lock file, a CSV, a text file under a
workbook's name), on the console, in report.json and in the merged book — English with --lang en, Chinese by
default."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tests.builders import sheet_rows
from tests.helpers.terms import term_dir
from workbook_engine.cli import main

AS_OF = "2026-10-20"


def _skips(out: Path) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """(report.json's, the merged book's) {file: (status, reason)} of the files not accepted."""
    report = json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))
    in_report = {f["path"]: (f["status"], f["reason"]) for f in report["files"] if f["status"] != "accepted"}
    book = openpyxl.load_workbook(next(term_dir(out).glob("合并数据*.xlsx")), read_only=True)
    rows = sheet_rows(book.worksheets[0])
    header = next(i for i, r in enumerate(rows) if r and r[0] in ("File", "文件"))
    assert [rows[header][3], rows[header][4]] in (["Status", "Reason"], ["状态", "说明"])
    in_book = {r[0]: (r[3], r[4]) for r in rows[header + 1:] if r and r[0] in in_report}
    return in_report, in_book


def test_an_english_run_says_why_files_were_skipped_in_english(inbox, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--lang", "en", "run", str(inbox), "--out", str(out), "--as-of", AS_OF]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert "  - ~$七年级9班.xlsx: a lock file left by Excel/WPS" in printed
    assert "  - 名单.csv: not a spreadsheet" in printed
    in_report, in_book = _skips(out)
    assert in_report == {"~$七年级9班.xlsx": ("skipped", "a lock file left by Excel/WPS"),
                         "名单.csv": ("skipped", "not a spreadsheet")}
    assert in_book == {"~$七年级9班.xlsx": ("skipped", "a lock file left by Excel/WPS"),
                       "名单.csv": ("skipped", "not a spreadsheet")}
    assert openpyxl.load_workbook(next(term_dir(out).glob("合并数据*.xlsx")), read_only=True).sheetnames[0] == "Files"


def test_a_run_says_why_files_were_skipped_in_chinese_by_default(inbox, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("WORKBOOK_ENGINE_LANG", raising=False)
    out = tmp_path / "out"
    assert main(["run", str(inbox), "--out", str(out), "--as-of", AS_OF]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert "  - ~$七年级9班.xlsx：Excel/WPS 打开文件时留下的锁文件" in printed
    assert "  - 名单.csv：不是表格文件" in printed
    in_report, in_book = _skips(out)
    assert in_report == {"~$七年级9班.xlsx": ("skipped", "Excel/WPS 打开文件时留下的锁文件"),
                         "名单.csv": ("skipped", "不是表格文件")}  # (the status is report.json's code)
    assert in_book == {"~$七年级9班.xlsx": ("跳过", "Excel/WPS 打开文件时留下的锁文件"),
                       "名单.csv": ("跳过", "不是表格文件")}


def test_a_file_that_only_looks_like_a_workbook_is_rejected_in_english(inbox, tmp_path, capsys):
    (inbox / "名单.xlsx").write_text("学号,姓名\n2026070901,卢语\n", encoding="utf-8")  # a CSV renamed .xlsx
    assert main(["--lang", "en", "run", str(inbox), "--out", str(tmp_path / "out"), "--as-of", AS_OF]) == 1
    assert ("  ✗ 名单.xlsx: rejected (not a spreadsheet (it is a CSV/text file with a spreadsheet's name); please "
            "save it as .xlsx and send it again)") in capsys.readouterr().out.splitlines()
