"""The school calendar of a term: which days are teaching days (weekdays, less the school's holidays and exam
weeks, plus its make-up workdays), and the periods of each frequency over the term. A lookup table maps each day
to its index, so counting the teaching days between two days is two look-ups, never a loop over days."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook_engine.compliance.frequencies import FREQUENCIES, Days, date_of, day_number
from workbook_engine.settings import Settings


@dataclass
class Calendar:
    """The term's days: which are teaching days, and which period each day belongs to."""

    start: dt.date
    end: dt.date
    as_of: dt.date
    holidays: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    workdays: list[dt.date] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.base = day_number(self.start) - 40  # room for periods that start before the term
        n = day_number(self.end) - self.base + 40
        days = np.arange(self.base, self.base + n, dtype=np.int64)
        weekday = (days - 1) % 7  # day 1 (0001-01-01) was a Monday
        self.ordinals: Days = days
        self.weekday_mask = weekday < 5
        teach = self.weekday_mask.copy()
        for lo, hi in self.holidays:
            teach[(days >= day_number(lo)) & (days <= day_number(hi))] = False
        for w in self.workdays:
            teach[days == day_number(w)] = True
        teach &= (days >= day_number(self.start)) & (days <= day_number(self.end))
        self.teaching = teach
        self.cum: Days = np.concatenate([[0], np.cumsum(teach)])  # cum[i] = teaching days before index i

    @classmethod
    def from_settings(cls, settings: Settings, term: tuple[dt.date, dt.date], as_of: dt.date) -> Calendar:
        t = settings.term
        return cls(term[0], term[1], as_of, [(h.start, h.end) for h in t.holidays], [w.date for w in t.workdays])

    def is_teaching_day(self, day: dt.date) -> bool:
        i = day_number(day) - self.base
        return bool(0 <= i < len(self.teaching) and self.teaching[i])

    def period_starts(self, frequency: str, days: Days) -> Days:
        """The first day of the period holding each day."""
        return FREQUENCIES[frequency].starts(days)

    def periods(self, frequency: str) -> pd.DataFrame:
        """Every period overlapping the term: start, end (day numbers), weekdays, teaching days, name."""
        days = self.ordinals
        inside = (days >= day_number(self.start)) & (days <= day_number(self.end))
        starts = np.unique(self.period_starts(frequency, days[inside]))
        ends = np.array([FREQUENCIES[frequency].end(s) for s in starts], dtype=np.int64)
        weekdays = np.array([int(self.weekday_mask[s - self.base:e - self.base + 1].sum())
                             for s, e in zip(starts, ends)])
        return pd.DataFrame({"p_start": starts.astype(np.int64), "p_end": ends, "weekdays": weekdays,
                             "name": [date_of(s).isoformat() for s in starts]})

    def due_periods(self, frequency: str) -> pd.DataFrame:
        """The periods due of a requirement on the whole class or school (the class's 学情研究, the principal's
        meeting): ended by the as-of date, and at least half of their weekdays teaching days."""
        periods = self.periods(frequency)
        teaching = self.teaching_between(periods["p_start"].to_numpy(), periods["p_end"].to_numpy())
        return periods[(periods["p_end"] <= day_number(self.as_of))
                       & (teaching * 2 >= np.maximum(periods["weekdays"].to_numpy(), 1))]

    def teaching_between(self, lo: Days, hi: Days) -> Days:
        """Teaching days in [lo, hi] (day numbers, vectorised); 0 where hi < lo."""
        n = len(self.teaching)
        a = np.clip(lo - self.base, 0, n)
        b = np.clip(hi - self.base + 1, 0, n)
        return np.where(b > a, self.cum[b] - self.cum[a], 0)
