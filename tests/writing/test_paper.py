"""On paper: every output and template of the sample school prints on A4, one page wide, with a header and footer on
every sheet; empty sections say 无; numbers have one format each; periods are named as people name them; templates
print ruled rows and never overwrite someone's edits. The slow tests render the books with LibreOffice and measure
the pages (pdfinfo, pdftotext -bbox)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import stat
import subprocess
import zipfile

import openpyxl
import pytest

from tests.builders import ROOT, class_book, edit, sheet_rows
from tests.helpers.office import SOFFICE, WORD, pages, render
from workbook_engine.cli import main
from workbook_engine.model import CODES
from workbook_engine.pipeline import run_inbox
from workbook_engine.validation.validate import validate_file
from workbook_engine.writing.annotate import annotate
from workbook_engine.writing.summary.overview import score_bins
from workbook_engine.writing.templates import RULED_ROWS, write_templates

SAMPLE = ROOT / "sample_data"
AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample school run as of 2026-11-20, its annotated copies and the templates."""
    base = tmp_path_factory.mktemp("paper")
    result = run_inbox(SAMPLE, base / "out", as_of=AS_OF)
    copies = [annotate(validate_file(p), base / "annotated") for p in sorted(SAMPLE.glob("*.xlsx"))]
    templates = write_templates(base / "templates")
    books = sorted((base / "out").rglob("*.xlsx"))
    return base, result, books, [c for c in copies if c], [t for t in templates if t.suffix == ".xlsx"]


def test_every_sheet_of_every_output_prints_a4_one_page_wide_with_header_and_footer(sample):
    _, _, books, copies, templates = sample
    assert len(books) == 7 and len(copies) == 3 and len(templates) == 3  # merged, summary, 明细表, 4 feedback books; 3 files with problems
    for path in books + copies + templates:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            where = f"{path.name}!{ws.title}"
            assert ws.page_setup.paperSize == 9, where
            assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) == 1, where  # (1: default)
            if not path.name.startswith("导师分工明细表"):  # (the named form carries its own title, a sheet per class)
                assert ws.oddHeader.right.text == "&A", where  # the sheet's name on every page
            assert ws.oddHeader.center.text, where  # the workbook's title
            assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, where  # page x of y
    summary = openpyxl.load_workbook(next(p for p in books if p.name.startswith("汇总")))
    ws = summary["导师考核"]
    assert ws.oddHeader.left.text == "青年路小学 2026-2027第一学期"  # school and term
    assert ws.oddHeader.center.text == "全员育人导师制汇总"
    assert ws.oddFooter.left.text == "统计截至 2026-11-20"


def test_empty_sections_say_none_and_numbers_have_one_format(sample):
    _, result, books, _, _ = sample
    feedback = openpyxl.load_workbook(next(p for p in books if p.name == "三年级1班.xlsx"))
    # 三年级1班 has no rejected or lost rows and no conflicts: one grey 无 under the header, not a bare header
    for name in ("未采用的行", "版本间缺失的行", "冲突的记录"):
        assert feedback[name]["A2"].value == "无", name
    for path in books:
        with zipfile.ZipFile(path) as z:
            assert "0.##" not in z.read("xl/styles.xml").decode(), path.name  # (Excel shows 4. for 4)
    summary = openpyxl.load_workbook(next(p for p in books if p.name.startswith("汇总")))
    ws = summary["导师考核"]
    head = [c.value for c in ws[1]]
    total, rate = head.index("总分") + 1, head.index("谈心达标率") + 1
    assert ws["A2"].value.startswith("考核组 1")  # row 2 heads the first score group; row 3 is its first teacher
    assert ws.cell(3, total).number_format == "0.00"
    assert ws.cell(3, head.index("基础分") + 1).number_format == "0.00"  # 5 prints as 5.00, beside 4.92
    assert ws.cell(3, rate).number_format == "0.0%" and ws.cell(3, rate).alignment.horizontal == "right"
    assert ws.cell(3, head.index("受导人数") + 1).number_format == "0"  # counts are integers


def test_the_summary_starts_with_what_needs_doing(sample):
    _, _, books, _, _ = sample
    ws = openpyxl.load_workbook(next(p for p in books if p.name.startswith("汇总")))["概览"]
    page_1 = ws.row_breaks.brk[0].id  # page 1 ends at the break: what needs doing, the figures, the notes
    column_a = [ws.cell(r, 1).value for r in range(1, page_1 + 1)]
    assert column_a[3] == "需要处理"
    at = column_a.index("未交文件的班级")
    assert ws.cell(at + 1, 2).value == 1 and "四年级3班" in column_a[at + 1]  # the missing class, on page 1
    notes = " ".join(v for v in column_a if isinstance(v, str))
    assert "排名只按积分方案的考核总分" in notes and "绿色 达标（≥ 95%）" in notes
    bins = [ws.cell(r, 1).value for r in range(1, 80) if str(ws.cell(r, 1).value or "").startswith("[")]
    assert bins[0] == "[0, 1)" and bins[-1] == "[9, 10]"
    kinds = {row[1] for row in openpyxl.load_workbook(next(p for p in books if p.name.startswith("汇总")))["收到的文件"]
             .iter_rows(min_row=2, values_only=True)}
    assert kinds <= {"班级工作簿", "考核数据", "其他文件", "未知工作簿", "导师工作手册"} and "班级工作簿" in kinds


def test_score_bins_say_which_end_they_include():
    # 4.0 and 4.99 fall in [4, 5); 5.0 opens [5, 6); 10.0 is in the last, closed bin [9, 10]
    bins = dict(score_bins([4.0, 4.99, 5.0, 10.0], 1))
    assert bins["[4, 5)"] == 2 and bins["[5, 6)"] == 1 and bins["[9, 10]"] == 1 and sum(bins.values()) == 4


def test_grid_periods_are_named_as_people_name_them(sample):
    _, _, books, _, _ = sample
    ws = openpyxl.load_workbook(next(p for p in books if p.name == "三年级1班.xlsx"))["达标表"]
    head = [c.value for c in ws[4] if c.value is not None]
    # the term runs 2026-09-01 (a Tuesday) to 2027-01-22: week 1 is Monday 08-31 to Sunday 09-06, named with its
    # year because the term crosses into 2027; week 18 (08-31 + 17 × 7 = 12-28) ends in 2027; week 19 starts it
    assert head[2] == "谈心 第1周 (2026-08-31–09-06)"
    assert head[3] == "谈心 第2周 (09-07–09-13)"
    assert "谈心 第18周 (2026-12-28–2027-01-03)" in head and "谈心 第19周 (2027-01-04–01-10)" in head
    assert head[-5:] == ["家长联系 2026-09", "家长联系 2026-10", "家长联系 2026-11", "家长联系 2026-12",
                         "家长联系 2027-01"]
    assert ws.cell(4, 3).alignment.textRotation == 90  # upright headers over narrow columns: no "2026-" cut


PAIRING = {code for code, spec in CODES.items() if spec.category == "pairing"}


def test_grid_names_are_never_cut_by_the_first_period(tmp_path):
    """A mentor named 欧阳明轩 (a four-character name: "欧阳明轩 070101" is 15 half-width characters) and a student
    named 司马思思语: the 导师 and 学生 columns of the grid, in the summary and the class's feedback book, are wide
    enough for them (they were fixed at 11 and 17, and the period cells beside them cut the names)."""
    from tests.helpers.terms import term_dir
    from workbook_engine.writing.samples import make_class, move_mentor, school_toml

    box = tmp_path / "box"
    box.mkdir()
    data = make_class(4, 7, 1, students=4, mentors=2)
    move_mentor(data, "070101", "070101", "欧阳明轩")
    data.sheets["students"][0]["name"] = "司马思思语"
    class_book(box, data, "七年级1班.xlsx")
    (box / "school.toml").write_text(school_toml(["七年级1班"]), encoding="utf-8")
    result = run_inbox(box, tmp_path / "out", as_of=AS_OF)
    term = term_dir(result.out)
    for path, sheet in ((term / "汇总_2026-2027第一学期.xlsx", "达标-七年级1班"), (term / "班级反馈" / "七年级1班.xlsx", "达标表")):
        ws = openpyxl.load_workbook(path)[sheet]
        assert "欧阳明轩 070101" in [c.value for c in ws["A"]]
        assert ws.column_dimensions["A"].width >= 16 and ws.column_dimensions["B"].width >= 22, path.name


def test_the_problem_list_is_readable_and_only_for_files_with_problems(class_file, tmp_path):
    clean = validate_file(class_file)
    clean.problems = [p for p in clean.problems if p.code not in PAIRING]  # (the 8-student fixture's only advice)
    assert clean.problems == [] and annotate(clean, tmp_path / "clean") is None  # nothing to mark: no copy
    assert not (tmp_path / "clean").exists() or not list((tmp_path / "clean").iterdir())
    edit(class_file, lambda wb: wb["谈心记录"].__setitem__("F2", "聊天"))
    copy = annotate(validate_file(class_file), tmp_path / "marked")
    ws = openpyxl.load_workbook(copy)["问题清单"]
    assert [c.value for c in ws[1]] == ["级别", "工作表", "单元格", "列", "值", "说明", "问题类别", "代码"]
    listed = sheet_rows(ws, min_row=2)
    assert {r[6] for r in listed} >= {"单元格", "结对结构"} and all(r[7] in CODES for r in listed)  # Chinese category, code last
    widths = sum(ws.column_dimensions[c].width for c in "ABCDEFGH")
    assert widths <= 150 and ws.page_setup.orientation == "landscape"  # one landscape page wide at ~100%
    assert ws.print_title_rows == "$1:$1"


def test_templates_print_ruled_rows_and_boxes(sample):
    *_, templates = sample
    wb = openpyxl.load_workbook(next(p for p in templates if p.name == "班级学情工作簿.xlsx"))
    talks = wb["谈心记录"]
    assert RULED_ROWS == 25
    for r in (2, 26):  # the first and the 25th ruled row
        assert talks.cell(r, 1).border.bottom.style == "thin", r
    assert talks.cell(27, 1).border.bottom.style is None  # ruled rows end there
    box = wb["班级信息"]["B2"]
    assert box.border.left.style == "medium" and box.border.bottom.style == "medium"
    notes = [c.value for c in openpyxl.load_workbook(next(p for p in templates if p.name == "学校考核数据.xlsx"))
             ["说明"]["A"] if c.value]
    assert any("扣分事由只用于考核" in n for n in notes) and not any("家长电话" in n for n in notes)


def test_templates_never_overwrite_an_edited_file(tmp_path, capsys):
    assert main(["templates", str(tmp_path)]) == 0
    toml = tmp_path / "school.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n# 我们学校的设置\n", encoding="utf-8")
    edited = toml.read_bytes()
    capsys.readouterr()
    assert main(["templates", str(tmp_path)]) == 0
    assert toml.read_bytes() == edited  # kept
    assert (tmp_path / "school.toml.new").exists() and b"# \xe6\x88\x91" not in (tmp_path / "school.toml.new").read_bytes()
    assert "school.toml.new" in capsys.readouterr().out
    assert not (tmp_path / "班级学情工作簿.new.xlsx").exists()  # unchanged templates are simply rewritten
    assert main(["templates", str(tmp_path), "--force"]) == 0
    assert toml.read_bytes() != edited


def test_every_output_is_written_with_the_same_mode(sample):
    base, *_ = sample
    files = [p for p in (base / "out").rglob("*") if p.is_file()] + list((base / "annotated").iterdir())
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
    # report.json, the ledger, 6 books, 3 copies (the lock file too: one mode for all)
    assert len(modes) >= 11 and len(set(modes.values())) == 1, modes


# -- rendered by LibreOffice -------------------------------------------------------------------------------------



@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice or poppler missing")
def test_rendered_pages_are_readable_and_complete(sample):
    base, _, books, copies, templates = sample
    pdfs = render(books + copies + templates, base / "pdf")
    checked = 0
    for pdf in pdfs:
        for n, words in enumerate(pages(pdf), start=1):
            where = f"{pdf.name} page {n}"
            text = " ".join(w for *_, w in words)
            # every page carries its footer (page x of y: LibreOffice numbers the whole file)
            assert re.search(r"第 \d+ 页\s*/\s*共 \d+ 页", text), where
            if ".批注" in pdf.name and "问题清单" not in text:
                continue  # a teacher's own sheets in the copy keep their own widths (fitted as they are)
            # no text under 8 pt: a word's box is about 1.3 × its size (11 pt at 100% → 14.3); upright header
            # words are taller than wide and left out
            heights = [h for w, h, s in words if w >= h or len(s) == 1]
            assert heights and min(heights) >= 8 * 1.29, (where, min(heights))  # 8-pt CJK text: boxes of 10.39–10.41
            checked += 1
    assert checked >= 60  # (the merged book alone prints over 50 pages)
    by_name = {p.name.split("-", 1)[1]: p for p in pdfs}
    # the feedback book: every page holds more than a header row; its grid fits one page wide
    fb = pages(by_name["三年级1班.pdf"])
    for n, words in enumerate(fb, start=1):
        body = [s for *_, s in words if s not in {"青年路小学", "2026-2027第一学期", "班级反馈", "三年级1班"}]
        assert len(body) > 12, (n, body)  # header, footer (7 words) and at least one line of its own
    grid_pages = [words for words in fb if any(s == "达标表" for *_, s in words)]
    assert grid_pages and any("2027-01" in s for *_, s in grid_pages[0])  # the last month's column is on the page
    # 问题清单 is one page wide: its last column 代码 is printed on the same page as its first
    listing = pages(by_name[next(n for n in by_name if n.endswith("四年级1班.批注.pdf"))])[0]
    words = {s for *_, s in listing}
    assert {"级别", "说明", "问题类别", "代码", "student-without-mentor"} <= words


@pytest.fixture(scope="module")
def sample_en(tmp_path_factory):
    """The same in English: the run with the handbooks, the annotated copies and the templates."""
    base = tmp_path_factory.mktemp("paper-en")
    run_inbox(SAMPLE, base / "out", as_of=AS_OF, lang="en", handbooks=True)
    copies = [annotate(validate_file(p), base / "annotated", "en") for p in sorted(SAMPLE.glob("*.xlsx"))]
    templates = write_templates(base / "templates", "en")
    books = sorted((base / "out").rglob("*.xlsx"))
    handbooks = [p for p in books if "导师手册" in p.parts]
    books = [p for p in books if "导师手册" not in p.parts] + handbooks[:2]  # two teachers' handbooks
    return base, books, [c for c in copies if c], [t for t in templates if t.suffix == ".xlsx"]


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice or poppler missing")
def test_rendered_english_pages_are_readable_and_complete(sample_en):
    """Every page of the English outputs, copies and templates: its footer (page x of y) and no word under 8 pt
    (upright period headers and single symbols left out, as in the Chinese test)."""
    base, books, copies, templates = sample_en
    assert len(books) == 9 and len(copies) == 3 and len(templates) == 3
    pdfs = render(books + copies + templates, base / "pdf")
    checked = 0
    for pdf in pdfs:
        for n, words in enumerate(pages(pdf), start=1):
            where = f"{pdf.name} page {n}"
            text = " ".join(w for *_, w in words)
            assert re.search(r"page \d+ of \d+", text), where
            if ".批注" in pdf.name and "Problems" not in text:
                continue  # a teacher's own sheets in the copy keep their own widths
            # a single character's size is the larger side of its box (an upright header's digits lie on their side)
            heights = [max(w, h) if len(s) == 1 else h for w, h, s in words if w >= h or len(s) == 1]
            # Latin text: a word's box is 12.5/11 of its size (11 pt at 100% → 12.5); 8 pt → 9.09
            assert heights and min(heights) >= 8 * 12.5 / 11, (where, min(heights), text[:80])
            checked += 1
    assert checked >= 60


def test_english_pages_name_the_term_in_english(sample_en):
    _, books, _, _ = sample_en
    summary = openpyxl.load_workbook(next(p for p in books if p.name.startswith("汇总")))
    assert summary.worksheets[0].oddHeader.left.text == "青年路小学 2026-2027 Term 1"  # (the school's name as typed)
    assert summary.worksheets[0]["A1"].value == "青年路小学 2026-2027 Term 1 Mentor system summary"  # the title too


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice or poppler missing")
def test_a_wrapped_row_is_as_tall_as_libreoffice_draws_its_lines(tmp_path):
    """A cell of twelve lines (the 整改名单's mentees to pair again): the row height the writers store holds the
    twelve lines as LibreOffice spaces them (16 pt a CJK line without 等线: at 15 pt a line the first and the last
    were cut)."""
    from workbook_engine.writing.books import Book
    from workbook_engine.writing.paper import PageText
    from workbook_engine.writing.sheet import Sheet

    mentees = "\n".join(f"三年级2班 20260302{i:02d} 郭轩" for i in range(1, 13))
    path = tmp_path / "rows.xlsx"
    book = Book(path, page=PageText("整改名单", "青年路小学", "统计截至 2027-04-20"))
    book.add(Sheet("整改名单", ["工号", "需重新结对的学生"], [["030205", mentees]], max_width=30))
    book.close()
    height = openpyxl.load_workbook(path)["整改名单"].row_dimensions[2].height
    (pdf,) = render([path], tmp_path / "pdf")
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    tops = [float(y0) for _, y0, _, _, w in WORD.findall(html) if w == "三年级2班"]
    assert len(tops) == 12
    pitch = (tops[-1] - tops[0]) / 11
    assert height >= 12 * pitch, (height, pitch)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice or poppler missing")
def test_a_long_term_s_grid_with_long_names_prints_at_8_pt(tmp_path, monkeypatch):
    """第二学期 with no calendar in the settings (the default 1 February – 31 July: 26 weeks and 6 months) and a
    mentor named 欧阳明轩: the grid, one page wide, keeps its text at 8 pt or more (the name columns grown to fit
    the names made it 7.95 pt until the period cells were narrowed)."""
    from tests.helpers.terms import TERM2, term_dir
    from workbook_engine.writing import samples
    from workbook_engine.writing.samples import make_class, move_mentor

    for k, v in {"TERM": "第二学期", "TERM_START": dt.date(2027, 2, 22), "TERM_END": dt.date(2027, 7, 9),
                 "HOLIDAYS": [], "WORKDAYS": []}.items():
        monkeypatch.setattr(samples, k, v)
    box = tmp_path / "box"
    box.mkdir()
    data = make_class(4, 7, 1, students=6, mentors=2, until=dt.date(2027, 4, 20))
    move_mentor(data, "070101", "070101", "欧阳明轩")
    class_book(box, data, "七年级1班.xlsx")
    result = run_inbox(box, tmp_path / "out", as_of=dt.date(2027, 4, 20))
    (pdf,) = render([term_dir(result.out, TERM2) / "班级反馈" / "七年级1班.xlsx"], tmp_path / "pdf")
    grid = [words for words in pages(pdf) if any(s == "达标表" for *_, s in words)]
    assert grid and any("欧阳明轩" in s for *_, s in grid[0])
    heights = [h for w, h, s in grid[0] if w >= h and re.search(r"[\u4e00-\u9fff]", s)]
    assert min(heights) >= 8 * 1.29, min(heights)  # 8-pt CJK text: boxes of 10.39–10.41
