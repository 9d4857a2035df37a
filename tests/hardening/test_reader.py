"""A reader's panic is a damaged file, never a traceback or a broken batch; and the gate lets through every
workbook a mainstream reader opens, so the schema judges it.

The panicking files are Apache POI test files (tests/data/README.md); the other producers' workbooks are built
here: the class file rewritten as another producer would write it (backslash part names, parts at the zip root,
an OLE2 file whose stream is named WORKBOOK or BOOK, an Excel 2.x–4.0 BIFF file).
"""
from __future__ import annotations

import datetime as dt
import pickle
import re
import shutil
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.builders import problems_of, rezip
from workbook_engine.cli import main
from workbook_engine.execution import ProcessExecutor, SerialExecutor
from workbook_engine.model import WorkerFailure
from workbook_engine.pipeline import run_inbox
from workbook_engine.reading.reader import open_workbook
from workbook_engine.validation.validate import validate_file, validate_files

DATA = Path(__file__).resolve().parent.parent / "data"
PANICS = ["poi-Simple.xlsb", "poi-clusterfuzz-5816431116615680.xls"]  # python-calamine raises PanicException
AS_OF = dt.date(2026, 10, 20)
# what a message must never show the user: a library's exception class
CLASS_NAMES = ("Panic", "Calamine", "Error", "Exception", "Pickl", "Zip", "Xml", "Cfb")


def codes(report) -> list[str]:
    return [p.code for p in report.problems]


def assert_user_words(problem) -> None:
    for lang in ("zh", "en"):
        text = problem.message(lang)
        assert not any(word in text for word in CLASS_NAMES), text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in problem.message("en")), problem.message("en")


# -- reader panics -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", PANICS)
def test_a_reader_panic_is_a_damaged_file(name, tmp_path):
    path = shutil.copy(DATA / name, tmp_path / name)
    report = validate_file(path)  # today: pyo3_runtime.PanicException escapes
    assert report.unreadable and codes(report) == ["damaged-file"]
    assert_user_words(report.problems[0])


@pytest.mark.parametrize("name", PANICS)
def test_validate_command_reports_a_panicking_file(name, tmp_path, capsys):
    path = shutil.copy(DATA / name, tmp_path / name)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "文件已损坏" in out and "Panic" not in out


def test_validate_of_several_files_reports_each_panic_on_its_file(tmp_path, class_file, capsys):
    paths = [shutil.copy(DATA / name, tmp_path / name) for name in PANICS] + [class_file]
    report = validate_files(paths, executor=ProcessExecutor(workers=2))  # today: "Can't pickle PanicException"
    by_name = {f.path.name: f for f in report.files}
    for name in PANICS:
        assert codes(by_name[name]) == ["damaged-file"]
        assert_user_words(by_name[name].problems[0])
    assert by_name[class_file.name].valid
    assert main(["validate", *map(str, paths)]) == 1  # the command takes worker processes for several files
    out = capsys.readouterr().out
    assert out.count("文件已损坏") == 2 and "Pickl" not in out


def test_run_rejects_a_panicking_file_and_keeps_the_rest(tmp_path, class_file):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(class_file, inbox / "好文件.xlsx")
    for name in PANICS:
        shutil.copy(DATA / name, inbox / name)
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF)
    files = {f["path"]: f for f in result.report["files"]}
    for name in PANICS:
        assert files[name]["status"] == "rejected"
        assert [p["code"] for p in files[name]["problems"]] == ["damaged-file"]
        assert "Panic" not in files[name]["problems"][0]["message"]
    assert files["好文件.xlsx"]["status"] == "accepted"


# per-file functions that fail the ways a native reader or a careless caller can (module level: workers import them)
class Panic(BaseException):
    """Like pyo3's PanicException: a BaseException, and it cannot be pickled back to the parent."""

    def __reduce__(self):
        raise pickle.PicklingError("Can't pickle Panic")


class Unpicklable:
    def __reduce__(self):
        raise pickle.PicklingError("Can't pickle Unpicklable")


def _cannot_rebuild() -> None:
    raise ValueError("cannot rebuild")


class Unrebuildable:
    """Pickles in the worker, fails to unpickle in the parent."""

    def __reduce__(self):
        return (_cannot_rebuild, ())


def misbehave(path: Path) -> object:
    stem = Path(path).stem
    if stem == "unrebuildable":
        return Unrebuildable()
    if stem == "panic":
        raise Panic("no entry found for key")
    if stem == "base":
        raise BaseException("a bare BaseException")
    if stem == "exit":
        raise SystemExit(3)
    if stem == "result":
        return Unpicklable()
    return Path(path).name


BAD = ["panic", "base", "exit", "result"]


@pytest.mark.parametrize("executor", [ProcessExecutor(workers=2), SerialExecutor()], ids=["process", "serial"])
def test_any_failure_of_one_file_costs_only_that_file(tmp_path, executor):
    names = ["a", *BAD, "b"]
    if isinstance(executor, SerialExecutor):
        names.remove("exit")  # SystemExit in this process stops the run (below)
        names.remove("result")  # nothing is pickled in this process
    else:
        names.append("unrebuildable")  # the parent's result thread fails: the pool breaks, the file is retried alone
    paths = [tmp_path / f"{n}.xlsx" for n in names]
    results = dict(executor.map_files(misbehave, paths))
    assert len(results) == len(paths)
    for i, name in enumerate(names):
        if name in BAD:
            assert isinstance(results[i], WorkerFailure) and not results[i].crashed, name
        elif name == "unrebuildable":
            assert isinstance(results[i], WorkerFailure)
        else:
            assert results[i] == f"{name}.xlsx"


def interrupt(path: Path) -> str:
    if Path(path).stem == "stop":
        raise KeyboardInterrupt
    if Path(path).stem == "exit":
        raise SystemExit(1)
    return Path(path).name


@pytest.mark.parametrize("stem, stops", [("stop", KeyboardInterrupt), ("exit", SystemExit)])
def test_an_interrupt_in_this_process_stops_a_serial_run(tmp_path, stem, stops):
    with pytest.raises(stops):
        list(SerialExecutor().map_files(interrupt, [tmp_path / "a.xlsx", tmp_path / f"{stem}.xlsx"]))


def test_a_failed_file_is_reported_in_the_users_words(tmp_path):
    """A file whose per-file function raised is "unreadable" in words; the technical reason stays in the
    problem's value (report.json) for whoever investigates."""
    from workbook_engine.validation.validate import failed_report

    paths = [tmp_path / "panic.xlsx", tmp_path / "result.xlsx"]
    for i, result in ProcessExecutor(workers=2).map_files(misbehave, paths):
        report = failed_report(paths[i], result)
        assert codes(report) == ["unreadable-file"] and report.unreadable
        assert_user_words(report.problems[0])
        assert "Pickl" in str(report.problems[0].value)


# -- the gate lets real workbooks through --------------------------------------------------------------------------
def renamed(src: Path, dst: Path, rename=lambda n: n, edit=lambda n, d: d) -> Path:
    """The zip with its parts renamed by rename(name) and their data changed by edit(name, data)."""
    return rezip(src, dst, lambda n, d: [(rename(n), edit(n, d))])


def backslash_names(src: Path, dst: Path) -> Path:
    """Part names written with "\\" separators, as some producers on Windows do."""
    return renamed(src, dst, rename=lambda n: n.replace("/", "\\"))


def parts_at_root(src: Path, dst: Path) -> Path:
    """The workbook's parts at the zip root (workbook.xml, worksheets/…), [Content_Types] and rels adjusted."""
    def edit(name: str, data: bytes) -> bytes:
        if name.endswith(".rels") or name == "[Content_Types].xml":
            return data.replace(b'"/xl/', b'"/').replace(b'Target="xl/', b'Target="')
        return data
    return renamed(src, dst, rename=lambda n: n.removeprefix("xl/"), edit=edit)


@pytest.fixture
def class_file_with_warnings(class_file) -> Path:
    """The class file with a formula without a cached value and an extra column: problems to compare."""
    wb = openpyxl.load_workbook(class_file)
    ws = wb["谈心记录"]
    ws["F3"] = "=1+1"
    ws.cell(1, ws.max_column + 1, "备用列")
    wb.save(class_file)
    return class_file


@pytest.mark.parametrize("rewrite", [backslash_names, parts_at_root])
def test_a_zip_from_another_producer_is_validated_like_the_original(tmp_path, class_file_with_warnings, rewrite):
    original = validate_file(class_file_with_warnings)
    assert {"formula-without-value", "extra-column"} <= set(codes(original))
    path = rewrite(class_file_with_warnings, tmp_path / "另一软件.xlsx")  # today: "not a workbook"
    report = validate_file(path)
    assert report.kind == "class" and report.rows == original.rows
    assert problems_of(report) == problems_of(original)


@pytest.mark.parametrize("rewrite", [backslash_names, parts_at_root])
def test_run_accepts_a_zip_from_another_producer(tmp_path, class_file, rewrite):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rewrite(class_file, inbox / "另一软件.xlsx")
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF)
    (entry,) = result.report["files"]
    assert entry["status"] == "accepted" and entry["kind"] == "class"
    assert sum(c["read"] for c in entry["rows"].values()) > 0


@pytest.mark.parametrize("rewrite", [backslash_names, parts_at_root])
def test_a_workbook_under_another_name_is_found_in_any_layout(tmp_path, class_file, rewrite):
    """Discovery reads a file without a spreadsheet suffix when its content is a workbook."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rewrite(class_file, inbox / "七年级9班.dat")
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF)
    (entry,) = result.report["files"]
    assert entry["status"] == "accepted"


def test_hostile_parts_under_backslash_names_are_still_refused(tmp_path, class_file):
    def dtd(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml":
            return b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
        return data
    unsafe = backslash_names(renamed(class_file, tmp_path / "dtd.xlsx", edit=dtd), tmp_path / "unsafe.xlsx")
    assert codes(validate_file(unsafe)) == ["unsafe-xml"]
    unsafe_root = parts_at_root(renamed(class_file, tmp_path / "dtd2.xlsx", edit=dtd), tmp_path / "unsafe2.xlsx")
    assert codes(validate_file(unsafe_root)) == ["unsafe-xml"]
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(class_file) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename.replace("/", "\\"), zin.read(info.filename))
        zout.writestr("xl\\media\\image1.png", b"\0" * 300_000_000)
    assert codes(validate_file(bomb)) == ["zip-bomb"]


# OLE2 (.xls) written by hand: a BIFF8 workbook stream in a minimal compound file
def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def biff8_stream(sheets: dict[str, list[list[str]]]) -> bytes:
    """A BIFF8 workbook stream holding the sheets' values as text cells (LABEL records)."""
    def bof(kind: int) -> bytes:
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))

    def text(s: str, short: bool) -> bytes:
        return struct.pack("<B" if short else "<H", len(s)) + b"\x01" + s.encode("utf-16-le")

    bodies = []
    for rows in sheets.values():
        body = bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, max(map(len, rows)), 0))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value:
                    body += _record(0x0204, struct.pack("<HHH", r, c, 0) + text(value, False))
        bodies.append(body + _record(0x000A))

    def workbook_globals(offsets: list[int]) -> bytes:
        out = bof(0x0005) + _record(0x0042, struct.pack("<H", 1200))
        for name, offset in zip(sheets, offsets):
            out += _record(0x0085, struct.pack("<IBB", offset, 0, 0) + text(name, True))
        return out + _record(0x000A)

    offsets, position = [], len(workbook_globals([0] * len(sheets)))
    for body in bodies:
        offsets.append(position)
        position += len(body)
    return workbook_globals(offsets) + b"".join(bodies)


def ole_file(stream: str, data: bytes) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) with one stream at its root."""
    data = data.ljust(max(4096, -(-len(data) // 512) * 512), b"\0")
    n = len(data) // 512
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [3 + i for i in range(n - 1)] + [0xFFFFFFFE]
    assert len(fat) <= 128, "one FAT sector only"
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<9I", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<I", 0) + b"\xff" * 4 * 108)

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, 0xFFFFFFFF, 0xFFFFFFFF, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    unused = b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + b"\0" * 48
    directory = entry("Root Entry", 5, 1, 0xFFFFFFFE, 0) + entry(stream, 2, 0xFFFFFFFF, 2, len(data)) + unused * 2
    return header + struct.pack("<128I", *fat) + directory + data


def sheets_as_text(path: Path) -> dict[str, list[list[str]]]:
    """Every sheet's values as the text a person would type (dates as 2026-09-01)."""
    wb = open_workbook(path)
    try:
        out = {}
        for name in wb.sheet_names:
            rows = wb.sheet(name).rows
            out[name] = [[_text(v) for v in row] for row in rows] or [[""]]
        return out
    finally:
        wb.close()


def _text(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@pytest.mark.parametrize("stream", ["WORKBOOK", "BOOK", "Workbook"])
def test_an_xls_with_a_capitalised_stream_name_is_validated(tmp_path, class_file, stream):
    sheets = sheets_as_text(class_file)
    path = tmp_path / "七年级9班.xls"
    path.write_bytes(ole_file(stream, biff8_stream(sheets)))
    report = validate_file(path)  # today: "not a workbook (未知的 Office 文件)" for WORKBOOK and BOOK
    assert report.format == "xls" and report.kind == "class"
    assert report.rows == validate_file(class_file).rows
    assert not [p for p in report.problems if p.severity.value == "error"]


def test_a_real_file_with_a_book_stream_is_judged_by_the_schema(tmp_path):
    """Apache POI's BOOK_in_capitals.xls, from a report generator: a workbook, not ours."""
    report = validate_file(shutil.copy(DATA / "poi-BOOK_in_capitals.xls", tmp_path / "report.xls"))
    assert codes(report) == ["unknown-workbook"] and report.kind == "unknown"


def old_biff(version: int, rows: list[list[str]]) -> bytes:
    """An Excel 2.x / 3.0 / 4.0 worksheet file: a bare BIFF stream (no OLE container), GBK text cells."""
    out = _record({2: 0x0009, 3: 0x0209, 4: 0x0409}[version],
                  struct.pack("<HH", 0, 0x0010) + (b"" if version == 2 else b"\0\0"))
    out += _record(0x0042, struct.pack("<H", 936))
    out += _record(0x0000 if version == 2 else 0x0200,
                   struct.pack("<HHHH", 0, len(rows), 0, max(map(len, rows))) + (b"" if version == 2 else b"\0\0"))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            raw = value.encode("gbk")
            if version == 2:
                out += _record(0x0004, struct.pack("<HH", r, c) + b"\0\0\0" + struct.pack("<B", len(raw)) + raw)
            else:
                out += _record(0x0204, struct.pack("<HHHH", r, c, 0, len(raw)) + raw)
    return out + _record(0x000A)


@pytest.mark.parametrize("version", [2, 3, 4])
def test_an_excel_2_to_4_file_is_judged_by_the_schema(tmp_path, version):
    path = tmp_path / "名单.xls"
    path.write_bytes(old_biff(version, [["学号", "姓名"], ["001", "张三"], ["002", "李四,王五"]]))
    report = validate_file(path)  # today: "not a workbook (这是 CSV/文本文件)"
    assert codes(report) == ["unknown-workbook"] and report.kind == "unknown"
    assert "Sheet 1" in report.problems[0].message("zh")
    wb = open_workbook(path)
    try:
        assert wb.sheet(wb.sheet_names[0]).rows == [["学号", "姓名"], ["001", "张三"], ["002", "李四,王五"]]
    finally:
        wb.close()


def test_run_reads_an_excel_4_file_found_under_another_name(tmp_path, class_file):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(class_file, inbox / "好文件.xlsx")
    (inbox / "旧表格").write_bytes(old_biff(4, [["学号", "姓名"], ["001", "张三"]]))
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF)
    files = {f["path"]: f for f in result.report["files"]}
    assert [p["code"] for p in files["旧表格"]["problems"]] == ["unknown-workbook"]
    assert files["好文件.xlsx"]["status"] == "accepted"


def test_damaged_file_messages_name_the_problem_not_a_library_class(tmp_path, class_file):
    """calamine's own errors (here a sheet whose relationship is missing) read as words in zh and en."""
    def drop_relationship(name: str, data: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels":
            return re.sub(rb'<Relationship [^>]*Id="rId1" ?/>', b"", data)
        return data
    path = renamed(class_file, tmp_path / "坏.xlsx", edit=drop_relationship)
    report = validate_file(path)
    assert codes(report) == ["damaged-file"]  # today: "文件已损坏（读取时出错：CalamineError）"
    assert_user_words(report.problems[0])
    assert "the file is damaged" in report.problems[0].message("en")


@pytest.mark.parametrize("rewrite", [backslash_names, parts_at_root])
def test_annotated_copy_of_a_zip_from_another_producer(tmp_path, class_file_with_warnings, rewrite):
    """openpyxl cannot open these layouts: the annotated copy is built from the values the reader read."""
    path = rewrite(class_file_with_warnings, tmp_path / "另一软件.xlsx")
    assert main(["validate", "--annotate", str(tmp_path / "批注"), str(path)]) in (0, 1)  # today: a traceback
    copy = openpyxl.load_workbook(tmp_path / "批注" / "另一软件.批注.xlsx")
    assert copy.sheetnames[0] == "问题清单" and "谈心记录" in copy.sheetnames
    assert any("公式" in str(c.value) for row in copy["问题清单"].iter_rows() for c in row)


def test_a_dtd_in_the_package_relationships_is_unsafe_in_any_layout(tmp_path, class_file):
    def dtd(name: str, data: bytes) -> bytes:
        return b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data if name == "_rels/.rels" else data
    path = parts_at_root(renamed(class_file, tmp_path / "dtd.xlsx", edit=dtd), tmp_path / "unsafe.xlsx")
    assert codes(validate_file(path)) == ["unsafe-xml"]
