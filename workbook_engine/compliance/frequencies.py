"""The frequencies a school can require, each one registered object, and the requirements measured at them.

A frequency (`Frequency`) says where each period starts and ends and how a reader names it: 每周一次 (weeks from
Monday), 每半月一次 (the 1st to the 15th, the 16th to the month's end), 每月一次 (calendar months). Every place that
needs a frequency — the calendar's periods, the overdue check, the grids' column labels, the months of the trends,
the settings' choices — looks it up in FREQUENCIES by the key a school writes in school.toml.

A requirement (`Requirement`) is one thing the two documents ask for at a frequency — talks with each mentee,
parent contacts, the class's 学情研究 … — with the records it counts, the setting that picks its frequency and the
setting that turns its check on (REQUIREMENTS).

Days are day numbers (`date.toordinal()`; 1 is Monday 0001-01-01), in numpy arrays where there are many.
"""
from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import get_args

import numpy as np
import numpy.typing as npt
import pandas as pd

from workbook_engine.catalogue import t
from workbook_engine.settings import Frequency as FrequencyKey
from workbook_engine.settings import Policy

Days = npt.NDArray[np.int64]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def day_number(day: dt.date) -> int:
    """A date as a day number."""
    return day.toordinal()


def date_of(number: int) -> dt.date:
    """A day number as a date."""
    return dt.date.fromordinal(int(number))


class Frequency(ABC):
    """One frequency the school can require: its periods and its words. A new frequency is one subclass,
    registered with `register`, and its catalogue lines (`compliance.freq.<key>` and its period labels)."""

    key: str  # as written in school.toml (settings.Frequency)
    days: int  # the longest period, in days (the overdue check allows this many calendar days' teaching days)

    @abstractmethod
    def starts(self, days: Days) -> Days:
        """The first day of the period holding each day."""

    @abstractmethod
    def end(self, start: int) -> int:
        """The last day of the period starting on `start`."""

    @abstractmethod
    def period_label(self, start: dt.date, lang: str = "zh") -> str:
        """The period starting on `start`, as a reader says it (9月7日—9月13日, 2026年9月下半月)."""

    @abstractmethod
    def column_label(self, start: dt.date, index: int, with_year: bool, lang: str = "zh") -> str:
        """The period as a grid column names it: the `index`-th period of the term (from 0), its year written when
        `with_year` (the first period, and the first of a new year when the term crosses one)."""

    def label(self, lang: str = "zh") -> str:
        """The requirement in words: 每周一次 / once a week."""
        return t("compliance.freq." + self.key, lang)


def _month_firsts(days: Days) -> tuple[Days, Days]:
    """(the day of the month, the month's first day) of each day."""
    dates = pd.to_datetime(pd.Series(days - 719163, dtype="int64"), unit="D")  # 719163 = 1970-01-01
    mday: Days = dates.dt.day.to_numpy(dtype=np.int64)
    return mday, days - mday + 1


def _month_end(start: int) -> int:
    d = date_of(start)
    return day_number((d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)) - 1


class Weekly(Frequency):
    """每周一次: Monday to Sunday (《学情会商制度实施方案》五.4: 每周必须与受导学生谈心一次)."""

    key, days = "weekly", 7

    def starts(self, days: Days) -> Days:
        return days - (days - 1) % 7  # day 1 (0001-01-01) was a Monday

    def end(self, start: int) -> int:
        return start + 6

    def period_label(self, start: dt.date, lang: str = "zh") -> str:
        end = date_of(self.end(day_number(start)))
        return t("compliance.week_of", lang, m1=start.month, d1=start.day, m2=end.month, d2=end.day,
                 first=start.isoformat(), last=end.isoformat())

    def column_label(self, start: dt.date, index: int, with_year: bool, lang: str = "zh") -> str:
        end = start + dt.timedelta(days=6)
        first = start.isoformat() if with_year or end.year != start.year else start.strftime("%m-%d")
        last = end.isoformat() if end.year != start.year else end.strftime("%m-%d")
        return t("period.week", lang, n=index + 1, first=first, last=last)


class Semimonthly(Frequency):
    """每半月一次: the 1st to the 15th, the 16th to the month's end (《全员育人导师制实施方案》六.3: 每半月至少与学生
    个别谈心一次)."""

    key, days = "semimonthly", 15

    def starts(self, days: Days) -> Days:
        mday, first = _month_firsts(days)
        return np.where(mday >= 16, first + 15, first)

    def end(self, start: int) -> int:
        return start + 14 if date_of(start).day == 1 else _month_end(start)

    def period_label(self, start: dt.date, lang: str = "zh") -> str:
        key = "compliance.first_half_of" if start.day < 16 else "compliance.second_half_of"
        return t(key, lang, year=start.year, month=start.month, month_name=_MONTHS[start.month - 1])

    def column_label(self, start: dt.date, index: int, with_year: bool, lang: str = "zh") -> str:
        return t("period.first_half" if start.day == 1 else "period.second_half", lang,
                 month=start.isoformat()[:7])


class Monthly(Frequency):
    """每月一次: calendar months (每月与学生家长电话或当面联系一次)."""

    key, days = "monthly", 31

    def starts(self, days: Days) -> Days:
        return _month_firsts(days)[1]

    def end(self, start: int) -> int:
        return _month_end(start)

    def period_label(self, start: dt.date, lang: str = "zh") -> str:
        return t("compliance.month_of", lang, year=start.year, month=start.month,
                 month_name=_MONTHS[start.month - 1])

    def column_label(self, start: dt.date, index: int, with_year: bool, lang: str = "zh") -> str:
        return start.isoformat()[:7]


FREQUENCIES: dict[str, Frequency] = {}


def register(frequency: Frequency) -> Frequency:
    """Add a frequency to the registry (its key must be one settings.Frequency accepts)."""
    if frequency.key not in get_args(FrequencyKey):
        raise ValueError(f"settings.Frequency does not accept {frequency.key!r}")
    FREQUENCIES[frequency.key] = frequency
    return frequency


WEEKLY, SEMIMONTHLY, MONTHLY = (register(f()).key for f in (Weekly, Semimonthly, Monthly))


@dataclass(frozen=True)
class Requirement:
    """One thing required at a frequency: the records (merged sheet) it counts, the Policy switch that turns its
    check on, the Policy field that picks its frequency (or the frequency the documents fix), and whether a student
    whose last record is older than one period is listed as overdue."""

    rule: str
    records: str
    switch: str
    frequency_field: str | None = None
    fixed: str | None = None
    overdue: bool = False

    def frequency(self, policy: Policy) -> Frequency:
        key = getattr(policy, self.frequency_field) if self.frequency_field else self.fixed
        return FREQUENCIES[str(key)]

    def checked(self, policy: Policy) -> bool:
        return bool(getattr(policy, self.switch))


REQUIREMENTS: dict[str, Requirement] = {r.rule: r for r in (
    # per pairing: each mentee's talks and parent contacts (《学情会商制度实施方案》五.4; 《全员育人导师制实施方案》六.2, 六.3)
    Requirement("talk", "talks", "check_talks", "talk_frequency", overdue=True),
    Requirement("parent", "contacts", "check_parent_contacts", "parent_contact_frequency", overdue=True),
    # per pairing, in classes that keep 学生汇报: 受导学生每半月向导师汇报 (《全员育人导师制实施方案》六.3)
    Requirement("report", "reports", "check_student_reports", fixed=SEMIMONTHLY),
    # per class: 每周班主任与学生成长导师研究一次学情 (《学情会商制度实施方案》三)
    Requirement("study", "studies", "check_studies", "study_frequency"),
    # per class or community: 班级每月召开一次发展共同体汇报会 (《全员育人导师制实施方案》四.4)
    Requirement("community", "community", "check_community", "community_frequency"),
    # per special-attention student: an entry in the growth archive
    Requirement("archive", "archive", "check_archive", "archive_frequency"),
    # per mentor: 每月总结谈话情况记录汇总一次 (《学情会商制度实施方案》五.4)
    Requirement("summary", "paperwork", "check_monthly_summary", fixed=MONTHLY),
)}
