"""Mentor assessment each term (the points scheme of seed 001, or the four-party review of seed 000),
and the term's recognition candidates. Every number comes from `[assessment]` in the settings.

Displayed figures are rounded half-up to 2 decimals, and thresholds are compared after rounding, so
what the principal reads is what was compared.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from workbook_engine.compliance import record_frame
from workbook_engine.settings import Settings


def r2(value: float | None) -> float | None:
    """Round half-up to 2 decimals (Python's round() is half-even and float-fragile)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def tier(value: float, tiers: list[tuple[float, float]]) -> float:
    """The points of the first tier whose threshold the (rounded) value reaches; 0 below them all."""
    for threshold, points in sorted(tiers, key=lambda t: -t[0]):
        if value >= threshold:
            return points
    return 0.0


def grade_of(class_name: str | None, grades: dict[str, str]) -> str | None:
    """A class's 年级: from its class workbook, else the name's prefix (七年级1班 → 七年级)."""
    if not class_name:
        return None
    if class_name in grades:
        return grades[class_name]
    m = re.match(r"^(.*?(?:年级|高[一二三]|初[一二三]))", class_name)
    return m.group(1) if m else class_name


def percentile_changes(grades: list[dict[str, Any]], class_grades: dict[str, str]) -> pd.DataFrame:
    """Per student with both results: percentile rank within the cohort (same 年级, students with both
    results) last term and this term, and the change. Percentile = average rank / N × 100."""
    g = record_frame(grades, ["student_id", "name", "class_name", "previous", "current"])
    g = g.dropna(subset=["student_id", "previous", "current"]).drop_duplicates("student_id", keep="last")
    if g.empty:
        return g.assign(cohort=[], pct_previous=[], pct_current=[], change=[])
    g = g.assign(cohort=[grade_of(c, class_grades) for c in g["class_name"]])
    g["previous"] = g["previous"].astype(float)
    g["current"] = g["current"].astype(float)
    g["pct_previous"] = g.groupby("cohort")["previous"].rank(method="average", pct=True) * 100
    g["pct_current"] = g.groupby("cohort")["current"].rank(method="average", pct=True) * 100
    g["change"] = g["pct_current"] - g["pct_previous"]
    return g.reset_index(drop=True)


def score_mentors(mentors: list[dict[str, Any]], students: list[dict[str, Any]], records: dict[str, Any],
                  class_grades: dict[str, str], settings: Settings) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """Add "score" and "rank" to each mentor entry (in place); return the mentors and the percentile table."""
    a = settings.assessment
    pct = percentile_changes(records.get("grades", []), class_grades)
    change_by_student = dict(zip(pct["student_id"], pct["change"])) if len(pct) else {}

    conduct = record_frame(records.get("conduct", []), ["class_name", "community", "score"]).dropna(subset=["score"])
    conduct = conduct.assign(cohort=[grade_of(c, class_grades) for c in conduct["class_name"]])
    conduct["score"] = conduct["score"].astype(float)
    community_score = {(c, str(k)): s for c, k, s in zip(conduct["class_name"], conduct["community"], conduct["score"])}
    best = conduct.groupby("cohort")["score"].max().to_dict() if len(conduct) else {}

    class_of_student = {s["student_id"]: s["class"] for s in students}
    votes = record_frame(records.get("satisfaction", []), ["student_id", "teacher_id", "rating"])
    votes["class"] = [class_of_student.get(s) for s in votes["student_id"]]
    votes["satisfied"] = votes["rating"].isin(a.satisfied_ratings)
    votes["unsatisfied"] = votes["rating"] == "不满意"
    # votes per (class, teacher); a vote from a student of no known class counts for the teacher in every class
    tally = votes.groupby([votes["class"].fillna(""), "teacher_id"])[["satisfied", "unsatisfied"]].agg(["sum", "size"])
    by_key: dict[tuple[str, str], tuple[int, int, int]] = {}
    for (cls, tid), row in zip(tally.index, tally.itertuples(index=False)):
        by_key[(cls, tid)] = (int(row[0]), int(row[1]), int(row[2]))  # satisfied, votes, unsatisfied
    cases = record_frame(records.get("deductions", []), ["teacher_id", "date", "kind"])
    case_count = cases.groupby("teacher_id").size().to_dict() if len(cases) else {}
    four = {r.get("teacher_id"): r for r in records.get("four_party", [])}
    mentees: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for s in students:
        mentees.setdefault((s["class"], s["mentor_id"]), []).append(s)

    for m in mentors:
        key = (m["class"], m["teacher_id"])
        mine = mentees.get(key, [])
        if a.scheme == "four_party":
            m["score"] = _four_party(four.get(m["teacher_id"]), settings)
            continue
        base = a.base if mine else 0.0
        changes = [change_by_student[s["student_id"]] for s in mine if s["student_id"] in change_by_student]
        mean_change = r2(float(np.mean(changes))) if changes else None
        grades_pts = min(tier(mean_change, a.grade_tiers), a.grade_max) if mean_change is not None else 0.0
        ratios = []
        for s in mine:
            score = community_score.get((s["class"], str(s.get("community"))))
            top = best.get(grade_of(s["class"], class_grades))
            if score is not None and top:
                ratios.append(score / top)
        conduct_pts = r2(float(np.mean(ratios)) * a.conduct_max) if ratios else 0.0
        own = by_key.get((m["class"], m["teacher_id"]), (0, 0, 0))
        loose = by_key.get(("", m["teacher_id"]), (0, 0, 0))
        satisfied, total_votes, unsatisfied = own[0] + loose[0], own[1] + loose[1], own[2] + loose[2]
        ratio = r2(satisfied / total_votes) if total_votes else None
        sat_pts = tier(ratio, a.satisfaction_tiers) if ratio is not None else 0.0
        n_cases = int(case_count.get(m["teacher_id"], 0))
        deductions = min((unsatisfied + n_cases) * a.deduction_per_case, a.deduction_max)
        total = r2(base + grades_pts + conduct_pts + sat_pts - deductions)
        m["score"] = {
            "scheme": "points", "base": r2(base), "grades": r2(grades_pts), "conduct": r2(conduct_pts),
            "satisfaction": r2(sat_pts), "deductions": r2(deductions), "total": total,
            "detail": {"mean_percentile_change": mean_change, "mentees_with_grades": len(changes),
                       "satisfied_votes": satisfied, "votes": total_votes, "satisfied_ratio": ratio,
                       "unsatisfied_votes": unsatisfied, "deduction_cases": n_cases},
        }
    _rank(mentors)
    return mentors, pct


def _four_party(row: dict[str, Any] | None, settings: Settings) -> dict[str, Any]:
    weights = settings.assessment.four_party_weights
    parts = {k: (row or {}).get(k) for k in ("self", "students", "teachers", "school")}
    given = {k: float(v) for k, v in parts.items() if v is not None}
    weight_sum = sum(weights.get(k, 0) for k in given)
    total = r2(sum(weights.get(k, 0) * v for k, v in given.items()) / weight_sum) if weight_sum else None
    return {"scheme": "four_party", "base": None, "grades": None, "conduct": None, "satisfaction": None,
            "deductions": None, "total": total, **{k: r2(v) for k, v in given.items()},
            "detail": {"missing_parts": [k for k in parts if k not in given]}}


def _rank(mentors: list[dict[str, Any]]) -> None:
    """Competition ranking (1, 2, 2, 4) by total, among mentors with mentees and a total."""
    scored = [m for m in mentors if m.get("mentees") and m["score"].get("total") is not None]
    totals = sorted((m["score"]["total"] for m in scored), reverse=True)
    for m in mentors:
        m["rank"] = totals.index(m["score"]["total"]) + 1 if m in scored else None


def recognition(mentors: list[dict[str, Any]], students: list[dict[str, Any]], pct: pd.DataFrame,
                records: dict[str, Any], class_grades: dict[str, str], settings: Settings) -> list[dict[str, Any]]:
    """Candidates for the term's recognitions, each with the reason in words."""
    a = settings.assessment
    out: list[dict[str, Any]] = []
    # outstanding communities: best 德育量化 per grade among communities whose members' talks are on track
    conduct = record_frame(records.get("conduct", []), ["class_name", "community", "score"]).dropna(subset=["score"])
    talk = {}
    for s in students:
        k = (s["class"], str(s.get("community")))
        e, m = talk.get(k, (0, 0))
        talk[k] = (e + s["talk_periods_expected"], m + s["talk_periods_met"])
    rows = []
    for c, k, score in zip(conduct["class_name"], conduct["community"], conduct["score"]):
        e, m = talk.get((c, str(k)), (0, 0))
        rate = m / e if e else None
        rows.append((grade_of(c, class_grades), c, str(k), float(score), rate))
    for grade in sorted({r[0] for r in rows if r[0]}):
        eligible = [r for r in rows if r[0] == grade and (r[4] is None or r2(r[4]) >= settings.policy.needs_attention)]
        for g, c, k, score, rate in sorted(eligible, key=lambda r: (-r[3], r[1], r[2]))[:a.outstanding_communities]:
            rate_text = f"{r2(rate * 100)}%" if rate is not None else "无记录"
            out.append({"type": "community", "grade": g, "class": c, "id": k, "name": f"{c}第{k}共同体",
                        "value": r2(score), "reason": f"德育量化 {r2(score)} 分，成员谈心达标率 {rate_text}"})
    # progress pacesetters: the largest percentile gains in each grade
    if len(pct):
        for grade, group in sorted(pct.groupby("cohort"), key=lambda kv: str(kv[0])):
            top = group[group["change"] > 0].sort_values(["change", "student_id"], ascending=[False, True])
            for r in top.head(a.progress_pacesetters).itertuples(index=False):
                out.append({"type": "pacesetter", "grade": grade, "class": r.class_name, "id": r.student_id,
                            "name": r.name, "value": r2(r.change),
                            "reason": f"年级百分位由 {r2(r.pct_previous)} 升至 {r2(r.pct_current)}（+{r2(r.change)}）"})
    # outstanding mentors: the top totals among mentors whose compliance is on track
    eligible = [m for m in mentors if m.get("rank") and m.get("status") == "on_track"]
    for m in sorted(eligible, key=lambda m: (m["rank"], m["class"], m["teacher_id"]))[:a.outstanding_mentors]:
        rate = m.get("talk_rate")
        out.append({"type": "mentor", "grade": grade_of(m["class"], class_grades), "class": m["class"],
                    "id": m["teacher_id"], "name": m["name"], "value": m["score"]["total"],
                    "reason": f"考核总分 {m['score']['total']}（第 {m['rank']} 名），谈心达标率 "
                              f"{r2(rate * 100) if rate is not None else '—'}%，达标状态：达标"})
    return out
