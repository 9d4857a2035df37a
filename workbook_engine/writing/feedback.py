"""A class's feedback book (班级反馈): that class's data and nothing else — its figures, the periods still open,
overdue students, its mentors' scores, its data problems and rows not used, its 学情研究, 整改名单, 谈话月度汇总,
open 需学校关注 flags, student reports, 重点关注跟踪 and its compliance grid.

Written by the fast writer (fastxlsx.FastBook). A sheet is one function `(book, outcome, view) -> None` named in
SHEETS in the book's order; `view` (ClassView) is the class's own share of the run. Every label from the
catalogue in the run's language.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbook_engine.assessment.school_work import TEXT
from workbook_engine.catalogue import sheet_name, t
from workbook_engine.compliance.frequencies import FREQUENCIES, SEMIMONTHLY
from workbook_engine.compliance.result import StudentFigures
from workbook_engine.files import atomic_path
from workbook_engine.writing.books import conflict_headers, conflict_rows, label, row_text, run_page, write_grid
from workbook_engine.writing.duty_sheets import rectification_sheet, study_rows, summary_state
from workbook_engine.writing.fastxlsx import FastBook
from workbook_engine.writing.sheet import Styled
from workbook_engine.writing.tables import (
    PROBLEM_KEYS,
    STATUS_STYLE,
    band_legend,
    band_style,
    compliance,
    headers,
    mentor_headers,
    mentor_rows,
    no_talk,
    open_flag_rows,
    problem_rows,
    score_scheme,
    sep,
    sorted_mentors,
    talk_counts,
    talk_month_headers,
    tracking_months,
    tracking_table,
)

if TYPE_CHECKING:
    from workbook_engine.outcome import TermOutcome


def by_class(outcome: TermOutcome) -> dict[str | None, dict[str, list[Any]]]:
    """class -> its mentors, files, class figures, overdue students, rejected and lost rows (one pass each)."""
    comp = compliance(outcome)
    out: dict[str | None, dict[str, list[Any]]] = {}

    def group(kind: str, items: Any, key: Any) -> None:
        for item in items:
            out.setdefault(key(item), {}).setdefault(kind, []).append(item)

    group("mentors", comp.mentors, lambda m: m["class"])
    group("files", outcome.files, lambda f: f.class_name)
    group("classes", comp.classes, lambda c: c["class"])
    group("overdue", comp.overdue, lambda o: o["class"])
    group("rejected", outcome.merged.rejected, lambda r: r.class_name)
    group("lost", outcome.merged.lost, lambda r: r.class_name)
    group("conflicts", outcome.merged.conflicts, lambda c: c.kept.get("_class") or c.kept.get("class_name"))
    return out


@dataclass
class ClassView:
    """One class's share of the run, as its feedback book shows it."""
    name: str | None
    own: dict[str, list[Any]]  # by_class(outcome)[name]
    students: list[StudentFigures]  # by mentor, then student id
    mentors: list[dict[str, Any]]
    names: dict[str, str]  # 工号 -> the mentor's name
    files: list[Any]
    figures: dict[str, Any] | None  # the class's compliance figures (comp.classes)

    @classmethod
    def of(cls, outcome: TermOutcome, class_name: str | None, own: dict[str, list[Any]]) -> ClassView:
        mentors = own.get("mentors", [])
        by_class = compliance(outcome).students_by_class
        students = by_class.get(class_name, []) if class_name is not None else []
        return cls(class_name, own, students, mentors,
                   {m["teacher_id"]: m["name"] for m in mentors}, own.get("files", []),
                   next(iter(own.get("classes", [])), None))


def overview(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    """概况: the class's figures, meetings held of those due, the count of problems, the colours' meaning."""
    lang = outcome.lang
    cls = view.figures
    figures: list[list[Any]] = [[t("col.class", lang), view.name],
                                [t("fb.as_of", lang), outcome.as_of.isoformat()]]
    if cls:
        figures += [[t("col.students", lang), cls["students"]],
                    [t("col.talk_rate", lang), Styled(cls["talk_rate"], band_style(cls["talk_rate"], outcome))],
                    [t("col.parent_rate", lang), Styled(cls["parent_rate"], band_style(cls["parent_rate"], outcome))],
                    [t("fb.study", lang), f"{cls['study_weeks_met']}/{cls['study_weeks_expected']}"],
                    [t("fb.community_class" if outcome.settings.policy.community_meeting == "per_class"
                       else "fb.community", lang), f"{cls['community_months_met']}/{cls['community_months_expected']}"]]
        if cls.get("report_periods_expected"):
            figures.append([t("fb.reports", lang), f"{cls['report_periods_met']}/{cls['report_periods_expected']}"])
        if cls.get("community_reflections_expected"):
            figures.append([t("fb.reflections", lang),
                            f"{cls['community_reflections_met']}/{cls['community_reflections_expected']}"])
    figures += [[t("fb.problems", lang), sum(len(f.problems) for f in view.files)],
                [t("fb.colours", lang), band_legend(outcome, lang)]]
    book.table(t("fb.sheet.overview", lang), [t("sum.figure", lang), t("sum.value", lang)], figures, max_width=50)


def gaps(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    """未完成的周期: each student with a talk or parent-contact period missed, which ones."""
    lang = outcome.lang
    comp = compliance(outcome)
    talk_labels, parent_labels = comp.period_labels("talk", lang), comp.period_labels("parent", lang)
    rows = [[view.names.get(s["mentor_id"]) or s["mentor_id"], s["student_id"], s["name"],
             f"{s['talk_periods_met']}/{s['talk_periods_expected']}",
             sep(lang).join(talk_labels.get(p, p) for p in s["missing_talk_periods"]),
             f"{s['parent_periods_met']}/{s['parent_periods_expected']}",
             sep(lang).join(parent_labels.get(p, p) for p in s["missing_parent_periods"])]
            for s in view.students  # by mentor, then student id
            if s["missing_talk_periods"] or s["missing_parent_periods"]]
    book.table(t("fb.sheet.gaps", lang), headers(["mentor", "student_id", "name", "talks_done", "talks_missing",
                                                  "contacts_done", "contacts_missing"], lang), rows, max_width=50)


def overdue(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    """当前逾期: the students whose talk or parent contact is overdue on the as-of date."""
    lang = outcome.lang
    book.table(t("fb.sheet.overdue", lang), headers(["student_id", "name", "mentor", "matter", "last", "days_since"],
                                                    lang),
               [[o["student_id"], o["name"], view.names.get(o["mentor_id"]) or o["mentor_id"],
                 t("grid." + o["rule"], lang), o["last"] or t("fb.never", lang), o["days_since"]]
                for o in view.own.get("overdue", [])])


def scores(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    """导师得分: the class's mentors as the summary shows them, band and rates coloured."""
    lang = outcome.lang
    rows = []
    head = mentor_headers(score_scheme(outcome), lang)
    status = len(head) - 4
    for row, m in zip(mentor_rows(view.mentors, lang), sorted_mentors(view.mentors)):
        row[status] = Styled(row[status], STATUS_STYLE.get(m["status"], "cell"))
        row[status + 1] = Styled(row[status + 1], band_style(m["talk_rate"], outcome))
        row[status + 2] = Styled(row[status + 2], band_style(m["parent_rate"], outcome))
        rows.append(row)
    book.table(t("fb.sheet.scores", lang), head, rows, max_width=44)


def problems(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    """数据问题: the class's own files' problems, values as typed (the class's own data)."""
    lang = outcome.lang
    book.table(t("fb.sheet.problems", lang), headers(PROBLEM_KEYS, lang), problem_rows(view.files, None, lang),
               max_width=50)


def rejected(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    lang = outcome.lang
    book.table(t("fb.sheet.rejected", lang), [label(k, lang) for k in ("source", "sheet", "row", "reason", "content")],
               [[r.file, sheet_name(r.spec, lang), r.row, r.reason, row_text(r.spec, r.record, lang)]
                for r in view.own.get("rejected", [])], max_width=45)


def lost(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    lang = outcome.lang
    book.table(t("fb.sheet.lost", lang), [label(k, lang) for k in ("sheet", "older", "row", "kept", "content")],
               [[sheet_name(r.spec, lang), r.old_file, r.row, r.kept_file, row_text(r.spec, r.record, lang)]
                for r in view.own.get("lost", [])], max_width=45)


def conflicts(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    lang = outcome.lang
    book.table(t("fb.sheet.conflicts", lang), conflict_headers(lang)[1:],
               [r[1:] for r in conflict_rows(view.own.get("conflicts", []), lang)], max_width=40)


def studies(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    """学情研究 (duty_sheets.study_rows)."""
    lang = outcome.lang
    book.table(t("duties.study.sheet", lang), [t("duties.study.col." + k, lang) for k in
                                               ("date", "host", "attendees", "mentors", "check")],
               study_rows(outcome, view.name, lang), max_width=40)


def rectification(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    """Its mentors on the 整改名单, its mentees to pair again (written only when it has any)."""
    rectification_sheet(book, outcome, outcome.lang, view.name)


def talk_months(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    """谈话月度汇总 (talk_month_rows)."""
    lang = outcome.lang
    book.table(t("sum.talk_months.sheet", lang), talk_month_headers(lang),
               talk_month_rows(outcome.compliance, view.name, view.names, lang), max_width=40)


def open_flags(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    """The class's 需学校关注 flags still open: a later talk with 后续措施 closes one (school_work.open_flags)."""
    words = TEXT[outcome.lang]
    book.table(words["open_flags_sheet"], words["open_flags_headers"],
               open_flag_rows([f for f in outcome.open_flags if f["class"] == view.name]))


def reports(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    """学生汇报, when the class has reports due: each student's half-months met and missed."""
    lang = outcome.lang
    if not (view.figures and view.figures.get("report_periods_expected")):
        return
    book.table(t("sum.reports.sheet", lang),
               [*headers(["mentor", "student_id", "name"], lang), t("sum.reports.done", lang),
                t("sum.reports.missing", lang)],
               [[view.names.get(s["mentor_id"]) or s["mentor_id"], s["student_id"], s["name"],
                 f"{s['report_periods_met']}/{s['report_periods_expected']}",
                 sep(lang).join(half_month(p, lang) for p in s["missing_report_periods"])]
                for s in view.students if s["report_periods_expected"]], max_width=60)


def tracking(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    """重点关注跟踪 of the class's students (tables.tracking_table), a month without a talk in red."""
    lang = outcome.lang
    tracked = [tr for tr in (outcome.across.tracking if outcome.across else []) if tr["class"] == view.name]
    months = tracking_months(tracked)
    head, rows = tracking_table(tracked, months, lang, {(view.name, k): v for k, v in view.names.items()},
                                school=False)
    first = len(head) - len(months)
    rows = [[Styled(v, "bad") if c >= first and no_talk(v) else v for c, v in enumerate(r)] for r in rows]
    # (the layout keeps the 学号 whole: sheet.column_floors)
    book.table(t("across.sheet.tracking", lang), head, rows,
               title_rows=[[Styled(t("across.tracking_note." + k, lang), "note")] for k in ("cells", "months")]
               if rows else ())


def grid(book: FastBook, outcome: TermOutcome, view: ClassView) -> None:
    """达标表: the class's compliance grid (books.grid_sheet)."""
    write_grid(book, outcome.compliance, view.name, t("grid.sheet", outcome.lang), outcome.lang)


SheetWriter = Callable[[FastBook, "TermOutcome", ClassView], None]

SHEETS: tuple[SheetWriter, ...] = (overview, gaps, overdue, scores, problems, rejected, lost, conflicts, studies,
                                   rectification, talk_months, open_flags, reports, tracking, grid)


def write_feedback(outcome: TermOutcome, class_name: str | None, target: Path,
                   groups: dict[str | None, dict[str, list[Any]]] | None = None) -> Path:
    """One class's feedback book, every sheet of SHEETS in order. `groups` is by_class(outcome), when several books
    are written."""
    lang = outcome.lang
    own = (groups if groups is not None else by_class(outcome)).get(class_name, {})
    view = ClassView.of(outcome, class_name, own)
    book = FastBook(page=run_page(outcome, t("book.feedback", lang, cls=class_name), lang), lang=lang)
    for sheet in SHEETS:
        sheet(book, outcome, view)
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target


def half_month(name: str, lang: str) -> str:
    """A half-month period (its first day, 2026-10-01) as people name it: 2026-10 上半月 / 2026-10 1st half."""
    return FREQUENCIES[SEMIMONTHLY].column_label(dt.date.fromisoformat(name), 0, False, lang)


def talk_month_rows(comp: Any, class_name: str | None, names: dict[str, str], lang: str = "zh") -> list[list[Any]]:
    """谈话月度汇总 (《学情会商制度实施方案》五.4: 每月总结谈话情况记录汇总一次): per mentor and month, counts only, and
    the mentor's own 月度总结."""
    rows = [[names.get(m["teacher_id"]) or "", m["teacher_id"], m["month"], m["talks"], m["mentees_reached"],
             talk_counts(m["forms"]), talk_counts(m["types"]), m["flagged"],
             Styled(summary_state(m, lang), "warn") if m.get("summary_due") and not m.get("summary_date")
             else summary_state(m, lang)]
            for m in comp.talk_months if m["class"] == class_name]
    return sorted(rows, key=lambda r: (r[1], r[2]))


def feedback_targets(outcome: TermOutcome, staged: Callable[[str], Path]) -> list[tuple[str | None, Path]]:
    """(class, file) for every class's feedback book, from the run's one class -> file mapping; `staged` gives an
    output's path (relative to OUT) in the run's stage."""
    return [(f.class_name, staged(outcome.layout.feedback[f.class_name])) for f in outcome.merged.class_files]
