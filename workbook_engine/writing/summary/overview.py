"""概览, the summary's first sheet: what needs doing first, the figures, the colour legend and the ranking note,
then three native charts (compliance by class, the scores' spread, the special-attention categories)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbook_engine.assessment.scoring import part_line
from workbook_engine.catalogue import t, term_label
from workbook_engine.writing.books import Book
from workbook_engine.writing.sheet import text_width
from workbook_engine.writing.styles import COLOURS, FONT
from workbook_engine.writing.tables import band_legend, compliance, rate_formats, sep

if TYPE_CHECKING:
    from workbook_engine.outcome import TermOutcome


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


def overview(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """One page wide: what needs doing first (missing and late classes, overdue students, off-track teachers,
    data errors), then the figures, the colour legend and the ranking note, then three charts."""
    lang = book.lang
    comp = compliance(outcome)
    sheet = t("sum.sheet.overview", lang)
    ws = book.sheet(sheet)  # landscape: the charts sit beside the figures
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 12)
    title = " ".join(x for x in (outcome.settings.school.name, term_label(outcome.school_year, outcome.term, lang),
                                 t("book.summary", lang)) if x)
    ws.write_string(0, 0, title, book.fmt["title"])
    ws.write_string(1, 0, t("paper.as_of", lang, date=outcome.as_of.isoformat()), book.fmt["cell"])
    students = comp.students
    mentors = [p for p in outcome.teachers if p["mentees"]]  # people, each once however many classes
    talk_rate, parent_rate = comp.school_rates()
    pct = book.fmt["pct"]
    work = outcome.school_work.to_dict() if outcome.school_work is not None else None
    integer = book.fmt["integer"]
    wrap = book.fmt["wrap"]
    missing = report["missing_classes"]
    late = [c["class"] for c in report["late_classes"]]
    off_track = [p["name"] or p["teacher_id"] for p in mentors if p["status"] == "off_track"]
    replace = [c.get("name") or c["teacher_id"] for c in outcome.rectification if c["state"] == "replace"]
    todo: list[tuple[str, int, str | list[str]]] = [("missing_classes", len(missing), sep(lang).join(missing)),
            ("late_classes", len(late), sep(lang).join(late)),
            ("overdue_students", comp.overdue_students(), ""),
            ("off_track_teachers", len(off_track), sep(lang).join(off_track)),
            ("duties.fig.replace", len(replace), sep(lang).join(replace)),
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
    if outcome.default_dates:  # said here as on the console: the term's dates are not the school's own
        ws.merge_range(row, 0, row, 2, "", wrap)
        ws.write_string(row, 0, t("timeline.default_dates", lang,
                                  term=term_label(outcome.school_year, outcome.term, lang),
                                  first=outcome.settings.term.start, last=outcome.settings.term.end,
                                  table="[[terms]]"), wrap)
        ws.set_row(row, 45)
        row += 1
    row += 1
    figures = [
        ("classes", len(comp.classes), integer), ("students", len(students), integer),
        ("mentors", len(mentors), integer),
        ("talk_rate", talk_rate, pct), ("parent_rate", parent_rate, pct),
        ("attention_students", sum(bool(s["attention"]) for s in students), integer),
        ("escalated_students", sum(s["escalated"] for s in students), integer),
        ("data_warnings", report["summary"]["warnings"], integer),
        ("open_flags", len(outcome.open_flags), integer),
        ("principal_met", work["months_met"] if work and work["checked"] else None, integer),
        ("principal_due", work["months_expected"] if work and work["checked"] else None, integer),
        ("no_leader", len(work["attention_without_leader"]) if work else None, integer),
    ]
    ws.write_string(row, 0, t("sum.figure", lang), book.fmt["header"])
    ws.write_string(row, 1, t("sum.value", lang), book.fmt["header"])
    row += 1
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
    scheme = t("scheme." + outcome.settings.assessment.scheme, lang)
    notes = [band_legend(outcome, lang), t("sum.ranking_note", lang, scheme=scheme)]
    full = {"talk": talk_rate == 1, "parent": parent_rate == 1}
    if any(full.get(o["rule"]) for o in comp.overdue):  # students overdue beside a 100% rate: why both are true
        notes.append(t("sum.overdue_vs_rate", lang))
    for note in notes:
        ws.merge_range(row, 0, row, 2, "", book.fmt["note_wrap"])
        ws.write_string(row, 0, note, book.fmt["note_wrap"])
        ws.set_row(row, 15 * (1 + len(note) // (27 if lang != "en" else 54)) + 2)
        row += 1
    f = rate_formats(book)
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
    counts = score_bins(totals, 1 if outcome.settings.assessment.scheme == "points" else 10)
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
           [(1, t("chart.students", lang), "#" + COLOURS["chart_2"])], t("chart.students", lang),
           t("col.attention", lang),
           y_scale=0.5 + 0.12 * max(len(cats), 1))  # room for every category's name
    ws.fit_to_pages(1, 0)  # one page wide: what needs doing, the figures and two charts on page 1
    # after two charts of 13 rows each, or after a longer list of what needs doing (never a chart cut by a break)
    ws.set_h_pagebreaks([row0])
