"""The compliance result: per student, mentor and class, the periods due and met of every requirement, the
grids' states and the overdue students, shaped for report.json, the merged book's grids and the summary."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

import pandas as pd

from workbook_engine.compliance.calendar import Calendar
from workbook_engine.compliance.frequencies import FREQUENCIES, MONTHLY, WEEKLY
from workbook_engine.settings import Settings

BANDS = ("on_track", "needs_attention", "off_track")

# the rows of the result (TypedDict's call form: "class" is a key)
StudentFigures = TypedDict("StudentFigures", {
    "student_id": str, "name": Any, "class": str, "mentor_id": Any,  # (name, mentor: as read, None when blank)
    "talk_periods_expected": int, "talk_periods_met": int, "missing_talk_periods": list[str],
    "parent_periods_expected": int, "parent_periods_met": int, "missing_parent_periods": list[str],
    "last_talk": str | None, "last_parent_contact": str | None,  # ISO dates
    "attention": list[str], "escalated": bool, "community": Any,
    "left": bool,  # left before the term's end
    "current": bool,  # paired on the as-of day: counts toward the mentor's load
    "report_periods_expected": int, "report_periods_met": int, "missing_report_periods": list[str],
    # a special-attention student, when the archive is checked
    "archive_periods_expected": NotRequired[int], "archive_periods_met": NotRequired[int],
    "missing_archive_periods": NotRequired[list[str]],
})
MentorFigures = TypedDict("MentorFigures", {
    "teacher_id": str, "name": Any, "class": Any, "role": Any, "email": Any,  # (as read from 导师名单)
    "mentees": int,
    "talk_periods_expected": int, "talk_periods_met": int, "talk_rate": float | None,
    "parent_periods_expected": int, "parent_periods_met": int, "parent_rate": float | None,
    "report_periods_expected": int, "report_periods_met": int, "report_rate": float | None,
    "status": str,  # a band (BANDS) or no_mentees
    # with `[policy] check_plans` (None: not due yet)
    "plan_on_time": NotRequired[bool | None], "summary_on_time": NotRequired[bool | None],
    # with `[policy] check_monthly_summary`
    "summary_months_expected": NotRequired[int], "summary_months_met": NotRequired[int],
    "missing_summary_months": NotRequired[list[str]],
    "reflection_on_time": NotRequired[bool | None],  # with `[policy] check_reflections`
    # the teacher's score and rank over all their classes, set by the assessment stage
    "score": NotRequired[dict[str, Any]], "rank": NotRequired[int | None],
})
ClassFigures = TypedDict("ClassFigures", {
    "class": str, "students": int, "talk_rate": float | None, "parent_rate": float | None,
    "talk_periods_expected": int, "talk_periods_met": int, "parent_periods_expected": int, "parent_periods_met": int,
    "study_weeks_expected": int, "study_weeks_met": int, "community_months_expected": int, "community_months_met": int,
    "community_reflections_expected": int, "community_reflections_met": int,
    "communities_without_reflection": list[str], "report_periods_expected": int, "report_periods_met": int,
    "attention_students": int, "escalated_students": int,
})
Overdue = TypedDict("Overdue", {
    "student_id": str, "name": Any, "class": str, "mentor_id": Any, "rule": str,  # talk | parent
    "last": str | None, "days_since": int, "teaching_days_since": int,
})
TalkMonth = TypedDict("TalkMonth", {
    "class": str, "teacher_id": str, "month": str,  # 2026-10
    "talks": int, "mentees_reached": int, "forms": dict[str, int], "types": dict[str, int], "flagged": int,
    "summary_due": NotRequired[bool], "summary_date": NotRequired[str | None],  # the mentor's monthly summary
})


class MonthFigures(TypedDict):
    """Talk and parent-contact periods due and met (a period in the month it ends in)."""

    talk_expected: int
    talk_met: int
    parent_expected: int
    parent_met: int


class MentorMonth(MonthFigures):
    teacher_id: str
    month: str  # 2026-10


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
    students: list[StudentFigures]
    mentors: list[MentorFigures]
    classes: list[ClassFigures]
    overdue: list[Overdue]
    grid: pd.DataFrame  # class, student_id, rule (talk|parent), period name, state
    talk_periods: list[str]
    parent_periods: list[str]
    talk_months: list[TalkMonth] = field(default_factory=list)  # per class, teacher and month (谈话月度汇总)
    mentor_months: list[MentorMonth] = field(default_factory=list)  # per teacher and month: periods due and met
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
        talk = sum(x["talk_periods_expected"] for x in self.students)
        parent = sum(x["parent_periods_expected"] for x in self.students)
        return (sum(x["talk_periods_met"] for x in self.students) / talk if talk else None,
                sum(x["parent_periods_met"] for x in self.students) / parent if parent else None)

    @functools.cached_property
    def states_by_class(self) -> dict[str, dict[str, list[str]]]:
        """class -> student -> the state of each grid column (talk periods, then parent-contact periods;
        "future" where nothing is recorded), for drawing the grids."""
        column = {("talk", p): i for i, p in enumerate(self.talk_periods)}
        column.update({("parent", p): len(self.talk_periods) + i for i, p in enumerate(self.parent_periods)})
        width = len(column)
        out: dict[str, dict[str, list[str]]] = {}
        g = self.grid
        cells = ("_class", "student_id", "rule", "name", "state")
        for cls, sid, rule, name, state in zip(*(g[c].tolist() for c in cells)):
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
    def students_by_class(self) -> dict[str, list[StudentFigures]]:
        """class -> its students, by mentor then student id (the grids' and feedback books' order)."""
        out: dict[str, list[StudentFigures]] = {}
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
