"""Compliance: did every mentor meet every frequency the school requires, in the school's calendar?

Dates are day ordinals (``date.toordinal()``) in numpy arrays; a lookup table maps each day of the term
to its period and says whether it is a teaching day, so matching records to periods is a group-by and a
merge, never a Python loop over records.
"""
from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from workbook_engine.schema import MONTHLY_SUMMARY
from workbook_engine.settings import Settings

WEEKLY, SEMIMONTHLY, MONTHLY = "weekly", "semimonthly", "monthly"
LEFT_STATUSES = ("转出", "休学")

# what a cell of the compliance grid says
MET, MISSED, EXEMPT, UNPAIRED, FUTURE = "met", "missed", "exempt", "unpaired", "future"
BANDS = ("on_track", "needs_attention", "off_track")


def _o(day: dt.date) -> int:
    return day.toordinal()


def _d(ordinal: int) -> dt.date:
    return dt.date.fromordinal(int(ordinal))


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True)
class Frequency:
    """One frequency the school can require, as one object: where each period starts and ends, and its labels.
    A new frequency is one instance added to FREQUENCIES (and its key to settings.Frequency)."""

    key: str
    days: int  # the longest period, in days; the requirement in words is message compliance.freq.<key>

    def starts(self, ordinals: np.ndarray) -> np.ndarray:
        """The first day (ordinal) of the period holding each day."""
        if self.key == WEEKLY:
            return ordinals - (ordinals - 1) % 7  # ordinal 1 (0001-01-01) was a Monday
        dates = pd.to_datetime(pd.Series(ordinals - 719163, dtype="int64"), unit="D")  # 719163 = 1970-01-01
        day = dates.dt.day.to_numpy()
        first = ordinals - day + 1
        if self.key == SEMIMONTHLY:
            return np.where(day >= 16, first + 15, first)
        return first

    def end(self, start: int) -> int:
        """The last day (ordinal) of the period starting on `start`."""
        if self.key == WEEKLY:
            return start + 6
        d = _d(start)
        if self.key == SEMIMONTHLY and d.day == 1:
            return start + 14
        nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return _o(nxt) - 1

    def period_label(self, start: dt.date, lang: str = "zh") -> str:
        """The period starting on `start`, as a reader says it."""
        from workbook_engine.catalogue import t

        if self.key == WEEKLY:
            end = _d(self.end(_o(start)))
            return t("compliance.week_of", lang, m1=start.month, d1=start.day, m2=end.month, d2=end.day,
                     first=start.isoformat(), last=end.isoformat())
        key = ("compliance.first_half_of" if start.day < 16 else "compliance.second_half_of") \
            if self.key == SEMIMONTHLY else "compliance.month_of"
        return t(key, lang, year=start.year, month=start.month, month_name=_MONTHS[start.month - 1])

    def label(self, lang: str = "zh") -> str:
        """The requirement in words: 每周一次 / once a week."""
        from workbook_engine.catalogue import t

        return t("compliance.freq." + self.key, lang)

    @property
    def zh(self) -> str:
        return self.label("zh")

    @property
    def en(self) -> str:
        return self.label("en")


FREQUENCIES: dict[str, Frequency] = {f.key: f for f in (
    Frequency(WEEKLY, 7),
    Frequency(SEMIMONTHLY, 15),
    Frequency(MONTHLY, 31),
)}
PERIOD_DAYS = {key: f.days for key, f in FREQUENCIES.items()}


@dataclass
class Calendar:
    """The term's days: which are teaching days, and which period each day belongs to."""

    start: dt.date
    end: dt.date
    as_of: dt.date
    holidays: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    workdays: list[dt.date] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.base = _o(self.start) - 40  # room for periods that start before the term
        n = _o(self.end) - self.base + 40
        days = np.arange(self.base, self.base + n)
        weekday = (days - 1) % 7  # ordinal 1 (0001-01-01) was a Monday
        self.ordinals = days
        self.weekday_mask = weekday < 5
        teach = self.weekday_mask.copy()
        for lo, hi in self.holidays:
            teach[(days >= _o(lo)) & (days <= _o(hi))] = False
        for w in self.workdays:
            teach[days == _o(w)] = True
        teach &= (days >= _o(self.start)) & (days <= _o(self.end))
        self.teaching = teach
        self.cum = np.concatenate([[0], np.cumsum(teach)])  # cum[i] = teaching days before index i

    @classmethod
    def from_settings(cls, settings: Settings, term: tuple[dt.date, dt.date], as_of: dt.date) -> Calendar:
        t = settings.term
        return cls(term[0], term[1], as_of, [(h.start, h.end) for h in t.holidays], [w.date for w in t.workdays])

    def is_teaching_day(self, day: dt.date) -> bool:
        i = _o(day) - self.base
        return bool(0 <= i < len(self.teaching) and self.teaching[i])

    def period_starts(self, frequency: str, ordinals: np.ndarray) -> np.ndarray:
        """The first day (ordinal) of the period holding each day."""
        return FREQUENCIES[frequency].starts(ordinals)

    def periods(self, frequency: str) -> pd.DataFrame:
        """Every period overlapping the term: start, end (ordinals), weekdays, teaching days, name."""
        days = self.ordinals
        inside = (days >= _o(self.start)) & (days <= _o(self.end))
        starts = np.unique(self.period_starts(frequency, days[inside]))
        ends = np.array([self._period_end(frequency, s) for s in starts], dtype=np.int64)
        weekdays = np.array([int(self.weekday_mask[s - self.base:e - self.base + 1].sum()) for s, e in zip(starts, ends)])
        return pd.DataFrame({"p_start": starts.astype(np.int64), "p_end": ends, "weekdays": weekdays,
                             "name": [_d(s).isoformat() for s in starts]})

    def _period_end(self, frequency: str, start: int) -> int:
        return FREQUENCIES[frequency].end(start)

    def teaching_between(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Teaching days in [lo, hi] (ordinals, vectorised); 0 where hi < lo."""
        n = len(self.teaching)
        a = np.clip(lo - self.base, 0, n)
        b = np.clip(hi - self.base + 1, 0, n)
        return np.where(b > a, self.cum[b] - self.cum[a], 0)


def record_frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """Only the named columns, built column by column (much cheaper than from_records on wide dicts)."""
    if not records:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    if len(columns) > 1:
        try:  # records from validation carry every field: one pass with itemgetter, one object block
            rows = list(map(operator.itemgetter(*columns), records))
        except KeyError:
            rows = [tuple(r.get(c) for c in columns) for r in records]
        block = np.empty((len(rows), len(columns)), dtype=object)
        block[:] = rows  # (a list inside a row stays one cell: the target's shape is fixed)
        return pd.DataFrame(block, columns=columns, dtype=object, copy=False)
    return pd.DataFrame({columns[0]: pd.Series([r.get(columns[0]) for r in records], dtype=object)})


def _ordinals(values: pd.Series) -> np.ndarray:
    """Day numbers of the dates (-1 where there is none). Dates repeat (a class's talks fall on a few dozen
    days), so each distinct value is converted once and spread with a hash look-up."""
    distinct = pd.unique(values.to_numpy(dtype=object))
    days = np.fromiter((v.toordinal() if isinstance(v, dt.date) else -1 for v in distinct), dtype=np.int64,
                       count=len(distinct))
    return days[pd.Index(distinct).get_indexer(values)] if len(values) else days


def _rate(met: int, expected: int) -> float | None:
    return round(met / expected, 4) if expected else None


def band(rate: float | None, settings: Settings) -> str:
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
    parent_frequency: str = "monthly"

    def period_labels(self, rule: str, lang: str = "zh") -> dict[str, str]:
        """Period name (its first day) -> the label people use: 第3周 (09-14–09-20), 2026-10."""
        names = self.talk_periods if rule == "talk" else self.parent_periods
        frequency = self.talk_frequency if rule == "talk" else self.parent_frequency
        crosses = self.calendar.start.year != self.calendar.end.year
        # the year is named where it starts to matter: the first period, and the first of the new year
        return {name: period_label(name, frequency, i, crosses and (i == 0 or names[i - 1][:4] != name[:4]), lang)
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


def _students_frame(records: list[dict[str, Any]], cal: Calendar) -> pd.DataFrame:
    cols = ["_class", "student_id", "name", "mentor_id", "paired_on", "status", "left_on", "attention", "community",
            "enrolled_on"]
    st = record_frame(records, cols).dropna(subset=["student_id"]).drop_duplicates(["_class", "student_id"])
    paired = _ordinals(st["paired_on"])
    # no 结对日期: paired from the term's start, or from the day a new student came (入学日期)
    enrolled = _ordinals(st["enrolled_on"])
    st["paired"] = np.maximum(np.where(paired > 0, paired, enrolled), _o(cal.start))
    left = _ordinals(st["left_on"])
    gone = st["status"].isin(LEFT_STATUSES).to_numpy()
    # a student who left without a date is not expected at all; otherwise expected up to the day they left
    st["until"] = np.where(gone, np.where(left > 0, left, st["paired"] - 1), _o(cal.end))
    st["attention"] = [a if isinstance(a, list) else [] for a in st["attention"]]
    return st.reset_index(drop=True)


def _pairings(st: pd.DataFrame, changes: list[dict[str, Any]], cal: Calendar) -> pd.DataFrame:
    """Each student's pairings as rows (seg, class, student, mentor, paired, until): one per student, or, with
    结对变更, one per mentor in turn — the 原导师工号 up to the day before each change, the roster's mentor
    (the current one) from the last change on. A period counts for the mentor paired on it."""
    base = st[["_class", "student_id", "mentor_id", "paired", "until"]]
    ch = record_frame(changes, ["_class", "student_id", "old_mentor_id", "date"])
    ch["day"] = _ordinals(ch["date"])
    ch = ch[(ch["day"] > 0) & ch["old_mentor_id"].notna()]
    if ch.empty:
        return base.assign(seg=np.arange(len(base)))
    ch = ch.merge(base, on=["_class", "student_id"], how="inner").sort_values(["_class", "student_id", "day"])
    if ch.empty:
        return base.assign(seg=np.arange(len(base)))
    keys = ["_class", "student_id"]
    first = ch.groupby(keys)["day"].transform("min").to_numpy()
    # the roster's 结对日期 is the first pairing's when it comes before the first change; else the current one's
    start0 = np.where(ch["paired"].to_numpy() < first, ch["paired"].to_numpy(), _o(cal.start))
    prev = ch.groupby(keys)["day"].shift(1).to_numpy()
    earlier = pd.DataFrame({
        "_class": ch["_class"].to_numpy(), "student_id": ch["student_id"].to_numpy(),
        "mentor_id": ch["old_mentor_id"].to_numpy(),
        "paired": np.where(np.isnan(prev), start0, np.nan_to_num(prev)).astype(np.int64),
        "until": np.minimum(ch["day"].to_numpy() - 1, ch["until"].to_numpy())})
    last = ch.groupby(keys, as_index=False).agg(day=("day", "max"), mentor_id=("mentor_id", "first"),
                                                until=("until", "first"))
    latest = last.assign(paired=last["day"])[["_class", "student_id", "mentor_id", "paired", "until"]]
    moved = pd.MultiIndex.from_frame(base[keys]).isin(pd.MultiIndex.from_frame(last[keys]))
    earlier = earlier[earlier["until"] >= earlier["paired"]]
    out = pd.concat([base[~moved], earlier, latest], ignore_index=True)
    return out.assign(seg=np.arange(len(out)))


def _due(st: pd.DataFrame, periods: pd.DataFrame, cal: Calendar) -> pd.DataFrame:
    """Pairing × period with the state of each (due or not, and why)."""
    cols = [c for c in ("_class", "student_id", "seg", "mentor_id", "paired", "until") if c in st]
    grid = st[cols].merge(periods, how="cross")
    lo = np.maximum(grid["p_start"].to_numpy(), grid["paired"].to_numpy())
    hi = np.minimum(grid["p_end"].to_numpy(), grid["until"].to_numpy())
    teach_student = cal.teaching_between(lo, hi)
    teach_all = cal.teaching_between(grid["p_start"].to_numpy(), grid["p_end"].to_numpy())
    weekdays = grid["weekdays"].to_numpy()
    ended = grid["p_end"].to_numpy() <= _o(cal.as_of)
    calendar_due = teach_all * 2 >= np.maximum(weekdays, 1)
    student_due = teach_student * 2 >= np.maximum(weekdays, 1)
    grid["due"] = ended & student_due
    grid["state"] = np.select(
        [~ended, ~calendar_due, ~student_due], [FUTURE, EXEMPT, UNPAIRED], default=MISSED)
    return grid


def _met(grid: pd.DataFrame, events: pd.DataFrame, frequency: str, cal: Calendar,
         keys: tuple[str, ...] = ("_class", "student_id")) -> pd.DataFrame:
    """Mark grid rows met where an event (keys, ordinal) falls in the period."""
    if len(events):
        on = [*keys, "p_start"]
        events = events.assign(p_start=cal.period_starts(frequency, events["day"].to_numpy()))
        hits = events.drop_duplicates(on)[on]
        hits = hits.assign(met=True)
        grid = grid.merge(hits, on=on, how="left")
        grid["met"] = grid["met"].fillna(False).astype(bool)
    else:
        grid = grid.assign(met=False)
    grid.loc[grid["met"], "state"] = MET
    return grid


def _events(records: list[dict[str, Any]], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    ev = record_frame(records, ["_class", "student_id", "teacher_id", "date", *extra])
    ev["day"] = _ordinals(ev["date"])
    return ev


def _own_events(ev: pd.DataFrame, pairs: pd.DataFrame, heads: pd.DataFrame | None = None) -> pd.DataFrame:
    """Records by the mentor paired with the student on the day (or, with `heads` (class, head_id), by the
    class's head teacher), within the pairing; each tagged with its pairing (seg)."""
    ev = ev.merge(pairs[["_class", "student_id", "seg", "mentor_id", "paired", "until"]], on=["_class", "student_id"],
                  how="inner")
    by = ev["teacher_id"] == ev["mentor_id"]
    if heads is not None and len(heads):
        ev = ev.merge(heads, on="_class", how="left")
        by = (ev["teacher_id"] == ev["mentor_id"]) | (ev["teacher_id"] == ev["head_id"])
    own = by & (ev["day"] >= ev["paired"]) & (ev["day"] <= ev["until"]) & (ev["day"] > 0)
    return ev[own]


GRID_ORDER = {MET: 0, MISSED: 1, EXEMPT: 2, UNPAIRED: 3, FUTURE: 4}


def _one_per_period(grid: pd.DataFrame, pairs: pd.DataFrame, students: int) -> pd.DataFrame:
    """With pairing changes a student has a grid row per pairing and period: keep the one that counts (the
    pairing the period was due for, else the most telling state), so the grid shows one state a period."""
    if len(pairs) == students:
        return grid
    rank = np.where(grid["due"].to_numpy(), 0, 10) + grid["state"].map(GRID_ORDER).to_numpy()
    order = np.argsort(rank, kind="stable")
    return grid.iloc[order].drop_duplicates(["_class", "student_id", "name"]).sort_index()


def _by_mentor(grid: pd.DataFrame) -> dict[tuple[str, str], tuple[int, int]]:
    """(class, mentor paired on the period) -> (periods due, periods met)."""
    due = grid[grid["due"]]
    g = due.groupby(["_class", "mentor_id"])
    return {k: (int(n), int(m)) for k, n, m in zip(g.size().index.tolist(), g.size().tolist(), g["met"].sum().tolist())}


def _mentor_months(talk_grid: pd.DataFrame, parent_grid: pd.DataFrame, cal: Calendar) -> list[dict[str, Any]]:
    """Per teacher (across their classes) and month: talk and parent-contact periods due and met, a period in the
    month it ends in (the figures the 整改名单 reads, rectification.py). Months with nothing due are left out."""
    parts = []
    for rule, grid in (("talk", talk_grid), ("parent", parent_grid)):
        due = grid[grid["due"] & grid["mentor_id"].notna()]
        month = cal.period_starts(MONTHLY, due["p_end"].to_numpy(dtype=np.int64)) if len(due) else []
        g = due.assign(month=month).groupby(["mentor_id", "month"])
        parts.append(pd.DataFrame({f"{rule}_expected": g.size(), f"{rule}_met": g["met"].sum()}))
    both = pd.concat(parts, axis=1).fillna(0).astype(int).sort_index()
    return [{"teacher_id": tid, "month": _d(m).strftime("%Y-%m"), **{k: int(v) for k, v in row.items()}}
            for (tid, m), row in zip(both.index.tolist(), both.to_dict("records"))]


def _summarise(grid: pd.DataFrame, prefix: str) -> pd.DataFrame:
    due = grid[grid["due"]]
    g = due.groupby(["_class", "student_id"])
    out = pd.DataFrame({f"{prefix}_expected": g.size(), f"{prefix}_met": g["met"].sum()})
    miss = due[~due["met"]]
    lists: dict[tuple[str, str], list[str]] = {}  # (a dict, not groupby().agg(list): that loops in Python, slowly)
    for key, name in zip(zip(miss["_class"].tolist(), miss["student_id"].tolist()), miss["name"].tolist()):
        lists.setdefault(key, []).append(name)
    out[f"missing_{prefix}"] = pd.Series([lists.get(k) for k in out.index.tolist()], index=out.index, dtype=object)
    return out


def period_label(name: str, frequency: str, index: int, crosses_year: bool, lang: str = "zh") -> str:
    """A period as people name it: the n-th week of the term with its dates (with_year: the first week, and
    the first of the new year when the term crosses one), a month as 2026-10, a half-month as 2026-10 上半月."""
    from workbook_engine.catalogue import t

    start = dt.date.fromisoformat(name)
    if frequency == WEEKLY:
        end = start + dt.timedelta(days=6)
        first = start.isoformat() if crosses_year or end.year != start.year else start.strftime("%m-%d")
        last = end.isoformat() if end.year != start.year else end.strftime("%m-%d")
        return t("period.week", lang, n=index + 1, first=first, last=last)
    if frequency == SEMIMONTHLY:
        return t("period.first_half" if start.day == 1 else "period.second_half", lang, month=name[:7])
    return name[:7]


def compute(merged: Any, settings: Settings, term: tuple[dt.date, dt.date], as_of: dt.date) -> Compliance:
    cal = Calendar.from_settings(settings, term, as_of)
    policy = settings.policy
    records = merged.records
    st = _students_frame(records.get("students", []), cal)
    pairs = _pairings(st, records.get("pair_changes", []), cal)
    talk_periods = cal.periods(policy.talk_frequency)
    parent_periods = cal.periods(policy.parent_contact_frequency)
    heads = None
    if policy.head_teacher_talks_count:
        heads = record_frame(records.get("mentors", []), ["_class", "teacher_id", "role"])
        heads = heads[heads["role"] == "班主任"].drop_duplicates("_class")[["_class", "teacher_id"]]
        heads = heads.rename(columns={"teacher_id": "head_id"})

    all_talks = _events(records.get("talks", []), ("escalate", "form", "topic"))
    talks = _own_events(all_talks, pairs, heads)
    contacts = _own_events(_events(records.get("contacts", [])), pairs, heads)
    talk_grid = _met(_due(pairs, talk_periods, cal), talks[["seg", "day"]], policy.talk_frequency, cal, ("seg",))
    parent_grid = _met(_due(pairs, parent_periods, cal), contacts[["seg", "day"]],
                       policy.parent_contact_frequency, cal, ("seg",))
    if not policy.check_talks:
        talk_grid["due"] = False
    if not policy.check_parent_contacts:
        parent_grid["due"] = False
    report_grid = _reports_grid(merged, records, pairs, cal, policy.check_student_reports)
    by_mentor = {"talk": _by_mentor(talk_grid), "parent": _by_mentor(parent_grid),
                 "report": _by_mentor(report_grid)}
    mentor_months = _mentor_months(talk_grid, parent_grid, cal)

    per = st.set_index(["_class", "student_id"])
    per = per.join(_summarise(talk_grid, "talk_periods")).join(_summarise(parent_grid, "parent_periods"))
    per = per.join(_summarise(report_grid, "report_periods"))
    last_talk = talks.groupby(["_class", "student_id"])["day"].max()
    last_contact = contacts.groupby(["_class", "student_id"])["day"].max()
    escalated = all_talks[all_talks["escalate"] == "是"].groupby(["_class", "student_id"]).size()
    per = per.join(last_talk.rename("last_talk_day")).join(last_contact.rename("last_contact_day"))
    per = per.join(escalated.rename("escalations"))

    per = per.reset_index()
    for col in ("talk_periods_expected", "talk_periods_met", "parent_periods_expected", "parent_periods_met",
                "report_periods_expected", "report_periods_met", "escalations"):
        per[col] = per[col].fillna(0).astype(int) if col in per else 0
    for col in ("missing_talk_periods", "missing_parent_periods", "missing_report_periods"):
        per[col] = [v if isinstance(v, list) else [] for v in per[col]]
    last_talks, last_contacts = _iso(per["last_talk_day"]), _iso(per["last_contact_day"])
    archive_rows = _archive(records.get("archive", []), st, cal, settings)
    students = []
    end = _o(cal.end)
    # a student counts toward the mentor's load (and the conduct part) while paired on the as-of day: a leaver no
    # longer from the leaving date, a newcomer from the pairing date
    today = min(max(_o(cal.as_of), _o(cal.start)), end)
    current = ((per["paired"] <= today) & (per["until"] >= today)).tolist()
    for r in zip(per["_class"], per["student_id"], per["name"], per["mentor_id"], per["talk_periods_expected"],
                 per["talk_periods_met"], per["missing_talk_periods"], per["parent_periods_expected"],
                 per["parent_periods_met"], per["missing_parent_periods"], last_talks,
                 last_contacts, per["attention"], per["escalations"], per["community"], per["until"],
                 per["report_periods_expected"], per["report_periods_met"], per["missing_report_periods"]):
        entry = {
            "student_id": r[1], "name": _none(r[2]), "class": r[0], "mentor_id": _none(r[3]),
            "talk_periods_expected": int(r[4]), "talk_periods_met": int(r[5]), "missing_talk_periods": r[6],
            "parent_periods_expected": int(r[7]), "parent_periods_met": int(r[8]), "missing_parent_periods": r[9],
            "last_talk": r[10], "last_parent_contact": r[11], "attention": list(r[12]), "escalated": bool(r[13]),
            "community": _none(r[14]), "left": bool(r[15] < end), "current": current[len(students)],
            "report_periods_expected": int(r[16]), "report_periods_met": int(r[17]), "missing_report_periods": r[18],
        }
        entry.update(archive_rows.get((r[0], r[1]), {}))
        students.append(entry)

    summaries = _monthly_summaries(pairs, records.get("paperwork", []), cal) if policy.check_monthly_summary else {}
    mentors = _mentors(records.get("mentors", []), students, settings, records.get("paperwork", []), cal, by_mentor,
                       summaries)
    classes = _classes(st, per, records, settings, cal)
    overdue = _overdue(per.assign(_last_talk=pd.Series(last_talks, dtype=object),
                                  _last_parent=pd.Series(last_contacts, dtype=object)), settings, cal)
    grid = pd.concat([
        _one_per_period(talk_grid, pairs, len(st)).assign(rule="talk")[["_class", "student_id", "rule", "name", "state"]],
        _one_per_period(parent_grid, pairs, len(st)).assign(rule="parent")[
            ["_class", "student_id", "rule", "name", "state"]],
    ], ignore_index=True)
    return Compliance(cal, students, mentors, classes, overdue, grid,
                      list(talk_periods["name"]), list(parent_periods["name"]),
                      talk_months=_with_summaries(_talk_months(all_talks, talks, cal), summaries),
                      talk_frequency=policy.talk_frequency, mentor_months=mentor_months,
                      parent_frequency=policy.parent_contact_frequency)


def _reports_grid(merged: Any, records: dict[str, Any], pairs: pd.DataFrame, cal: Calendar,
                  check: bool) -> pd.DataFrame:
    """Students report to their mentor every half month (seed 001): checked for the classes whose workbook has
    the 学生汇报 sheet (or whose mentors sent reports in their own books)."""
    rows = records.get("reports", [])
    classes = {f.class_name for f in getattr(merged, "class_files", [])
               if f.report is not None and getattr(f.report.sheets.get("reports"), "name", None)}
    classes |= {r.get("_class") for r in rows}
    mine = pairs[pairs["_class"].isin(classes)] if check else pairs.iloc[:0]
    grid = _due(mine, cal.periods(SEMIMONTHLY), cal)
    if not len(mine):
        return grid.assign(met=pd.Series(dtype=bool))
    ev = _own_events(_events(rows), mine)
    return _met(grid, ev[["seg", "day"]], SEMIMONTHLY, cal, ("seg",))


def _talk_months(all_talks: pd.DataFrame, own: pd.DataFrame, cal: Calendar) -> list[dict[str, Any]]:
    """谈话月度汇总 (seed 000: 每月总结谈话情况记录汇总一次): per class, teacher and month, the talks held, the
    mentees reached (students the talks counted for), the forms and types, the talks flagged 需学校关注.
    Counted on integer codes (one key per class, teacher and month), not by grouping strings."""
    ev = all_talks[(all_talks["day"] > 0) & all_talks["teacher_id"].notna()]
    if ev.empty:
        return []
    classes, teachers = pd.Index(pd.unique(ev["_class"])), pd.Index(pd.unique(ev["teacher_id"]))
    months = cal.period_starts(MONTHLY, ev["day"].to_numpy())
    month_index = pd.Index(np.unique(months))

    def key(frame: pd.DataFrame, month: np.ndarray) -> np.ndarray:
        return ((classes.get_indexer(frame["_class"]) * len(teachers) + teachers.get_indexer(frame["teacher_id"]))
                * len(month_index) + month_index.get_indexer(month))

    k = key(ev, months)
    n = len(classes) * len(teachers) * len(month_index)
    talks = np.bincount(k, minlength=n)
    flagged = np.bincount(k, weights=(ev["escalate"] == "是").to_numpy(), minlength=n)
    reached = np.zeros(n, dtype=np.int64)
    if len(own):
        ok = own[own["teacher_id"].isin(teachers) & own["_class"].isin(classes)]
        ko = key(ok, cal.period_starts(MONTHLY, ok["day"].to_numpy()))
        students, names = pd.factorize(ok["student_id"])
        pairs = np.unique(ko.astype(np.int64) * max(len(names), 1) + students)
        reached = np.bincount(pairs // max(len(names), 1), minlength=n)
    counts: dict[str, dict[int, dict[str, int]]] = {}
    for col in ("form", "topic"):
        codes, values = pd.factorize(ev[col])  # (-1: blank)
        have = codes >= 0
        joint, times = np.unique(k[have] * max(len(values), 1) + codes[have], return_counts=True)
        out: dict[int, dict[str, int]] = {}
        for j, c in zip(joint.tolist(), times.tolist()):
            out.setdefault(j // len(values), {})[values[j % len(values)]] = c
        counts[col] = out
    found = np.flatnonzero(talks)
    nt, nm = len(teachers), len(month_index)
    return [{"class": classes[i // (nt * nm)], "teacher_id": teachers[i // nm % nt],
             "month": _d(month_index[i % nm]).strftime("%Y-%m"), "talks": int(talks[i]),
             "mentees_reached": int(reached[i]), "forms": counts["form"].get(i, {}), "types": counts["topic"].get(i, {}),
             "flagged": int(flagged[i])} for i in found.tolist()]


def _monthly_summaries(pairs: pd.DataFrame, paperwork: list[dict[str, Any]], cal: Calendar
                       ) -> dict[tuple[str, str], dict[str, str | None]]:
    """The mentor's own monthly summary (《学情会商制度实施方案》五.4: 每月总结谈话情况记录汇总一次): (class, mentor) ->
    month (2026-09) -> the day its 计划总结 row of 类型 月度总结 was handed in, None where missing. A month is due
    for a mentor as a monthly period is due for a pairing (the MONTHLY frequency object): ended by the as-of date,
    at least half its weekdays teaching days on which one of their mentees was paired. A row in the mentor's own
    book (no class) counts in every class of the mentor."""
    grid = _due(pairs, cal.periods(MONTHLY), cal)
    due = grid[grid["due"]].drop_duplicates(["_class", "mentor_id", "p_start"])
    rows = [p for p in paperwork if p.get("kind") == MONTHLY_SUMMARY and isinstance(p.get("date"), dt.date)]
    handed: dict[tuple[Any, str, int], dt.date] = {}  # (class or None, teacher, month start) -> first day handed in
    for p in rows:
        key = (p.get("_class"), p.get("teacher_id"), int(cal.period_starts(MONTHLY, np.array([_o(p["date"])]))[0]))
        handed[key] = min(handed.get(key, p["date"]), p["date"])
    out: dict[tuple[str, str], dict[str, str | None]] = {}
    for cls, tid, start in zip(due["_class"].tolist(), due["mentor_id"].tolist(), due["p_start"].tolist()):
        if not isinstance(tid, str):  # (no mentor: NaN from the frame)
            continue
        day = handed.get((cls, tid, start)) or handed.get((None, tid, start))
        out.setdefault((cls, tid), {})[_d(start).strftime("%Y-%m")] = day.isoformat() if day else None
    return out


def _with_summaries(months: list[dict[str, Any]], summaries: dict[tuple[str, str], dict[str, str | None]]
                    ) -> list[dict[str, Any]]:
    """谈话月度汇总 with the mentor's own monthly summary beside each month (`summary_due`, `summary_date`), and a
    row of no talks for a month whose summary was due and no talk was held."""
    seen = set()
    for m in months:
        due = summaries.get((m["class"], m["teacher_id"]), {})
        m["summary_due"], m["summary_date"] = m["month"] in due, due.get(m["month"])
        seen.add((m["class"], m["teacher_id"], m["month"]))
    for (cls, tid), due in summaries.items():
        for month, day in due.items():
            if (cls, tid, month) not in seen:
                months.append({"class": cls, "teacher_id": tid, "month": month, "talks": 0, "mentees_reached": 0,
                               "forms": {}, "types": {}, "flagged": 0, "summary_due": True, "summary_date": day})
    return months


def _none(v: Any) -> Any:
    """pandas' missing values (NaN, NA) back to None, so report.json stays valid JSON."""
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v


def _iso(values: pd.Series) -> list[str | None]:
    return [None if v is None or v != v else _d(int(v)).isoformat() for v in values]


def _archive(records: list[dict[str, Any]], st: pd.DataFrame, cal: Calendar,
             settings: Settings) -> dict[tuple[str, str], dict[str, Any]]:
    """A growth-archive entry each due period for every special-attention student."""
    if not settings.policy.check_archive:
        return {}
    focus = st[st["attention"].map(len) > 0]
    if focus.empty:
        return {}
    freq = settings.policy.archive_frequency
    grid = _due(focus, cal.periods(freq), cal)
    ev = record_frame(records, ["_class", "student_id", "date"])
    ev["day"] = _ordinals(ev["date"])
    ev = ev[ev["day"] > 0]
    grid = _met(grid, ev[["_class", "student_id", "day"]], freq, cal)
    s = _summarise(grid, "archive_periods")
    return {k: {"archive_periods_expected": int(expected), "archive_periods_met": int(met),
                "missing_archive_periods": missing if isinstance(missing, list) else []}
            for k, expected, met, missing in zip(s.index.tolist(), s["archive_periods_expected"].tolist(),
                                                 s["archive_periods_met"].tolist(), s["missing_archive_periods"].tolist())}


def _mentors(records: list[dict[str, Any]], students: list[dict[str, Any]], settings: Settings,
             paperwork: list[dict[str, Any]], cal: Calendar,
             by_mentor: dict[str, dict[tuple[str, str], tuple[int, int]]],
             summaries: dict[tuple[str, str], dict[str, str | None]] | None = None) -> list[dict[str, Any]]:
    """Each mentor of each class: the periods due and met while they were paired with each student (with
    结对变更, the old mentor's periods up to the change, the new one's after), and their paperwork."""
    by_student: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for s in students:
        by_student.setdefault((s["class"], s["mentor_id"]), []).append(s)
    papers = {(p.get("_class"), p.get("teacher_id")): p for p in paperwork if p.get("kind") != MONTHLY_SUMMARY}
    plan_due = cal.start + dt.timedelta(days=settings.policy.plan_due_days)
    out = []
    seen = set()
    for m in records:
        key = (m.get("_class"), m.get("teacher_id"))
        if key in seen or not key[1]:
            continue
        seen.add(key)
        mine = by_student.get(key, [])
        te, tm = by_mentor["talk"].get(key, (0, 0))
        pe, pm = by_mentor["parent"].get(key, (0, 0))
        re_, rm = by_mentor["report"].get(key, (0, 0))
        talk_rate, parent_rate = _rate(tm, te), _rate(pm, pe)
        rates = [r for r in (talk_rate, parent_rate) if r is not None]
        paper = papers.get(key) or papers.get((None, key[1]), {})  # (None: from the mentor's own book)
        plan = paper.get("plan_date")
        summary = paper.get("summary_date")
        entry = {
            "teacher_id": key[1], "name": m.get("name"), "class": key[0], "role": m.get("role"),
            "email": m.get("email"),
            "mentees": sum(s["current"] for s in mine),  # leavers and students not yet paired do not count
            "talk_periods_expected": te, "talk_periods_met": tm, "talk_rate": talk_rate,
            "parent_periods_expected": pe, "parent_periods_met": pm, "parent_rate": parent_rate,
            "report_periods_expected": re_, "report_periods_met": rm, "report_rate": _rate(rm, re_),
            "status": band(min(rates) if rates else None, settings) if mine or te or pe else "no_mentees",
        }
        if settings.policy.check_plans:
            plan_is_due = cal.as_of >= plan_due
            entry["plan_on_time"] = (isinstance(plan, dt.date) and plan <= plan_due) if plan_is_due or plan else None
            entry["summary_on_time"] = (isinstance(summary, dt.date) and summary <= cal.end) \
                if cal.as_of >= cal.end or summary else None
        if summaries is not None and settings.policy.check_monthly_summary:
            months = summaries.get(key, {})
            entry["summary_months_expected"] = len(months)
            entry["summary_months_met"] = sum(d is not None for d in months.values())
            entry["missing_summary_months"] = [m for m, d in sorted(months.items()) if d is None]
        if settings.policy.check_reflections:
            reflection = paper.get("reflection_date")
            entry["reflection_on_time"] = (isinstance(reflection, dt.date) and reflection <= cal.end) \
                if cal.as_of >= cal.end or reflection else None
        out.append(entry)
    return out


def _due_class_periods(frequency: str, cal: Calendar) -> pd.DataFrame:
    periods = cal.periods(frequency)
    teaching = cal.teaching_between(periods["p_start"].to_numpy(), periods["p_end"].to_numpy())
    return periods[(periods["p_end"] <= _o(cal.as_of)) & (teaching * 2 >= np.maximum(periods["weekdays"].to_numpy(), 1))]


def _class_events(records: list[dict[str, Any]], frequency: str, cal: Calendar, due: pd.DataFrame,
                  extra: list[str]) -> pd.DataFrame:
    ev = record_frame(records, ["_class", "date", *extra])
    ev["day"] = _ordinals(ev["date"])
    ev = ev[ev["day"] > 0]
    ev = ev.assign(p_start=cal.period_starts(frequency, ev["day"].to_numpy()) if len(ev) else np.array([], dtype=np.int64))
    return ev[ev["p_start"].isin(due["p_start"])]


def _classes(st: pd.DataFrame, per: pd.DataFrame, records: dict[str, Any], settings: Settings,
             cal: Calendar) -> list[dict[str, Any]]:
    policy = settings.policy
    names = sorted(set(st["_class"].dropna()) | {r.get("_class") for r in records.get("mentors", []) if r.get("_class")})
    sums = per.groupby("_class").agg(
        students=("student_id", "size"), te=("talk_periods_expected", "sum"), tm=("talk_periods_met", "sum"),
        pe=("parent_periods_expected", "sum"), pm=("parent_periods_met", "sum"),
        attention=("attention", lambda a: int(sum(bool(x) for x in a))), escalated=("escalations", lambda e: int((e > 0).sum())),
        re=("report_periods_expected", "sum"), rm=("report_periods_met", "sum"),
    ) if len(per) else pd.DataFrame()
    study_due = _due_class_periods(policy.study_frequency, cal)
    studies = _class_events(records.get("studies", []), policy.study_frequency, cal, study_due, [])
    study_met = studies.drop_duplicates(["_class", "p_start"]).groupby("_class").size()
    comm_due = _due_class_periods(policy.community_frequency, cal)
    units = st.dropna(subset=["community"]).drop_duplicates(["_class", "community"])[["_class", "community"]]
    n_units = units.groupby("_class").size()
    comm = _class_events(records.get("community", []), policy.community_frequency, cal, comm_due, ["community", "form"])
    if policy.community_meeting == "per_class":
        # one 汇报会 of the class's communities a month (seed 001: 班级每月召开一次发展共同体汇报会)
        comm = comm[comm["form"].isna() | (comm["form"] == "汇报会")]
        comm_met = comm.drop_duplicates(["_class", "p_start"]).groupby("_class").size()
    else:
        comm = comm.merge(units, on=["_class", "community"], how="inner")
        comm_met = comm.drop_duplicates(["_class", "community", "p_start"]).groupby("_class").size()
    without = _communities_without_reflection(st, records.get("paperwork", []), cal) \
        if policy.check_reflections and cal.as_of >= cal.end else None
    out = []
    for c in names:
        row = sums.loc[c] if c in sums.index else None
        g = (lambda k: int(row[k]) if row is not None else 0)  # noqa: E731
        out.append({"class": c, "students": g("students"),
                    "talk_rate": _rate(g("tm"), g("te")), "parent_rate": _rate(g("pm"), g("pe")),
                    "talk_periods_expected": g("te"), "talk_periods_met": g("tm"),
                    "parent_periods_expected": g("pe"), "parent_periods_met": g("pm"),
                    "study_weeks_expected": len(study_due) if policy.check_studies else 0,
                    "study_weeks_met": int(study_met.get(c, 0)) if policy.check_studies else 0,
                    "community_months_expected": (len(comm_due) * (1 if policy.community_meeting == "per_class"
                                                                    else int(n_units.get(c, 0)))
                                                  if policy.check_community else 0),
                    "community_months_met": int(comm_met.get(c, 0)) if policy.check_community else 0,
                    "community_reflections_expected": int(n_units.get(c, 0)) if without is not None else 0,
                    "community_reflections_met": (int(n_units.get(c, 0)) - len(without.get(c, [])))
                    if without is not None else 0,
                    "communities_without_reflection": without.get(c, []) if without is not None else [],
                    "report_periods_expected": g("re"), "report_periods_met": g("rm"),
                    "attention_students": g("attention"), "escalated_students": g("escalated")})
    return out


def _communities_without_reflection(st: pd.DataFrame, paperwork: list[dict[str, Any]],
                                    cal: Calendar) -> dict[str, list[str]]:
    """class -> its communities with no term reflection (seed 001: 每学期撰写一份心得体会): a community's is in
    when a mentor of its students gave a 共同体心得提交日期 within the term."""
    units = st.dropna(subset=["community"])[["_class", "community", "mentor_id"]].drop_duplicates()
    papers = record_frame(paperwork, ["_class", "teacher_id", "reflection_date"])
    papers["day"] = _ordinals(papers["reflection_date"])
    done = papers[(papers["day"] > 0) & (papers["day"] <= _o(cal.end))]
    own = units.merge(done[["_class", "teacher_id"]].drop_duplicates(), left_on=["_class", "mentor_id"],
                      right_on=["_class", "teacher_id"], how="inner")
    # (a mentor's own book has no class: its reflection counts in every class the mentor has students in)
    anywhere = set(done.loc[done["_class"].isna(), "teacher_id"])
    covered = set(zip(own["_class"], own["community"])) | {
        (c, g) for c, g, m in zip(units["_class"], units["community"], units["mentor_id"]) if m in anywhere}
    out: dict[str, list[str]] = {}
    for c, g in sorted(set(zip(units["_class"], units["community"]))):
        if (c, g) not in covered:
            out.setdefault(c, []).append(g)
    return out


def _overdue(per: pd.DataFrame, settings: Settings, cal: Calendar) -> list[dict[str, Any]]:
    """Students whose last talk or parent contact (or pairing, if none) is more than one period of
    teaching days ago; holidays and exam weeks do not count against the mentor."""
    today = _o(cal.as_of)
    rules = []
    if settings.policy.check_talks:
        rules.append(("talk", "last_talk_day", "_last_talk", PERIOD_DAYS[settings.policy.talk_frequency]))
    if settings.policy.check_parent_contacts:
        rules.append(("parent", "last_contact_day", "_last_parent",
                      PERIOD_DAYS[settings.policy.parent_contact_frequency]))
    active = per[(per["until"] >= today) & (per["paired"] <= today)]
    found: list[dict[str, Any]] = []
    for rule, day_col, iso_col, days in rules:
        since = active[day_col].fillna(active["paired"]).to_numpy(dtype=np.int64)
        teaching = cal.teaching_between(since + 1, np.full(len(since), today))
        late = teaching > days * 5 // 7
        hit = active[late]
        for sid, name, cls, mentor, last, since_day, teach in zip(
                hit["student_id"], hit["name"], hit["_class"], hit["mentor_id"], hit[iso_col], since[late], teaching[late]):
            found.append({"student_id": sid, "name": name, "class": cls, "mentor_id": mentor, "rule": rule,
                          "last": last, "days_since": today - int(since_day), "teaching_days_since": int(teach)})
    return found
