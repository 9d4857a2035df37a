"""Mentor assessment each term (the points scheme of seed 001, or the four-party review of seed 000),
and the term's recognition candidates. Every number comes from `[assessment]` in the settings.

Displayed figures are rounded half-up to 2 decimals, and thresholds are compared after rounding, so
what the principal reads is what was compared.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from workbook_engine.compliance import record_frame
from workbook_engine.settings import Settings

if TYPE_CHECKING:
    from workbook_engine.combine import Merged
    from workbook_engine.inbox import InboxFile


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


# Which fields of each assessment sheet name a person or a class, checked against the term's rosters.
PEOPLE_FIELDS = {
    "grades": ("student_id", "class_name"),
    "conduct": ("class_name",),
    "satisfaction": ("student_id", "teacher_id"),
    "deductions": ("teacher_id",),
    "leaders": ("class_name", "student_id"),
    "four_party": ("teacher_id",),
}


@dataclass
class Flag:
    """An assessment row left out of scoring, and why (becomes a warning at the row's cell)."""

    sheet: str  # spec key
    record: dict[str, Any]
    code: str
    field: str
    detail: str = ""


def screen(records: dict[str, list[dict[str, Any]]]) -> tuple[dict[str, list[dict[str, Any]]], list[Flag]]:
    """The assessment records that name known people: a 学号 on an accepted roster, a 工号 in an accepted mentor
    list, a class whose workbook was accepted; a vote only from the teacher's own mentee, one per student and
    teacher. Every other row is returned as a Flag instead of being scored (before, an unknown student's
    不满意 cost a mentor points, and deductions for an unknown 工号 vanished). Records stay in the merged book."""
    roster = {r.get("student_id"): r for r in records.get("students", []) if r.get("student_id")}
    teacher_ids = {r.get("teacher_id") for r in records.get("mentors", []) if r.get("teacher_id")}
    classes = {r.get("_class") for r in records.get("students", [])} | \
        {r.get("_class") for r in records.get("mentors", [])}
    known = {"student_id": roster, "teacher_id": teacher_ids, "class_name": classes}
    code = {"student_id": "assessment-unknown-student", "teacher_id": "assessment-unknown-teacher",
            "class_name": "assessment-unknown-class"}
    out = dict(records)
    flags: list[Flag] = []
    for key, fields in PEOPLE_FIELDS.items():
        kept, votes = [], set()
        for rec in records.get(key, []):
            bad = next((f for f in fields if rec.get(f) not in (None, "") and rec.get(f) not in known[f]), None)
            if bad:
                flags.append(Flag(key, rec, code[bad], bad))
                continue
            if key == "satisfaction":
                mentor_id = roster[rec["student_id"]].get("mentor_id") if rec.get("student_id") in roster else None
                if mentor_id != rec.get("teacher_id"):
                    flags.append(Flag(key, rec, "vote-not-own-mentor", "teacher_id", str(mentor_id or "—")))
                    continue
                vote = (rec.get("student_id"), rec.get("teacher_id"))
                if vote in votes:
                    flags.append(Flag(key, rec, "duplicate-vote", "student_id", str(rec.get("teacher_id"))))
                    continue
                votes.add(vote)
            kept.append(rec)
        out[key] = kept
    return out, flags


MENTOR_BOOK_RECORDS = ("talks", "contacts", "reports", "archive")


def mentor_book_strays(records: dict[str, list[dict[str, Any]]], sources: set[str]
                       ) -> list[tuple[dict[str, Any], str, str, str]]:
    """Rows of a mentor's own book about a student who is not on that class's roster, or not that mentor's
    mentee: (row, sheet key, code, detail). They stay in the merged data; compliance counts only a student's
    own mentor, so they count for nobody."""
    if not sources:
        return []
    roster = {(r.get("_class"), r.get("student_id")): r for r in records.get("students", [])}
    out = []
    for key in MENTOR_BOOK_RECORDS:
        for rec in records.get(key, []):
            if rec.get("_source") not in sources:
                continue
            student = roster.get((rec.get("_class"), rec.get("student_id")))
            if student is None:
                out.append((rec, key, "mentor-book-unknown-student", str(rec.get("_class") or "")))
            elif key != "archive" and student.get("mentor_id") != rec.get("teacher_id"):
                out.append((rec, key, "not-own-mentee", str(student.get("mentor_id") or "—")))
    return out


def name_clashes(records: dict[str, list[dict[str, Any]]]) -> list[tuple[dict[str, Any], str]]:
    """Mentor rows whose 工号 another class's list gives a different name: (row, the first name seen)."""
    first: dict[str, str] = {}
    out = []
    for r in records.get("mentors", []):
        tid, name = r.get("teacher_id"), r.get("name")
        if not tid or not name:
            continue
        if first.setdefault(tid, name) != name:
            out.append((r, first[tid]))
    return out


def teachers(mentors: list[dict[str, Any]], settings: Settings) -> list[dict[str, Any]]:
    """One entry per person (工号) over every class they mentor in: classes, mentees and compliance summed,
    the band on the lower of the two school-wide rates. `names` lists every name the 工号 was given."""
    from workbook_engine.compliance import band

    out: dict[str, dict[str, Any]] = {}
    for m in mentors:
        t = out.setdefault(m["teacher_id"], {
            "teacher_id": m["teacher_id"], "name": m["name"], "names": [], "classes": [], "mentees": 0,
            "talk_periods_expected": 0, "talk_periods_met": 0, "parent_periods_expected": 0,
            "parent_periods_met": 0})
        if m["name"] and m["name"] not in t["names"]:
            t["names"].append(m["name"])
        if m["class"] not in t["classes"]:
            t["classes"].append(m["class"])
        for k in ("mentees", "talk_periods_expected", "talk_periods_met", "parent_periods_expected",
                  "parent_periods_met"):
            t[k] += m[k]
    for t in out.values():
        t["talk_rate"] = t["talk_periods_met"] / t["talk_periods_expected"] if t["talk_periods_expected"] else None
        t["parent_rate"] = (t["parent_periods_met"] / t["parent_periods_expected"]
                            if t["parent_periods_expected"] else None)
        rates = [r for r in (t["talk_rate"], t["parent_rate"]) if r is not None]
        t["status"] = band(min(rates) if rates else None, settings) if t["mentees"] else "no_mentees"
    return list(out.values())


def score_teachers(people: list[dict[str, Any]], students: list[dict[str, Any]], records: dict[str, Any],
                   class_grades: dict[str, str], settings: Settings) -> pd.DataFrame:
    """Add "score" and "rank" to each teacher (in place), once per person over all their classes: the base
    once, grades over all mentees, conduct over all mentees' communities, satisfaction over all their votes,
    deductions counted once and capped once. Returns the percentile table."""
    a = settings.assessment
    pct = percentile_changes(records.get("grades", []), class_grades)
    change_by_student = dict(zip(pct["student_id"], pct["change"])) if len(pct) else {}

    conduct = record_frame(records.get("conduct", []), ["class_name", "community", "score"]).dropna(subset=["score"])
    conduct = conduct.assign(cohort=[grade_of(c, class_grades) for c in conduct["class_name"]])
    conduct["score"] = conduct["score"].astype(float)
    community_score = {(c, str(k)): s for c, k, s in zip(conduct["class_name"], conduct["community"], conduct["score"])}
    best = conduct.groupby("cohort")["score"].max().to_dict() if len(conduct) else {}

    tally: dict[str, list[int]] = {}  # teacher -> [satisfied, votes, unsatisfied]
    for v in records.get("satisfaction", []):
        t = tally.setdefault(v.get("teacher_id"), [0, 0, 0])
        t[0] += v.get("rating") in a.satisfied_ratings
        t[1] += 1
        t[2] += v.get("rating") == "不满意"
    case_count: dict[str, int] = {}
    for d in records.get("deductions", []):
        case_count[d.get("teacher_id")] = case_count.get(d.get("teacher_id"), 0) + 1
    four = {r.get("teacher_id"): r for r in records.get("four_party", [])}
    mentees: dict[str, list[dict[str, Any]]] = {}
    for s in students:
        mentees.setdefault(s["mentor_id"], []).append(s)

    for t in people:
        mine = mentees.get(t["teacher_id"], [])
        if a.scheme == "four_party":
            t["score"] = _four_party(four.get(t["teacher_id"]), settings)
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
        satisfied, total_votes, unsatisfied = tally.get(t["teacher_id"], (0, 0, 0))
        ratio = r2(satisfied / total_votes) if total_votes else None
        sat_pts = tier(ratio, a.satisfaction_tiers) if ratio is not None else 0.0
        n_cases = case_count.get(t["teacher_id"], 0)
        deductions = min((unsatisfied + n_cases) * a.deduction_per_case, a.deduction_max)
        total = r2(base + grades_pts + conduct_pts + sat_pts - deductions)
        t["score"] = {
            "scheme": "points", "base": r2(base), "grades": r2(grades_pts), "conduct": r2(conduct_pts),
            "satisfaction": r2(sat_pts), "deductions": r2(deductions), "total": total,
            "detail": {"mean_percentile_change": mean_change, "mentees_with_grades": len(changes),
                       "satisfied_votes": satisfied, "votes": total_votes, "satisfied_ratio": ratio,
                       "unsatisfied_votes": unsatisfied, "deduction_cases": n_cases},
        }
    _rank(people)
    return pct


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
    # outstanding mentors: the top totals among teachers whose compliance (over all their classes) is on track
    eligible = [m for m in mentors if m.get("rank") and m.get("status") == "on_track"]
    for m in sorted(eligible, key=lambda m: (m["rank"], m["teacher_id"]))[:a.outstanding_mentors]:
        rate = m.get("talk_rate")
        grades = sorted({str(grade_of(c, class_grades)) for c in m["classes"]})
        out.append({"type": "mentor", "grade": "、".join(grades), "class": "、".join(m["classes"]),
                    "id": m["teacher_id"], "name": m["name"], "value": m["score"]["total"],
                    "reason": f"考核总分 {m['score']['total']}（第 {m['rank']} 名），谈心达标率 "
                              f"{r2(rate * 100) if rate is not None else '—'}%，达标状态：达标"})
    return out


def flag_people(merged: Merged, files: list[InboxFile]) -> dict[str, list[dict[str, Any]]]:
    """Check the assessment rows against the term's people (see assessment.screen) and mentor names across
    classes; each finding becomes a warning at its cell in the file it came from. Returns the records to score."""
    from workbook_engine.problems import Problem

    by_name = {f.name: f for f in files}
    scored, flags = screen(merged.records)
    found = [(f.record, f.sheet, f.code, f.field, f.record.get(f.field), f.detail) for f in flags]
    found += [(rec, "mentors", "teacher-name-mismatch", "name", rec.get("teacher_id"), first)
              for rec, first in name_clashes(merged.records)]
    mentor_books = {f.name for f in files if f.kind == "mentor"}
    found += [(rec, key, code, "student_id", rec.get("student_id"), detail)
              for rec, key, code, detail in mentor_book_strays(merged.records, mentor_books)]
    for rec, sheet, code, fld, value, detail in found:
        entry = by_name.get(rec.get("_source"))
        data = entry.report.sheets.get(sheet) if entry and entry.report else None
        if data is None:
            continue
        row = rec.get("_row")
        entry.report.problems.append(Problem(code, data.name, data.cell(row, fld) if row else None, row,
                                             data.spec.column(fld).header, value, detail))
    return scored
