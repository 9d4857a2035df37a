"""Compliance: did every mentor meet every requirement (REQUIREMENTS), at the frequency the school sets, in the
school's calendar? Per student and pairing (the grids), then per mentor and class (figures.py), the talk months, the
mentors' monthly summaries, the growth archive and the students overdue.

Dates are day numbers in numpy arrays; the calendar maps each day of the term to its period and says whether it
is a teaching day, so matching records to periods is a group-by and a merge, never a Python loop over records.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from workbook_engine.compliance.calendar import Calendar
from workbook_engine.compliance.figures import class_figures, mentor_figures
from workbook_engine.compliance.frames import day_numbers, iso_days, plain, record_frame
from workbook_engine.compliance.frequencies import MONTHLY, REQUIREMENTS, Days, date_of, day_number
from workbook_engine.compliance.grids import (
    due_grid,
    mark_met,
    mentor_totals,
    months_by_mentor,
    one_per_period,
    own_events,
    pairings,
    record_events,
    students_frame,
    summarise,
)
from workbook_engine.compliance.result import Compliance, Overdue, StudentFigures, TalkMonth
from workbook_engine.schema import MONTHLY_SUMMARY
from workbook_engine.settings import Policy, Settings


def compute(merged: Any, settings: Settings, term: tuple[dt.date, dt.date], as_of: dt.date) -> Compliance:
    """Every requirement of REQUIREMENTS, per student and pairing, per mentor and per class, to the as-of date."""
    cal = Calendar.from_settings(settings, term, as_of)
    policy = settings.policy
    records = merged.records
    talk, parent = REQUIREMENTS["talk"], REQUIREMENTS["parent"]
    talk_frequency, parent_frequency = talk.frequency(policy).key, parent.frequency(policy).key
    st = students_frame(records.get("students", []), cal)
    pairs = pairings(st, records.get("pair_changes", []), cal)
    talk_periods = cal.periods(talk_frequency)
    parent_periods = cal.periods(parent_frequency)
    heads = None
    if policy.head_teacher_talks_count:
        heads = record_frame(records.get("mentors", []), ["_class", "teacher_id", "role"])
        heads = heads[heads["role"] == "班主任"].drop_duplicates("_class")[["_class", "teacher_id"]]
        heads = heads.rename(columns={"teacher_id": "head_id"})

    all_talks = record_events(records.get(talk.records, []), ("escalate", "form", "topic"))
    talks = own_events(all_talks, pairs, heads)
    contacts = own_events(record_events(records.get(parent.records, [])), pairs, heads)
    talk_grid = mark_met(due_grid(pairs, talk_periods, cal), talks[["seg", "day"]], talk_frequency, cal, ("seg",))
    parent_grid = mark_met(due_grid(pairs, parent_periods, cal), contacts[["seg", "day"]], parent_frequency, cal,
                           ("seg",))
    if not talk.checked(policy):
        talk_grid["due"] = False
    if not parent.checked(policy):
        parent_grid["due"] = False
    report_grid = reports_grid(merged, records, pairs, cal, policy)
    by_mentor = {"talk": mentor_totals(talk_grid), "parent": mentor_totals(parent_grid),
                 "report": mentor_totals(report_grid)}
    mentor_months = months_by_mentor(talk_grid, parent_grid, cal)

    per = st.set_index(["_class", "student_id"])
    per = per.join(summarise(talk_grid, "talk_periods")).join(summarise(parent_grid, "parent_periods"))
    per = per.join(summarise(report_grid, "report_periods"))
    last_talk = talks.groupby(["_class", "student_id"])["day"].max()
    last_contact = contacts.groupby(["_class", "student_id"])["day"].max()
    escalated = all_talks[all_talks["escalate"] == "是"].groupby(["_class", "student_id"]).size()
    per = per.join(last_talk.rename("last_talk_day")).join(last_contact.rename("last_parent_day"))
    per = per.join(escalated.rename("escalations"))

    per = per.reset_index()
    for col in ("talk_periods_expected", "talk_periods_met", "parent_periods_expected", "parent_periods_met",
                "report_periods_expected", "report_periods_met", "escalations"):
        per[col] = per[col].fillna(0).astype(int) if col in per else 0
    for col in ("missing_talk_periods", "missing_parent_periods", "missing_report_periods"):
        per[col] = [v if isinstance(v, list) else [] for v in per[col]]
    last_talks, last_contacts = iso_days(per["last_talk_day"]), iso_days(per["last_parent_day"])
    archive_rows = archive_figures(records.get("archive", []), st, cal, settings)
    students: list[StudentFigures] = []
    end = day_number(cal.end)
    # a student counts toward the mentor's load (and the conduct part) while paired on the as-of day: a leaver no
    # longer from the leaving date, a newcomer from the pairing date
    today = min(max(day_number(cal.as_of), day_number(cal.start)), end)
    current = ((per["paired"] <= today) & (per["until"] >= today)).tolist()
    for r in zip(per["_class"], per["student_id"], per["name"], per["mentor_id"], per["talk_periods_expected"],
                 per["talk_periods_met"], per["missing_talk_periods"], per["parent_periods_expected"],
                 per["parent_periods_met"], per["missing_parent_periods"], last_talks,
                 last_contacts, per["attention"], per["escalations"], per["community"], per["until"],
                 per["report_periods_expected"], per["report_periods_met"], per["missing_report_periods"]):
        entry: StudentFigures = {
            "student_id": r[1], "name": plain(r[2]), "class": r[0], "mentor_id": plain(r[3]),
            "talk_periods_expected": int(r[4]), "talk_periods_met": int(r[5]), "missing_talk_periods": r[6],
            "parent_periods_expected": int(r[7]), "parent_periods_met": int(r[8]), "missing_parent_periods": r[9],
            "last_talk": r[10], "last_parent_contact": r[11], "attention": list(r[12]), "escalated": bool(r[13]),
            "community": plain(r[14]), "left": bool(r[15] < end), "current": current[len(students)],
            "report_periods_expected": int(r[16]), "report_periods_met": int(r[17]), "missing_report_periods": r[18],
        }
        archive = archive_rows.get((r[0], r[1]))
        if archive is not None:
            entry["archive_periods_expected"], entry["archive_periods_met"], entry["missing_archive_periods"] = archive
        students.append(entry)

    summaries = monthly_summaries(pairs, records.get("paperwork", []), cal) \
        if REQUIREMENTS["summary"].checked(policy) else {}
    mentors = mentor_figures(records.get("mentors", []), students, settings, records.get("paperwork", []), cal,
                             by_mentor, summaries)
    classes = class_figures(st, per, records, settings, cal)
    overdue = find_overdue(per.assign(_last_talk=pd.Series(last_talks, dtype=object),
                                      _last_parent=pd.Series(last_contacts, dtype=object)), settings, cal)
    cells = ["_class", "student_id", "rule", "name", "state"]
    grid = pd.concat([one_per_period(talk_grid, pairs, len(st)).assign(rule="talk")[cells],
                      one_per_period(parent_grid, pairs, len(st)).assign(rule="parent")[cells]], ignore_index=True)
    return Compliance(cal, students, mentors, classes, overdue, grid,
                      list(talk_periods["name"]), list(parent_periods["name"]),
                      talk_months=with_summaries(talk_months(all_talks, talks, cal), summaries),
                      talk_frequency=talk_frequency, mentor_months=mentor_months,
                      parent_frequency=parent_frequency)


def reports_grid(merged: Any, records: dict[str, Any], pairs: pd.DataFrame, cal: Calendar,
                 policy: Policy) -> pd.DataFrame:
    """Students report to their mentor every half month (《全员育人导师制实施方案》六.3: 受导学生每半月向"导师"汇报):
    checked for the classes whose workbook has the 学生汇报 sheet (or whose mentors sent reports in their own
    books)."""
    report = REQUIREMENTS["report"]
    frequency = report.frequency(policy).key
    rows = records.get(report.records, [])
    classes = {f.class_name for f in getattr(merged, "class_files", [])
               if f.report is not None and getattr(f.report.sheets.get("reports"), "name", None)}
    classes |= {r.get("_class") for r in rows}
    mine = pairs[pairs["_class"].isin(classes)] if report.checked(policy) else pairs.iloc[:0]
    grid = due_grid(mine, cal.periods(frequency), cal)
    if not len(mine):
        return grid.assign(met=pd.Series(dtype=bool))
    ev = own_events(record_events(rows), mine)
    return mark_met(grid, ev[["seg", "day"]], frequency, cal, ("seg",))


def talk_months(all_talks: pd.DataFrame, own: pd.DataFrame, cal: Calendar) -> list[TalkMonth]:
    """谈话月度汇总 (《学情会商制度实施方案》五.4: 每月总结谈话情况记录汇总一次): per class, teacher and month, the talks held, the
    mentees reached (students the talks counted for), the forms and types, the talks flagged 需学校关注.
    Counted on integer codes (one key per class, teacher and month), not by grouping strings."""
    ev = all_talks[(all_talks["day"] > 0) & all_talks["teacher_id"].notna()]
    if ev.empty:
        return []
    classes, teachers = pd.Index(pd.unique(ev["_class"])), pd.Index(pd.unique(ev["teacher_id"]))
    months = cal.period_starts(MONTHLY, ev["day"].to_numpy())
    month_index = pd.Index(np.unique(months))

    def key(frame: pd.DataFrame, month: Days) -> Days:
        pair = classes.get_indexer(frame["_class"]) * len(teachers) + teachers.get_indexer(frame["teacher_id"])
        found: Days = pair * len(month_index) + month_index.get_indexer(month)
        return found

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
             "month": date_of(month_index[i % nm]).strftime("%Y-%m"), "talks": int(talks[i]),
             "mentees_reached": int(reached[i]), "forms": counts["form"].get(i, {}),
             "types": counts["topic"].get(i, {}), "flagged": int(flagged[i])} for i in found.tolist()]


def monthly_summaries(pairs: pd.DataFrame, paperwork: list[dict[str, Any]], cal: Calendar
                      ) -> dict[tuple[str, str], dict[str, str | None]]:
    """The mentor's own monthly summary (《学情会商制度实施方案》五.4: 每月总结谈话情况记录汇总一次): (class, mentor) ->
    month (2026-09) -> the day its 计划总结 row of 类型 月度总结 was handed in, None where missing. A month is due
    for a mentor as a monthly period is due for a pairing (the MONTHLY frequency object): ended by the as-of date,
    at least half its weekdays teaching days on which one of their mentees was paired. A row in the mentor's own
    book (no class) counts in every class of the mentor."""
    grid = due_grid(pairs, cal.periods(MONTHLY), cal)
    due = grid[grid["due"]].drop_duplicates(["_class", "mentor_id", "p_start"])
    rows = [p for p in paperwork if p.get("kind") == MONTHLY_SUMMARY and isinstance(p.get("date"), dt.date)]
    handed: dict[tuple[Any, Any, int], dt.date] = {}  # (class or None, teacher, month start) -> first day handed in
    for p in rows:
        month = int(cal.period_starts(MONTHLY, np.array([day_number(p["date"])]))[0])
        key = (p.get("_class"), p.get("teacher_id"), month)
        handed[key] = min(handed.get(key, p["date"]), p["date"])
    out: dict[tuple[str, str], dict[str, str | None]] = {}
    for cls, tid, start in zip(due["_class"].tolist(), due["mentor_id"].tolist(), due["p_start"].tolist()):
        if not isinstance(tid, str):  # (no mentor: NaN from the frame)
            continue
        day = handed.get((cls, tid, start)) or handed.get((None, tid, start))
        out.setdefault((cls, tid), {})[date_of(start).strftime("%Y-%m")] = day.isoformat() if day else None
    return out


def with_summaries(months: list[TalkMonth], summaries: dict[tuple[str, str], dict[str, str | None]]
                   ) -> list[TalkMonth]:
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


def archive_figures(records: list[dict[str, Any]], st: pd.DataFrame, cal: Calendar,
                    settings: Settings) -> dict[tuple[str, str], tuple[int, int, list[str]]]:
    """A growth-archive entry each due period for every special-attention student: (class, student) -> (periods
    due, periods met, the periods missed)."""
    archive = REQUIREMENTS["archive"]
    if not archive.checked(settings.policy):
        return {}
    focus = st[st["attention"].map(len) > 0]
    if focus.empty:
        return {}
    freq = archive.frequency(settings.policy).key
    grid = due_grid(focus, cal.periods(freq), cal)
    ev = record_frame(records, ["_class", "student_id", "date"])
    ev["day"] = day_numbers(ev["date"])
    ev = ev[ev["day"] > 0]
    grid = mark_met(grid, ev[["_class", "student_id", "day"]], freq, cal)
    s = summarise(grid, "archive_periods")
    return {k: (int(expected), int(met), missing if isinstance(missing, list) else [])
            for k, expected, met, missing in zip(s.index.tolist(), s["archive_periods_expected"].tolist(),
                                                 s["archive_periods_met"].tolist(),
                                                 s["missing_archive_periods"].tolist())}


def find_overdue(per: pd.DataFrame, settings: Settings, cal: Calendar) -> list[Overdue]:
    """Students whose last talk or parent contact (or pairing, if none) is more than one period of
    teaching days ago; holidays and exam weeks do not count against the mentor."""
    today = day_number(cal.as_of)
    rules = [r for r in REQUIREMENTS.values() if r.overdue and r.checked(settings.policy)]
    active = per[(per["until"] >= today) & (per["paired"] <= today)]
    found: list[Overdue] = []
    for requirement in rules:
        rule, days = requirement.rule, requirement.frequency(settings.policy).days
        day_col, iso_col = f"last_{rule}_day", f"_last_{rule}"
        since = active[day_col].fillna(active["paired"]).to_numpy(dtype=np.int64)
        teaching = cal.teaching_between(since + 1, np.full(len(since), today))
        late = teaching > days * 5 // 7
        hit = active[late]
        for sid, name, cls, mentor, last, since_day, teach in zip(
                hit["student_id"], hit["name"], hit["_class"], hit["mentor_id"], hit[iso_col], since[late],
                teaching[late]):
            found.append({"student_id": sid, "name": name, "class": cls, "mentor_id": mentor, "rule": rule,
                          "last": last, "days_since": today - int(since_day), "teaching_days_since": int(teach)})
    return found
