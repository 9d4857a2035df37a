"""The settings as a file's reader needs them (ReadingSettings): plain values, so that a spawned reader unpickles
them without importing pydantic and the settings' models (~0.1 s of each reader's start where nothing forks:
Windows, macOS)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from workbook_engine.term import calendar_range


@dataclass(frozen=True)
class ReadingSettings:
    """The [attention], [policy] and [limits] values and the term calendars of a school's settings
    (settings.Settings), with its term_range: everything validation reads of them."""

    attention: SimpleNamespace
    policy: SimpleNamespace
    limits: SimpleNamespace
    this_term: tuple[dt.date, dt.date] | None  # term_range() with no term named
    calendars: dict[tuple[str, str], tuple[dt.date | None, dt.date | None]]  # (学年, 学期) -> first, last day

    @classmethod
    def of(cls, settings: Any) -> ReadingSettings:
        """The reader's view of a settings.Settings (itself when it is one already)."""
        if isinstance(settings, ReadingSettings):
            return settings
        return cls(SimpleNamespace(**settings.attention.model_dump()), SimpleNamespace(**settings.policy.model_dump()),
                   SimpleNamespace(**settings.limits.model_dump()), settings.term_range(),
                   {e.key(): (e.start, e.end) for e in settings.calendars()})

    def term_range(self, school_year: str | None = None, term: str | None = None) -> tuple[dt.date, dt.date] | None:
        """As settings.Settings.term_range."""
        if school_year is None and term is None:
            return self.this_term
        return calendar_range(self.calendars.get((school_year, term)) if school_year and term else None,
                              school_year, term)
