"""One description of a sheet, one style registry: a table or a grid drawn by the fast writer (merged and feedback
books) and by xlsxwriter (the summary) looks the same when opened — same cells, fonts, fills, number formats,
widths, frozen panes, print titles and page — and a colour changed in the registry changes every book."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from workbook_engine.writing import styles
from workbook_engine.writing.books import Book
from workbook_engine.writing.fastxlsx import FastBook
from workbook_engine.writing.paper import PageText
from workbook_engine.writing.sheet import Sheet, Styled

LONG = "家访时家长反映孩子近来作业拖拉，晚上看手机时间长，已约定每天九点前交手机并由导师每周电话回访一次"


def sample_sheets() -> list[Sheet]:
    table = Sheet("明细", ["班级", "学生", "谈心达标率", "得分", "日期", "说明"],
                  [["三年级1班", "何梦", 0.875, 4.5, dt.date(2026, 10, 9), LONG],
                   ["三年级1班", "梁梦欣", 1.0, 3.25, dt.date(2026, 10, 16), "按时完成"]],
                  col_styles={2: "pct"}, note="得分按学校方案计算；达标率与排名分开看。")
    grid = Sheet("达标表", [Styled("导师", "header"), Styled("学生", "header"), "谈心 第1周", "谈心 第2周", "谈心 第3周"],
                 [["王老师 0301", "何梦 2026030101", Styled("✓", "met"), Styled("✗", "missed"), Styled("休", "exempt")],
                  ["王老师 0301", "梁梦欣 2026030106", Styled("✓", "met"), Styled("—", "unpaired"), Styled("", "future")],
                  ["李老师 0302", "卢辰 2026030111", Styled("✗", "missed"), Styled("✓", "met"), Styled("", "future")]],
                 title_rows=[[Styled("三年级1班 达标情况", "title")], [Styled("✓", "met"), "已完成"], []],
                 widths=[11, 17, 3.8, 3.8, 3.8], freeze_cols=2, header_style="header_rotated", header_height=80,
                 bulk=True)
    empty = Sheet("冲突的记录", ["班级", "工作表"], [])
    return [table, grid, empty]


def write_both(tmp_path) -> tuple[openpyxl.Workbook, openpyxl.Workbook]:
    page = PageText("测试", "青年路小学", "统计截至 2026-11-20")
    fast = FastBook(page=page)
    for s in sample_sheets():
        fast.add(s)
    fast.save(tmp_path / "fast.xlsx")
    book = Book(tmp_path / "xw.xlsx", page=page)
    for s in sample_sheets():
        book.add(s)
    book.close()
    return openpyxl.load_workbook(tmp_path / "fast.xlsx"), openpyxl.load_workbook(tmp_path / "xw.xlsx")


def look(cell) -> tuple:
    """What a reader sees of a cell: value, bold, italic, size, font colour, fill, number format, alignment."""
    font, fill, align = cell.font, cell.fill, cell.alignment
    colour = font.color.rgb if font.color is not None and font.color.type == "rgb" else None
    background = fill.fgColor.rgb if fill.fill_type == "solid" else None
    number = cell.number_format if cell.value is not None or background else "General"
    return (cell.value, bool(font.b), bool(font.i), font.sz, colour, background, number,
            align.horizontal, bool(align.wrap_text), align.text_rotation or 0)


def widths(ws) -> list[float]:
    """Each column's width (a <col> element may cover several columns)."""
    out: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        for c in range(dim.min, dim.max + 1):
            out[c] = round(dim.width, 2)
    return [out.get(c) for c in range(1, ws.max_column + 1)]


def test_both_writers_draw_the_same_sheets(tmp_path):
    fast, xw = write_both(tmp_path)
    assert fast.sheetnames == xw.sheetnames == ["明细", "达标表", "冲突的记录"]
    for a, b in zip(fast.worksheets, xw.worksheets):
        assert a.max_row == b.max_row and a.max_column == b.max_column, a.title
        for ra, rb in zip(a.iter_rows(), b.iter_rows()):
            for ca, cb in zip(ra, rb):
                assert look(ca) == look(cb), (a.title, ca.coordinate, look(ca), look(cb))
        assert widths(a) == widths(b), a.title
        assert a.freeze_panes == b.freeze_panes, a.title
        assert (a.print_title_rows or "").replace("$", "") == (b.print_title_rows or "").replace("$", ""), a.title
        assert (a.print_title_cols or "").replace("$", "") == (b.print_title_cols or "").replace("$", ""), a.title
        assert (a.page_setup.orientation, a.page_setup.paperSize) == (b.page_setup.orientation, b.page_setup.paperSize)
        assert a.oddFooter.center.text == b.oddFooter.center.text == "第 &P 页 / 共 &N 页"
        assert [r.height for r in a.row_dimensions.values() if r.height] == \
            [r.height for r in b.row_dimensions.values() if r.height], a.title


def test_what_the_description_says_is_what_is_printed(tmp_path):
    fast, _ = write_both(tmp_path)
    table, grid, empty = fast.worksheets
    # 87.5% as a percentage with one decimal, right-aligned; 4.5 as a score with two decimals
    assert table["C2"].number_format == "0.0%" and table["C2"].alignment.horizontal == "right"
    assert table["D2"].number_format == "0.00"
    # the long note wraps in a 40-wide column: 96 half-width units at 39 a line -> 3 lines -> 3 × 16.5 + 2 =
    # 51.5 pt (a CJK font's wrapped lines), stored in whole pixels: 69 px = 51.75 pt
    assert table.column_dimensions["F"].width == 40 and table["F2"].alignment.wrap_text
    assert table.row_dimensions[2].height == 51.75
    assert table["A5"].value == "得分按学校方案计算；达标率与排名分开看。" and "A5:F5" in table.merged_cells
    # the grid: names kept in view and printed on every page, states in the registry's colours
    assert grid.freeze_panes == "C5" and grid.print_title_cols.replace("$", "") == "A:B" and grid.print_title_rows.replace("$", "") == "4:4"
    assert grid["C5"].fill.fgColor.rgb == "FF" + styles.COLOURS["met"]
    assert grid["D5"].fill.fgColor.rgb == "FF" + styles.COLOURS["missed"]
    assert grid["C4"].alignment.text_rotation == 90
    assert empty["A2"].value == "无" and empty["A2"].font.i


def test_a_colour_changed_in_the_registry_changes_both_writers(tmp_path, monkeypatch):
    monkeypatch.setitem(styles.COLOURS, "met", "00B050")
    fast, xw = write_both(tmp_path)
    assert fast["达标表"]["C5"].fill.fgColor.rgb == xw["达标表"]["C5"].fill.fgColor.rgb == "FF00B050"


@pytest.mark.parametrize("name", sorted(styles.STYLES))
def test_every_registered_style_renders_in_both_writers(tmp_path, name):
    fast = FastBook()
    fast.add(Sheet("s", ["h"], [[Styled("x", name)]]))
    fast.save(tmp_path / "f.xlsx")
    book = Book(tmp_path / "x.xlsx")
    book.add(Sheet("s", ["h"], [[Styled("x", name)]]))
    book.close()
    a = openpyxl.load_workbook(tmp_path / "f.xlsx")["s"]["A2"]
    b = openpyxl.load_workbook(tmp_path / "x.xlsx")["s"]["A2"]
    assert look(a) == look(b)


def test_a_narrowed_column_wraps_its_text_but_keeps_dates_and_scores(tmp_path):
    """Eight columns of 20–25 are wider than the page, so every column is narrowed and wraps (its header too); a
    date stays a date (yyyy-mm-dd) and a score keeps two decimals, in both writers."""
    def sheet() -> Sheet:
        return Sheet("s", ["Enrolled on long header", "Satisfaction score header"] + ["c" * 20] * 6,
                     [[dt.date(2026, 9, 1), 1.5] + ["y" * 20] * 6 for _ in range(3)])

    fast = FastBook()
    fast.add(sheet())
    fast.save(tmp_path / "f.xlsx")
    book = Book(tmp_path / "x.xlsx")
    book.add(sheet())
    book.close()
    for path in (tmp_path / "f.xlsx", tmp_path / "x.xlsx"):
        ws = openpyxl.load_workbook(path)["s"]
        assert ws["A2"].value == dt.datetime(2026, 9, 1) and ws["A2"].number_format == "yyyy-mm-dd", path.name
        assert ws["B2"].value == 1.5 and ws["B2"].number_format == "0.00", path.name
        assert ws["C2"].alignment.wrap_text, path.name
