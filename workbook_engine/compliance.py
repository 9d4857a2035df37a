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

from workbook_engine.settings import Settings

WEEKLY, SEMIMONTHLY, MONTHLY = "weekly", "semimonthly", "monthly"
PERIOD_DAYS = {WEEKLY: 7, SEMIMONTHLY: 15, MONTHLY: 31}
LEFT_STATUSES = ("转出", "休学")

# what a cell of the compliance grid says
MET, MISSED, EXEMPT, UNPAIRED, FUTURE = "met", "missed", "exempt", "unpaired", "future"
BANDS = ("on_track", "needs_attention", "off_track")


def _o(day: dt.date) -> int:
    return day.toordinal()


def _d(ordinal: int) -> dt.date:
    return dt.date.fromordinal(int(ordinal))


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
        if frequency == WEEKLY:
            return ordinals - (ordinals - 1) % 7
        dates = pd.to_datetime(pd.Series(ordinals - 719163, dtype="int64"), unit="D")  # 719163 = 1970-01-01
        day = dates.dt.day.to_numpy()
        first = ordinals - day + 1
        if frequency == SEMIMONTHLY:
            return np.where(day >= 16, first + 15, first)
        return first

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
        if frequency == WEEKLY:
            return start + 6
        d = _d(start)
        if frequency == SEMIMONTHLY and d.day == 1:
            return start + 14
        nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return _o(nxt) - 1

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
    cols = ["_class", "student_id", "name", "mentor_id", "paired_on", "status", "left_on", "attention", "community"]
    st = record_frame(records, cols).dropna(subset=["student_id"]).drop_duplicates(["_class", "student_id"])
    paired = _ordinals(st["paired_on"])
    st["paired"] = np.where(paired > 0, np.maximum(paired, _o(cal.start)), _o(cal.start))
    left = _ordinals(st["left_on"])
    gone = st["status"].isin(LEFT_STATUSES).to_numpy()
    # a student who left without a date is not expected at all; otherwise expected up to the day they left
    st["until"] = np.where(gone, np.where(left > 0, left, st["paired"] - 1), _o(cal.end))
    st["attention"] = [a if isinstance(a, list) else [] for a in st["attention"]]
    return st.reset_index(drop=True)


def _due(st: pd.DataFrame, periods: pd.DataFrame, cal: Calendar) -> pd.DataFrame:
    """Student × period with the state of each (due or not, and why)."""
    grid = st[["_class", "student_id", "paired", "until"]].merge(periods, how="cross")
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


def _met(grid: pd.DataFrame, events: pd.DataFrame, frequency: str, cal: Calendar) -> pd.DataFrame:
    """Mark grid rows met where an event (class, student_id, ordinal) falls in the period."""
    if len(events):
        events = events.assign(p_start=cal.period_starts(frequency, events["day"].to_numpy()))
        hits = events.drop_duplicates(["_class", "student_id", "p_start"])[["_class", "student_id", "p_start"]]
        hits = hits.assign(met=True)
        grid = grid.merge(hits, on=["_class", "student_id", "p_start"], how="left")
        grid["met"] = grid["met"].fillna(False).astype(bool)
    else:
        grid = grid.assign(met=False)
    grid.loc[grid["met"], "state"] = MET
    return grid


def _events(records: list[dict[str, Any]], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    ev = record_frame(records, ["_class", "student_id", "teacher_id", "date", *extra])
    ev["day"] = _ordinals(ev["date"])
    return ev


def _own_events(ev: pd.DataFrame, st: pd.DataFrame) -> pd.DataFrame:
    """Records by the student's own mentor on or after pairing (and not after leaving)."""
    ev = ev.merge(st[["_class", "student_id", "mentor_id", "paired", "until"]], on=["_class", "student_id"], how="inner")
    own = (ev["teacher_id"] == ev["mentor_id"]) & (ev["day"] >= ev["paired"]) & (ev["day"] <= ev["until"]) & (ev["day"] > 0)
    return ev[own]


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
    from workbook_engine.messages import t

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
    talk_periods = cal.periods(policy.talk_frequency)
    parent_periods = cal.periods(policy.parent_contact_frequency)

    all_talks = _events(records.get("talks", []), ("escalate",))
    talks = _own_events(all_talks, st)
    contacts = _own_events(_events(records.get("contacts", [])), st)
    talk_grid = _met(_due(st, talk_periods, cal), talks[["_class", "student_id", "day"]], policy.talk_frequency, cal)
    parent_grid = _met(_due(st, parent_periods, cal), contacts[["_class", "student_id", "day"]],
                       policy.parent_contact_frequency, cal)
    if not policy.check_talks:
        talk_grid["due"] = False
    if not policy.check_parent_contacts:
        parent_grid["due"] = False

    per = st.set_index(["_class", "student_id"])
    per = per.join(_summarise(talk_grid, "talk_periods")).join(_summarise(parent_grid, "parent_periods"))
    last_talk = talks.groupby(["_class", "student_id"])["day"].max()
    last_contact = contacts.groupby(["_class", "student_id"])["day"].max()
    escalated = all_talks[all_talks["escalate"] == "是"].groupby(["_class", "student_id"]).size()
    per = per.join(last_talk.rename("last_talk_day")).join(last_contact.rename("last_contact_day"))
    per = per.join(escalated.rename("escalations"))

    per = per.reset_index()
    for col in ("talk_periods_expected", "talk_periods_met", "parent_periods_expected", "parent_periods_met",
                "escalations"):
        per[col] = per[col].fillna(0).astype(int) if col in per else 0
    for col in ("missing_talk_periods", "missing_parent_periods"):
        per[col] = [v if isinstance(v, list) else [] for v in per[col]]
    last_talks, last_contacts = _iso(per["last_talk_day"]), _iso(per["last_contact_day"])
    archive_rows = _archive(records.get("archive", []), st, cal, settings)
    students = []
    end = _o(cal.end)
    for r in zip(per["_class"], per["student_id"], per["name"], per["mentor_id"], per["talk_periods_expected"],
                 per["talk_periods_met"], per["missing_talk_periods"], per["parent_periods_expected"],
                 per["parent_periods_met"], per["missing_parent_periods"], last_talks,
                 last_contacts, per["attention"], per["escalations"], per["community"], per["until"]):
        entry = {
            "student_id": r[1], "name": _none(r[2]), "class": r[0], "mentor_id": _none(r[3]),
            "talk_periods_expected": int(r[4]), "talk_periods_met": int(r[5]), "missing_talk_periods": r[6],
            "parent_periods_expected": int(r[7]), "parent_periods_met": int(r[8]), "missing_parent_periods": r[9],
            "last_talk": r[10], "last_parent_contact": r[11], "attention": list(r[12]), "escalated": bool(r[13]),
            "community": _none(r[14]), "left": bool(r[15] < end),
        }
        entry.update(archive_rows.get((r[0], r[1]), {}))
        students.append(entry)

    mentors = _mentors(records.get("mentors", []), students, settings, records.get("paperwork", []), cal)
    classes = _classes(st, per, records, settings, cal)
    overdue = _overdue(per.assign(_last_talk=pd.Series(last_talks, dtype=object),
                                  _last_parent=pd.Series(last_contacts, dtype=object)), settings, cal)
    grid = pd.concat([
        talk_grid.assign(rule="talk")[["_class", "student_id", "rule", "name", "state"]],
        parent_grid.assign(rule="parent")[["_class", "student_id", "rule", "name", "state"]],
    ], ignore_index=True)
    return Compliance(cal, students, mentors, classes, overdue, grid,
                      list(talk_periods["name"]), list(parent_periods["name"]), policy.talk_frequency,
                      policy.parent_contact_frequency)


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
             paperwork: list[dict[str, Any]], cal: Calendar) -> list[dict[str, Any]]:
    by_mentor: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for s in students:
        by_mentor.setdefault((s["class"], s["mentor_id"]), []).append(s)
    papers = {(p.get("_class"), p.get("teacher_id")): p for p in paperwork}
    plan_due = cal.start + dt.timedelta(days=settings.policy.plan_due_days)
    out = []
    seen = set()
    for m in records:
        key = (m.get("_class"), m.get("teacher_id"))
        if key in seen or not key[1]:
            continue
        seen.add(key)
        mine = by_mentor.get(key, [])
        te = sum(s["talk_periods_expected"] for s in mine)
        tm = sum(s["talk_periods_met"] for s in mine)
        pe = sum(s["parent_periods_expected"] for s in mine)
        pm = sum(s["parent_periods_met"] for s in mine)
        talk_rate, parent_rate = _rate(tm, te), _rate(pm, pe)
        rates = [r for r in (talk_rate, parent_rate) if r is not None]
        paper = papers.get(key) or papers.get((None, key[1]), {})  # (None: from the mentor's own book)
        plan = paper.get("plan_date")
        summary = paper.get("summary_date")
        entry = {
            "teacher_id": key[1], "name": m.get("name"), "class": key[0], "role": m.get("role"),
            "email": m.get("email"),
            "mentees": len(mine),
            "talk_periods_expected": te, "talk_periods_met": tm, "talk_rate": talk_rate,
            "parent_periods_expected": pe, "parent_periods_met": pm, "parent_rate": parent_rate,
            "status": band(min(rates) if rates else None, settings) if mine else "no_mentees",
        }
        if settings.policy.check_plans:
            plan_is_due = cal.as_of >= plan_due
            entry["plan_on_time"] = (isinstance(plan, dt.date) and plan <= plan_due) if plan_is_due or plan else None
            entry["summary_on_time"] = (isinstance(summary, dt.date) and summary <= cal.end) \
                if cal.as_of >= cal.end or summary else None
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
    ) if len(per) else pd.DataFrame()
    study_due = _due_class_periods(policy.study_frequency, cal)
    studies = _class_events(records.get("studies", []), policy.study_frequency, cal, study_due, [])
    study_met = studies.drop_duplicates(["_class", "p_start"]).groupby("_class").size()
    comm_due = _due_class_periods(policy.community_frequency, cal)
    units = st.dropna(subset=["community"]).drop_duplicates(["_class", "community"])[["_class", "community"]]
    n_units = units.groupby("_class").size()
    comm = _class_events(records.get("community", []), policy.community_frequency, cal, comm_due, ["community"])
    comm = comm.merge(units, on=["_class", "community"], how="inner")
    comm_met = comm.drop_duplicates(["_class", "community", "p_start"]).groupby("_class").size()
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
                    "community_months_expected": len(comm_due) * int(n_units.get(c, 0)) if policy.check_community else 0,
                    "community_months_met": int(comm_met.get(c, 0)) if policy.check_community else 0,
                    "attention_students": g("attention"), "escalated_students": g("escalated")})
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
