"""The compliance result: per student, mentor and class, the periods due and met of every requirement, the
grids' states and the overdue students, shaped for report.json, the merged book's grids and the summary."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbook_engine.compliance.calendar import Calendar
from workbook_engine.compliance.frequencies import FREQUENCIES, MONTHLY, WEEKLY
from workbook_engine.settings import Settings

BANDS = ("on_track", "needs_attention", "off_track")


def rate_of(met: int, expected: int) -> float | None:
    """The share of the periods due that were met, to 4 decimals; None when nothing was due."""
    return round(met / expected, 4) if expected else None


def band(rate: float | None, settings: Settings) -> str:
    """on_track / needs_attention / off_track: where a rate falls against `[policy] on_track` and
    `needs_attention` (nothing due is on track)."""
    if rate is None or round(rate, 4) >= settings.policy.on_track:
        return "on_track"
    if round(rate, 4) >= settings.policy.needs_attention:
        return "needs_attention"
    return "off_track"


@dataclass
class Compliance:
    """The result, shaped for report.json, the merged book's grids and the summary."""

    calendar: Calendar
    students: list[dict[str, Any]]
    mentors: list[dict[str, Any]]
    classes: list[dict[str, Any]]
    overdue: list[dict[str, Any]]
    grid: pd.DataFrame  # class, student_id, rule (talk|parent), period name, state
    talk_periods: list[str]
    parent_periods: list[str]
    talk_months: list[dict[str, Any]] = field(default_factory=list)  # per class, teacher and month (谈话月度汇总)
    mentor_months: list[dict[str, Any]] = field(default_factory=list)  # per teacher and month: periods due and met
    talk_frequency: str = WEEKLY
    parent_frequency: str = MONTHLY

    def period_labels(self, rule: str, lang: str = "zh") -> dict[str, str]:
        """Period name (its first day) -> the label people use: 第3周 (09-14–09-20), 2026-10."""
        names = self.talk_periods if rule == "talk" else self.parent_periods
        frequency = self.talk_frequency if rule == "talk" else self.parent_frequency
        crosses = self.calendar.start.year != self.calendar.end.year
        # the year is named where it starts to matter: the first period, and the first of the new year
        labels = FREQUENCIES[frequency].column_label
        return {name: labels(dt.date.fromisoformat(name), i, crosses and (i == 0 or names[i - 1][:4] != name[:4]),
                             lang)
                for i, name in enumerate(names)}

    def school_rates(self) -> tuple[float | None, float | None]:
        """(talk rate, parent-contact rate) over every student of the school, unrounded; None when
        nothing was due."""
        def rate(kind: str) -> float | None:
            expected = sum(x[f"{kind}_periods_expected"] for x in self.students)
            return sum(x[f"{kind}_periods_met"] for x in self.students) / expected if expected else None
        return rate("talk"), rate("parent")

    @functools.cached_property
    def states_by_class(self) -> dict[str, dict[str, list[str]]]:
        """class -> student -> the state of each grid column (talk periods, then parent-contact periods;
        "future" where nothing is recorded), for drawing the grids."""
        column = {("talk", p): i for i, p in enumerate(self.talk_periods)}
        column.update({("parent", p): len(self.talk_periods) + i for i, p in enumerate(self.parent_periods)})
        width = len(column)
        out: dict[str, dict[str, list[str]]] = {}
        g = self.grid
        for cls, sid, rule, name, state in zip(*(g[c].tolist() for c in ("_class", "student_id", "rule", "name", "state"))):
            j = column.get((rule, name))
            if j is not None:
                per_class = out.get(cls)
                if per_class is None:
                    per_class = out[cls] = {}
                states = per_class.get(sid)
                if states is None:
                    states = per_class[sid] = ["future"] * width
                states[j] = state
        return out

    @functools.cached_property
    def students_by_class(self) -> dict[str, list[dict[str, Any]]]:
        """class -> its students, by mentor then student id (the grids' and feedback books' order)."""
        out: dict[str, list[dict[str, Any]]] = {}
        for s in sorted(self.students, key=lambda s: (s["mentor_id"] or "", s["student_id"])):
            out.setdefault(s["class"], []).append(s)
        return out

    @functools.cached_property
    def mentor_names(self) -> dict[tuple[str, str], str]:
        """(class, teacher id) -> the mentor's name."""
        return {(m["class"], m["teacher_id"]): m["name"] for m in self.mentors}

    def warm(self) -> Compliance:
        """Compute the lookups the output writers share, once, before the writing is split between processes."""
        _ = self.states_by_class, self.students_by_class, self.mentor_names
        return self

    def overdue_students(self) -> int:
        return len({(o["class"], o["student_id"]) for o in self.overdue})
