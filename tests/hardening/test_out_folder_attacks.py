"""The output folder against what a hostile review tried: a link inside OUT never takes outputs or deletions outside
it, a file where the feedback folder goes stops the run and keeps the previous set, a full disk names the folder."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import pytest

from tests.builders import sha256
from tests.helpers.terms import term_dir
from workbook_engine.cli import main
from workbook_engine.pipeline import run_inbox

UNTIL = dt.date(2026, 10, 20)
links = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need a privilege on Windows")


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@links
def test_a_link_inside_out_never_takes_outputs_or_deletions_outside(inbox, tmp_path, capsys):
    out, victim = tmp_path / "out", tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me")
    assert run_inbox(inbox, out, as_of=UNTIL).exit_code == 0
    before = _tree(out)
    # the feedback folder replaced by a link to elsewhere: the run refuses (exit 3), writes nothing there
    os.rename(term_dir(out) / "班级反馈", tmp_path / "moved")
    os.symlink(victim, term_dir(out) / "班级反馈")
    assert main(["run", str(inbox), "--out", str(out), "--as-of", UNTIL.isoformat()]) == 3
    assert "链接" in capsys.readouterr().err
    assert _tree(victim) == {"precious.txt": sha256(victim / "precious.txt")}
    # a link where the work folder goes is removed, not followed; a report.json edited to list a file behind
    # a link and a user's own files is not obeyed
    (term_dir(out) / "班级反馈").unlink()
    os.rename(tmp_path / "moved", term_dir(out) / "班级反馈")
    os.symlink(victim, out / ".workbook-engine")
    os.symlink(victim, out / "lnk")
    (out / "my_notes.txt").write_text("mine")
    report = json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))
    report["outputs"] += [{"path": "lnk/precious.txt", "sha256": sha256(victim / "precious.txt")},
                          {"path": "my_notes.txt", "sha256": "0" * 64}, {"path": "../x", "sha256": "0" * 64}]
    (term_dir(out) / "report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    assert run_inbox(inbox, out, as_of=UNTIL).exit_code == 0
    assert _tree(victim) == {"precious.txt": sha256(victim / "precious.txt")}  # nothing added, nothing removed
    assert (out / "my_notes.txt").read_text() == "mine"
    assert set(before) <= set(_tree(out))


def test_a_file_where_the_feedback_folder_goes_exits_3_and_keeps_the_previous_set(inbox, tmp_path, capsys):
    out = tmp_path / "out"
    run_inbox(inbox, out, as_of=UNTIL)
    for p in (term_dir(out) / "班级反馈").iterdir():
        p.unlink()
    (term_dir(out) / "班级反馈").rmdir()
    (term_dir(out) / "班级反馈").write_text("a file, not a folder")
    before = _tree(out)
    assert main(["run", str(inbox), "--out", str(out), "--as-of", UNTIL.isoformat()]) == 3
    assert "班级反馈" in capsys.readouterr().err
    assert _tree(out) == before and not (out / ".workbook-engine").exists()


def test_the_disk_full_message_names_the_output_folder(inbox, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"

    def full(target, *pieces):
        raise OSError(28, "No space left on device")  # as write() raises it: no file name

    monkeypatch.setattr("workbook_engine.writing.outputs.write_text", full)
    assert main(["run", str(inbox), "--out", str(out), "--as-of", UNTIL.isoformat()]) == 3
    assert f"无法写入 {out}" in capsys.readouterr().err
