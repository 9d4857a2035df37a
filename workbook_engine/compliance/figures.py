"""Per mentor and per class: the periods due and met of each requirement, the paperwork handed in (plan, summary,
reflection, monthly summaries), the class's 学情研究 and community meetings, and the communities without a term
reflection."""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from workbook_engine.compliance.calendar import Calendar
from workbook_engine.compliance.frames import day_numbers, record_frame
from workbook_engine.compliance.frequencies import REQUIREMENTS, day_number
from workbook_engine.compliance.result import ClassFigures, MentorFigures, StudentFigures, band, rate_of
from workbook_engine.schema import MONTHLY_SUMMARY
from workbook_engine.settings import Settings


def mentor_figures(records: list[dict[str, Any]], students: list[StudentFigures], settings: Settings,
                   paperwork: list[dict[str, Any]], cal: Calendar,
                   by_mentor: dict[str, dict[tuple[str, str], tuple[int, int]]],
                   summaries: dict[tuple[str, str], dict[str, str | None]] | None = None) -> list[MentorFigures]:
    """Each mentor of each class: the periods due and met while they were paired with each student (with
    结对变更, the old mentor's periods up to the change, the new one's after), and their paperwork."""
    by_student: dict[tuple[str, str], list[StudentFigures]] = {}
    for s in students:
        by_student.setdefault((s["class"], s["mentor_id"]), []).append(s)
    papers = {(p.get("_class"), p.get("teacher_id")): p for p in paperwork if p.get("kind") != MONTHLY_SUMMARY}
    plan_due = cal.start + dt.timedelta(days=settings.policy.plan_due_days)
    out: list[MentorFigures] = []
    seen: set[tuple[Any, Any]] = set()
    for m in records:
        key: tuple[Any, Any] = (m.get("_class"), m.get("teacher_id"))  # (class, teacher id)
        if key in seen or not key[1]:
            continue
        seen.add(key)
        mine = by_student.get(key, [])
        te, tm = by_mentor["talk"].get(key, (0, 0))
        pe, pm = by_mentor["parent"].get(key, (0, 0))
        re_, rm = by_mentor["report"].get(key, (0, 0))
        talk_rate, parent_rate = rate_of(tm, te), rate_of(pm, pe)
        rates = [r for r in (talk_rate, parent_rate) if r is not None]
        paper = papers.get(key) or papers.get((None, key[1]), {})  # (None: from the mentor's own book)
        plan = paper.get("plan_date")
        summary = paper.get("summary_date")
        entry: MentorFigures = {
            "teacher_id": key[1], "name": m.get("name"), "class": key[0], "role": m.get("role"),
            "email": m.get("email"),
            "mentees": sum(s["current"] for s in mine),  # leavers and students not yet paired do not count
            "talk_periods_expected": te, "talk_periods_met": tm, "talk_rate": talk_rate,
            "parent_periods_expected": pe, "parent_periods_met": pm, "parent_rate": parent_rate,
            "report_periods_expected": re_, "report_periods_met": rm, "report_rate": rate_of(rm, re_),
            "status": band(min(rates) if rates else None, settings) if mine or te or pe else "no_mentees",
        }
        if settings.policy.check_plans:
            plan_is_due = cal.as_of >= plan_due
            entry["plan_on_time"] = (isinstance(plan, dt.date) and plan <= plan_due) if plan_is_due or plan else None
            entry["summary_on_time"] = (isinstance(summary, dt.date) and summary <= cal.end) \
                if cal.as_of >= cal.end or summary else None
        if summaries is not None and REQUIREMENTS["summary"].checked(settings.policy):
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


def class_events(records: list[dict[str, Any]], frequency: str, cal: Calendar, due: pd.DataFrame,
                 extra: list[str]) -> pd.DataFrame:
    """The records of a class-wide requirement, each with the start of its period, kept where that period is due."""
    ev = record_frame(records, ["_class", "date", *extra])
    ev["day"] = day_numbers(ev["date"])
    ev = ev[ev["day"] > 0]
    ev = ev.assign(p_start=cal.period_starts(frequency, ev["day"].to_numpy()) if len(ev)
                   else np.array([], dtype=np.int64))
    return ev[ev["p_start"].isin(due["p_start"])]


def class_figures(st: pd.DataFrame, per: pd.DataFrame, records: dict[str, Any], settings: Settings,
                  cal: Calendar) -> list[ClassFigures]:
    """Each class: its students' periods summed, its 学情研究 weeks and community meetings, the community
    reflections, and its special-attention and escalated students."""
    policy = settings.policy
    study, community = REQUIREMENTS["study"], REQUIREMENTS["community"]
    study_frequency, community_frequency = study.frequency(policy).key, community.frequency(policy).key
    names = sorted(set(st["_class"].dropna())
                   | {r.get("_class") for r in records.get("mentors", []) if r.get("_class")})
    sums = per.groupby("_class").agg(
        students=("student_id", "size"), te=("talk_periods_expected", "sum"), tm=("talk_periods_met", "sum"),
        pe=("parent_periods_expected", "sum"), pm=("parent_periods_met", "sum"),
        attention=("attention", lambda a: int(sum(bool(x) for x in a))),
        escalated=("escalations", lambda e: int((e > 0).sum())),
        re=("report_periods_expected", "sum"), rm=("report_periods_met", "sum"),
    ) if len(per) else pd.DataFrame()
    study_due = cal.due_periods(study_frequency)
    studies = class_events(records.get(study.records, []), study_frequency, cal, study_due, [])
    study_met = studies.drop_duplicates(["_class", "p_start"]).groupby("_class").size()
    comm_due = cal.due_periods(community_frequency)
    units = st.dropna(subset=["community"]).drop_duplicates(["_class", "community"])[["_class", "community"]]
    n_units = units.groupby("_class").size()
    comm = class_events(records.get(community.records, []), community_frequency, cal, comm_due, ["community", "form"])
    if policy.community_meeting == "per_class":
        # one 汇报会 of the class's communities a month (《全员育人导师制实施方案》四.4: 班级每月召开一次发展共同体汇报会)
        comm = comm[comm["form"].isna() | (comm["form"] == "汇报会")]
        comm_met = comm.drop_duplicates(["_class", "p_start"]).groupby("_class").size()
    else:
        comm = comm.merge(units, on=["_class", "community"], how="inner")
        comm_met = comm.drop_duplicates(["_class", "community", "p_start"]).groupby("_class").size()
    without = communities_without_reflection(st, records.get("paperwork", []), cal) \
        if policy.check_reflections and cal.as_of >= cal.end else None
    out: list[ClassFigures] = []
    for c in names:
        row = sums.loc[c] if c in sums.index else None

        def g(k: str, row: Any = row) -> int:
            return int(row[k]) if row is not None else 0

        out.append({"class": c, "students": g("students"),
                    "talk_rate": rate_of(g("tm"), g("te")), "parent_rate": rate_of(g("pm"), g("pe")),
                    "talk_periods_expected": g("te"), "talk_periods_met": g("tm"),
                    "parent_periods_expected": g("pe"), "parent_periods_met": g("pm"),
                    "study_weeks_expected": len(study_due) if study.checked(policy) else 0,
                    "study_weeks_met": int(study_met.get(c, 0)) if study.checked(policy) else 0,
                    "community_months_expected": (len(comm_due) * (1 if policy.community_meeting == "per_class"
                                                                    else int(n_units.get(c, 0)))
                                                  if community.checked(policy) else 0),
                    "community_months_met": int(comm_met.get(c, 0)) if community.checked(policy) else 0,
                    "community_reflections_expected": int(n_units.get(c, 0)) if without is not None else 0,
                    "community_reflections_met": (int(n_units.get(c, 0)) - len(without.get(c, [])))
                    if without is not None else 0,
                    "communities_without_reflection": without.get(c, []) if without is not None else [],
                    "report_periods_expected": g("re"), "report_periods_met": g("rm"),
                    "attention_students": g("attention"), "escalated_students": g("escalated")})
    return out


def communities_without_reflection(st: pd.DataFrame, paperwork: list[dict[str, Any]],
                                   cal: Calendar) -> dict[str, list[str]]:
    """class -> its communities with no term reflection (《全员育人导师制实施方案》五（三）4: 每学期撰写一份心得体会): a
    community's is in
    when a mentor of its students gave a 共同体心得提交日期 within the term."""
    units = st.dropna(subset=["community"])[["_class", "community", "mentor_id"]].drop_duplicates()
    papers = record_frame(paperwork, ["_class", "teacher_id", "reflection_date"])
    papers["day"] = day_numbers(papers["reflection_date"])
    done = papers[(papers["day"] > 0) & (papers["day"] <= day_number(cal.end))]
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
