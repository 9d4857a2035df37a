"""The output folder under attack and under faults: paths from data never leave OUT, each class gets its own
feedback book, a run's outputs are published as one set, and a run that cannot write says so with exit code 3 and
leaves the previous outputs as they were."""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest

from tests.builders import numbered_class, sha256
from tests.helpers.terms import term_dir
from workbook_engine.cli import main
from workbook_engine.pipeline import run_inbox
from workbook_engine.publishing import publish
from workbook_engine.publishing.layout import feedback_files
from workbook_engine.publishing.publish import OutputError, locked
from workbook_engine.writing.samples import school_toml

UNTIL = dt.date(2026, 10, 20)


def _class(box: Path, class_no: int, name: str | None = None, year: str | None = None) -> Path:
    path = numbered_class(box, class_no, until=UNTIL, name=name)
    if year is not None:
        wb = openpyxl.load_workbook(path)
        wb["班级信息"]["B3"] = year
        wb.save(path)
    return path


KEPT = "学校台账.previous.sqlite"  # the ledger as it was before the last run that replaced it


def _files(folder: Path) -> dict[str, str]:
    """Every visible file under folder (relative path -> sha256): what a person sees in Explorer."""
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def _consistent(out: Path) -> dict[str, str]:
    """OUT holds exactly the set the term's report.json lists, each file with its listed hash, beside that report
    and OUT's index of terms (which names the term); returns that set, paths relative to the term's folder."""
    folder = term_dir(out).name
    report = json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))
    listed = {o["path"]: o["sha256"] for o in report["outputs"]}
    seen = _files(out)
    seen.pop(f"{folder}/report.json")
    seen.pop("report.json")
    index = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [e["folder"] for e in index["terms"]] == [folder]
    assert seen == listed
    return {p.removeprefix(folder + "/"): h for p, h in seen.items()}


# -- output paths from data ----------------------------------------------------------------------------------------
def test_a_school_year_cell_cannot_steer_where_outputs_go(tmp_path):
    box, out = tmp_path / "inbox", tmp_path / "out"
    box.mkdir()
    _class(box, 1, year="2026-2027/../../inbox/LEAK_")
    _class(box, 2, year="２０２６－２０２７")  # full-width digits and dash: the same school year
    before = _files(box)
    result = run_inbox(box, out, as_of=UNTIL)
    assert _files(box) == before  # nothing written into the inbox
    assert not list(tmp_path.glob("**/LEAK_*"))
    bad = next(f for f in result.files if f.name == "class1.xlsx")
    assert bad.status == "rejected"
    assert ("班级信息", "B3", "invalid-school-year") in {(p.sheet, p.cell, p.code) for p in bad.problems}
    good = next(f for f in result.files if f.name == "class2.xlsx")
    assert good.status == "accepted" and good.report.class_info["school_year"] == "2026-2027"
    assert sorted(_consistent(out)) == ["合并数据_2026-2027第一学期.xlsx", "学校台账.sqlite", "导师分工明细表_2026-2027第一学期.xlsx",
                                        "汇总_2026-2027第一学期.xlsx", "班级反馈/七年级2班.xlsx"]
    for path in result.outputs:
        assert out.resolve() in path.resolve().parents


def test_a_bad_school_year_in_settings_is_refused(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    (box / "school.toml").write_text('[term]\nschool_year = "2026-2027/../x"\n', encoding="utf-8")
    assert main(["run", str(box), "--out", str(tmp_path / "out")]) == 2


# -- one class, one feedback book ----------------------------------------------------------------------------------
COLLIDING = ["七年级/2班", "七年级_2班", "a/b班", "a\\b班", ".", "..", "九班.", "COM1"]


def test_class_names_that_sanitise_alike_get_their_own_feedback_books(tmp_path):
    box, out = tmp_path / "inbox", tmp_path / "out"
    box.mkdir()
    for i, name in enumerate(COLLIDING, start=1):
        _class(box, i, name=name)
    result = run_inbox(box, out, as_of=UNTIL)
    feedback = result.report["feedback"]
    assert sorted(f["class"] for f in feedback) == sorted(COLLIDING)
    paths = [f["path"] for f in feedback]
    assert len({p.casefold() for p in paths}) == len(COLLIDING)  # distinct even on a case-insensitive disk
    for entry in feedback:
        book = out / entry["path"]
        assert book.parent == term_dir(out) / "班级反馈"
        assert sha256(book) == entry["sha256"]
        wb = openpyxl.load_workbook(book, read_only=True)
        overview = dict(wb["概况"].iter_rows(max_row=2, values_only=True))
        assert overview["班级"] == entry["class"]  # the book is that class's
    # the same class gets the same file whatever else is in the inbox, and in any order
    assert feedback_files(reversed(COLLIDING)) == feedback_files(COLLIDING)
    assert feedback_files(["七年级1班"]) == {"七年级1班": "班级反馈/七年级1班.xlsx"}


# -- a run's outputs are one set -----------------------------------------------------------------------------------
@pytest.fixture
def school(tmp_path) -> tuple[Path, Path]:
    box, out = tmp_path / "inbox", tmp_path / "out"
    box.mkdir()
    for i in (1, 2, 3):
        numbered_class(box, i, until=UNTIL)
    (box / "school.toml").write_text(school_toml(["七年级1班", "七年级2班", "七年级3班"]), encoding="utf-8")
    return box, out


def test_outputs_are_listed_with_hashes_and_a_vanished_class_leaves_no_stale_book(school):
    box, out = school
    run_inbox(box, out, as_of=UNTIL)
    first = _consistent(out)
    assert "班级反馈/七年级3班.xlsx" in first
    (box / "class3.xlsx").unlink()
    run_inbox(box, out, as_of=UNTIL, replace_term=True)  # a third of the term's records go: confirmed
    second = _consistent(out)
    assert "班级反馈/七年级3班.xlsx" not in second  # the previous run's book of a class no longer sent is gone
    assert not (out / ".workbook-engine").exists()


def test_a_crash_at_any_step_of_publishing_leaves_the_old_set_or_the_new_one(school, monkeypatch):
    box, out = school
    run_inbox(box, out, as_of=UNTIL)
    run_inbox(box, out, as_of=UNTIL)  # from the second run on, a set holds the ledger's previous copy
    old = _consistent(out)
    _class(box, 4)  # a new class: the next set differs (one more feedback book, other hashes)
    real_move, steps = publish._move, []

    class Killed(BaseException):
        pass

    def counting(src, dst):
        steps.append(1)
        real_move(src, dst)

    monkeypatch.setattr(publish, "_move", counting)
    new_out = out.parent / "reference"
    run_inbox(box, new_out, as_of=UNTIL)  # how many moves a publish takes, and the new set
    new = _consistent(new_out)
    moves = len(steps)
    assert moves > len(new)
    new = {**new, KEPT: ""}  # (on OUT, where a ledger is replaced, the new set also keeps its previous copy)
    for k in range(moves + 1):
        calls = []

        def dying(src, dst, k=k, calls=calls):
            if len(calls) == k:
                raise Killed  # as if the process died here
            calls.append(1)
            real_move(src, dst)

        monkeypatch.setattr(publish, "_move", dying)
        with pytest.raises(Killed):
            run_inbox(box, out, as_of=UNTIL)
        monkeypatch.setattr(publish, "_move", real_move)
        with locked(out):
            publish.recover(out)  # what the next command on OUT does first
        now = _consistent(out)
        assert set(now) in (set(old), set(new)), k
        if set(now) == set(new):  # back to the old set for the next crash point
            (box / "class4.xlsx").rename(box.parent / "class4.xlsx")
            run_inbox(box, out, as_of=UNTIL, replace_term=True)
            (box.parent / "class4.xlsx").rename(box / "class4.xlsx")
            assert set(_consistent(out)) == set(old)


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
@pytest.mark.parametrize("delay", [0.3, 0.8, 1.3, 1.8, 2.5])
def test_kill_9_of_run_then_the_next_run_sees_one_complete_set(school, delay):
    box, out = school
    run_inbox(box, out, as_of=UNTIL)
    run_inbox(box, out, as_of=UNTIL)  # from the second run on, a set holds the ledger's previous copy
    old = _consistent(out)
    _class(box, 4)
    proc = subprocess.Popen([sys.executable, "-m", "workbook_engine", "run", str(box), "--out", str(out),
                             "--as-of", UNTIL.isoformat()], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.kill()
    proc.wait()
    if not (out / ".workbook-engine" / "publish.json").exists():  # not killed inside the renames
        assert set(_consistent(out)) in (set(old), set(old) | {"班级反馈/七年级4班.xlsx"})
    # the next run cleans up whatever the killed one left and publishes its own complete set
    (out / ".tmp-leftover.xlsx").write_bytes(b"x")
    run_inbox(box, out, as_of=UNTIL)
    assert "班级反馈/七年级4班.xlsx" in _consistent(out)
    leftovers = [p.name for p in out.rglob("*") if p.name.startswith(".tmp-") or p.name.endswith(".rows")]
    assert leftovers == [] and not (out / ".workbook-engine").exists()


def test_a_second_run_on_the_same_out_waits_for_the_first(school):
    box, out = school
    out.mkdir()
    release = threading.Event()
    waited = []
    with locked(out):
        worker = threading.Thread(target=lambda: waited.append(
            run_inbox(box, out, as_of=UNTIL, on_wait=lambda: release.set())))
        worker.start()
        assert release.wait(30)  # the second run noticed the first and said so
        assert not (term_dir(out) / "report.json").exists()  # and wrote nothing while it waited
    worker.join(60)
    assert waited and _consistent(out)


def test_a_second_run_gives_up_with_a_clear_message(school):
    box, out = school
    out.mkdir()
    with locked(out):
        with pytest.raises(OutputError, match="另一个 run 正在写入"):
            with locked(out, wait_s=0.2):
                pass


# -- outputs that cannot be written --------------------------------------------------------------------------------
def test_out_is_a_file_exits_3_before_reading_anything(school, capsys):
    box, out = school
    out.write_text("not a folder")
    assert main(["run", str(box), "--out", str(out)]) == 3
    err = capsys.readouterr().err
    assert str(out) in err and "不是文件夹" in err
    assert out.read_text() == "not a folder"


def test_disk_full_exits_3_and_keeps_the_previous_outputs(school, monkeypatch, capsys):
    box, out = school
    run_inbox(box, out, as_of=UNTIL)
    before = _files(out)
    _class(box, 4)
    def full(target, *pieces):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr("workbook_engine.writing.outputs.write_text", full)
    assert main(["run", str(box), "--out", str(out), "--as-of", UNTIL.isoformat()]) == 3
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and "report.json" in err
    assert _files(out) == before
    assert not (out / ".workbook-engine").exists()


def test_an_output_open_in_excel_exits_3_naming_it_and_keeps_the_previous_set(school, monkeypatch, capsys):
    box, out = school
    run_inbox(box, out, as_of=UNTIL)
    before = _files(out)
    _class(box, 4)
    real = os.replace
    locked_file = str(term_dir(out) / "汇总_2026-2027第一学期.xlsx")

    def windows_replace(src, dst):  # Windows refuses to move a file another program holds open
        if os.fspath(src) == locked_file:
            raise PermissionError(13, "The process cannot access the file because it is being used", locked_file)
        real(src, dst)

    monkeypatch.setattr(publish.os, "replace", windows_replace)
    assert main(["run", str(box), "--out", str(out), "--as-of", UNTIL.isoformat()]) == 3
    err = capsys.readouterr().err
    assert "汇总_2026-2027第一学期.xlsx" in err and "关闭" in err
    assert _files(out) == before


def test_an_unwritable_out_exits_3_before_reading(school, monkeypatch, capsys):
    box, out = school
    out.mkdir()
    import workbook_engine.files as output

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(out))

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    read = []
    monkeypatch.setattr("workbook_engine.pipeline.discover", lambda *a, **k: read.append(1))
    assert main(["run", str(box), "--out", str(out)]) == 3
    assert "无法写入" in capsys.readouterr().err and not read
