"""The principal's summary (汇总): one workbook whose sheets are written, in order, by the functions in SHEETS.

The summary carries counts, flags and categories — never a parent's phone number or a free-text note
unless `[privacy]` allows it. Every label comes from the catalogue in the run's language.

A sheet is one function `(book, outcome, report) -> None` — the xlsxwriter book, the term's outcome
(outcome.TermOutcome) and its report.json as built for this run — in the module of its family (overview, people,
data, school, across, grids); adding a sheet is writing that function, naming it in SHEETS where it belongs in
the book, and adding its words (sheet name, headers, notes) to the catalogue.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbook_engine.catalogue import t
from workbook_engine.files import atomic_path
from workbook_engine.writing.books import Book, run_page
from workbook_engine.writing.summary import across, data, grids, overview, people, school

if TYPE_CHECKING:
    from workbook_engine.outcome import TermOutcome

SheetWriter = Callable[[Book, "TermOutcome", dict[str, Any]], None]

SHEETS: tuple[SheetWriter, ...] = (
    overview.overview,  # 概览
    people.teachers,  # 导师考核
    people.classes,  # 班级达标
    people.mentors,  # 导师达标
    people.attention,  # 重点关注学生
    people.recognition,  # 表彰建议
    data.problems,  # 数据问题
    data.files,  # 收到的文件
    data.missing,  # 未交或逾期
    school.open_flags,  # 待处理关注
    school.school_work,  # 学校工作
    school.without_leader,  # 未落实包靠
    school.rectification,  # 整改名单
    across.yearly,  # 学年优秀导师
    across.class_trends,  # 班级学期对比
    across.teacher_trends,  # 导师学期对比
    across.months,  # 月度对比
    across.tracking,  # 重点关注跟踪
    grids.class_grids,  # one grid per class
)

SUMMARY_KEYS = ["overview", "teachers", "classes", "mentors", "attention", "recognition", "problems", "files",
                "missing"]
SUMMARY_SHEETS = [t("sum.sheet." + k, "zh") for k in SUMMARY_KEYS]  # the first sheets' Chinese names


def write_summary(outcome: TermOutcome, report: dict[str, Any], target: Path) -> Path:
    """The summary of a term with its compliance computed (report: its report.json as built for this run), every
    sheet of SHEETS in order, written to target."""
    lang = outcome.lang
    with atomic_path(target) as tmp:
        book = Book(tmp, constant_memory=False, page=run_page(outcome, t("book.summary", lang), lang), lang=lang)
        for sheet in SHEETS:
            sheet(book, outcome, report)
        book.close()
    return target
