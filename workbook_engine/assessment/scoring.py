"""Mentor assessment each term (the points scheme of 《全员育人导师制实施方案》七、考核评价, or the four-party review of
《学情会商制度实施方案》六.1), and the term's recognition candidates. Every number comes from `[assessment]` in the
settings.

Displayed figures are rounded half-up to 2 decimals. The grade tiers are compared on the displayed mean
percentile change (what the principal reads is what was compared); the satisfaction tiers on the exact ratio,
as 《全员育人导师制实施方案》七.5 writes them (100% → 1, ≥ 90% → 0.8, 80–90% → 0.6: 199 of 200 is not 100%).
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from workbook_engine.assessment.cell_warnings import warn_at
from workbook_engine.assessment.school_work import named_students
from workbook_engine.catalogue import sheet_name, t
from workbook_engine.combining.combine import DEFAULT_OFFICE
from workbook_engine.compliance.frames import record_frame
from workbook_engine.compliance.result import MentorFigures, StudentFigures, band
from workbook_engine.model import InboxFile, Merged
from workbook_engine.schema import sheet_spec
from workbook_engine.settings import Settings

# the assessment screening (rows naming unknown people, votes not from a mentee…) is a rule unit
from workbook_engine.validation.rules.screening import name_clashes, screen, unknown_studied


def r2(value: float | None) -> float | None:
    """Round half-up to 2 decimals (Python's round() is half-even and float-fragile)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def tier(value: float, tiers: list[tuple[float, float]]) -> float:
    """The points of the first tier whose threshold the value reaches; 0 below them all."""
    for threshold, points in sorted(tiers, key=lambda t: -t[0]):
        if value >= threshold:
            return points
    return 0.0


def grade_of(class_name: str | None, grades: dict[str, str]) -> str | None:
    """A class's 年级: from its class workbook, else the name's prefix (三年级1班 → 三年级)."""
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


def teachers(mentors: list[MentorFigures], settings: Settings) -> list[dict[str, Any]]:
    """One entry per person (工号) over every class they mentor in: classes, mentees and compliance summed,
    the band on the lower of the two school-wide rates. `names` lists every name the 工号 was given."""

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
        worked = t["mentees"] or t["talk_periods_expected"] or t["parent_periods_expected"]
        t["status"] = band(min(rates) if rates else None, settings) if worked else "no_mentees"
    return list(out.values())


PARTS = ("grades", "conduct", "satisfaction")  # the points scheme's parts that can be not applicable
FOUR_PARTS = ("self", "students", "teachers", "school")


def satisfaction_points(satisfied: int, votes: int, tiers: list[tuple[float, float]]) -> float:
    """The tier of the exact ratio satisfied / votes (no rounding first: 199/200 is not 100%, 179/200 is not
    90%). Thresholds are read as written (0.9 is 9/10 exactly)."""
    ratio = Fraction(satisfied, votes)
    for threshold, points in sorted(tiers, key=lambda t: -t[0]):
        if ratio >= Fraction(repr(float(threshold))):
            return points
    return 0.0


def full_marks(settings: Settings) -> float:
    """The points scheme's full marks: base + the maxima of grades, conduct and satisfaction (10 by default)."""
    a = settings.assessment
    return a.base + a.grade_max + a.conduct_max + max((p for _, p in a.satisfaction_tiers), default=0.0)


def scaled_total(base: float, parts: dict[str, float | None], deductions: float,
                 settings: Settings) -> tuple[float, float, float]:
    """(total, points before scaling, the applicable maximum). A part that is None is not applicable: with
    `missing_part = "scale"` the points earned are scaled from the applicable maximum to full marks,
        total = (base + applicable parts) × full marks / (base max + applicable parts' maxima) − deductions,
    so a grade-1 mentor without marks is judged on 7 points scaled to 10; with "zero" the part counts 0."""
    a = settings.assessment
    maxima = {"grades": a.grade_max, "conduct": a.conduct_max,
              "satisfaction": max((p for _, p in a.satisfaction_tiers), default=0.0)}
    earned = base + sum(v for v in parts.values() if v is not None)
    if a.missing_part == "zero":
        applicable = full_marks(settings)
    else:
        applicable = a.base + sum(maxima[k] for k, v in parts.items() if v is not None)
    scale = full_marks(settings) / applicable if applicable else 1.0
    return earned * scale - deductions, earned, applicable


def score_teachers(people: list[dict[str, Any]], students: list[StudentFigures], records: dict[str, Any],
                   class_grades: dict[str, str], settings: Settings) -> pd.DataFrame:
    """Add "score" and "rank" to each teacher (in place), once per person over all their classes: the base
    once, grades over all mentees, conduct over all mentees' communities, satisfaction over all their votes,
    deductions counted once and capped once. Returns the percentile table.

    A part with no data is not applicable (None, shown 不适用), not zero: grades when no cohort (年级) of the
    teacher's mentees has students with both results (一年级第一学期 has no last term; many schools give
    grades 1-2 no marks); conduct when none of the mentees' communities has a 德育量化 score; satisfaction
    when nobody voted. See scaled_total."""
    a = settings.assessment
    pct = percentile_changes(records.get("grades", []), class_grades)
    change_by_student = dict(zip(pct["student_id"], pct["change"])) if len(pct) else {}
    graded_cohorts = set(pct["cohort"]) if len(pct) else set()

    conduct = record_frame(records.get("conduct", []), ["class_name", "community", "score"]).dropna(subset=["score"])
    conduct = conduct.assign(cohort=[grade_of(c, class_grades) for c in conduct["class_name"]])
    conduct["score"] = conduct["score"].astype(float)
    community_score = {(c, str(k)): s for c, k, s in zip(conduct["class_name"], conduct["community"], conduct["score"])}
    best = conduct.groupby("cohort")["score"].max().to_dict() if len(conduct) else {}

    tally: dict[str, list[int]] = {}  # teacher -> [satisfied, votes, unsatisfied]
    for v in records.get("satisfaction", []):
        counts = tally.setdefault(v.get("teacher_id"), [0, 0, 0])
        counts[0] += v.get("rating") in a.satisfied_ratings
        counts[1] += 1
        counts[2] += v.get("rating") == "不满意"
    cases: dict[str, dict[str, int]] = {}  # teacher -> 类型 -> rows
    for d in records.get("deductions", []):
        per = cases.setdefault(d.get("teacher_id"), {})
        per[d.get("kind")] = per.get(d.get("kind"), 0) + 1
    four = {r.get("teacher_id"): r for r in records.get("four_party", [])}
    mentees: dict[str, list[StudentFigures]] = {}
    for s in students:
        if s.get("current", True):  # a leaver stops counting from the leaving date, a newcomer from pairing
            mentees.setdefault(s["mentor_id"], []).append(s)

    for person in people:
        mine = mentees.get(person["teacher_id"], [])
        if a.scheme == "four_party":
            person["score"] = _four_party(four.get(person["teacher_id"]), bool(mine), settings)
            continue
        parts: dict[str, float | None] = {}
        changes = [change_by_student[s["student_id"]] for s in mine if s["student_id"] in change_by_student]
        mean_change = r2(float(np.mean(changes))) if changes else None
        if graded_cohorts & {grade_of(s["class"], class_grades) for s in mine}:
            parts["grades"] = min(tier(mean_change, a.grade_tiers), a.grade_max) if mean_change is not None else 0.0
        else:
            parts["grades"] = None
        ratios = []
        for s in mine:
            score = community_score.get((s["class"], str(s.get("community"))))
            if score is None:
                continue
            top = best.get(grade_of(s["class"], class_grades))
            ratios.append(min(max(score / top, 0.0), 1.0) if top and top > 0 else 0.0)
        parts["conduct"] = r2(float(np.mean(ratios)) * a.conduct_max) if ratios else None
        satisfied, total_votes, unsatisfied = tally.get(person["teacher_id"], (0, 0, 0))
        parts["satisfaction"] = (satisfaction_points(satisfied, total_votes, a.satisfaction_tiers) if total_votes
                                 else None)
        by_kind = cases.get(person["teacher_id"], {})
        owed = unsatisfied * a.deduction_per_case + sum(n * a.deduction_points.get(k, a.deduction_per_case)
                                                         for k, n in by_kind.items())
        deductions = min(owed, a.deduction_max)
        detail = {"mean_percentile_change": mean_change, "mentees_with_grades": len(changes),
                  "satisfied_votes": satisfied, "votes": total_votes,
                  "satisfied_ratio": round(satisfied / total_votes, 4) if total_votes else None,
                  "unsatisfied_votes": unsatisfied, "deduction_cases": sum(by_kind.values()),
                  "deduction_cases_by_type": dict(sorted(by_kind.items())),
                  "no_data": [k for k in PARTS if parts[k] is None]}
        if not mine:
            person["score"] = {"scheme": "points", "status": "no_mentees", "base": 0.0,
                          **{k: None for k in PARTS}, "deductions": r2(deductions), "total": None,
                          "not_applicable": list(PARTS), "group": None, "detail": detail}
            continue
        if not any(v is not None for v in parts.values()):
            # only the base: nothing of the mentor's work was evaluated, so no total, no rank and no award
            person["score"] = {"scheme": "points", "status": "nothing_evaluated", "base": r2(a.base),
                          **{k: None for k in PARTS}, "deductions": r2(deductions), "total": None,
                          "not_applicable": list(PARTS), "group": None, "detail": detail}
            continue
        total, earned, applicable = scaled_total(a.base, parts, deductions, settings)
        zero = a.missing_part == "zero"
        person["score"] = {
            "scheme": "points", "status": "complete", "base": r2(a.base),
            **{k: r2(0.0 if v is None and zero else v) for k, v in parts.items()},
            "deductions": r2(deductions), "total": r2(total),
            "not_applicable": [] if zero else detail["no_data"],
            # mentors are compared with those whose score is built from the same parts (zero: every part counts)
            "group": "+".join(PARTS if zero else [k for k in PARTS if parts[k] is not None]),
            "detail": {**detail, "points": r2(earned), "applicable_max": r2(applicable),
                       "full_marks": r2(full_marks(settings))},
        }
    _rank(people)
    return pct


def _four_party(row: dict[str, Any] | None, has_mentees: bool, settings: Settings) -> dict[str, Any]:
    """The weighted mean of the four reviews (《学情会商制度实施方案》六.1: 导师自评和学生、教师、学校四方评议). A missing part is not weighted
    away: the teacher is `incomplete`, has no total and is not ranked, and the missing parts are named. A part
    weighted 0 is not required."""
    weights = settings.assessment.four_party_weights
    given = {k: float(v) for k in FOUR_PARTS if (v := (row or {}).get(k)) is not None}
    missing = [k for k in FOUR_PARTS if k not in given and weights.get(k, 0) > 0]
    weight_sum = sum(weights.get(k, 0) for k in FOUR_PARTS)
    total = None
    if not missing and weight_sum:
        total = r2(sum(weights.get(k, 0) * v for k, v in given.items() if weights.get(k, 0) > 0) / weight_sum)
    status = "no_mentees" if not has_mentees else "incomplete" if missing else "complete"
    group = "+".join(k for k in FOUR_PARTS if weights.get(k, 0) > 0) if status == "complete" else None
    return {"scheme": "four_party", "status": status, "base": None, "grades": None, "conduct": None,
            "satisfaction": None, "deductions": None, "total": total, "group": group,
            **{k: r2(given[k]) if k in given else None for k in FOUR_PARTS},
            "missing_parts": missing, "not_applicable": [], "detail": {"missing_parts": missing}}


def group_parts(group: str | None) -> list[str]:
    """The parts a score group is built from (besides the base): "grades+conduct" -> ["grades", "conduct"]."""
    return group.split("+") if group else []


def group_order(group: str | None) -> tuple[int, list[int]]:
    """Groups best-evaluated first: more parts first, then in the scheme's order of parts (no group last)."""
    parts = group_parts(group)
    every = PARTS + FOUR_PARTS
    return (-len(parts) if parts else 1, [every.index(p) if p in every else len(every) for p in parts])


def score_groups(people: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(group, its ranked members by rank then 工号), best-evaluated group first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for p in people:
        if p.get("rank") is not None:
            groups.setdefault(p["score"]["group"], []).append(p)
    return [(g, sorted(groups[g], key=lambda p: (p["rank"], p["teacher_id"])))
            for g in sorted(groups, key=group_order)]


def _rank(mentors: list[dict[str, Any]]) -> None:
    """Competition ranking (1, 2, 2, 4) by total within each score group — mentors whose scores are built from the
    same parts (a score from fewer parts is never ranked above one from more) — among mentors with mentees and a
    total (an incomplete four-party review and a score of the base alone have none). The group's size is kept in
    the score."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for m in mentors:
        m["rank"] = None
        if m.get("mentees") and m["score"].get("total") is not None:
            groups.setdefault(m["score"]["group"], []).append(m)
    for members in groups.values():
        totals = sorted((m["score"]["total"] for m in members), reverse=True)
        for m in members:
            m["rank"] = totals.index(m["score"]["total"]) + 1
            m["score"]["group_size"] = len(members)


def top_with_ties(items: list[Any], value: Any, places: int) -> list[tuple[int, bool, Any]]:
    """(rank, tied, item) for the first `places` of `items` — already in order: the measure, then the rule that
    breaks ties — and every further item tied with the last of them, so a tie at the last place is shown, never
    cut by the order. Ranks are competition ranks (1, 2, 2, 4) on `value`; tied: another item has the same."""
    values = [value(i) for i in items]
    out: list[tuple[int, bool, Any]] = []
    for n, (item, v) in enumerate(zip(items, values)):
        if n >= places and (not out or v != value(out[-1][2])):
            break
        out.append((1 + sum(w > v for w in values), values.count(v) > 1, item))
    return out


def recognition(mentors: list[dict[str, Any]], students: list[StudentFigures], pct: pd.DataFrame,
                records: dict[str, Any], class_grades: dict[str, str], settings: Settings,
                lang: str = "zh") -> list[dict[str, Any]]:
    """Candidates for the term's recognitions, each with its place in its list (`rank`, `tied`) and the reason
    (依据) in words in lang. Ties at the last place are all listed; the rule that breaks them when the places
    are fixed is written under the list (tie_rules)."""
    a = settings.assessment
    out: list[dict[str, Any]] = []
    # outstanding communities: best 德育量化 per grade among communities with data — a score, members on an
    # accepted roster and (when talks are checked) talk periods due — whose members' talks are on track
    conduct = record_frame(records.get("conduct", []), ["class_name", "community", "score"]).dropna(subset=["score"])
    members: dict[tuple[str, str], list[int]] = {}  # (class, community) -> [students, expected, met]
    for s in students:
        tally = members.setdefault((s["class"], str(s.get("community"))), [0, 0, 0])
        tally[0] += 1
        tally[1] += s["talk_periods_expected"]
        tally[2] += s["talk_periods_met"]
    rows = []
    for c, k, score in zip(conduct["class_name"], conduct["community"], conduct["score"]):
        n, e, m = members.get((c, str(k)), (0, 0, 0))
        if not n or (settings.policy.check_talks and not e):
            continue  # no data about this community: never a candidate
        rate = m / e if e else None
        if rate is not None and (r2(rate) or 0.0) < settings.policy.needs_attention:
            continue
        rows.append((grade_of(c, class_grades), c, str(k), float(score), rate))
    for grade in sorted({r[0] for r in rows if r[0]}):
        # the measure: 德育量化; ties broken by the members' talk rate, then class and community (tie_rules)
        ordered = sorted((r for r in rows if r[0] == grade), key=lambda r: (-r[3], -(r[4] or 0), r[1], r[2]))
        for rank, tied, (g, c, k, score, rate) in top_with_ties(ordered, lambda r: r2(r[3]), a.outstanding_communities):
            rate_text = f"{r2(rate * 100)}%" if rate is not None else t("assessment.not_checked", lang)
            out.append({"type": "community", "grade": g, "class": c, "id": k, "rank": rank, "tied": tied,
                        "name": t("assessment.community_name", lang, cls=c, k=k), "value": r2(score),
                        "reason": t("assessment.reason.community", lang, score=r2(score), rate=rate_text)
                        + tie_words(tied, rank, lang)})
    out += helpful_stars(students, records, class_grades, lang)
    # progress pacesetters: the largest percentile gains in each grade; ties broken by the higher percentile now
    if len(pct):
        for grade, group in sorted(pct.groupby("cohort"), key=lambda kv: str(kv[0])):
            top = group[group["change"] > 0].sort_values(["change", "pct_current", "student_id"],
                                                         ascending=[False, False, True])
            ordered = list(top.itertuples(index=False))
            for rank, tied, r in top_with_ties(ordered, lambda r: r2(r.change), a.progress_pacesetters):
                out.append({"type": "pacesetter", "grade": grade, "class": r.class_name, "id": r.student_id,
                            "name": r.name, "value": r2(r.change), "rank": rank, "tied": tied,
                            "reason": t("assessment.reason.pacesetter", lang, before=r2(r.pct_previous),
                                        after=r2(r.pct_current), change=r2(r.change)) + tie_words(tied, rank, lang)})
    out += term_praise(mentors, class_grades, a.outstanding_mentors, lang)
    return out


def term_praise(mentors: list[dict[str, Any]], class_grades: dict[str, str], places: int,
                lang: str = "zh") -> list[dict[str, Any]]:
    """学期表扬 (《小学学情会商制度实施方案》: 进行考核评价，对成绩显著者给予表扬与奖励; 优秀导师 is the yearly award of
    《全员育人导师制实施方案》): the top totals among ranked teachers whose compliance over all their classes is on
    track, from the best-evaluated score group first (a score built from fewer parts never comes before one built
    from more); within a group by total, ties broken by talk rate, then parent-contact rate, then 工号."""
    eligible = [m for m in mentors if m.get("rank") and m.get("status") == "on_track"]
    ordered = sorted(eligible, key=lambda m: (group_order(m["score"]["group"]), m["rank"], -(m.get("talk_rate") or 0),
                                              -(m.get("parent_rate") or 0), m["teacher_id"]))
    out = []
    for _, tied, m in top_with_ties(ordered, lambda m: (m["score"]["group"], m["score"]["total"]), places):
        rate = m.get("talk_rate")
        grades = sorted({str(grade_of(c, class_grades)) for c in m["classes"]})
        out.append({"type": "term_praise", "grade": "、".join(grades), "class": "、".join(m["classes"]),
                    "id": m["teacher_id"], "name": m["name"], "value": m["score"]["total"], "rank": m["rank"],
                    "tied": tied, "group": m["score"]["group"],
                    "reason": t("assessment.reason.term_praise", lang, total=m["score"]["total"], rank=m["rank"],
                                group=group_label(m["score"]["group"], lang),
                                rate=f"{r2(rate * 100)}%" if rate is not None else "—")
                    + tie_words(tied, m["rank"], lang)})
    return out


def tie_words(tied: bool, rank: int, lang: str) -> str:
    """"（并列第 2 名）" after a reason when the candidate shares its place."""
    return t("assessment.tied", lang, rank=rank) if tied else ""


def group_label(group: str | None, lang: str = "zh") -> str:
    """A score group in words: the parts its scores are built from besides the base (成绩、德育、满意度)."""
    parts = group_parts(group)
    return t("sum.sep", lang).join(t("sum.part." + p, lang) for p in parts) if parts else t("score.group.none", lang)


TIE_RULES = ("community", "star", "pacesetter", "term_praise", "mentor_year")


def tie_rules(lang: str = "zh") -> str:
    """The rules that break ties when a list's places are fixed, one sentence a list (written under the list)."""
    return " ".join(t("assessment.tie_rule." + k, lang) for k in TIE_RULES)


def helpful_stars(students: list[StudentFigures], records: dict[str, Any],
                  class_grades: dict[str, str], lang: str = "zh") -> list[dict[str, Any]]:
    """乐于助人小明星 candidates from `小明星推荐`: in each class, the student(s) with the most nominations (one per
    推荐人 and student); every student tied for the most is listed. The reasons typed stay in the merged book."""
    roster = {s["student_id"]: s for s in students}
    by: dict[str, set[str]] = {}
    for n in records.get("star_nominations", []):
        if n.get("student_id") in roster and n.get("nominator"):
            by.setdefault(n["student_id"], set()).add(str(n["nominator"]))
    per_class: dict[str, list[tuple[int, str]]] = {}
    for sid, who in by.items():
        per_class.setdefault(roster[sid]["class"], []).append((len(who), sid))
    out = []
    for cls in sorted(per_class):
        most = max(n for n, _ in per_class[cls])
        tied = sorted(sid for n, sid in per_class[cls] if n == most)
        for sid in tied:
            others = t("sum.sep", lang).join(str(roster[o]["name"]) for o in tied if o != sid)
            note = t("assessment.star.tied", lang, names=others) if len(tied) > 1 else t("assessment.star.most", lang)
            out.append({"type": "star", "grade": grade_of(cls, class_grades), "class": cls, "id": sid,
                        "name": roster[sid]["name"], "value": most, "rank": 1, "tied": len(tied) > 1,
                        "reason": t("assessment.reason.star", lang, n=most, note=note)})
    return out


def flag_people(merged: Merged, files: list[InboxFile], term: tuple[Any, Any] | None = None
                ) -> dict[str, list[dict[str, Any]]]:
    """Check the assessment rows against the term's people and its dates and mentor names across classes (the
    checks: validation.rules.screening); each finding becomes a warning at its cell in the file it came from.
    Returns the records to score."""
    by_name = {f.name: f for f in files}
    scored, flags = screen(merged.records, term)
    found = [(f.record, f.sheet, f.code, f.field, f.record.get(f.field), f.detail) for f in flags]
    found += [(rec, "mentors", "teacher-name-mismatch", "name", rec.get("teacher_id"), first)
              for rec, first in name_clashes(merged.records)]
    found += [(rec, "school_work", "school-work-unknown-student", "students", token, "")
              for rec, token in unknown_studied(merged.records, named_students)]
    for rec, sheet, code, fld, value, detail in found:
        warn_at(by_name, rec, sheet, fld, code, value, detail)
    return scored


def assessment_parts(merged: Merged, settings: Settings, lang: str = "zh") -> list[dict[str, Any]]:
    """Each assessment part the scheme uses (《全员育人导师制实施方案》七、考核评价: 成绩, 德育量化, 满意度测评,
    考核扣分; 四方评议 under the four-party scheme), the offices whose accepted workbook carried rows of it, and,
    for a part no file supplied, what that does to the scores — so the principal is told, not left to guess."""

    a = settings.assessment
    keys = ("four_party", "grades", "conduct") if a.scheme == "four_party" else \
        ("grades", "conduct", "satisfaction", "deductions")
    out = []
    for key in keys:
        offices: list[str] = []
        rows = 0
        for f in merged.assessments:
            data = f.report.sheets.get(key) if f.report else None
            count = f.rows.get(data.name) if data is not None and data.name else None
            if count is not None and count.accepted:
                rows += count.accepted
                office = (f.report.class_info.get("office") if f.report else None) or DEFAULT_OFFICE
                if office not in offices:
                    offices.append(office)
        how = "four_party" if a.scheme == "four_party" else a.missing_part
        effect = None if offices else t(f"parts.effect.{key}.{how}" if key in PARTS else f"parts.effect.{key}", lang)
        out.append({"part": sheet_spec(key).name, "name": sheet_name(sheet_spec(key), lang), "offices": offices,
                    "rows": rows, "missing": not offices, "effect": effect})
    return out


def part_line(part: dict[str, Any], lang: str = "zh") -> str:
    """One part in the principal's words: "德育量化：政教处" or "德育量化：未收到任何部门的数据，德育分不计"."""
    if part["missing"]:
        return t("parts.missing", lang, part=part["name"], effect=part["effect"])
    names = {t(f"parts.office.{k}", "zh"): k for k in ("academic", "moral", "general", "principal")}
    offices = [t(f"parts.office.{names[o]}", lang) if o in names else o for o in part["offices"]]
    return t("parts.sent", lang, part=part["name"], offices=t("cli.list_sep", lang).join(offices))
