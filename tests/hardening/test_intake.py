"""What comes in under attack and fault: odd file names, a folder the user put where an output goes, bad arguments.
Each test names what a user would notice."""
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

from tests.builders import TEMPLATE, class_book, numbered_class
from tests.helpers.terms import term_dir, term_relative
from workbook_engine.cli import main
from workbook_engine.writing.samples import make_class, school_toml

UNTIL = dt.date(2026, 10, 20)
GBK_NAME = "七年级2班.xlsx".encode("gbk")  # as unzipping a Chinese-Windows archive on Linux leaves it
GBK_SHOWN = r"\xc6\xdf\xc4꼶2\xb0\xe0.xlsx"  # the bytes escaped (c4 ea bc b6 happen to be 0xc4 + UTF-8 '꼶')
LATIN_NAME = b"class3-\xff.xlsx"
LATIN_SHOWN = r"class3-\xff.xlsx"


def term_report(out: Path) -> dict:
    """The term's report.json (the one place that knows where a term's outputs live)."""
    return json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))


def _published_files(out: Path) -> list:
    """The files of the term's report while `watch` may be publishing a new set: read between the old set going
    and the new one arriving, there is none yet (the test polls; it does not judge that moment)."""
    try:
        return term_report(out)["files"]
    except (FileNotFoundError, json.JSONDecodeError):
        return []


def _class(box: Path, class_no: int, name: bytes | str) -> Path:
    made = numbered_class(box, class_no, until=UNTIL, file_name=f"made{class_no}.xlsx")
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


# -- one odd file name never stops a run ---------------------------------------------------------------------------
def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(odd_inbox, tmp_path, capsys, start_method):
    out = tmp_path / "out"
    assert main(["run", str(odd_inbox), "--out", str(out), "--as-of", "2026-10-20"]) == 0
    report = term_report(out)
    files = {f["path"]: f["status"] for f in report["files"]}
    assert files == {GBK_SHOWN: "accepted", LATIN_SHOWN: "accepted", "七年级1班.xlsx": "accepted",
                     "school.toml": "skipped"}
    books = sorted(term_relative(o["path"]) for o in report["outputs"]
                   if term_relative(o["path"]).startswith("班级反馈"))
    assert books == ["班级反馈/七年级1班.xlsx", "班级反馈/七年级2班.xlsx", "班级反馈/七年级3班.xlsx"]
    merged = next(out / o["path"] for o in report["outputs"] if term_relative(o["path"]).startswith("合并数据"))
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
        while time.monotonic() < deadline and len(_published_files(out)) < 5:
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


# -- nothing the user made is deleted ------------------------------------------------------------------------------
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
    # the school ledger copied into a fresh OUT is the engine's own: read, carried forward and replaced
    ledger = _output(out, "学校台账")
    carried = tmp_path / "carried"
    (carried / ledger).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(out / ledger, carried / ledger)
    assert _run(school, carried) == 0 and ledger in {o["path"] for o in term_report(carried)["outputs"]}


# -- bad arguments get a sentence, not a traceback -----------------------------------------------------------------
def test_bad_arguments_get_a_sentence_and_create_nothing(class_file, tmp_path, capsys):
    folder, file = tmp_path / "a folder", tmp_path / "a file.txt"
    folder.mkdir()
    file.write_text("x", encoding="utf-8")
    nowhere = tmp_path / "nonexist"
    out = tmp_path / "out"
    out.mkdir()
    cases = [  # (arguments, exit code, what stderr says)
        (["validate", "--json", str(folder), str(class_file)], 2, f"--json {folder} 是一个文件夹：请写出一个文件的名字"),
        (["assign", "--out", str(folder), str(class_file)], 2, f"--out {folder} 是一个文件夹"),
        (["send-feedback", "--dry-run", str(file), str(out)], 2, f"--dry-run {file} 是一个文件而不是文件夹"),
        (["templates", str(file)], 2, f"templates {file} 是一个文件而不是文件夹"),
        (["new-term", str(out), "--to", str(file)], 2, f"--to {file} 是一个文件而不是文件夹"),
        (["validate", "--json", str(nowhere / "x.json"), str(class_file)], 2,
         f"文件夹 {nowhere} 不存在，本程序不会创建它"),
        (["assign", "--out", str(nowhere / "a.xlsx"), str(class_file), "--lang", "en"], 2,
         f"the folder {nowhere} does not exist and is never created here"),
        (["watch", str(tmp_path), "--out", str(out), "--debounce", "-1"], 2, "--debounce: 应为 0 到 3600 之间的秒数，而不是“-1”"),
        (["watch", str(tmp_path), "--out", str(out), "--workers", "-5"], 2, "--workers: 应为 1 到 256 之间的整数，而不是“-5”"),
        (["run", str(tmp_path), "--out", str(out), "--workers", "1e20"], 2, "--workers: 应为 1 到 256 之间的整数"),
    ]
    if sys.platform.startswith("linux"):  # a folder that cannot be made: exit 3 naming it
        cases.append((["templates", "/proc/x"], 3, "无法写入 /proc/x"))
    for argv, code, said in cases:
        assert main(argv) == code, argv
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err, (argv, err)
    assert not nowhere.exists() and [p.name for p in folder.iterdir()] == []
    assert file.read_text(encoding="utf-8") == "x" and list(out.iterdir()) == []


def test_a_command_that_stops_leaves_no_empty_folder_it_made(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()  # an OUT no run has written: new-term has no ledger to start from
    books = tmp_path / "new" / "books"
    assert main(["new-term", str(out), "--to", str(books)]) == 2
    assert "学校台账.sqlite 不存在" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()  # neither --to nor the parent made for it
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "notes.txt").write_text("x", encoding="utf-8")
    assert main(["new-term", str(out), "--to", str(kept / "books")]) == 2
    assert [p.name for p in kept.iterdir()] == ["notes.txt"]  # the user's folder stays, the made one goes
    made = tmp_path / "templates" / "here"
    assert main(["templates", str(made)]) == 0 and (made / "班级学情工作簿.xlsx").is_file()  # a success keeps it


def test_a_settings_file_is_a_small_regular_file(tmp_path, capsys):
    box, out = tmp_path / "inbox", tmp_path / "out"
    box.mkdir()
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (1 << 20) + "\n", encoding="utf-8")  # 1 MB of comment: no settings file
    assert main(["run", str(box), "--out", str(out), "--config", str(big)]) == 2
    assert f"设置文件 {big} 超过 1 MB" in capsys.readouterr().err
    assert main(["validate", str(big), "--config", str(tmp_path), "--lang", "en"]) == 2
    assert f"the settings file {tmp_path} cannot be read" in capsys.readouterr().err
    if sys.platform == "win32":
        return
    fifo = tmp_path / "school.toml.fifo"
    os.mkfifo(fifo)
    for config in ("/dev/zero", str(fifo)):  # never read without end, never waited on: a child with a deadline
        done = subprocess.run([sys.executable, "-m", "workbook_engine", "run", str(box), "--out", str(out),
                               "--config", config], capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and f"设置文件 {config} 无法读取" in done.stderr, done.stderr


def test_a_negative_or_huge_capacity_is_a_warning_at_its_cell(class_file, tmp_path):
    import warnings

    from workbook_engine.validation.validate import validate_files
    from workbook_engine.writing.assign import run_assign

    wb = openpyxl.load_workbook(class_file)
    ws = wb["导师名单"]
    assert ws["G1"].value == "可带人数" and ws["D3"].value == ws["D4"].value == "科任导师"
    ws["G3"], ws["G4"] = -3, 1e20
    wb.save(class_file)
    (report,) = validate_files([class_file]).files
    out_of_range = [(p.sheet, p.cell, p.severity.value, p.message()) for p in report.problems
                    if p.code == "number-out-of-range"]
    assert out_of_range == [("导师名单", "G3", "warning", "“-3”不在 0–100 的范围内，已按未填处理"),
                            ("导师名单", "G4", "warning", "“100000000000000000000”不在 0–100 的范围内，已按未填处理")]
    # assign treats both as blank: 8 students over 2 mentors, 4 each
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_assign(class_file, tmp_path / "assigned.xlsx")
    assert sorted(result.capacity.values()) == [4, 4]
    assert sorted(sum(a.mentor_id == m for a in result.assignments) for m in result.capacity) == [4, 4]
    assert not [w for w in caught if issubclass(w.category, UserWarning)]


def test_assign_keeps_a_librarys_warning_off_the_console(class_file, tmp_path, capsys):
    """Excel writes a dropdown that lists another sheet as an x14 extension; openpyxl warns that it drops it."""
    import warnings
    import zipfile

    excel = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(class_file) as src, zipfile.ZipFile(excel, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</worksheet>", b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
                                    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
                                    b'<x14:dataValidations count="0"/></ext></extLst></worksheet>')
            dst.writestr(item, data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        openpyxl.load_workbook(excel)  # the library does warn about this file
        assert [w for w in caught if "Data Validation extension" in str(w.message)]
        caught.clear()
        assert main(["assign", str(excel), "--out", str(tmp_path / "assigned.xlsx")]) == 0
    assert [str(w.message) for w in caught] == []
    assert capsys.readouterr().err == ""


# -- a mentor book speaks only for its mentor ----------------------------------------------------------------------
def test_a_mentor_book_cannot_write_another_mentors_record(tmp_path, start_method):
    """070102's own 导师工作手册, newer than the class book, carries rows about 070101's work and mentees."""
    from workbook_engine.pipeline import run_inbox
    from workbook_engine.schema import MENTOR_WORKBOOK
    from workbook_engine.writing.samples import fill_workbook

    data = make_class(1, 7, 1, students=6, mentors=2, until=UNTIL)  # 070101: students …01 …03 …05; 070102: …02 …04 …06
    data.fill_date = dt.date(2026, 10, 18)
    # 070101 wrote down a report from 070102's mentee …02 on 10-09 (another mentor's row in the class book)
    data.sheets["reports"] = [{"date": dt.date(2026, 10, 9), "student_id": "2026070102", "teacher_id": "070101",
                               "form": "面谈", "summary": "班级工作簿中的汇报"}]
    # …04 came to 070102 from 070101 on 10-01: before that day …04 was 070101's mentee
    data.sheets["pair_changes"] = [{"student_id": "2026070104", "old_mentor_id": "070101", "new_mentor_id": "070102",
                                    "date": dt.date(2026, 10, 1), "reason": "学生调整"}]
    reference, box = tmp_path / "reference", tmp_path / "inbox"
    reference.mkdir()
    box.mkdir()
    class_book(reference, data, "七年级1班.xlsx")
    class_book(box, data, "七年级1班.xlsx")
    expected = {s["student_id"]: (s["talk_periods_met"], s["talk_periods_expected"])
                for s in run_inbox(reference, tmp_path / "ref-out", as_of=UNTIL).report["students"]}

    real = next(t for t in data.sheets["talks"] if t["student_id"] == "2026070101" and t["date"] == dt.date(2026, 9, 7))
    own = next(t for t in data.sheets["talks"] if t["teacher_id"] == "070102")
    forged = "伪造的谈话内容"
    talks = [
        {**real, "class_name": "七年级1班", "summary": forged},  # row 2: 070101's real talk, rewritten
        {**real, "class_name": "七年级1班", "date": dt.date(2026, 10, 16), "summary": forged},  # row 3: never held
        {**real, "class_name": "七年级1班", "teacher_id": None, "date": dt.date(2026, 10, 16)},  # row 4: not a mentee
        {**own, "class_name": "七年级1班", "teacher_id": None, "student_id": "2026070104",  # row 5: …04 before 10-01
         "date": dt.date(2026, 9, 21)},
        {**own, "class_name": "七年级1班"},  # row 6: 070102's own talk, as in the class book
    ]
    reports = [{"class_name": "七年级1班", "date": dt.date(2026, 10, 9), "student_id": "2026070102",
                "teacher_id": None, "form": "面谈", "summary": "导师工作手册中的汇报"}]  # row 2: 070102's mentee
    info = {"school": data.info["school"], "school_year": "2026-2027", "term": "第一学期", "teacher_id": "070102",
            "name": "郭诺", "fill_date": UNTIL}
    fill_workbook(TEMPLATE.parent / "导师工作手册.xlsx", MENTOR_WORKBOOK, info, {"talks": talks, "reports": reports},
                  box / "导师工作手册_070102.xlsx")

    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    book = next(f for f in result.files if f.kind == "mentor")
    found = sorted((p.sheet, p.cell, p.code, p.severity.value) for p in book.problems
                   if p.code in ("mentor-book-other-mentor", "not-own-mentee", "mentor-book-unknown-student"))
    assert found == [("谈心记录", "C2", "mentor-book-other-mentor", "warning"),
                     ("谈心记录", "C3", "mentor-book-other-mentor", "warning"),
                     ("谈心记录", "E4", "not-own-mentee", "warning"),
                     ("谈心记录", "E5", "not-own-mentee", "warning")]
    assert (book.rows["谈心记录"].accepted, book.rows["谈心记录"].rejected) == (1, 4) and book.accounting_ok
    # the victim's record is the class book's, no talk was added, every figure is the class book's alone
    talk = [t for t in result.merged.records["talks"] if (t["date"], t["teacher_id"], t["student_id"]) ==
            (real["date"], "070101", "2026070101")]
    assert [t["summary"] for t in talk] == [real["summary"]] and talk[0]["_source"] == "七年级1班.xlsx"
    assert len(result.merged.records["talks"]) == len(data.sheets["talks"])
    assert {s["student_id"]: (s["talk_periods_met"], s["talk_periods_expected"])
            for s in result.report["students"]} == expected
    # the class book's report about 070101's conversation stands against the newer mentor book
    (conflict,) = [c for c in result.merged.conflicts if c.key == "reports"]
    assert conflict.kept["_source"] == "七年级1班.xlsx" and conflict.other["summary"] == "导师工作手册中的汇报"
    # the forged text reaches neither the merged book's talks nor anywhere in the class's feedback book
    def text(rel: str, sheet: str | None = None) -> list[str]:
        wb = openpyxl.load_workbook(result.out / rel, read_only=True)
        return [str(v) for ws in wb.worksheets if sheet in (None, ws.title)
                for row in ws.iter_rows(values_only=True) for v in row]

    merged = text(_output(result.out, "合并数据_"), "谈心记录")
    assert real["summary"] in merged and forged not in merged
    assert not any(forged in v for v in text(_output(result.out, "七年级1班")))
