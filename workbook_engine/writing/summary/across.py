"""The summary's sheets from what the ledger remembers of earlier terms: 学年优秀导师 (the year's mentors), this
term beside the last for classes and teachers, the months side by side, and 重点关注跟踪 (the special-attention
students month by month)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbook_engine.assessment.across_terms import AcrossTerms, YearlyMentor
from workbook_engine.catalogue import t, term_label, term_name
from workbook_engine.term import TERMS
from workbook_engine.writing.books import Book
from workbook_engine.writing.tables import (
    band_text,
    headers,
    pct,
    rate_formats,
    sep,
    tracking_months,
    tracking_note,
    tracking_table,
)

if TYPE_CHECKING:
    from workbook_engine.outcome import TermOutcome


def _across(outcome: TermOutcome) -> AcrossTerms:
    return outcome.across or AcrossTerms()


def _words(lang: str, key: str, **kw: Any) -> str:
    return t("across." + key, lang, **kw)


def yearly_headers(lang: str = "zh") -> list[str]:
    """学年优秀导师: the teacher, both terms' score, rank, rates and state, the year's mean and rank, proposed."""
    terms = [term_name(x, lang) for x in TERMS]
    per_term = [t("across.yearly." + k, lang, term=term) for term in terms
                for k in ("total", "rank", "talk_rate", "parent_rate", "status")]
    return [*headers(["teacher_id", "name", "classes"], lang), *per_term,
            *(t("across.yearly." + k, lang) for k in ("mean", "year_rank", "proposed"))]


def yearly_rows(yearly: list[YearlyMentor], recommended: set[str], lang: str = "zh") -> list[list[Any]]:
    rows = []
    for y in yearly:
        a, b = y["first"], y["second"]
        rows.append([y["teacher_id"], y["name"], sep(lang).join(y["classes"]), a["total"], a["rank"],
                     pct(a["talk_rate"]), pct(a["parent_rate"]), band_text(a["status"], lang), b["total"], b["rank"],
                     pct(b["talk_rate"]), pct(b["parent_rate"]), band_text(b["status"], lang),
                     y["year_total"], y.get("year_rank"),
                     t("word.yes" if y["teacher_id"] in recommended else "word.no", lang)])
    return rows


def yearly(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """学年优秀导师: both terms of the school year side by side, and who is proposed."""
    recommended = {r["id"] for r in outcome.recognition if r["type"] == "mentor_year"}
    book.table(_words(book.lang, "sheet.yearly"), yearly_headers(book.lang),
               yearly_rows(_across(outcome).yearly, recommended, book.lang), pct_cols=(5, 6, 10, 11))


def _now(lang: str, what: str) -> str:
    return _words(lang, "this_term_of", what=_words(lang, what))


def _before(outcome: TermOutcome, lang: str, what: str) -> str:
    a = _across(outcome)
    prev = term_label(*a.previous, lang) if a.previous else _words(lang, "last_term")
    return _words(lang, "term_of", term=prev, what=_words(lang, what))


def class_trends(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """Each class's rates this term beside the last term's, and the change."""
    lang = book.lang
    rows = [[c["class"], pct(c["talk_rate"]), pct(c["talk_rate_before"]), c["talk_change"], pct(c["parent_rate"]),
             pct(c["parent_rate_before"]), c["parent_change"]] for c in _across(outcome).class_trends]
    book.table(_words(lang, "sheet.classes"),
               [t("col.class", lang), _now(lang, "talk_rate"), _before(outcome, lang, "talk_rate"),
                _words(lang, "talk_change"), _now(lang, "parent_rate"), _before(outcome, lang, "parent_rate"),
                _words(lang, "parent_change")],
               rows, pct_cols=(1, 2, 3, 4, 5, 6))


def teacher_trends(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """Each teacher's total and rates this term beside the last term's, and the change."""
    lang = book.lang
    rows = [[t_["teacher_id"], t_["name"], t_["total"], t_["total_before"], t_["total_change"], pct(t_["talk_rate"]),
             pct(t_["talk_rate_before"]), t_["talk_change"], pct(t_["parent_rate"]), pct(t_["parent_rate_before"]),
             t_["parent_change"]] for t_ in _across(outcome).teacher_trends]
    book.table(_words(lang, "sheet.teachers"),
               [t("col.teacher_id", lang), t("col.name", lang), _now(lang, "total"), _before(outcome, lang, "total"),
                _words(lang, "total_change"), _now(lang, "talk_rate"), _before(outcome, lang, "talk_rate"),
                _words(lang, "talk_change"), _now(lang, "parent_rate"), _before(outcome, lang, "parent_rate"),
                _words(lang, "parent_change")],
               rows, pct_cols=(5, 6, 7, 8, 9, 10))


def months(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """One row a class and measure, one column a month: a full term (6 months) stays one page wide."""
    lang = book.lang
    a = _across(outcome)
    head = [t("col.class", lang), _words(lang, "months.item"), *a.months, _words(lang, "months.change")]
    rows = []
    for c in a.class_months:
        for rule in ("talk", "parent"):
            rates = [c[rule].get(m) for m in a.months]
            known = [r for r in rates if r is not None]  # (a monthly contact is not yet due in the as-of month)
            rows.append([c["class"], _words(lang, "months." + rule), *rates,
                         round(known[-1] - known[-2], 4) if len(known) > 1 else None])
    book.table(_words(lang, "sheet.months"), head, rows, pct_cols=tuple(range(2, len(head))),
               note=_words(lang, "months.note"))


def tracking(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """重点关注跟踪 (tables.tracking_table), a month without a talk in red."""
    lang = book.lang
    a = _across(outcome)
    months = tracking_months(a.tracking)
    head, rows = tracking_table(a.tracking, months, lang, outcome.compliance.mentor_names if outcome.compliance else {})
    ws = book.table(_words(lang, "sheet.tracking"), head, rows, note=tracking_note(lang) if rows else None)
    if rows and months:  # a month without a talk in red
        first = len(head) - len(months)
        ws.conditional_format(1, first, len(rows), len(head) - 1,
                              {"type": "text", "criteria": "begins with", "value": "0/",
                               "format": rate_formats(book)["bad"]})
