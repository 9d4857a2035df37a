"""The pairing × period grids: each student's pairings over the term (with 结对变更, one per mentor in turn), each
pairing's periods of a frequency with their state (met, missed, exempt, unpaired, future), and the records that
meet them. Matching records to periods is a group-by and a merge, never a Python loop over records."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbook_engine.compliance.calendar import Calendar
from workbook_engine.compliance.frames import day_numbers, record_frame
from workbook_engine.compliance.frequencies import MONTHLY, Days, date_of, day_number
from workbook_engine.compliance.result import MentorMonth

LEFT_STATUSES = ("转出", "休学")

# what a cell of the compliance grid says
MET, MISSED, EXEMPT, UNPAIRED, FUTURE = "met", "missed", "exempt", "unpaired", "future"


def students_frame(records: list[dict[str, Any]], cal: Calendar) -> pd.DataFrame:
    cols = ["_class", "student_id", "name", "mentor_id", "paired_on", "status", "left_on", "attention", "community",
            "enrolled_on"]
    st = record_frame(records, cols).dropna(subset=["student_id"]).drop_duplicates(["_class", "student_id"])
    paired = day_numbers(st["paired_on"])
    # no 结对日期: paired from the term's start, or from the day a new student came (入学日期)
    enrolled = day_numbers(st["enrolled_on"])
    st["paired"] = np.maximum(np.where(paired > 0, paired, enrolled), day_number(cal.start))
    left = day_numbers(st["left_on"])
    gone = st["status"].isin(LEFT_STATUSES).to_numpy()
    # a student who left without a date is not expected at all; otherwise expected up to the day they left
    st["until"] = np.where(gone, np.where(left > 0, left, st["paired"] - 1), day_number(cal.end))
    st["attention"] = [a if isinstance(a, list) else [] for a in st["attention"]]
    return st.reset_index(drop=True)


def pairings(st: pd.DataFrame, changes: list[dict[str, Any]], cal: Calendar) -> pd.DataFrame:
    """Each student's pairings as rows (seg, class, student, mentor, paired, until): one per student, or, with
    结对变更, one per mentor in turn — the 原导师工号 up to the day before each change, the roster's mentor
    (the current one) from the last change on. A period counts for the mentor paired on it."""
    base = st[["_class", "student_id", "mentor_id", "paired", "until"]]
    ch = record_frame(changes, ["_class", "student_id", "old_mentor_id", "date"])
    ch["day"] = day_numbers(ch["date"])
    ch = ch[(ch["day"] > 0) & ch["old_mentor_id"].notna()]
    if ch.empty:
        return base.assign(seg=np.arange(len(base)))
    ch = ch.merge(base, on=["_class", "student_id"], how="inner").sort_values(["_class", "student_id", "day"])
    if ch.empty:
        return base.assign(seg=np.arange(len(base)))
    keys = ["_class", "student_id"]
    first = ch.groupby(keys)["day"].transform("min").to_numpy()
    # the roster's 结对日期 is the first pairing's when it comes before the first change; else the current one's
    start0 = np.where(ch["paired"].to_numpy() < first, ch["paired"].to_numpy(), day_number(cal.start))
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


def due_grid(st: pd.DataFrame, periods: pd.DataFrame, cal: Calendar) -> pd.DataFrame:
    """Pairing × period with the state of each (due or not, and why)."""
    cols = [c for c in ("_class", "student_id", "seg", "mentor_id", "paired", "until") if c in st]
    grid = st[cols].merge(periods, how="cross")
    lo = np.maximum(grid["p_start"].to_numpy(), grid["paired"].to_numpy())
    hi = np.minimum(grid["p_end"].to_numpy(), grid["until"].to_numpy())
    teach_student = cal.teaching_between(lo, hi)
    teach_all = cal.teaching_between(grid["p_start"].to_numpy(), grid["p_end"].to_numpy())
    weekdays = grid["weekdays"].to_numpy()
    ended = grid["p_end"].to_numpy() <= day_number(cal.as_of)
    calendar_due = teach_all * 2 >= np.maximum(weekdays, 1)
    student_due = teach_student * 2 >= np.maximum(weekdays, 1)
    grid["due"] = ended & student_due
    grid["state"] = np.select(
        [~ended, ~calendar_due, ~student_due], [FUTURE, EXEMPT, UNPAIRED], default=MISSED)
    return grid


def mark_met(grid: pd.DataFrame, events: pd.DataFrame, frequency: str, cal: Calendar,
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


def record_events(records: list[dict[str, Any]], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    ev = record_frame(records, ["_class", "student_id", "teacher_id", "date", *extra])
    ev["day"] = day_numbers(ev["date"])
    return ev


def own_events(ev: pd.DataFrame, pairs: pd.DataFrame, heads: pd.DataFrame | None = None) -> pd.DataFrame:
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


def one_per_period(grid: pd.DataFrame, pairs: pd.DataFrame, students: int) -> pd.DataFrame:
    """With pairing changes a student has a grid row per pairing and period: keep the one that counts (the
    pairing the period was due for, else the most telling state), so the grid shows one state a period."""
    if len(pairs) == students:
        return grid
    rank = np.where(grid["due"].to_numpy(), 0, 10) + grid["state"].map(GRID_ORDER).to_numpy()
    order = np.argsort(rank, kind="stable")
    return grid.iloc[order].drop_duplicates(["_class", "student_id", "name"]).sort_index()


def mentor_totals(grid: pd.DataFrame) -> dict[tuple[str, str], tuple[int, int]]:
    """(class, mentor paired on the period) -> (periods due, periods met)."""
    due = grid[grid["due"]]
    g = due.groupby(["_class", "mentor_id"])
    return {k: (int(n), int(m)) for k, n, m in zip(g.size().index.tolist(), g.size().tolist(), g["met"].sum().tolist())}


def months_by_mentor(talk_grid: pd.DataFrame, parent_grid: pd.DataFrame, cal: Calendar) -> list[MentorMonth]:
    """Per teacher (across their classes) and month: talk and parent-contact periods due and met, a period in the
    month it ends in (the figures the 整改名单 reads, rectification.py). Months with nothing due are left out."""
    parts = []
    for rule, grid in (("talk", talk_grid), ("parent", parent_grid)):
        due = grid[grid["due"] & grid["mentor_id"].notna()]
        month: Days | list[int] = cal.period_starts(MONTHLY, due["p_end"].to_numpy(dtype=np.int64)) if len(due) else []
        g = due.assign(month=month).groupby(["mentor_id", "month"])
        parts.append(pd.DataFrame({f"{rule}_expected": g.size(), f"{rule}_met": g["met"].sum()}))
    both = pd.concat(parts, axis=1).fillna(0).astype(int).sort_index()
    return [{"teacher_id": tid, "month": date_of(m).strftime("%Y-%m"), "talk_expected": int(row["talk_expected"]),
             "talk_met": int(row["talk_met"]), "parent_expected": int(row["parent_expected"]),
             "parent_met": int(row["parent_met"])}
            for (tid, m), row in zip(both.index.tolist(), both.to_dict("records"))]


def summarise(grid: pd.DataFrame, prefix: str) -> pd.DataFrame:
    due = grid[grid["due"]]
    g = due.groupby(["_class", "student_id"])
    out = pd.DataFrame({f"{prefix}_expected": g.size(), f"{prefix}_met": g["met"].sum()})
    miss = due[~due["met"]]
    lists: dict[tuple[str, str], list[str]] = {}  # (a dict, not groupby().agg(list): that loops in Python, slowly)
    for key, name in zip(zip(miss["_class"].tolist(), miss["student_id"].tolist()), miss["name"].tolist()):
        lists.setdefault(key, []).append(name)
    out[f"missing_{prefix}"] = pd.Series([lists.get(k) for k in out.index.tolist()], index=out.index, dtype=object)
    return out

