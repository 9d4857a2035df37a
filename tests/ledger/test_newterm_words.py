"""new-term in the language asked for: what it wrote, and why it cannot start."""
from __future__ import annotations

import openpyxl

from workbook_engine.cli import main

AS_OF = "2026-10-20"


def test_new_term_in_english(inbox, tmp_path, capsys):
    out, to = tmp_path / "out", tmp_path / "next"
    assert main(["run", str(inbox), "--out", str(out), "--as-of", AS_OF]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "new-term", str(out), "--to", str(to)]) == 0
    # one class in the ledger (七年级9班, 2026-2027 第一学期), its 2 mentors each with mentees: 1 + 2 books
    assert capsys.readouterr().out.splitlines()[0] == \
        f"2026-2027 Term 2: 1 class workbooks and 2 mentor workbooks from 2026-2027 Term 1 → {to}"
    book = openpyxl.load_workbook(to / "班级学情工作簿" / "七年级9班.xlsx")
    assert book.sheetnames[:2] == ["Instructions", "班级信息"]  # (the sheets the validator reads keep their names)


def test_new_term_errors_in_english(tmp_path, capsys):
    empty = tmp_path / "out"
    empty.mkdir()
    assert main(["--lang", "en", "new-term", str(empty), "--to", str(tmp_path / "next")]) == 2
    assert capsys.readouterr().err == f"error: no ledger at {empty / '学校台账.sqlite'}: run this output folder first\n"
    assert main(["new-term", str(tmp_path / "nowhere"), "--to", str(tmp_path / "next"), "--lang", "en"]) == 2
    assert capsys.readouterr().err == f"no such folder: {tmp_path / 'nowhere'}\n"
