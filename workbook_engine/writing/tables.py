"""How the run's figures read in the workbooks people open — the summary, a class's feedback book, a teacher's
导师工作手册 — so that a score, a rate or a band reads the same in each: the score's parts and the note on why it
is as it is, the mentor rows, the colour bands, the problems, the 谈话月度汇总 counts and the months of
重点关注跟踪. Every word from the catalogue in the run's language."""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from workbook_engine.assessment.across_terms import Tracking
from workbook_engine.assessment.scoring import group_order
from workbook_engine.catalogue import t
from workbook_engine.cells import cell_ref
from workbook_engine.compliance.result import Compliance
from workbook_engine.privacy import Redactor
from workbook_engine.writing.books import Book

if TYPE_CHECKING:
    from workbook_engine.outcome import TermOutcome

BANDS = ("on_track", "needs_attention", "off_track", "no_mentees")


def compliance(outcome: TermOutcome) -> Compliance:
    """The term's compliance: the summary, the feedback books and the handbooks are written only for a term whose
    compliance is computed (its dates known)."""
    if outcome.compliance is None:
        raise ValueError("the summary, feedback books and handbooks need the term's compliance")
    return outcome.compliance


def sep(lang: str) -> str:
    """Between the items of a list in a cell: 、 in Chinese, a comma in English."""
    return t("sum.sep", lang)


def band_text(status: str | None, lang: str) -> str | None:
    return t("band." + status, lang) if status in BANDS else status


def score_value(value: Any) -> float | None:
    """A score as a float, so every score prints with two decimals (0.00)."""
    return None if value is None or value == "" else float(value)


def pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


def headers(keys: list[str], lang: str) -> list[str]:
    return [t("col." + k, lang) for k in keys]


def rate_formats(book: Book) -> dict[str, Any]:
    return {k: book.fmt.conditional(k) for k in ("good", "warn", "bad")}


def colour_rates(book: Book, ws: Any, first_row: int, last_row: int, col: int, outcome: TermOutcome) -> None:
    """Conditional colours on a column of rates: green on track, yellow needs attention, red off track;
    blank cells (no periods due) stay white."""
    if last_row < first_row:
        return
    f = rate_formats(book)
    on, mid = outcome.settings.policy.on_track, outcome.settings.policy.needs_attention
    ref = cell_ref(first_row + 1, col + 1)  # relative to the range's first cell
    ws.set_column(col, col, 12)
    for rule, fmt in ((f"AND(ISNUMBER({ref}),{ref}>={on})", f["good"]),
                      (f"AND(ISNUMBER({ref}),{ref}>={mid},{ref}<{on})", f["warn"]),
                      (f"AND(ISNUMBER({ref}),{ref}<{mid})", f["bad"])):
        ws.conditional_format(first_row, col, last_row, col, {"type": "formula", "criteria": "=" + rule, "format": fmt})


def colour_status(book: Book, ws: Any, first_row: int, last_row: int, col: int) -> None:
    f = rate_formats(book)
    for status, fmt in (("on_track", f["good"]), ("needs_attention", f["warn"]), ("off_track", f["bad"])):
        ws.conditional_format(first_row, col, last_row, col, {"type": "cell", "criteria": "==",
                                                              "value": f'"{t("band." + status, book.lang)}"',
                                                              "format": fmt})


def band_style(rate: float | None, outcome: TermOutcome, percent: bool = True) -> str:
    """The style of a rate's cell in the fast writer's books: its band's colour."""
    if rate is None:
        return "cell"
    p = outcome.settings.policy
    band = "good" if rate >= p.on_track else "warn" if rate >= p.needs_attention else "bad"
    return f"pct_{band}" if percent else band


STATUS_STYLE = {"on_track": "good", "needs_attention": "warn", "off_track": "bad"}


def band_legend(outcome: TermOutcome, lang: str) -> str:
    p = outcome.settings.policy
    return t("sum.band_legend", lang, on=f"{p.on_track:.0%}", mid=f"{p.needs_attention:.0%}")


def ranking_note(outcome: TermOutcome, lang: str) -> str:
    scheme = t("scheme." + outcome.settings.assessment.scheme, lang)
    return " ".join((t("sum.ranking_note", lang, scheme=scheme), t("sum.ranking_groups", lang),
                     band_legend(outcome, lang)))


# -- scores ---------------------------------------------------------------------------------------------------
# How a score reads in the summary and the feedback books (the parts' names, 不适用, a four-party review's gaps):
# the scheme's columns, then the words of the notes (messages sum.col.*, sum.part.*, sum.score.*)
SCORE_COLUMNS = {"points": ["col.base", "col.grades", "col.conduct", "col.satisfaction", "col.deductions", "col.total",
                            "col.rank"],
                 "four_party": ["sum.col.self", "sum.col.students_review", "sum.col.teachers_review",
                                "sum.col.school_review", "col.total", "col.rank"]}
SCORE_PARTS = ("grades", "conduct", "satisfaction", "self", "students", "teachers", "school")
SCORE_WORDS = ("not_applicable", "not_given", "scaled", "zero", "incomplete", "no_mentees", "nothing_evaluated",
               "grouped")


def score_scheme(outcome: TermOutcome) -> str:
    return outcome.settings.assessment.scheme


def score_cells(score: dict[str, Any], rank: int | None, lang: str = "zh") -> list[Any]:
    """A teacher's score as the table shows it: each part (不适用 / 未交 where it has none), total, rank."""
    words = score_words(lang)
    if score.get("scheme") == "four_party":
        missing = set(score.get("missing_parts", []))
        return [words["not_given"] if k in missing else score_value(score.get(k))
                for k in ("self", "students", "teachers", "school")] + [score_value(score.get("total")), rank]
    na = set(score.get("not_applicable", []))
    return [score_value(score.get("base"))] + [words["not_applicable"] if k in na else score_value(score.get(k))
                                               for k in ("grades", "conduct", "satisfaction")] \
        + [score_value(score.get("deductions")), score_value(score.get("total")), rank]


def score_note(score: dict[str, Any], lang: str = "zh", grouped: bool = True) -> str:
    """Why a score is as it is, in words: parts not applicable and the scaling (and, unless the table is headed by
    score groups, that the rank is among mentors scored on the same parts), a four-party review's gaps."""
    words = score_words(lang)
    between = t("sum.sep", lang)
    if not score:
        return ""
    if score.get("status") in ("no_mentees", "nothing_evaluated"):
        return str(words[score["status"]])
    if score.get("scheme") == "four_party":
        missing = score.get("missing_parts", [])
        return str(words["incomplete"]).format(parts=between.join(words[k] for k in missing)) if missing else ""
    detail = score.get("detail", {})
    if score.get("not_applicable"):
        return str(words["scaled"]).format(parts=between.join(words[k] for k in score["not_applicable"]),
                                           applicable=_num(detail.get("applicable_max")),
                                           full=_num(detail.get("full_marks"))) \
            + (t("sum.semicolon", lang) + words["grouped"] if grouped else "")
    if detail.get("no_data"):
        return str(words["zero"]).format(parts=between.join(words[k] for k in detail["no_data"]))
    return ""


def _num(value: Any) -> str:
    return "" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


@functools.lru_cache(maxsize=4)
def score_words(lang: str) -> dict[str, Any]:
    """The scheme's column headers and the notes' words in lang (read-only: shared between calls)."""
    words: dict[str, Any] = {k: [t(c, lang) for c in cols] for k, cols in SCORE_COLUMNS.items()}
    words.update({k: t("sum.part." + k, lang) for k in SCORE_PARTS})
    words.update({k: t("sum.score." + k, lang) for k in SCORE_WORDS})
    return words


def mentor_headers(scheme: str, lang: str = "zh") -> list[str]:
    return [*headers(["class", "teacher_id", "name", "mentees"], lang), *score_words(lang)[scheme],
            *headers(["status", "talk_rate", "parent_rate"], lang), t("sum.col.explanation", lang)]


def teacher_headers(scheme: str, lang: str = "zh") -> list[str]:
    return [*headers(["teacher_id", "name", "classes", "mentees"], lang), *score_words(lang)[scheme],
            *headers(["status", "talk_rate", "parent_rate"], lang), t("sum.col.explanation", lang)]


def sorted_mentors(mentors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ranked first, by score group (best-evaluated first) then rank within it."""
    return sorted(mentors, key=lambda m: (m["rank"] is None, group_order((m.get("score") or {}).get("group")),
                                          m["rank"] or 0, m["class"], m["teacher_id"]))


def mentor_rows(mentors: list[dict[str, Any]], lang: str = "zh") -> list[list[Any]]:
    """One row a mentor in a class (mentor_headers), in sorted_mentors order."""
    rows = []
    for m in sorted_mentors(mentors):
        s = m.get("score", {})
        rows.append([m["class"], m["teacher_id"], m["name"], m["mentees"], *score_cells(s, m.get("rank"), lang),
                     band_text(m["status"], lang), pct(m["talk_rate"]), pct(m["parent_rate"]), score_note(s, lang)])
    return rows


# -- problems -------------------------------------------------------------------------------------------------
PROBLEM_KEYS = ["file", "class", "severity", "sheet", "cell", "message"]


def problem_rows(files: list[Any], redact: Redactor | None = None, lang: str = "zh") -> list[list[Any]]:
    """Problems with file, sheet and cell. With redact (the summary, the office's), values pass the run's
    one redaction (privacy.Redactor): the summary never quotes a note, an ID-card or a phone number. Without
    (a class's own feedback book), the values are shown as typed."""
    rows = []
    for f in files:
        problems = redact.problems(f.report, f.problems) if redact is not None else f.problems
        for p in problems:
            rows.append([redact.text(f.name) if redact is not None else f.name, f.class_name,
                         t("severity." + p.severity.value, lang), p.sheet, p.cell, p.message(lang)])
    return rows


# -- 谈话月度汇总, 待处理关注, 重点关注跟踪 ------------------------------------------------------------------------
def talk_month_headers(lang: str = "zh") -> list[str]:
    """谈话月度汇总's headers: mentor, 工号, then the month's counts."""
    return [*headers(["mentor", "teacher_id"], lang),
            *(t("sum.talk_months." + k, lang) for k in ("month", "talks", "reached", "forms", "types", "flagged")),
            t("duties.summary.col", lang)]


def talk_counts(c: dict[str, int]) -> str:
    """`面谈 3、电话 1`: counts of forms or types, most first (谈话月度汇总)."""
    return "、".join(f"{k} {n}" for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def open_flag_rows(flags: list[dict[str, Any]]) -> list[list[Any]]:
    """待处理关注: the 需学校关注 flags still open, oldest first (no free text)."""
    return [[f["class"], f["student_id"], f["name"], f["mentor_id"], f["mentor"], f["opened"], f["days_open"],
             f["flags"]] for f in flags]


TRACKING_KEYS = ["col.class", "col.student_id", "col.name", "col.attention", "col.mentor", "col.leader",
                 "across.col.months_on_list", "across.col.transformation", "across.col.flags"]


def tracking_table(tracking: list[Tracking], months: list[str], lang: str = "zh",
                   mentors: dict[tuple[Any, Any], str] | None = None, school: bool = True
                   ) -> tuple[list[str], list[list[Any]]]:
    """重点关注跟踪: one row a special-attention student — who, the category, mentor (by name), 包靠 leader, months
    on the list, the latest 转化情况 and flags — then one column a month of the term holding talks/parent
    contacts/archive entries as one short text (`2/1/0`), so that a full term (6 months) prints on one A4 page
    width at 8 pt or more. Counts, flags and states only (no private text). The school's view (the summary)
    names the class and the student (their 学号 is on 重点关注学生); a class's own book the 学号 and the student."""
    mentors = mentors or {}
    keep = [k != ("col.student_id" if school else "col.class") for k in TRACKING_KEYS]
    head = [t(k, lang) for k, kept in zip(TRACKING_KEYS, keep) if kept] + list(months)
    rows = []
    for tr in tracking:
        row = [tr["class"], tr["student_id"], tr["name"], sep(lang).join(tr["attention"]),
               mentors.get((tr["class"], tr["mentor_id"])) or tr["mentor_id"], tr["leader"], tr["months_on_list"],
               tr["transformation"], sep(lang).join(t("across.flag." + f, lang) for f in tr["flags"])]
        row = [v for v, kept in zip(row, keep) if kept]
        for m in months:
            c = tr["months"].get(m, {})
            row.append(t("across.month_cell", lang, talks=c.get("talks", 0), contacts=c.get("contacts", 0),
                         archive=c.get("archive", 0)))
        rows.append(row)
    return head, rows


def tracking_note(lang: str) -> str:
    """What the cells of 重点关注跟踪 mean (below the summary's table; two title rows in a feedback book)."""
    return " ".join(t("across.tracking_note." + k, lang) for k in ("cells", "months"))


def no_talk(cell: Any) -> bool:
    """A month cell of 重点关注跟踪 whose talk count is 0."""
    return isinstance(cell, str) and cell.startswith("0/")


def tracking_months(tracking: list[Tracking]) -> list[str]:
    return sorted({m for t in tracking for m in t["months"]})
