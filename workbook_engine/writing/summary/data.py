"""The summary's sheets on the files themselves: 数据问题 (every problem, redacted), 收到的文件 and 未交或逾期."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbook_engine.catalogue import pick, t
from workbook_engine.privacy import Redactor
from workbook_engine.writing.books import KIND, STATUS, Book, label
from workbook_engine.writing.tables import PROBLEM_KEYS, headers, problem_rows

if TYPE_CHECKING:
    from workbook_engine.outcome import TermOutcome


def problems(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """数据问题: every problem of every file read, its values through the run's one redaction."""
    lang = book.lang
    redact = Redactor(outcome.settings.privacy, lang)
    book.table(t("sum.sheet.problems", lang), headers(PROBLEM_KEYS, lang),
               problem_rows([f for f in outcome.files if f.status != "skipped"], redact, lang), max_width=60)


def files(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """收到的文件: each file found, its kind, class, status and why, fill date and counts of errors and warnings."""
    lang = book.lang
    redact = Redactor(outcome.settings.privacy, lang)
    book.table(t("sum.sheet.files", lang), [label(k, lang) for k in ("file", "kind", "class", "status", "reason",
                                                                    "fill_date", "errors", "warnings")],
               [[redact.text(f.name), pick(KIND.get(f.kind, (f.kind, f.kind)), lang), f.class_name,
                 pick(STATUS[f.status], lang), redact.text(f.reason), f.fill_date, f.errors, f.warnings]
                for f in outcome.files], max_width=50)


def missing(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """未交或逾期: the classes that sent nothing, then those whose latest fill date is too old."""
    lang = book.lang
    book.table(t("sum.sheet.missing", lang), headers(["class", "situation", "latest_fill_date", "days_since"], lang),
               [[c, t("sum.missing", lang), None, None] for c in report["missing_classes"]]
               + [[c["class"], t("sum.late", lang), c["fill_date"], c["days_since"]]
                  for c in report["late_classes"]])
