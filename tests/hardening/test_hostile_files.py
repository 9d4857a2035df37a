"""Hostile and broken input: each case gets its own clear error, quickly, and the good file beside it is
still processed."""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import time
import zipfile
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest

from tests.builders import rezip
from tests.hardening import crashers
from workbook_engine.model import CODES
from workbook_engine.pipeline import run_inbox
from workbook_engine.settings import Settings
from workbook_engine.validation.validate import validate_file

AS_OF = dt.date(2026, 10, 20)


def _sheet_part(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    import re
    rid = re.search(rf'name="{sheet}"[^>]*r:id="([^"]+)"', wb).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    t = target.group(1) or target.group(2)
    return t.lstrip("/") if t.startswith("/") else "xl/" + t


def _case(tmp_path: Path, class_file: Path, build) -> tuple[Path, dict]:
    """An inbox with the good class file and the hostile one; run it and return the hostile file's entry."""
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    shutil.copy(class_file, inbox / "好文件.xlsx")
    bad = build(inbox)
    started = time.monotonic()
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF)
    assert time.monotonic() - started < 60  # generous: every case here takes well under a few seconds
    files = {f["path"]: f for f in result.report["files"]}
    good = files["好文件.xlsx"]
    assert good["status"] in ("accepted", "superseded") and sum(c["read"] for c in good["rows"].values()) > 0
    return bad, files[bad.relative_to(inbox).as_posix()]


def codes(entry: dict) -> list[str]:
    return [p["code"] for p in entry["problems"]]


def test_zip_bomb_is_refused_before_any_parser(tmp_path, class_file):
    def build(inbox):
        path = inbox / "炸弹.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", "<workbook/>")
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                block = b"0" * (1 << 20)
                for _ in range(300):  # 300 MB of zeros in about 300 KB
                    part.write(block)
        return path
    bad, entry = _case(tmp_path, class_file, build)
    assert entry["status"] == "rejected" and codes(entry) == ["zip-bomb"]
    assert "压缩炸弹" in entry["problems"][0]["message"]
    assert os.path.getsize(bad) < 2_000_000


def test_declared_size_over_the_limit_is_a_zip_bomb(class_file):
    tight = Settings.model_validate({"limits": {"max_uncompressed_mb": 0.05}})
    assert [p.code for p in validate_file(class_file, tight).problems] == ["zip-bomb"]


def test_billion_laughs_is_refused_quickly(tmp_path, class_file):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
              + b"</sheetData></worksheet>")
    part = _sheet_part(class_file, "谈心记录")

    def build(inbox):
        return rezip(class_file, inbox / "笑话.xlsx", lambda n, d: laughs if n == part else d)
    started = time.monotonic()
    bad = build(tmp_path)
    report = validate_file(bad)
    assert time.monotonic() - started < 1.0
    assert [p.code for p in report.problems] == ["unsafe-xml"]
    _, entry = _case(tmp_path, class_file, build)
    assert entry["status"] == "rejected" and codes(entry) == ["unsafe-xml"]


def test_bad_crc_and_truncation_are_damaged_files(tmp_path, class_file):
    def build(inbox):
        data = bytearray(class_file.read_bytes())
        with zipfile.ZipFile(class_file) as z:
            info = z.getinfo(_sheet_part(class_file, "谈心记录"))
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        data[start + info.compress_size // 2] ^= 0xFF  # a flipped byte inside the compressed sheet
        path = inbox / "坏校验.xlsx"
        path.write_bytes(bytes(data))
        (inbox / "半截.xlsx").write_bytes(bytes(data[: len(data) // 3]))
        return path
    _, entry = _case(tmp_path, class_file, build)
    assert entry["status"] == "rejected" and codes(entry) == ["damaged-file"]
    assert "重新保存" in entry["problems"][0]["message"]
    assert codes({"problems": [p.to_dict() for p in validate_file(tmp_path / "inbox" / "半截.xlsx").problems]}) == ["damaged-file"]


@pytest.mark.parametrize("offset, codes", [(4, []), (6, ["damaged-file"])])
def test_a_garbled_zip_version_field(tmp_path, class_file, offset, codes):
    """Found by the fuzz test in CI: zipfile raises NotImplementedError("zip file version 23.1") for a
    garbled "version needed to extract"; a garbled "version made by" is harmless."""
    data = bytearray(class_file.read_bytes())
    at = data.rfind(b"PK\x01\x02")
    data[at + offset] = 0xE7
    data[at + offset + 1] = 0x00
    path = tmp_path / "乱码.xlsx"
    path.write_bytes(bytes(data))
    # (the 8-student fixture's pairing-structure warnings are not the point here)
    assert [p.code for p in validate_file(path).problems if CODES[p.code].category != "pairing"] == codes


def _encrypt(src: Path, dst: Path, password: str) -> Path:
    with src.open("rb") as fh:
        office = msoffcrypto.OfficeFile(fh)
        out = io.BytesIO()
        office.encrypt(password, out)
    dst.write_bytes(out.getvalue())
    return dst


def test_password_protected_file_opens_only_with_a_listed_password(tmp_path, class_file):
    locked = _encrypt(class_file, tmp_path / "加密.xlsx", "s3cret")
    assert [p.code for p in validate_file(locked).problems] == ["encrypted-file"]
    wrong = Settings.model_validate({"limits": {"passwords": ["123456"]}})
    assert [p.code for p in validate_file(locked, wrong).problems] == ["encrypted-file"]
    right = Settings.model_validate({"limits": {"passwords": ["123456", "s3cret"]}})
    opened = validate_file(locked, right)
    assert opened.valid and opened.rows == validate_file(class_file).rows
    _, entry = _case(tmp_path, class_file, lambda inbox: _encrypt(class_file, inbox / "加密.xlsx", "s3cret"))
    assert entry["status"] == "rejected" and codes(entry) == ["encrypted-file"]


def test_a_value_at_xfd1048576_is_refused_without_allocating(tmp_path, class_file):
    def build(inbox):
        path = inbox / "远处.xlsx"
        shutil.copy(class_file, path)
        wb = openpyxl.load_workbook(path)
        wb["谈心记录"]["XFD1048576"] = "x"
        wb.save(path)
        return path
    _, entry = _case(tmp_path, class_file, build)
    assert ("谈心记录", "sheet-too-large") in {(p["sheet"], p["code"]) for p in entry["problems"]}
    assert entry["rows"]["学生名册"]["read"] > 0  # the other sheets are still read


def test_macros_links_formulas_and_error_values(tmp_path, class_file):
    talks = _sheet_part(class_file, "谈心记录")

    def change(name, data):
        if name == talks:
            text = data.decode()
            # D2 (学号) becomes an error value; a formula with its cached value goes into K2
            text = text.replace('<c r="D2"', '<c r="D2" t="e"><f>VLOOKUP(1,A:A,2,0)</f><v>#N/A</v></c><c r="XX2"', 1)
            return text.encode()
        if name == "[Content_Types].xml":
            return [(name, data), ("xl/vbaProject.bin", b"\x00fake vba"),
                    ("xl/externalLinks/externalLink1.xml", b"<externalLink/>")]
        return data

    def build(inbox):
        return rezip(class_file, inbox / "宏.xlsm", change)
    bad, entry = _case(tmp_path, class_file, build)
    found = {(p["sheet"], p["cell"], p["code"]) for p in entry["problems"]}
    assert (None, None, "macros-ignored") in found and (None, None, "external-links") in found
    assert ("谈心记录", "D2", "error-value") in found
    assert next(p for p in entry["problems"] if p["code"] == "error-value")["message"].startswith("单元格是错误值 #N/A")
    assert entry["status"] == "accepted" and entry["rows"]["谈心记录"]["rejected"] >= 1
    annotated = tmp_path / "ann"
    from workbook_engine.writing.annotate import annotate
    out = annotate(validate_file(bad), annotated)
    with zipfile.ZipFile(out) as z:
        assert not any("vba" in n.lower() for n in z.namelist())  # macros are never copied


def test_formulas_with_cached_values_are_flagged(tmp_path, class_file):
    path = tmp_path / "公式.xlsx"
    shutil.copy(class_file, path)
    wb = openpyxl.load_workbook(path)
    wb["学生名册"]["P2"] = "=1+1"
    wb.save(path)
    part = _sheet_part(path, "学生名册")
    fixed = rezip(path, tmp_path / "公式2.xlsx",
                   lambda n, d: d.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>").replace(
                       b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>") if n == part else d)
    report = validate_file(fixed)
    assert ("学生名册", "formula-cells") in {(p.sheet, p.code) for p in report.problems}


def test_control_characters_and_text_over_the_cell_limit(tmp_path, class_file):
    """Another program wrote 40,000 characters into H2 (openpyxl and Excel cut at 32,767; XML does not)
    and a bell character into H3, escaped the way Excel escapes it."""
    import re

    part = _sheet_part(class_file, "谈心记录")
    with zipfile.ZipFile(class_file) as z:
        xml = z.read(part).decode()
    for ref, text in (("H2", "很" * 40_000), ("H3", "谈心_x0007_记录")):
        m = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml)
        xml = xml[:m.start()] + f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>' + xml[m.end():]
    fixed = rezip(class_file, tmp_path / "文字.xlsx", lambda n, d: xml.encode() if n == part else d)
    report = validate_file(fixed)
    found = {(p.sheet, p.cell, p.code) for p in report.problems}
    assert ("谈心记录", "H2", "text-too-long") in found
    assert ("谈心记录", "H3", "control-characters") in found
    assert report.records("talks")[1]["summary"] == "谈心记录"
    assert "40000" in next(p for p in report.problems if p.code == "text-too-long").message()
    assert report.rejected_rows()["talks"].keys() == {2}  # the over-long row is rejected, not silently cut


def test_ids_keep_their_leading_zeros(tmp_path, class_file):
    report = validate_file(class_file)
    assert all(r["teacher_id"].startswith("0") for r in report.records("mentors"))


def test_run_reports_a_crashed_reader_on_its_file(tmp_path, class_file):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(class_file, inbox / "好文件.xlsx")
    shutil.copy(class_file, inbox / "crash.xlsx")
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF, executor=crashers.CrashingExecutor())
    files = {f["path"]: f for f in result.report["files"]}
    assert files["crash.xlsx"]["status"] == "rejected" and codes(files["crash.xlsx"]) == ["reader-crashed"]
    assert len(files["crash.xlsx"]["sha256"]) == 64
    assert files["好文件.xlsx"]["status"] == "accepted"


