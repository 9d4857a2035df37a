"""A real spreadsheet application: LibreOffice opens, converts and re-saves what the engine reads and
writes. Skipped, with the reason printed, where soffice is not installed; CI installs it (.ci/run)."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest

from tests.builders import ROOT, TEMPLATE, school_inbox
from tests.helpers.office import SOFFICE, convert
from workbook_engine.pipeline import run_inbox
from workbook_engine.validation.validate import validate_file
from workbook_engine.writing.annotate import annotate
from workbook_engine.writing.samples import make_class

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed on this machine")]
AS_OF = dt.date(2026, 11, 20)


def pdf_fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    base = tmp_path_factory.mktemp("lo")
    inbox = school_inbox(base / "inbox", [make_class(31, 7, 1, students=12, mentors=3, until=AS_OF),
                                          make_class(32, 7, 2, students=10, mentors=2, until=AS_OF)], assessment=True)
    wb = openpyxl.load_workbook(inbox / "七年级2班.xlsx")
    wb["谈心记录"]["F3"] = "聊天"  # one error, so there is an annotated copy to open
    wb.save(inbox / "七年级2班.xlsx")
    result = run_inbox(inbox, base / "out", as_of=AS_OF)
    annotated = annotate(validate_file(inbox / "七年级2班.xlsx", result.settings), base / "annotated")
    return base, result, annotated


def test_every_template_and_output_converts_to_pdf(school, tmp_path):
    base, result, annotated = school
    books = [ROOT / "blank_templates" / "班级学情工作簿.xlsx", ROOT / "blank_templates" / "学校考核数据.xlsx",
             annotated, *[p for p in result.outputs if p.suffix == ".xlsx"]]
    assert len(books) == 3 + 5  # templates, annotated copy, merged book, summary, two feedback books, 明细表
    pdfs = convert(books, "pdf", tmp_path / "pdf", tmp_path)
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF")


def test_summary_and_feedback_render_with_a_cjk_font(school, tmp_path):
    base, result, _ = school
    summary = next(p for p in result.outputs if p.name.startswith("汇总"))
    feedback = next(p for p in result.outputs if p.parent.name == "班级反馈")
    for pdf in convert([summary, feedback], "pdf", tmp_path / "pdf", tmp_path):
        fonts = pdf_fonts(pdf)
        assert any(k in fonts for k in ("CJK", "Noto Sans SC", "WenQuanYi", "Droid Sans Fallback")), fonts
        prefix = tmp_path / pdf.stem
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(pdf), str(prefix)], check=True)
        pages = sorted(tmp_path.glob(f"{pdf.stem}-*.png"))
        assert pages
        from PIL import Image

        for page in pages:
            img = Image.open(page).convert("L")
            dark = sum(img.histogram()[:200])
            assert dark > 500, f"{page.name} looks empty"


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_a_class_workbook_saved_by_libreoffice_reads_the_same(school, tmp_path, fmt):
    base, result, _ = school
    original = base / "inbox" / "七年级1班.xlsx"
    saved = convert([original], fmt, tmp_path / fmt, tmp_path)[0]
    before, after = validate_file(original, result.settings), validate_file(saved, result.settings)
    assert after.format == ("xls" if fmt == "xls" else "ods" if fmt == "ods" else "xlsx")
    assert after.rows == before.rows
    assert [p.code for p in after.problems if p.severity.value == "error"] == []
    for key in ("talks", "students", "contacts"):
        strip = lambda rs: [{k: v for k, v in r.items() if k != "_row"} for r in rs]  # noqa: E731
        assert strip(after.records(key)) == strip(before.records(key)), key
    # and the compliance figures are the same
    inbox = tmp_path / f"inbox-{fmt}"
    inbox.mkdir()
    shutil.copy(saved, inbox / saved.name)
    shutil.copy(base / "inbox" / "school.toml", inbox / "school.toml")
    again = run_inbox(inbox, tmp_path / f"out-{fmt}", as_of=AS_OF)
    want = [s for s in result.report["students"] if s["class"] == "七年级1班"]
    assert again.report["students"] == want


def test_template_dropdowns_and_messages_survive_a_round_trip(tmp_path):
    saved = convert([TEMPLATE], "xlsx", tmp_path / "rt", tmp_path)[0]
    before, after = openpyxl.load_workbook(TEMPLATE), openpyxl.load_workbook(saved)
    for name in ("谈心记录", "学生名册", "家长联系"):
        b, a = before[name], after[name]
        lists = lambda ws: sorted((str(v.sqref).split(":")[0], v.formula1) for v in ws.data_validations.dataValidation  # noqa: E731
                                  if v.type == "list")
        assert lists(a) == lists(b) and lists(b)
        prompts = lambda ws: sorted(v.prompt for v in ws.data_validations.dataValidation if v.prompt)  # noqa: E731
        assert prompts(a) == prompts(b) and prompts(b)


XVFB = shutil.which("xvfb-run")
UNO_PYTHON = "/usr/bin/python3"


def _has_uno() -> bool:
    if not Path(UNO_PYTHON).exists():
        return False
    return subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


@pytest.mark.skipif(XVFB is None or not _has_uno(),
                    reason="needs xvfb-run and LibreOffice's UNO bridge (python3-uno) to open a file in a window")
def test_template_frozen_panes_survive_an_open_and_save_in_calc(tmp_path):
    """`soffice --convert-to` has no view and drops frozen panes (unoconv/unoconv#245); a person opens the
    file in a Calc window and saves it: do that, on a virtual display."""
    saved = tmp_path / "resaved.xlsx"
    script = Path(__file__).parent.parent / "helpers" / "lo_resave.py"
    profile = (tmp_path / f"lo-profile-{uuid.uuid4().hex}").as_uri()
    proc = subprocess.run([XVFB, "-a", UNO_PYTHON, str(script), SOFFICE, str(TEMPLATE), str(saved),
                           "Calc MS Excel 2007 XML", profile], capture_output=True, text=True, timeout=300)
    assert saved.exists(), proc.stderr
    before, after = openpyxl.load_workbook(TEMPLATE), openpyxl.load_workbook(saved)
    for name in ("谈心记录", "学生名册", "家长联系", "导师名单"):
        assert after[name].freeze_panes == before[name].freeze_panes == "A2", name
        assert len(after[name].data_validations.dataValidation) == len(before[name].data_validations.dataValidation)
