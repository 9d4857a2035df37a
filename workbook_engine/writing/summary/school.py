"""The summary's sheets on the school's own work (《学情会商制度实施方案》): 待处理关注 (需学校关注 flags still open),
学校工作 (the principal's monthly meeting, events, the 级部 block), 未落实包靠 and 整改名单."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbook_engine.assessment.school_work import EVENT_KINDS, TEXT
from workbook_engine.writing.books import Book
from workbook_engine.writing.duty_sheets import grade_work_rows, rectification_sheet
from workbook_engine.writing.tables import open_flag_rows, rate_formats, sep

if TYPE_CHECKING:
    from workbook_engine.outcome import TermOutcome


def open_flags(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """待处理关注: the 需学校关注 flags still open on the as-of date, oldest first."""
    words = TEXT[book.lang]
    book.table(words["open_flags_sheet"], words["open_flags_headers"], open_flag_rows(outcome.open_flags))


def school_work_rows(outcome: TermOutcome, lang: str = "zh") -> list[list[Any]]:
    """学校工作: one row a month of the term (专题会议 due, held, state; students studied; events by kind) and a
    total row. Counts and states only: the content and the students' names stay in the merged book."""
    words = TEXT[lang]
    work = outcome.school_work
    if work is None:
        return []
    rows: list[list[Any]] = []
    for m in work.months:
        state = words["met"] if m["met"] else words["missed"] if m["due"] else words["unchecked"] \
            if not work.checked else words["not_due"] if m.get("required", True) else words["not_required"]
        rows.append([m["month"], 1 if m["due"] else 0, m["meetings"], state, m["students_studied"],
                     m["attention_students_studied"], *(m[k] for k in EVENT_KINDS),
                     sep(lang).join(m["classes_not_covered"]) or (words["all_covered"] if m["due"] else None)])
    figures = work.to_dict()
    rows.append([words["total"], figures["months_expected"], len(work.meetings),
                 f"{figures['months_met']}/{figures['months_expected']}" if work.checked else words["unchecked"],
                 figures["students_studied"],
                 figures["attention_students_studied"], *(figures["events_by_kind"][k] for k in EVENT_KINDS), None])
    return rows + grade_work_rows(work, lang)


def school_work(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """学校工作, the months' states coloured (held green, missed red)."""
    words = TEXT[book.lang]
    ws = book.table(words["school_work_sheet"], words["school_work_headers"], school_work_rows(outcome, book.lang))
    f = rate_formats(book)
    last = len(outcome.school_work.months) if outcome.school_work else 0
    for text, fmt in ((words["met"], f["good"]), (words["missed"], f["bad"])):
        ws.conditional_format(1, 3, max(last, 1), 3, {"type": "cell", "criteria": "==", "value": f'"{text}"',
                                                     "format": fmt})


def without_leader(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """未落实包靠: the special-attention students no school leader has taken on (包靠)."""
    words = TEXT[book.lang]
    missing = outcome.school_work.attention_without_leader if outcome.school_work else []
    book.table(words["without_leader_sheet"], words["without_leader_headers"],
               [[s["class"], s["student_id"], s["name"], sep(book.lang).join(s["attention"]), s["mentor_id"]]
                for s in missing])


def rectification(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """整改名单: every mentor listed for rectification (duty_sheets)."""
    rectification_sheet(book, outcome, book.lang)
