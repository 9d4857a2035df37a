"""What comes in under attack and fault (third hardening round): odd file names, a folder the user put where an
output goes, bad arguments. Each test names what a user would notice."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from workbook_engine.cli import main
from workbook_engine.samples import fill_template, make_class, school_toml

from conftest import TEMPLATE

UNTIL = dt.date(2026, 10, 20)
GBK_NAME = "七年级2班.xlsx".encode("gbk")  # as unzipping a Chinese-Windows archive on Linux leaves it
GBK_SHOWN = r"\xc6\xdf\xc4꼶2\xb0\xe0.xlsx"  # the bytes escaped (c4 ea bc b6 happen to be 0xc4 + UTF-8 '꼶')
LATIN_NAME = b"class3-\xff.xlsx"
LATIN_SHOWN = r"class3-\xff.xlsx"


def term_report(out: Path) -> dict:
    """The term's report.json (the one place that knows where a term's outputs live)."""
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def _class(box: Path, class_no: int, name: bytes | str) -> Path:
    data = make_class(class_no, 7, class_no, students=4, mentors=1, until=UNTIL)
    made = fill_template(TEMPLATE, data, box / f"made{class_no}.xlsx")
    target = os.path.join(os.fsencode(box), name) if isinstance(name, bytes) else box / name
    os.rename(made, target)
    return Path(os.fsdecode(target))


@pytest.fixture
def odd_inbox(tmp_path) -> Path:
    """Three classes: 七年级1班 under a plain name, 七年级2班 under GBK bytes, 七年级3班 under a stray 0xff byte."""
    if sys.platform in ("win32", "darwin"):
        pytest.skip("Windows and macOS file systems refuse names that are not valid Unicode")
    box = tmp_path / "inbox"
    box.mkdir()
    try:
        _class(box, 2, GBK_NAME)
        _class(box, 3, LATIN_NAME)
    except OSError as exc:  # a file system that refuses such names (ZFS utf8only, some network shares)
        pytest.skip(f"this file system refuses a name that is not UTF-8: {exc}")
    _class(box, 1, "七年级1班.xlsx")
    (box / "school.toml").write_text(school_toml(["七年级1班", "七年级2班", "七年级3班"]), encoding="utf-8")
    return box


# -- 2. one odd file name never stops a run ---------------------------------------------------------------
def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(odd_inbox, tmp_path, capsys, start_method):
    out = tmp_path / "out"
    assert main(["run", str(odd_inbox), "--out", str(out), "--as-of", "2026-10-20"]) == 0
    report = term_report(out)
    files = {f["path"]: f["status"] for f in report["files"]}
    assert files == {GBK_SHOWN: "accepted", LATIN_SHOWN: "accepted", "七年级1班.xlsx": "accepted",
                     "school.toml": "skipped"}
    books = sorted(o["path"] for o in report["outputs"] if o["path"].startswith("班级反馈"))
    assert books == ["班级反馈/七年级1班.xlsx", "班级反馈/七年级2班.xlsx", "班级反馈/七年级3班.xlsx"]
    merged = next(out / o["path"] for o in report["outputs"] if o["path"].startswith("合并数据"))
    listed = [row[0] for row in openpyxl.load_workbook(merged, read_only=True)["收到的文件"].iter_rows(
        min_row=2, values_only=True)]
    assert sorted(listed) == sorted([GBK_SHOWN, LATIN_SHOWN, "七年级1班.xlsx", "school.toml"])
    capsys.readouterr()

    # validate: the same workbook is a class workbook, valid, its name escaped on the console and in --json
    odd = Path(os.fsdecode(os.path.join(os.fsencode(odd_inbox), GBK_NAME)))
    assert main(["validate", str(odd)]) == 0
    text = capsys.readouterr().out
    assert f"{GBK_SHOWN}  [班级工作簿]  通过：0 个错误" in text and "文件已损坏" not in text
    text.encode("utf-8")  # nothing on the console that a UTF-8 terminal cannot show
    assert main(["validate", "--json", "-", str(odd), str(odd_inbox / "七年级1班.xlsx")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(f["path"].rsplit("/", 1)[-1], f["kind"], f["valid"]) for f in data["files"]] == [
        (GBK_SHOWN, "class", True), ("七年级1班.xlsx", "class", True)]


@pytest.mark.slow
def test_watch_keeps_running_with_a_file_name_that_is_not_utf8(odd_inbox, tmp_path, start_method):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "workbook_engine", "watch", str(odd_inbox), "--out", str(out),
                             "--debounce", "0.3", "--as-of", "2026-10-20"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not (out / "report.json").exists():
            time.sleep(0.2)
        first = term_report(out)
        assert proc.poll() is None, "watch exited"
        assert {f["path"] for f in first["files"] if f["status"] == "accepted"} == {
            GBK_SHOWN, LATIN_SHOWN, "七年级1班.xlsx"}
        # another odd name arriving while watch runs is taken by the next run
        _class(odd_inbox, 4, "七年级4班.xlsx".encode("gbk"))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and len(term_report(out)["files"]) < 5:
            time.sleep(0.2)
        assert len([f for f in term_report(out)["files"] if f["status"] == "accepted"]) == 4
        assert proc.poll() is None, "watch exited"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    assert "Traceback" not in err


# -- 8. nothing the user made is deleted -------------------------------------------------------------------
@pytest.fixture
def school(tmp_path) -> Path:
    box = tmp_path / "inbox"
    box.mkdir()
    for n in (1, 2):
        _class(box, n, f"七年级{n}班.xlsx")
    (box / "school.toml").write_text(school_toml(["七年级1班", "七年级2班"]), encoding="utf-8")
    return box


def _output(out: Path, prefix: str) -> str:
    """The path (relative to OUT) of the output whose file name starts with prefix."""
    return next(o["path"] for o in term_report(out)["outputs"] if Path(o["path"]).name.startswith(prefix))


def _run(box: Path, out: Path) -> int:
    return main(["run", str(box), "--out", str(out), "--as-of", "2026-10-20"])


def test_a_folder_or_file_the_user_put_at_an_output_path_is_kept_and_named(school, tmp_path, capsys, start_method):
    out = tmp_path / "out"
    assert _run(school, out) == 0
    summary = _output(out, "汇总_")
    before = {o["path"]: o["sha256"] for o in term_report(out)["outputs"]}
    (out / summary).unlink()  # the office made a folder of its own where the summary goes
    (out / summary).mkdir()
    (out / summary / "notes.txt").write_text("我的笔记", encoding="utf-8")
    capsys.readouterr()
    assert _run(school, out) == 3
    err = capsys.readouterr().err
    assert str(out / summary) in err and "不是本程序写出的文件" in err and "请把它移走或改名后重新运行" in err
    assert (out / summary / "notes.txt").read_text(encoding="utf-8") == "我的笔记"
    assert {o["path"]: o["sha256"] for o in term_report(out)["outputs"]} == before  # nothing was published
    assert not (out / ".workbook-engine").exists()

    # a file of the user's own at an output path in a fresh OUT (no report.json ever listed it): kept, exit 3
    fresh = tmp_path / "fresh"
    form = fresh / _output(out, "导师分工明细表_")
    form.parent.mkdir(parents=True)
    form.write_bytes(b"the office's own table")
    assert main(["run", str(school), "--out", str(fresh), "--as-of", "2026-10-20", "--lang", "en"]) == 3
    assert f"{form} was not written by this program" in capsys.readouterr().err
    assert form.read_bytes() == b"the office's own table" and not (fresh / "report.json").exists()

    shutil.rmtree(out / summary)  # moved away: the next run publishes
    assert _run(school, out) == 0 and (out / summary).is_file()
