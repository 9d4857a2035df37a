"""Outputs that cannot be written (exit code 3) are explained in the command's language."""
from __future__ import annotations

from workbook_engine.cli import main


def test_outputs_that_cannot_be_written_are_explained_in_english(inbox, tmp_path, capsys):
    taken = tmp_path / "out"
    taken.write_text("a file where the output folder should be", encoding="utf-8")
    assert main(["--lang", "en", "run", str(inbox), "--out", str(taken)]) == 3
    assert capsys.readouterr().err == f"error: {taken} is a file, not a folder: choose an output folder\n"
    assert main(["run", str(inbox), "--out", str(taken), "--lang", "zh"]) == 3
    assert capsys.readouterr().err == f"错误：{taken} 是一个文件而不是文件夹：请指定一个输出目录\n"
