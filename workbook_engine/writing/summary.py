"""The workbooks people open: the principal's summary and one feedback book per class.

The summary carries counts, flags and categories — never a parent's phone number or a free-text note
unless `[privacy]` allows it. A class's feedback book holds that class's data and nothing else. Every
label comes from the message catalogue (messages.py) in the run's language.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbook_engine.assessment.scoring import part_line
from workbook_engine.writing.books import (
    KIND, STATUS, Book, conflict_headers, conflict_rows, label, run_page, safe_sheet_name, write_grid,
)
from workbook_engine.writing.duty_sheets import rectification_sheet, study_rows, summary_state
from workbook_engine.writing.styles import COLOURS, FONT
from workbook_engine.catalogue import pick, sheet_name, t, term_label, term_name
from workbook_engine.files import atomic_path, safe_file_name  # noqa: F401 (safe_file_name: for callers)
from workbook_engine.privacy import Redactor

if TYPE_CHECKING:
    from workbook_engine.pipeline import RunResult

STATUS_ZH = {k: t("band." + k, "zh") for k in ("on_track", "needs_attention", "off_track", "no_mentees")}
RECOGNITION_ZH = {k: t("recognition." + k, "zh") for k in ("community", "star", "pacesetter", "term_praise",
                                                            "mentor_year")}
RULE_ZH = {k: t("grid." + k, "zh") for k in ("talk", "parent")}
SUMMARY_KEYS = ["overview", "teachers", "classes", "mentors", "attention", "recognition", "problems", "files",
                "missing"]
SUMMARY_SHEETS = [t("sum.sheet." + k, "zh") for k in SUMMARY_KEYS]


def _sep(lang: str) -> str:
    """Between the items of a list in a cell: 、 in Chinese, a comma in English."""
    return t("sum.sep", lang)


def band_text(status: str | None, lang: str) -> str | None:
    return t("band." + status, lang) if status in STATUS_ZH else status


def _score(value: Any) -> float | None:
    """A score as a float, so every score prints with two decimals (0.00)."""
    return None if value is None or value == "" else float(value)


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


def _rate_formats(book: Book) -> dict[str, Any]:
    return {k: book.fmt.conditional(k) for k in ("good", "warn", "bad")}


def _colour_rates(book: Book, ws: Any, first_row: int, last_row: int, col: int, result: RunResult) -> None:
    """Conditional colours on a column of rates: green on track, yellow needs attention, red off track;
    blank cells (no periods due) stay white."""
    if last_row < first_row:
        return
    from workbook_engine.cells import cell_ref

    f = _rate_formats(book)
    on, mid = result.settings.policy.on_track, result.settings.policy.needs_attention
    ref = cell_ref(first_row + 1, col + 1)  # relative to the range's first cell
    ws.set_column(col, col, 12)
    for rule, fmt in ((f"AND(ISNUMBER({ref}),{ref}>={on})", f["good"]),
                      (f"AND(ISNUMBER({ref}),{ref}>={mid},{ref}<{on})", f["warn"]),
                      (f"AND(ISNUMBER({ref}),{ref}<{mid})", f["bad"])):
        ws.conditional_format(first_row, col, last_row, col, {"type": "formula", "criteria": "=" + rule, "format": fmt})


def _colour_status(book: Book, ws: Any, first_row: int, last_row: int, col: int) -> None:
    f = _rate_formats(book)
    for status, fmt in (("on_track", f["good"]), ("needs_attention", f["warn"]), ("off_track", f["bad"])):
        ws.conditional_format(first_row, col, last_row, col, {"type": "cell", "criteria": "==",
                                                              "value": f'"{t("band." + status, book.lang)}"',
                                                              "format": fmt})


# How a score reads in the summary and the feedback books (the parts' names, 不适用, a four-party review's gaps):
# the scheme's columns, then the words of the notes (messages sum.col.*, sum.part.*, sum.score.*)
SCORE_COLUMNS = {"points": ["col.base", "col.grades", "col.conduct", "col.satisfaction", "col.deductions", "col.total",
                            "col.rank"],
                 "four_party": ["sum.col.self", "sum.col.students_review", "sum.col.teachers_review",
                                "sum.col.school_review", "col.total", "col.rank"]}
SCORE_PARTS = ("grades", "conduct", "satisfaction", "self", "students", "teachers", "school")
SCORE_WORDS = ("not_applicable", "not_given", "scaled", "zero", "incomplete", "no_mentees", "nothing_evaluated",
               "grouped")


def _score_scheme(result: RunResult) -> str:
    return result.settings.assessment.scheme


def score_cells(score: dict[str, Any], rank: int | None, lang: str = "zh") -> list[Any]:
    """A teacher's score as the table shows it: each part (不适用 / 未交 where it has none), total, rank."""
    words = _score_words(lang)
    if score.get("scheme") == "four_party":
        missing = set(score.get("missing_parts", []))
        return [words["not_given"] if k in missing else _score(score.get(k))
                for k in ("self", "students", "teachers", "school")] + [_score(score.get("total")), rank]
    na = set(score.get("not_applicable", []))
    return [_score(score.get("base"))] + [words["not_applicable"] if k in na else _score(score.get(k))
                                          for k in ("grades", "conduct", "satisfaction")] \
        + [_score(score.get("deductions")), _score(score.get("total")), rank]


def score_note(score: dict[str, Any], lang: str = "zh", grouped: bool = True) -> str:
    """Why a score is as it is, in words: parts not applicable and the scaling (and, unless the table is headed by
    score groups, that the rank is among mentors scored on the same parts), a four-party review's gaps."""
    words = _score_words(lang)
    sep = t("sum.sep", lang)
    if not score:
        return ""
    if score.get("status") in ("no_mentees", "nothing_evaluated"):
        return words[score["status"]]
    if score.get("scheme") == "four_party":
        missing = score.get("missing_parts", [])
        return words["incomplete"].format(parts=sep.join(words[k] for k in missing)) if missing else ""
    detail = score.get("detail", {})
    if score.get("not_applicable"):
        return words["scaled"].format(parts=sep.join(words[k] for k in score["not_applicable"]),
                                      applicable=_num(detail.get("applicable_max")),
                                      full=_num(detail.get("full_marks"))) \
            + (t("sum.semicolon", lang) + words["grouped"] if grouped else "")
    if detail.get("no_data"):
        return words["zero"].format(parts=sep.join(words[k] for k in detail["no_data"]))
    return ""


def _num(value: Any) -> str:
    return "" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


@functools.lru_cache(maxsize=4)
def _score_words(lang: str) -> dict[str, Any]:
    """The scheme's column headers and the notes' words in lang (read-only: shared between calls)."""
    words: dict[str, Any] = {k: [t(c, lang) for c in cols] for k, cols in SCORE_COLUMNS.items()}
    words.update({k: t("sum.part." + k, lang) for k in SCORE_PARTS})
    words.update({k: t("sum.score." + k, lang) for k in SCORE_WORDS})
    return words


def mentor_headers(scheme: str, lang: str = "zh") -> list[str]:
    return [*headers(["class", "teacher_id", "name", "mentees"], lang), *_score_words(lang)[scheme],
            *headers(["status", "talk_rate", "parent_rate"], lang), t("sum.col.explanation", lang)]


SCORE_KEYS = ["base", "grades", "conduct", "satisfaction", "deductions", "total"]
MENTOR_KEYS = ["class", "teacher_id", "name", "mentees", *SCORE_KEYS, "rank", "status", "talk_rate", "parent_rate"]
TEACHER_KEYS = ["teacher_id", "name", "classes", "mentees", *SCORE_KEYS, "rank", "status", "talk_rate",
                "parent_rate"]
PROBLEM_KEYS = ["file", "class", "severity", "sheet", "cell", "message"]


def headers(keys: list[str], lang: str) -> list[str]:
    return [t("col." + k, lang) for k in keys]


MENTOR_HEADERS = headers(MENTOR_KEYS, "zh")
TEACHER_HEADERS = headers(TEACHER_KEYS, "zh")
PROBLEM_HEADERS = headers(PROBLEM_KEYS, "zh")


def _sorted_mentors(mentors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ranked first, by score group (best-evaluated first) then rank within it."""
    from workbook_engine.assessment.scoring import group_order

    return sorted(mentors, key=lambda m: (m["rank"] is None, group_order((m.get("score") or {}).get("group")),
                                          m["rank"] or 0, m["class"], m["teacher_id"]))


def _mentor_rows(mentors: list[dict[str, Any]], lang: str = "zh") -> list[list[Any]]:
    rows = []
    for m in _sorted_mentors(mentors):
        s = m.get("score", {})
        rows.append([m["class"], m["teacher_id"], m["name"], m["mentees"], *score_cells(s, m.get("rank"), lang),
                     band_text(m["status"], lang), _pct(m["talk_rate"]), _pct(m["parent_rate"]), score_note(s, lang)])
    return rows


def teacher_headers(scheme: str, lang: str = "zh") -> list[str]:
    return [*headers(["teacher_id", "name", "classes", "mentees"], lang), *_score_words(lang)[scheme],
            *headers(["status", "talk_rate", "parent_rate"], lang), t("sum.col.explanation", lang)]


def _teacher_sheet(book: Book, name: str, people: list[dict[str, Any]], result: RunResult) -> None:
    """导师考核: one row per teacher over all the classes they mentor in, in score groups — mentors whose scores are
    built from the same parts, best-evaluated group first, each headed with its parts and size and ranked within
    — then the teachers not ranked; every part of the scheme shown (不适用 for a part without data, 未交 for a
    missing review) and why; a note says how groups and ties are ranked and that the compliance band beside it is
    measured separately."""
    from workbook_engine.assessment.scoring import group_label, score_groups
    from workbook_engine.writing.sheet import Styled

    lang = book.lang
    head = teacher_headers(_score_scheme(result), lang)

    def row(p: dict[str, Any]) -> list[Any]:
        s = p.get("score", {})
        return [p["teacher_id"], p["name"], _sep(lang).join(p["classes"]), p["mentees"],
                *score_cells(s, p.get("rank"), lang), band_text(p["status"], lang), _pct(p["talk_rate"]),
                _pct(p["parent_rate"]), score_note(s, lang, grouped=False)]  # (the group heads the rows)

    def heading(text: str) -> list[Any]:
        return [Styled(text, "span")] + [Styled("", "span")] * (len(head) - 1)

    rows = []
    for n, (group, members) in enumerate(score_groups(people), start=1):
        rows.append(heading(t("score.group.head", lang, n=n, parts=group_label(group, lang), size=len(members))))
        rows += [row(p) for p in members]
    unranked = sorted((p for p in people if p.get("rank") is None), key=lambda p: p["teacher_id"])
    if unranked:
        rows.append(heading(t("score.group.unranked", lang, size=len(unranked))))
        rows += [row(p) for p in unranked]
    status = len(head) - 4
    ws = book.table(name, head, rows, pct_cols=(status + 1, status + 2), max_width=44, note=ranking_note(result, lang))
    _colour_rates(book, ws, 1, len(rows), status + 1, result)
    _colour_rates(book, ws, 1, len(rows), status + 2, result)
    _colour_status(book, ws, 1, len(rows), status)


def ranking_note(result: RunResult, lang: str) -> str:
    scheme = t("scheme." + result.settings.assessment.scheme, lang)
    return " ".join((t("sum.ranking_note", lang, scheme=scheme), t("sum.ranking_groups", lang),
                     band_legend(result, lang)))


def band_legend(result: RunResult, lang: str) -> str:
    p = result.settings.policy
    return t("sum.band_legend", lang, on=f"{p.on_track:.0%}", mid=f"{p.needs_attention:.0%}")


def _problem_rows(files: list[Any], redact: Redactor | None = None, lang: str = "zh") -> list[list[Any]]:
    """Problems with file, sheet and cell. With redact (the summary, the office's), values pass the run's
    one redaction (privacy.Redactor): the summary never quotes a note, an ID-card or a phone number. Without
    (a class's own feedback book), the values are shown as typed."""
    rows = []
    for f in files:
        problems = redact.problems(f.report, f.problems) if redact is not None else f.problems
        for p in problems:
            rows.append([redact.text(f.name) if redact is not None else f.name, f.class_name, t("severity." + p.severity.value, lang), p.sheet, p.cell,
                         p.message(lang)])
    return rows


def _attention_rows(result: RunResult, students: list[dict[str, Any]], lang: str = "zh"
                    ) -> tuple[list[str], list[list[Any]]]:
    comp = result.compliance
    privacy = result.settings.privacy
    mentors = {(m["class"], m["teacher_id"]): m["name"] for m in comp.mentors}
    leaders: dict[tuple[str, str | None], list[str]] = {}
    for r in result.merged.records.get("leaders", []):
        leaders.setdefault((r.get("class_name"), r.get("student_id")), []).append(r.get("leader"))
    roster = {(r.get("_class"), r.get("student_id")): r for r in result.merged.records.get("students", [])}
    keys = ["class", "student_id", "name", "attention", "mentor", "last_talk", "last_parent_contact", "escalated",
            "leader"]
    if privacy.include_phone_numbers:
        keys.append("parent_phone")
    if privacy.include_private_text:
        keys.append("note")
    rows = []
    for s in sorted(students, key=lambda s: (s["class"], s["student_id"])):
        if not (s["attention"] or s["escalated"]):
            continue
        lead = leaders.get((s["class"], s["student_id"])) or leaders.get((s["class"], None)) or []
        row = [s["class"], s["student_id"], s["name"], _sep(lang).join(s["attention"]),
               mentors.get((s["class"], s["mentor_id"])), s["last_talk"], s["last_parent_contact"],
               t("word.yes" if s["escalated"] else "word.no", lang), _sep(lang).join(x for x in lead if x)]
        extra = roster.get((s["class"], s["student_id"]), {})
        if privacy.include_phone_numbers:
            row.append(extra.get("parent_phone"))
        if privacy.include_private_text:
            row.append(extra.get("note"))
        rows.append(row)
    return headers(keys, lang), rows


def _data_block(book: Book, ws: Any, row: int, head: tuple[str, ...], rows: list[tuple[Any, ...]],
                number_format: Any) -> None:
    """A small table on the overview: a header row, then a text column and number columns."""
    for c, h in enumerate(head):
        ws.write_string(row, c, h, book.fmt["header"])
    for i, (name, *numbers) in enumerate(rows, start=row + 1):
        ws.write_string(i, 0, name, book.fmt["text"])
        for c, value in enumerate(numbers, start=1):
            ws.write_number(i, c, value, number_format)


def _chart(book: Book, ws: Any, sheet: str, kind: str, title: str, at_row: int, data_row: int, n: int,
           series: list[tuple[int, str, str | None]], x_title: str, y_title: str, legend: bool = False,
           y_axis: dict[str, Any] | None = None, y_scale: float = 0.9) -> None:
    """A native chart over the data block whose header is at data_row: (column, name, fill) per series;
    both axes titled (for a bar chart the categories run up the y axis)."""
    chart = book.wb.add_chart({"type": kind})
    for col, name, fill in series:
        spec: dict[str, Any] = {"name": name, "categories": [sheet, data_row + 1, 0, data_row + n, 0],
                                "values": [sheet, data_row + 1, col, data_row + n, col]}
        if fill:
            spec["fill"] = {"color": fill}
        chart.add_series(spec)
    font = {"name": FONT, "size": 11}  # (a chart's own default is 10 pt; printed at ~90% it must stay above 8)
    chart.set_title({"name": title, "name_font": {**font, "size": 12}})
    chart.set_x_axis({"name": x_title, "name_font": font, "num_font": font})
    chart.set_y_axis({**(y_axis or {}), "name": y_title, "name_font": font, "num_font": font})
    chart.set_legend({"position": "bottom", "font": font} if legend else {"none": True})
    ws.insert_chart(at_row, 3, chart, {"x_scale": 1.05, "y_scale": y_scale})


def score_bins(totals: list[float], step: int) -> list[tuple[str, int]]:
    """Ten bins [lo, hi) of width step, the last [lo, hi] closed: each says which end it includes."""
    out = []
    for k in range(10):
        lo, hi = k * step, (k + 1) * step
        last = k == 9
        n = sum(lo <= x < hi or (last and x == hi) for x in totals)
        out.append((f"[{lo}, {hi}]" if last else f"[{lo}, {hi})", n))
    return out


PAGE_1_ROWS = 31  # the overview's first page: what needs doing, the figures, two charts


def _overview(book: Book, result: RunResult) -> None:
    """One page wide: what needs doing first (missing and late classes, overdue students, off-track teachers,
    data errors), then the figures, the colour legend and the ranking note, then three charts."""
    lang = book.lang
    comp = result.compliance
    report = result.report
    sheet = t("sum.sheet.overview", lang)
    ws = book.sheet(sheet)  # landscape: the charts sit beside the figures
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 12)
    title = " ".join(x for x in (result.settings.school.name, term_label(result.school_year, result.term, lang),
                                 t("book.summary", lang)) if x)
    ws.write_string(0, 0, title, book.fmt["title"])
    ws.write_string(1, 0, t("paper.as_of", lang, date=result.as_of.isoformat()), book.fmt["cell"])
    students = comp.students
    mentors = [p for p in result.teachers if p["mentees"]]  # people, each once however many classes
    talk_rate, parent_rate = comp.school_rates()
    pct = book.fmt["pct"]
    work = result.school_work.to_dict() if result.school_work is not None else None
    integer = book.fmt["integer"]
    wrap = book.fmt["wrap"]
    missing = report["missing_classes"]
    late = [c["class"] for c in report["late_classes"]]
    off_track = [p["name"] or p["teacher_id"] for p in mentors if p["status"] == "off_track"]
    replace = [c.get("name") or c["teacher_id"] for c in result.rectification if c["state"] == "replace"]
    todo = [("missing_classes", len(missing), _sep(lang).join(missing)),
            ("late_classes", len(late), _sep(lang).join(late)),
            ("overdue_students", comp.overdue_students(), ""),
            ("off_track_teachers", len(off_track), _sep(lang).join(off_track)),
            ("duties.fig.replace", len(replace), _sep(lang).join(replace)),
            ("data_errors", report["summary"]["errors"], "")]
    parts = report["summary"]["assessment_parts"]  # every part, the offices that sent it or what its absence does
    sent = t("books.field_sep", lang).join(part_line(p, lang) for p in parts if not p["missing"])
    todo.append(("assessment_parts", sum(p["missing"] for p in parts),  # the parts sent on one line, then each missing
                 [sent, *(part_line(p, lang) for p in parts if p["missing"])]))
    row = 3
    ws.merge_range(row, 0, row, 2, t("sum.todo", lang), book.fmt["header"])
    row += 1
    for key, n, names in todo:
        ws.write_string(row, 0, t(key if "." in key else "fig." + key, lang), book.fmt["cell"])
        ws.write_number(row, 1, n, integer)
        for text in [names] if isinstance(names, str) else names:  # a list: a line each (the assessment parts)
            if not text:
                continue
            row += 1
            ws.merge_range(row, 0, row, 2, "", wrap)
            write_text = text if len(text) < 200 else text[:200] + "…"
            ws.write_string(row, 0, "  " + write_text, wrap)
            ws.set_row(row, 15 * (1 + len(write_text) // 30))
        row += 1
    if result.default_dates:  # said here as on the console: the term's dates are not the school's own
        ws.merge_range(row, 0, row, 2, "", wrap)
        ws.write_string(row, 0, t("timeline.default_dates", lang,
                                  term=term_label(result.school_year, result.term, lang),
                                  first=result.settings.term.start, last=result.settings.term.end,
                                  table="[[terms]]"), wrap)
        ws.set_row(row, 45)
        row += 1
    row += 1
    figures = [
        ("classes", len(comp.classes), integer), ("students", len(students), integer), ("mentors", len(mentors), integer),
        ("talk_rate", talk_rate, pct), ("parent_rate", parent_rate, pct),
        ("attention_students", sum(bool(s["attention"]) for s in students), integer),
        ("escalated_students", sum(s["escalated"] for s in students), integer),
        ("data_warnings", report["summary"]["warnings"], integer),
        ("open_flags", len(result.open_flags), integer),
        ("principal_met", work["months_met"] if work and work["checked"] else None, integer),
        ("principal_due", work["months_expected"] if work and work["checked"] else None, integer),
        ("no_leader", len(work["attention_without_leader"]) if work else None, integer),
    ]
    ws.write_string(row, 0, t("sum.figure", lang), book.fmt["header"])
    ws.write_string(row, 1, t("sum.value", lang), book.fmt["header"])
    row += 1
    from workbook_engine.writing.sheet import text_width

    # the longest label, whole (English runs longer)
    labels = [t(key if "." in key else "fig." + key, lang) for key, *_ in todo + figures]
    ws.set_column(0, 0, max(30, max(text_width(x) for x in labels) + 1))
    for key, value, fmt in figures:
        ws.write_string(row, 0, t(key if "." in key else "fig." + key, lang), book.fmt["cell"])
        if value is None:
            ws.write_string(row, 1, "—", book.fmt["cell"])
        else:
            ws.write_number(row, 1, value, fmt)
        row += 1
    row += 1
    scheme = t("scheme." + result.settings.assessment.scheme, lang)
    notes = [band_legend(result, lang), t("sum.ranking_note", lang, scheme=scheme)]
    full = {"talk": talk_rate == 1, "parent": parent_rate == 1}
    if any(full.get(o["rule"]) for o in comp.overdue):  # students overdue beside a 100% rate: why both are true
        notes.append(t("sum.overdue_vs_rate", lang))
    for note in notes:
        ws.merge_range(row, 0, row, 2, "", book.fmt["note_wrap"])
        ws.write_string(row, 0, note, book.fmt["note_wrap"])
        ws.set_row(row, 15 * (1 + len(note) // (27 if lang != "en" else 54)) + 2)
        row += 1
    f = _rate_formats(book)
    ws.write_string(row, 0, t("band.on_track", lang), f["good"])
    ws.write_string(row, 1, t("band.needs_attention", lang), f["warn"])
    ws.write_string(row, 2, t("band.off_track", lang), f["bad"])

    # the charts' data, on this sheet below the figures, each block followed by its chart
    row0 = max(row + 3, PAGE_1_ROWS)  # the charts' data on page 2 (the principal reads the charts first)
    classes = [(c["class"], c["talk_rate"] or 0, c["parent_rate"] or 0) for c in comp.classes]
    _data_block(book, ws, row0, (t("col.class", lang), t("col.talk_rate", lang), t("col.parent_rate", lang)),
                classes, pct)
    _chart(book, ws, sheet, "column", t("chart.by_class", lang), 3, row0, len(classes),
           [(1, t("col.talk_rate", lang), None), (2, t("col.parent_rate", lang), None)],
           t("col.class", lang), t("chart.rate", lang), legend=True, y_axis={"min": 0, "max": 1, "num_format": "0%"})

    row1 = row0 + len(classes) + 2
    totals = [float(m["score"]["total"]) for m in mentors if m["score"].get("total") is not None]
    counts = score_bins(totals, 1 if result.settings.assessment.scheme == "points" else 10)
    _data_block(book, ws, row1, (t("chart.bin", lang), t("chart.mentors", lang)), counts, integer)
    _chart(book, ws, sheet, "column", t("chart.scores", lang), 17, row1, len(counts),
           [(1, t("chart.mentors", lang), "#" + COLOURS["chart_1"])], t("chart.bin", lang), t("chart.mentors", lang))

    row2 = row1 + len(counts) + 2
    per_category: dict[str, int] = {}
    for s in students:
        for c in s["attention"]:
            per_category[c] = per_category.get(c, 0) + 1
    cats = sorted(per_category.items(), key=lambda kv: (-kv[1], kv[0]))
    _data_block(book, ws, row2, (t("col.attention", lang), t("chart.students", lang)), cats, integer)
    _chart(book, ws, sheet, "bar", t("chart.attention", lang), row0 + 1, row2, max(len(cats), 1),
           [(1, t("chart.students", lang), "#" + COLOURS["chart_2"])], t("chart.students", lang), t("col.attention", lang),
           y_scale=0.5 + 0.12 * max(len(cats), 1))  # room for every category's name
    ws.fit_to_pages(1, 0)  # one page wide: what needs doing, the figures and two charts on page 1
    # after two charts of 13 rows each, or after a longer list of what needs doing (never a chart cut by a break)
    ws.set_h_pagebreaks([row0])



def yearly_headers(lang: str = "zh") -> list[str]:
    """学年优秀导师: the teacher, both terms' score, rank, rates and state, the year's mean and rank, proposed."""
    from workbook_engine.term import TERMS

    terms = [term_name(x, lang) for x in TERMS]
    per_term = [t("across.yearly." + k, lang, term=term) for term in terms
                for k in ("total", "rank", "talk_rate", "parent_rate", "status")]
    return [*headers(["teacher_id", "name", "classes"], lang), *per_term,
            *(t("across.yearly." + k, lang) for k in ("mean", "year_rank", "proposed"))]


def yearly_rows(yearly: list[dict[str, Any]], recommended: set[str], lang: str = "zh") -> list[list[Any]]:
    rows = []
    for y in yearly:
        a, b = y["first"], y["second"]
        rows.append([y["teacher_id"], y["name"], _sep(lang).join(y["classes"]), a["total"], a["rank"],
                     _pct(a["talk_rate"]), _pct(a["parent_rate"]), band_text(a["status"], lang), b["total"], b["rank"],
                     _pct(b["talk_rate"]), _pct(b["parent_rate"]), band_text(b["status"], lang),
                     y["year_total"], y.get("year_rank"),
                     t("word.yes" if y["teacher_id"] in recommended else "word.no", lang)])
    return rows


TRACKING_KEYS = ["col.class", "col.student_id", "col.name", "col.attention", "col.mentor", "col.leader",
                 "across.col.months_on_list", "across.col.transformation", "across.col.flags"]


def tracking_table(tracking: list[dict[str, Any]], months: list[str], lang: str = "zh",
                   mentors: dict[tuple[str, str], str] | None = None, school: bool = True
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
        row = [tr["class"], tr["student_id"], tr["name"], _sep(lang).join(tr["attention"]),
               mentors.get((tr["class"], tr["mentor_id"])) or tr["mentor_id"], tr["leader"], tr["months_on_list"],
               tr["transformation"], _sep(lang).join(t("across.flag." + f, lang) for f in tr["flags"])]
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


def _tracking_months(tracking: list[dict[str, Any]]) -> list[str]:
    return sorted({m for t in tracking for m in t["months"]})


def _across_sheets(book: Book, result: RunResult) -> None:
    """What the ledger's earlier terms add: the year's mentors, this term beside last, months side by side,
    the special-attention students month by month."""
    from workbook_engine.assessment.across_terms import AcrossTerms

    lang = book.lang
    A = lambda k, **kw: t("across." + k, lang, **kw)  # noqa: E731
    a = result.across or AcrossTerms()
    recommended = {r["id"] for r in result.recognition if r["type"] == "mentor_year"}
    yearly = yearly_rows(a.yearly, recommended, lang)
    book.table(A("sheet.yearly"), yearly_headers(lang), yearly, pct_cols=(5, 6, 10, 11))
    prev = term_label(*a.previous, lang) if a.previous \
        else A("last_term")

    def now(what: str) -> str:
        return A("this_term_of", what=A(what))

    def before(what: str) -> str:
        return A("term_of", term=prev, what=A(what))

    rows = [[c["class"], _pct(c["talk_rate"]), _pct(c["talk_rate_before"]), c["talk_change"], _pct(c["parent_rate"]),
             _pct(c["parent_rate_before"]), c["parent_change"]] for c in a.class_trends]
    book.table(A("sheet.classes"), [t("col.class", lang), now("talk_rate"), before("talk_rate"), A("talk_change"),
                                    now("parent_rate"), before("parent_rate"), A("parent_change")],
               rows, pct_cols=(1, 2, 3, 4, 5, 6))
    rows = [[t_["teacher_id"], t_["name"], t_["total"], t_["total_before"], t_["total_change"], _pct(t_["talk_rate"]),
             _pct(t_["talk_rate_before"]), t_["talk_change"], _pct(t_["parent_rate"]), _pct(t_["parent_rate_before"]),
             t_["parent_change"]] for t_ in a.teacher_trends]
    book.table(A("sheet.teachers"), [t("col.teacher_id", lang), t("col.name", lang), now("total"), before("total"),
                                     A("total_change"), now("talk_rate"), before("talk_rate"), A("talk_change"),
                                     now("parent_rate"), before("parent_rate"), A("parent_change")],
               rows, pct_cols=(5, 6, 7, 8, 9, 10))
    months = a.months
    # one row a class and measure, one column a month: a full term (6 months) stays one page wide
    head = [t("col.class", lang), A("months.item"), *months, A("months.change")]
    rows = []
    for c in a.class_months:
        for rule in ("talk", "parent"):
            rates = [c[rule].get(m) for m in months]
            known = [r for r in rates if r is not None]  # (a monthly contact is not yet due in the as-of month)
            rows.append([c["class"], A("months." + rule), *rates,
                         round(known[-1] - known[-2], 4) if len(known) > 1 else None])
    book.table(A("sheet.months"), head, rows, pct_cols=tuple(range(2, len(head))), note=A("months.note"))
    months = _tracking_months(a.tracking)
    head, rows = tracking_table(a.tracking, months, lang, result.compliance.mentor_names if result.compliance else {})
    ws = book.table(A("sheet.tracking"), head, rows, note=tracking_note(lang) if rows else None)
    if rows and months:  # a month without a talk in red
        first = len(head) - len(months)
        ws.conditional_format(1, first, len(rows), len(head) - 1,
                              {"type": "text", "criteria": "begins with", "value": "0/",
                               "format": _rate_formats(book)["bad"]})


def school_work_rows(result: RunResult, lang: str = "zh") -> list[list[Any]]:
    """学校工作: one row a month of the term (专题会议 due, held, state; students studied; events by kind) and a
    total row. Counts and states only: the content and the students' names stay in the merged book."""
    from workbook_engine.assessment.school_work import EVENT_KINDS, TEXT

    t = TEXT[lang]
    work = result.school_work
    if work is None:
        return []
    rows: list[list[Any]] = []
    for m in work.months:
        state = t["met"] if m["met"] else t["missed"] if m["due"] else t["unchecked"] if not work.checked \
            else t["not_due"] if m.get("required", True) else t["not_required"]
        rows.append([m["month"], 1 if m["due"] else 0, m["meetings"], state, m["students_studied"],
                     m["attention_students_studied"], *(m[k] for k in EVENT_KINDS),
                     _sep(lang).join(m["classes_not_covered"]) or (t["all_covered"] if m["due"] else None)])
    figures = work.to_dict()
    rows.append([t["total"], figures["months_expected"], len(work.meetings),
                 f"{figures['months_met']}/{figures['months_expected']}" if work.checked else t["unchecked"],
                 figures["students_studied"],
                 figures["attention_students_studied"], *(figures["events_by_kind"][k] for k in EVENT_KINDS), None])
    from workbook_engine.writing.duty_sheets import grade_work_rows

    return rows + grade_work_rows(work, lang)


def open_flag_rows(flags: list[dict[str, Any]]) -> list[list[Any]]:
    """待处理关注: the 需学校关注 flags still open, oldest first (no free text)."""
    return [[f["class"], f["student_id"], f["name"], f["mentor_id"], f["mentor"], f["opened"], f["days_open"],
             f["flags"]] for f in flags]


def _school_work_sheets(book: Book, result: RunResult, lang: str = "zh") -> None:
    from workbook_engine.assessment.school_work import TEXT

    t = TEXT[lang]
    book.table(t["open_flags_sheet"], t["open_flags_headers"], open_flag_rows(result.open_flags))
    ws = book.table(t["school_work_sheet"], t["school_work_headers"], school_work_rows(result, lang))
    f = _rate_formats(book)
    last = len(result.school_work.months) if result.school_work else 0
    for text, fmt in ((t["met"], f["good"]), (t["missed"], f["bad"])):
        ws.conditional_format(1, 3, max(last, 1), 3, {"type": "cell", "criteria": "==", "value": f'"{text}"',
                                                     "format": fmt})
    missing = result.school_work.attention_without_leader if result.school_work else []
    book.table(t["without_leader_sheet"], t["without_leader_headers"],
               [[s["class"], s["student_id"], s["name"], _sep(lang).join(s["attention"]), s["mentor_id"]]
                for s in missing])


def write_summary(result: RunResult, target: Path) -> Path:
    comp = result.compliance
    lang = result.lang
    S = lambda k: t("sum.sheet." + k, lang)  # noqa: E731
    with atomic_path(target) as tmp:
        book = Book(tmp, constant_memory=False, page=run_page(result, t("book.summary", lang), lang), lang=lang)
        _overview(book, result)
        _teacher_sheet(book, S("teachers"), result.teachers, result)
        class_rows = [[c["class"], c["students"], _pct(c["talk_rate"]), _pct(c["parent_rate"]),
                       c["study_weeks_expected"], c["study_weeks_met"], c["community_months_expected"],
                       c["community_months_met"], c["attention_students"], c["escalated_students"]]
                      for c in comp.classes]
        ws = book.table(S("classes"), [t("col.class", lang)] + [
            t("sum.classes." + k, lang) for k in ("students", "talk_rate", "parent_rate", "study_expected", "study_met",
                                                   "community_expected", "community_met", "attention_students",
                                                   "escalated_students")], class_rows,
            pct_cols=(2, 3), note=band_legend(result, lang) + " " + t("sum.classes.note", lang))
        _colour_rates(book, ws, 1, len(class_rows), 2, result)
        _colour_rates(book, ws, 1, len(class_rows), 3, result)
        mrows = [[m["class"], m["teacher_id"], m["name"], m["mentees"], m["talk_periods_expected"], m["talk_periods_met"],
                  _pct(m["talk_rate"]), m["parent_periods_expected"], m["parent_periods_met"], _pct(m["parent_rate"]),
                  band_text(m["status"], lang),
                  t({True: "plan.on_time", False: "plan.late", None: "plan.not_due"}[m.get("plan_on_time")], lang)]
                 for m in comp.mentors if m["mentees"]]
        ws = book.table(S("mentors"), headers(["class", "teacher_id", "name", "mentees", "talk_expected", "talk_met",
                                                "talk_rate", "parent_expected", "parent_met", "parent_rate", "status",
                                                "plan"], lang), mrows,
                        pct_cols=(6, 9), note=band_legend(result, lang))
        _colour_rates(book, ws, 1, len(mrows), 6, result)
        _colour_rates(book, ws, 1, len(mrows), 9, result)
        _colour_status(book, ws, 1, len(mrows), 10)
        head, rows = _attention_rows(result, comp.students, lang)
        book.table(S("attention"), head, rows)
        from workbook_engine.assessment.scoring import tie_rules

        praise = [] if any(r["type"] == "term_praise" for r in result.recognition) else [
            [t("recognition.term_praise", lang), None, None, None, None, None,
             t("recognition.term_praise.none", lang, band=f"{result.settings.policy.on_track:.0%}")]]
        book.table(S("recognition"), headers(["category", "grade", "class", "who", "id", "rank", "basis"], lang),
                   [[t("recognition." + r["type"], lang), r["grade"], r["class"], r["name"], r["id"], r.get("rank"),
                     r["reason"]] for r in result.recognition] + praise, max_width=50, note=tie_rules(lang))
        redact = Redactor(result.settings.privacy, lang)
        book.table(S("problems"), headers(PROBLEM_KEYS, lang),
                   _problem_rows([f for f in result.files if f.status != "skipped"], redact, lang), max_width=60)
        book.table(S("files"), [label(k, lang) for k in ("file", "kind", "class", "status", "reason", "fill_date",
                                                         "errors", "warnings")],
                   [[redact.text(f.name), pick(KIND.get(f.kind, (f.kind, f.kind)), lang), f.class_name, pick(STATUS[f.status], lang),
                     redact.text(f.reason), f.fill_date, f.errors, f.warnings] for f in result.files], max_width=50)
        book.table(S("missing"), headers(["class", "situation", "latest_fill_date", "days_since"], lang),
                   [[c, t("sum.missing", lang), None, None] for c in result.report["missing_classes"]]
                   + [[c["class"], t("sum.late", lang), c["fill_date"], c["days_since"]]
                      for c in result.report["late_classes"]])
        _school_work_sheets(book, result, lang)
        rectification_sheet(book, result, lang)  # (duty_sheets)
        _across_sheets(book, result)
        used = {n.lower() for n in book.wb.sheetnames}
        for f in result.merged.class_files:
            write_grid(book, comp, f.class_name, safe_sheet_name(label("grid_prefix", lang) + (f.class_name or ""), used),
                       lang)
        book.close()
    return target


def _band_style(rate: float | None, result: RunResult, pct: bool = True) -> str:
    if rate is None:
        return "cell"
    p = result.settings.policy
    band = "good" if rate >= p.on_track else "warn" if rate >= p.needs_attention else "bad"
    return f"pct_{band}" if pct else band


STATUS_STYLE = {"on_track": "good", "needs_attention": "warn", "off_track": "bad"}


def by_class(result: RunResult) -> dict[str, dict[str, list[Any]]]:
    """class -> its mentors, files, class figures, overdue students, rejected and lost rows (one pass each)."""
    comp = result.compliance
    out: dict[str, dict[str, list[Any]]] = {}

    def group(kind: str, items: Any, key: Any) -> None:
        for item in items:
            out.setdefault(key(item), {}).setdefault(kind, []).append(item)

    group("mentors", comp.mentors, lambda m: m["class"])
    group("files", result.files, lambda f: f.class_name)
    group("classes", comp.classes, lambda c: c["class"])
    group("overdue", comp.overdue, lambda o: o["class"])
    group("rejected", result.merged.rejected, lambda r: r.class_name)
    group("lost", result.merged.lost, lambda r: r.class_name)
    group("conflicts", result.merged.conflicts, lambda c: c.kept.get("_class") or c.kept.get("class_name"))
    return out


def write_feedback(result: RunResult, class_name: str, target: Path,
                   groups: dict[str, dict[str, list[Any]]] | None = None) -> Path:
    """One class's feedback: its gaps, overdue students, mentors' scores, data problems and lost rows.
    `groups` is by_class(result), when several books are written."""
    from workbook_engine.writing.books import row_text
    from workbook_engine.writing.fastxlsx import FastBook
    from workbook_engine.writing.sheet import Styled

    lang = result.lang
    S = lambda k: t("fb.sheet." + k, lang)  # noqa: E731
    comp = result.compliance
    own = (groups if groups is not None else by_class(result)).get(class_name, {})
    students = comp.students_by_class.get(class_name, [])
    mentors = own.get("mentors", [])
    names = {m["teacher_id"]: m["name"] for m in mentors}
    files = own.get("files", [])
    cls = next(iter(own.get("classes", [])), None)
    book = FastBook(page=run_page(result, t("book.feedback", lang, cls=class_name), lang), lang=lang)
    figures: list[list[Any]] = [[t("col.class", lang), class_name],
                                [t("fb.as_of", lang), result.as_of.isoformat()]]
    if cls:
        figures += [[t("col.students", lang), cls["students"]],
                    [t("col.talk_rate", lang), Styled(cls["talk_rate"], _band_style(cls["talk_rate"], result))],
                    [t("col.parent_rate", lang), Styled(cls["parent_rate"], _band_style(cls["parent_rate"], result))],
                    [t("fb.study", lang), f"{cls['study_weeks_met']}/{cls['study_weeks_expected']}"],
                    [t("fb.community_class" if result.settings.policy.community_meeting == "per_class"
                       else "fb.community", lang), f"{cls['community_months_met']}/{cls['community_months_expected']}"]]
        if cls.get("report_periods_expected"):
            figures.append([t("fb.reports", lang), f"{cls['report_periods_met']}/{cls['report_periods_expected']}"])
        if cls.get("community_reflections_expected"):
            figures.append([t("fb.reflections", lang),
                            f"{cls['community_reflections_met']}/{cls['community_reflections_expected']}"])
    figures += [[t("fb.problems", lang), sum(len(f.problems) for f in files)],
                [t("fb.colours", lang), band_legend(result, lang)]]
    book.table(S("overview"), [t("sum.figure", lang), t("sum.value", lang)], figures, max_width=50)
    talk_labels, parent_labels = comp.period_labels("talk", lang), comp.period_labels("parent", lang)
    gaps = [[names.get(s["mentor_id"]) or s["mentor_id"], s["student_id"], s["name"],
             f"{s['talk_periods_met']}/{s['talk_periods_expected']}",
             _sep(lang).join(talk_labels.get(p, p) for p in s["missing_talk_periods"]),
             f"{s['parent_periods_met']}/{s['parent_periods_expected']}",
             _sep(lang).join(parent_labels.get(p, p) for p in s["missing_parent_periods"])]
            for s in students  # by mentor, then student id
            if s["missing_talk_periods"] or s["missing_parent_periods"]]
    book.table(S("gaps"), headers(["mentor", "student_id", "name", "talks_done", "talks_missing", "contacts_done",
                                   "contacts_missing"], lang), gaps, max_width=50)
    book.table(S("overdue"), headers(["student_id", "name", "mentor", "matter", "last", "days_since"], lang),
               [[o["student_id"], o["name"], names.get(o["mentor_id"]) or o["mentor_id"], t("grid." + o["rule"], lang),
                 o["last"] or t("fb.never", lang), o["days_since"]] for o in own.get("overdue", [])])
    rows = []
    head = mentor_headers(_score_scheme(result), lang)
    status = len(head) - 4
    for row, m in zip(_mentor_rows(mentors, lang), _sorted_mentors(mentors)):
        row[status] = Styled(row[status], STATUS_STYLE.get(m["status"], "cell"))
        row[status + 1] = Styled(row[status + 1], _band_style(m["talk_rate"], result))
        row[status + 2] = Styled(row[status + 2], _band_style(m["parent_rate"], result))
        rows.append(row)
    book.table(S("scores"), head, rows, max_width=44)
    book.table(S("problems"), headers(PROBLEM_KEYS, lang), _problem_rows(files, None, lang), max_width=50)
    book.table(S("rejected"), [label(k, lang) for k in ("source", "sheet", "row", "reason", "content")],
               [[r.file, sheet_name(r.spec, lang), r.row, r.reason, row_text(r.spec, r.record, lang)]
                for r in own.get("rejected", [])], max_width=45)
    book.table(S("lost"), [label(k, lang) for k in ("sheet", "older", "row", "kept", "content")],
               [[sheet_name(r.spec, lang), r.old_file, r.row, r.kept_file, row_text(r.spec, r.record, lang)]
                for r in own.get("lost", [])], max_width=45)
    book.table(S("conflicts"), conflict_headers(lang)[1:], [r[1:] for r in conflict_rows(own.get("conflicts", []), lang)],
               max_width=40)
    book.table(t("duties.study.sheet", lang), [t("duties.study.col." + k, lang) for k in
                                               ("date", "host", "attendees", "mentors", "check")],
               study_rows(result, class_name, lang), max_width=40)
    rectification_sheet(book, result, lang, class_name)  # its mentors on the 整改名单, its mentees to pair again
    book.table(t("sum.talk_months.sheet", lang), talk_month_headers(lang),
               talk_month_rows(comp, class_name, names, lang),
               max_width=40)
    from workbook_engine.assessment.school_work import TEXT

    # the class's 需学校关注 flags still open: a later talk with 后续措施 closes one (school_work.open_flags)
    book.table(TEXT[lang]["open_flags_sheet"], TEXT[lang]["open_flags_headers"],
               open_flag_rows([f for f in result.open_flags if f["class"] == class_name]))
    if cls and cls.get("report_periods_expected"):
        book.table(t("sum.reports.sheet", lang),
                   [*headers(["mentor", "student_id", "name"], lang), t("sum.reports.done", lang),
                    t("sum.reports.missing", lang)],
                   [[names.get(s["mentor_id"]) or s["mentor_id"], s["student_id"], s["name"],
                     f"{s['report_periods_met']}/{s['report_periods_expected']}",
                     _sep(lang).join(half_month(p, lang) for p in s["missing_report_periods"])]
                    for s in students if s["report_periods_expected"]], max_width=60)
    tracked = [tr for tr in (result.across.tracking if result.across else []) if tr["class"] == class_name]
    months = _tracking_months(tracked)
    head, rows = tracking_table(tracked, months, lang, {(class_name, k): v for k, v in names.items()},
                                school=False)
    first = len(head) - len(months)
    rows = [[Styled(v, "bad") if c >= first and no_talk(v) else v for c, v in enumerate(r)] for r in rows]
    # (the layout keeps the 学号 whole: sheet.column_floors)
    book.table(t("across.sheet.tracking", lang), head, rows,
               title_rows=[[Styled(t("across.tracking_note." + k, lang), "note")] for k in ("cells", "months")]
               if rows else ())
    write_grid(book, comp, class_name, t("grid.sheet", lang), lang)
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target


def half_month(name: str, lang: str) -> str:
    """A half-month period (its first day, 2026-10-01) as people name it: 2026-10 上半月 / 2026-10 1st half."""
    from workbook_engine.compliance.check import SEMIMONTHLY, period_label

    return period_label(name, SEMIMONTHLY, 0, False, lang)


def talk_month_headers(lang: str = "zh") -> list[str]:
    """谈话月度汇总's headers: mentor, 工号, then the month's counts."""
    return [*headers(["mentor", "teacher_id"], lang),
            *(t("sum.talk_months." + k, lang) for k in ("month", "talks", "reached", "forms", "types", "flagged")),
            t("duties.summary.col", lang)]


TALK_MONTHS_SHEET = t("sum.talk_months.sheet", "zh")  # (the Chinese names, for callers that look them up)
TALK_MONTHS_HEADERS = talk_month_headers("zh")


def talk_counts(c: dict[str, int]) -> str:
    """`面谈 3、电话 1`: counts of forms or types, most first (谈话月度汇总)."""
    return "、".join(f"{k} {n}" for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def talk_month_rows(comp: Any, class_name: str, names: dict[str, str], lang: str = "zh") -> list[list[Any]]:
    """谈话月度汇总 (《学情会商制度实施方案》五.4: 每月总结谈话情况记录汇总一次): per mentor and month, counts only, and
    the mentor's own 月度总结."""
    from workbook_engine.writing.sheet import Styled

    rows = [[names.get(m["teacher_id"]) or "", m["teacher_id"], m["month"], m["talks"], m["mentees_reached"],
             talk_counts(m["forms"]), talk_counts(m["types"]), m["flagged"],
             Styled(summary_state(m, lang), "warn") if m.get("summary_due") and not m.get("summary_date")
             else summary_state(m, lang)]
            for m in comp.talk_months if m["class"] == class_name]
    return sorted(rows, key=lambda r: (r[1], r[2]))


def feedback_targets(result: RunResult) -> list[tuple[str, Path]]:
    """(class, staged file) for every class's feedback book, from the run's one class -> file mapping."""
    return [(f.class_name, result.staged(result.layout.feedback[f.class_name])) for f in result.merged.class_files]


def write_feedback_books(result: RunResult, part: int = 0, parts: int = 1) -> list[Path]:
    """The feedback books (every `parts`-th one from `part`, to share the work between processes)."""
    groups = by_class(result)
    return [write_feedback(result, cls, path, groups) for cls, path in feedback_targets(result)[part::parts]]
