"""The principal's figures (/office/summary) from the published report.json and the ledger: what needs doing,
the headline figures, three server-rendered SVG charts (rates per class, the score distribution, the school's
rates term by term) and the workbooks to download. Counts and flags only, as in the summary workbook."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from workbook_engine.assessment.scoring import part_line
from workbook_engine.catalogue import t, term_label
from workbook_engine.web.published import Published
from workbook_engine.writing.styles import COLOURS
from workbook_engine.writing.summary.overview import score_bins

SERIES = ("#" + COLOURS["chart_1"], "#" + COLOURS["chart_2"])
WIDTH = 640


def _pct(rate: Any) -> str:
    return f"{rate:.1%}" if isinstance(rate, (int, float)) else "—"


def _svg(height: int, title: str, body: Iterable[str]) -> Markup:
    """One chart: scales to the page's width (a phone's too); its title read out by screen readers."""
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
                  f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(body)}</svg>')


def _text(x: float, y: float, text: Any, anchor: str = "start", cls: str = "label") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{cls}">{escape(str(text))}</text>'


def _legend(y: float, names: list[str]) -> list[str]:
    out, x = [], 150.0
    for colour, name in zip(SERIES, names):
        out += [f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>', _text(x + 16, y, name)]
        x += 40 + 14 * len(name)
    return out


def rate_bars(rows: list[tuple[str, float | None, float | None]], names: list[str], bands: tuple[float, float],
              title: str) -> Markup:
    """Horizontal bars, two a row (talk and parent-contact rate of each class), the policy's bands dashed."""
    left, right, row_h = 150, WIDTH - 60, 36
    scale = right - left
    body = _legend(18, names)
    top = 32
    for band in bands:
        x = left + band * scale
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + row_h * len(rows)}" class="band"/>')
        body.append(_text(x, top + row_h * len(rows) + 14, f"{band:.0%}", "middle", "axis"))
    for i, (name, *rates) in enumerate(rows):
        y = top + i * row_h
        body.append(_text(left - 8, y + 20, name, "end"))
        for k, rate in enumerate(rates):
            w = max(0.0, min(1.0, rate or 0.0)) * scale
            body.append(f'<rect x="{left}" y="{y + 4 + k * 14}" width="{w:.1f}" height="12" fill="{SERIES[k]}"/>')
            body.append(_text(left + w + 4, y + 14 + k * 14, _pct(rate), cls="value"))
    return _svg(top + row_h * len(rows) + 22, title, body)


def column_bars(bins: list[tuple[str, int]], title: str, colour: str = SERIES[0]) -> Markup:
    """Vertical bars with their counts: the score distribution."""
    left, bottom, top = 30, 190, 20
    step = (WIDTH - left - 10) / max(len(bins), 1)
    most = max([n for _, n in bins] + [1])
    body = [f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - 10}" y2="{bottom}" class="axis-line"/>']
    for i, (label, n) in enumerate(bins):
        h = (bottom - top) * n / most
        x = left + i * step
        body.append(f'<rect x="{x + 4:.1f}" y="{bottom - h:.1f}" width="{step - 8:.1f}" height="{h:.1f}" fill="{colour}"/>')
        body.append(_text(x + step / 2, bottom - h - 4, n, "middle", "value"))
        body.append(_text(x + step / 2, bottom + 16, label, "middle", "axis"))
    return _svg(bottom + 26, title, body)


def rate_lines(points: list[tuple[str, float | None, float | None]], names: list[str], title: str) -> Markup:
    """The school's rates term by term (the ledger): a line a rate, every term a labelled point."""
    left, right, top, bottom = 50, WIDTH - 30, 34, 190
    step = (right - left) / max(len(points) - 1, 1)
    body = _legend(18, names) + [f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" class="axis-line"/>']
    for pct in (0.0, 0.5, 1.0):
        y = bottom - pct * (bottom - top)
        body.append(_text(left - 6, y + 4, f"{pct:.0%}", "end", "axis"))
    series = ([p[1] for p in points], [p[2] for p in points])  # the two rates, term by term
    for k, rates in enumerate(series):
        xy = [(left + i * step if len(points) > 1 else (left + right) / 2, bottom - (rate or 0) * (bottom - top))
              for i, rate in enumerate(rates)]
        if len(xy) > 1:
            body.append(f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in xy)}" fill="none" '
                        f'stroke="{SERIES[k]}" stroke-width="2"/>')
        for (x, y), rate in zip(xy, rates):
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{SERIES[k]}"/>')
            body.append(_text(x, y - 8 + 20 * k, _pct(rate), "middle", "value"))
    for i, p in enumerate(points):
        body.append(_text(left + i * step if len(points) > 1 else (left + right) / 2, bottom + 16, p[0], "middle",
                          "axis"))
    return _svg(bottom + 26, title, body)


def figures(published: Published, terms: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Everything /office/summary shows, from the report (and the ledger's terms for the trend)."""
    report = published.report
    settings = report.get("settings") or {}
    policy = settings.get("policy") or {}
    classes = [c for c in report.get("classes") or [] if isinstance(c, dict)]
    teachers = [p for p in report.get("teachers") or [] if isinstance(p, dict) and p.get("mentees")]
    students = [s for s in report.get("students") or [] if isinstance(s, dict)]
    overdue = {(o.get("class"), o.get("student_id")) for o in report.get("overdue") or [] if isinstance(o, dict)}
    off_track = [p.get("name") or p.get("teacher_id") for p in teachers if p.get("status") == "off_track"]
    late = [c.get("class") for c in report.get("late_classes") or [] if isinstance(c, dict)]
    sep = t("web.list_sep", lang)
    todo = [("missing_classes", len(report.get("missing_classes") or []), sep.join(report.get("missing_classes") or [])),
            ("late_classes", len(late), sep.join(str(c) for c in late)),
            ("overdue_students", len(overdue), ""),
            ("off_track_teachers", len(off_track), sep.join(str(n) for n in off_track)),
            ("data_errors", (report.get("summary") or {}).get("errors", 0), "")]
    parts = [p for p in (report.get("summary") or {}).get("assessment_parts") or [] if isinstance(p, dict)]
    if parts:  # each part no office sent, and what that does to the scores
        todo.append(("assessment_parts", sum(bool(p.get("missing")) for p in parts),
                     sep.join(part_line(p, lang) for p in parts if p.get("missing"))))
    talk = [c.get("talk_periods_met") or 0 for c in classes], [c.get("talk_periods_expected") or 0 for c in classes]
    parent = [c.get("parent_periods_met") or 0 for c in classes], [c.get("parent_periods_expected") or 0 for c in classes]
    headline = [("classes", len(classes)), ("students", len(students)), ("mentors", len(teachers)),
                ("talk_rate", _pct(sum(talk[0]) / sum(talk[1]) if sum(talk[1]) else None)),
                ("parent_rate", _pct(sum(parent[0]) / sum(parent[1]) if sum(parent[1]) else None)),
                ("attention_students", sum(bool(s.get("attention")) for s in students)),
                ("escalated_students", sum(bool(s.get("escalated")) for s in students)),
                ("open_flags", len(report.get("open_flags") or []))]
    names = [t("col.talk_rate", lang), t("col.parent_rate", lang)]
    bands = (float(policy.get("needs_attention", 0.8)), float(policy.get("on_track", 0.95)))
    scheme = (settings.get("assessment") or {}).get("scheme", "points")
    totals = [float(p["score"]["total"]) for p in teachers
              if isinstance(p.get("score"), dict) and isinstance(p["score"].get("total"), (int, float))]
    by_class = rate_bars([(str(c.get("class")), c.get("talk_rate"), c.get("parent_rate")) for c in classes], names,
                         bands, t("chart.by_class", lang))
    scores = column_bars(score_bins(totals, 1 if scheme == "points" else 10), t("chart.scores", lang))
    trend = rate_lines([(term_label(r.get("school_year"), r.get("term"), lang), r.get("talk_rate"),
                         r.get("parent_rate")) for r in terms], names, t("web.chart.terms", lang)) if terms else None
    changes = [c for c in (report.get("trends") or {}).get("classes") or [] if isinstance(c, dict)]
    return {"term": term_label(report.get("school_year"), report.get("term"), lang), "as_of": report.get("as_of"),
            "todo": todo, "headline": headline, "by_class": by_class, "scores": scores, "trend": trend,
            "class_rows": [(c.get("class"), _pct(c.get("talk_rate")), _pct(c.get("parent_rate")),
                            sum(1 for k in overdue if k[0] == c.get("class"))) for c in classes],
            "changes": [(c.get("class"), _pct(c.get("talk_rate")), _pct(c.get("talk_rate_before")),
                         _pct(c.get("parent_rate")), _pct(c.get("parent_rate_before"))) for c in changes],
            "downloads": [{"sha256": o["sha256"], "path": _in_term(o["path"], published)}
                          for o in published.outputs(".xlsx")]}


def _in_term(rel: str, published: Published) -> str:
    """An output's path as the office knows it: inside its term's folder."""
    prefix = published.folder.name + "/"
    return rel[len(prefix):] if published.folder != published.out and rel.startswith(prefix) else rel
