"""What a run learns from the terms the ledger remembers (ledger.History), computed in the run's own process
before anything is written:

- rules across terms: a mentor changed within a school year without a 结对变更 row (a warning at the roster
  cell), and the grade baseline (上学期成绩) taken from last term's grades when the assessment workbook leaves it
  blank (《全员育人导师制实施方案》七.3: 以上学期成绩为基数);
- yearly awards: in a 第二学期 run, 优秀导师 of the school year from both terms' scores and compliance;
- trends: per class and per teacher, this term beside last term; this term's months side by side;
- 教育转化 tracking: each special-attention student month by month.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from workbook_engine import catalogue as messages
from workbook_engine.assessment.cell_warnings import warn_at
from workbook_engine.assessment.scoring import (
    FOUR_PARTS,
    PARTS,
    grade_of,
    group_order,
    r2,
    tie_words,
    top_with_ties,
)
from workbook_engine.compliance.frequencies import REQUIREMENTS
from workbook_engine.compliance.grids import LEFT_STATUSES
from workbook_engine.compliance.result import Compliance
from workbook_engine.ledger.store import History
from workbook_engine.model import InboxFile, Merged, Record
from workbook_engine.settings import Policy, Settings
from workbook_engine.term import TERMS, term_order
from workbook_engine.validation.rules.baseline import fill_baseline
from workbook_engine.validation.rules.ledger import changed_without_record

RELAPSE = "反复"  # a 转化情况 typed in the archive (the dropdown's value)
PAIR_CHANGES = "pair_changes"  # the 结对变更 sheet's key (schema.py), when the schema has it


class TermFigures(TypedDict):
    """A teacher's term in the yearly comparison (the first term's as the ledger remembers it)."""

    total: Any
    rank: Any
    talk_rate: float | None
    parent_rate: float | None
    status: str
    group: str | None  # the score group: the parts the total was built from


class YearlyMentor(TypedDict):
    teacher_id: str
    name: Any
    classes: list[str]
    first: TermFigures
    second: TermFigures
    group: str | None  # both terms' group, or the two joined by | when they differ
    year_total: float  # the mean of the two totals
    eligible: bool  # on track in both terms
    year_rank: NotRequired[int]  # within the group, for the eligible


# rates this term beside the term before (TypedDict's call form: "class" is a key)
ClassTrend = TypedDict("ClassTrend", {
    "class": str, "talk_rate": float | None, "talk_rate_before": float | None, "talk_change": float | None,
    "parent_rate": float | None, "parent_rate_before": float | None, "parent_change": float | None,
})


class TeacherTrend(TypedDict):
    teacher_id: str
    name: Any
    total: float | None
    total_before: float | None
    total_change: float | None
    talk_rate: float | None
    talk_rate_before: float | None
    talk_change: float | None
    parent_rate: float | None
    parent_rate_before: float | None
    parent_change: float | None


# a class's talk and parent-contact rates of the periods that ended in each month (2026-10 -> rate)
ClassMonths = TypedDict("ClassMonths", {"class": str, "talk": dict[str, float | None],
                                        "parent": dict[str, float | None]})
Tracking = TypedDict("Tracking", {
    "class": str, "student_id": str, "name": Any, "attention": list[str], "mentor_id": Any, "leader": str | None,
    "months_on_list": int,
    "months": dict[str, dict[str, int]],  # this term's months -> talks, contacts, archive entries
    "transformation": str | None,  # the latest 转化情况
    "flags": list[str],  # no_talk_this_month, relapse, escalated (worded by the writers: across.flag.*)
})


@dataclass
class AcrossTerms:
    """Everything of earlier terms the outputs show, as plain data (the writers may run in other processes)."""

    previous: tuple[str, str] | None = None  # (school_year, term) of the term before, when the ledger holds it
    yearly: list[YearlyMentor] = field(default_factory=list)  # every teacher scored in both terms of the year
    class_trends: list[ClassTrend] = field(default_factory=list)
    teacher_trends: list[TeacherTrend] = field(default_factory=list)
    months: list[str] = field(default_factory=list)  # YYYY-MM of this term with anything due, in order
    class_months: list[ClassMonths] = field(default_factory=list)  # class, rates by month
    tracking: list[Tracking] = field(default_factory=list)  # special-attention students
    recognition: list[dict[str, Any]] = field(default_factory=list)  # the year's 优秀导师 candidates (mentor_year)


@dataclass
class Trends:
    """This term beside the term before, per class and per teacher, and this term's months side by side."""

    previous: tuple[str, str] | None = None
    class_trends: list[ClassTrend] = field(default_factory=list)
    teacher_trends: list[TeacherTrend] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    class_months: list[ClassMonths] = field(default_factory=list)


def _warn(files: dict[str, InboxFile], rec: dict[str, Any], sheet: str, field_name: str, code: str,
          value: Any, detail: str = "") -> None:
    """A warning at the record's cell in the file it came from."""
    warn_at(files, rec, sheet, field_name, code, value, detail)


# -- rules across terms ---------------------------------------------------------------------------
def check_pairings(merged: Merged, files: list[InboxFile], history: History, school_year: str | None,
                   term: str | None) -> int:
    """In a 第二学期: each student whose mentor is not the one of 第一学期 (the ledger's pairings) and who has no
    结对变更 row gets a warning at the roster's 导师工号 cell (the check: validation.rules.ledger). Returns how
    many."""
    if term != TERMS[1]:
        return 0
    first = history.term_id(school_year, TERMS[0])
    if first is None:
        return 0
    found = changed_without_record(merged.records.get("students", []), merged.records.get(PAIR_CHANGES, []),
                                   history.mentors_of_students(first), LEFT_STATUSES)
    by_name = {f.name: f for f in files}
    for rec, old in found:
        _warn(by_name, rec, "students", "mentor_id", "mentor-changed-without-record", rec.get("student_id"), old)
    return len(found)


def grade_baseline(records: dict[str, list[dict[str, Any]]], files: list[InboxFile], history: History,
                   school_year: str | None, term: str | None, class_grades: dict[str, str] | None = None,
                   lowest_grade: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The records to score with each blank 上学期成绩 taken from the ledger's last-term 本学期成绩 (copies: the
    merged book keeps what was submitted). A blank with no remembered grade is a warning; that row has no
    grade change (as before, when the column was required and such a row was rejected). In a class's first term
    at the school — the lowest grade's 第一学期, or a class the ledger's last term does not know — a blank is
    expected: one line for the class (grade-baseline-first-term), not a warning per student (the check:
    validation.rules.baseline)."""
    rows = records.get("grades", [])
    if not any(r.get("previous") is None for r in rows):
        return records
    prev = history.before(school_year, term)
    remembered = history.grades(prev[0]) if prev else {}
    known = set(history.class_figures(prev[0])) if prev else set()

    def first_term(cls: Any) -> bool:
        youngest = term == TERMS[0] and lowest_grade is not None and grade_of(cls, class_grades or {}) == lowest_grade
        return youngest or cls not in known

    filled, findings = fill_baseline(rows, remembered, first_term)
    by_name = {f.name: f for f in files}
    for rec, code, value, detail in findings:
        _warn(by_name, rec, "grades", "previous", code, value, detail)
    return {**records, "grades": filled}


# -- yearly awards ----------------------------------------------------------------------------------
def stored_group(row: dict[str, Any]) -> str | None:
    """The score group of a term the ledger remembers (assessment.score_teachers): the points scheme's parts that
    were applicable (stored, not NULL); a four-party review's one group."""
    if row.get("scheme") == "four_party":
        return "+".join(FOUR_PARTS)
    return "+".join(k for k in PARTS if row.get(k) is not None) or None


def yearly_mentors(history: History, teachers: list[dict[str, Any]], school_year: str | None,
                   term: str | None) -> list[YearlyMentor]:
    """Every teacher scored in both terms of this school year (a 第二学期 run): both terms' totals, ranks and
    compliance, the year's mean total, and whether compliance was on track in both. Like is compared with like:
    the year's rank is within the teachers whose scores were built from the same parts in both terms (`group`,
    the two terms' score groups), best-evaluated groups first."""
    if term != TERMS[1]:
        return []
    first = history.term_id(school_year, TERMS[0])
    if first is None:
        return []
    before = history.teacher_scores(first)
    out: list[YearlyMentor] = []
    for t in teachers:
        a, total = before.get(t["teacher_id"]), (t.get("score") or {}).get("total")
        if not a or a.get("total") is None or total is None or not t["mentees"]:
            continue
        groups = (stored_group(a), t["score"].get("group"))
        year_total = r2((a["total"] + total) / 2)
        assert year_total is not None  # (both totals are numbers)
        out.append({
            "teacher_id": t["teacher_id"], "name": t["name"], "classes": t["classes"],
            "first": {"total": a["total"], "rank": a["rank"], "talk_rate": a["talk_rate"],
                      "parent_rate": a["parent_rate"], "status": a["status"], "group": groups[0]},
            "second": {"total": total, "rank": t.get("rank"), "talk_rate": t["talk_rate"],
                       "parent_rate": t["parent_rate"], "status": t["status"], "group": groups[1]},
            "group": groups[1] if groups[0] == groups[1] else "|".join(str(g) for g in groups),
            "year_total": year_total,
            "eligible": a["status"] == "on_track" and t["status"] == "on_track",
        })

    def order(y: YearlyMentor) -> tuple[Any, ...]:  # best-evaluated first: both terms' groups, the weaker first
        return tuple(sorted((group_order(y["first"]["group"]), group_order(y["second"]["group"])), reverse=True))

    ranked = sorted((y for y in out if y["eligible"]), key=lambda y: (order(y), y["group"], -y["year_total"],
                                                                      y["teacher_id"]))
    for y in ranked:
        y["year_rank"] = 1 + sum(o["year_total"] > y["year_total"] for o in ranked if o["group"] == y["group"])
    place = {id(y): i for i, y in enumerate(ranked)}
    return sorted(out, key=lambda y: (id(y) not in place, place.get(id(y), 0), y["teacher_id"]))


def _pct_text(rate: float | None) -> str:
    return f"{r2(rate * 100)}%" if rate is not None else "—"


def yearly_recognition(yearly: list[YearlyMentor], top: int, lang: str = "zh") -> list[dict[str, Any]]:
    """The school year's 优秀导师 candidates (report.json recognition, type mentor_year)."""
    out: list[dict[str, Any]] = []
    ranked = [y for y in yearly if y.get("year_rank")]  # (in order: best-evaluated group first, then the mean)
    for _, tied, y in top_with_ties(ranked, lambda y: (y.get("group"), y["year_total"]), top):
        a, b = y["first"], y["second"]
        out.append({
            "type": "mentor_year", "grade": "", "class": "、".join(y["classes"]), "id": y["teacher_id"],
            "name": y["name"], "value": y["year_total"], "rank": y["year_rank"], "tied": tied, "group": y.get("group"),
            "terms": {TERMS[0]: a, TERMS[1]: b},
            "reason": messages.t("across.reason.yearly", lang, total=y["year_total"], rank=y["year_rank"],
                                 t1=a["total"], r1=_pct_text(a["talk_rate"]), t2=b["total"],
                                 r2=_pct_text(b["talk_rate"]))
            + tie_words(tied, y["year_rank"], lang),
        })
    return out


# -- trends -----------------------------------------------------------------------------------------
def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 4)


def trends(history: History, comp: Compliance, teachers: list[dict[str, Any]], policy: Policy,
           school_year: str | None, term: str | None) -> Trends:
    """Per class and per teacher: this term beside the term before (rates, scores, change); and this term's
    months side by side (talk and parent-contact rates of the periods that ended in each month)."""
    across = Trends()
    prev = history.before(school_year, term)
    across.previous = (prev[1], prev[2]) if prev else None
    classes_before = history.class_figures(prev[0]) if prev else {}
    teachers_before = history.teacher_scores(prev[0]) if prev else {}
    for c in comp.classes:
        b = classes_before.get(c["class"], {})
        across.class_trends.append({
            "class": c["class"], "talk_rate": c["talk_rate"], "talk_rate_before": b.get("talk_rate"),
            "talk_change": _change(c["talk_rate"], b.get("talk_rate")), "parent_rate": c["parent_rate"],
            "parent_rate_before": b.get("parent_rate"),
            "parent_change": _change(c["parent_rate"], b.get("parent_rate"))})
    for t in teachers:
        if not t["mentees"]:
            continue
        b = teachers_before.get(t["teacher_id"], {})
        total = (t.get("score") or {}).get("total")
        across.teacher_trends.append({
            "teacher_id": t["teacher_id"], "name": t["name"], "total": total, "total_before": b.get("total"),
            "total_change": _change(total, b.get("total")), "talk_rate": t["talk_rate"],
            "talk_rate_before": b.get("talk_rate"), "talk_change": _change(t["talk_rate"], b.get("talk_rate")),
            "parent_rate": t["parent_rate"], "parent_rate_before": b.get("parent_rate"),
            "parent_change": _change(t["parent_rate"], b.get("parent_rate"))})
    grid = comp.grid
    due = grid[grid["state"].isin(("met", "missed"))]
    counts: dict[tuple[str, str, str], list[int]] = {}
    months: dict[tuple[str, str], str] = {}  # (period, rule) -> its month: a few dozen periods, every student's
    for cls, rule, name, state in zip(due["_class"].tolist(), due["rule"].tolist(), due["name"].tolist(),
                                      due["state"].tolist()):
        month = months.get((name, rule))
        if month is None:
            month = months[name, rule] = _period_month(name, rule, policy)
        tally = counts.setdefault((cls, rule, month), [0, 0])
        tally[0] += state == "met"
        tally[1] += 1
    across.months = sorted({m for _, _, m in counts})
    for c in comp.classes:
        row: ClassMonths = {"class": c["class"], "talk": {}, "parent": {}}
        for m in across.months:
            for rule, rates in (("talk", row["talk"]), ("parent", row["parent"])):
                met, n = counts.get((c["class"], rule, m), (0, 0))
                rates[m] = round(met / n, 4) if n else None
        across.class_months.append(row)
    return across


def _period_month(name: str, rule: str, policy: Policy) -> str:
    """The month a period of a rule's grid counts for: the month it ends in (a week from 28 September to 4 October
    is October's)."""
    start = dt.date.fromisoformat(name)
    frequency = REQUIREMENTS[rule].frequency(policy)
    return dt.date.fromordinal(frequency.end(start.toordinal())).isoformat()[:7]


# -- 教育转化 tracking ------------------------------------------------------------------------------
def tracking(history: History, comp: Compliance, records: dict[str, list[Record]], as_of: dt.date,
             school_year: str | None, term: str | None) -> list[Tracking]:
    """Each special-attention student: months on the list (this term's months to the as-of date, plus every
    earlier term's months the ledger lists them with a category), the 包靠 leader, talks, parent contacts and
    archive entries per month of this term, the latest 转化情况 (this term's archive, else the ledger's), and
    flags as codes, worded by the writers (messages across.flag.*): no_talk_this_month (no talk in the as-of
    month), relapse (the latest 转化情况 is 反复), escalated (需学校关注)."""
    start = comp.calendar.start
    months = []
    day = dt.date(start.year, start.month, 1)
    while day <= as_of:
        months.append(day.isoformat()[:7])
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    focus = [s for s in comp.students if s["attention"] and not s["left"]]
    if not focus:
        return []
    ids = {s["student_id"] for s in focus}
    per: dict[str, Counter[tuple[str, str]]] = {"talks": Counter(), "contacts": Counter(), "archive": Counter()}
    state: dict[str, tuple[str, str]] = {}
    for key, counts in per.items():
        for r in records.get(key, []):
            sid, date = r.get("student_id"), r.get("date")
            if isinstance(sid, str) and sid in ids and isinstance(date, dt.date):
                counts[(sid, date.isoformat()[:7])] += 1
                latest = key == "archive" and r.get("transformation") and \
                    (sid not in state or state[sid][0] <= date.isoformat())
                if latest:
                    state[sid] = (date.isoformat(), r["transformation"])
    earlier_months: Counter[str] = Counter()
    remembered_state: dict[str, str] = {}
    this = term_order((school_year, term), unknown_last=True)
    for tid, year, term_then, _ in history.terms():
        # this term, or a later one when an older term is run again
        if term_order((year, term_then), unknown_last=True) >= this:
            continue
        for (sid,) in history.conn.execute(
                "SELECT student_id FROM students WHERE term_id = ? AND attention IS NOT NULL", (tid,)):
            if sid in ids:
                earlier_months[sid] += 6 if term_then == TERMS[1] else 5  # Feb–Jul, Sep–Jan
        for sid, fields in history.conn.execute(
                "SELECT student_id, fields FROM records WHERE term_id = ? AND sheet = 'archive' ORDER BY date",
                (tid,)):
            st = json.loads(fields or "{}").get("transformation")
            if sid in ids and st:
                remembered_state[sid] = st
    leaders: dict[tuple[Any, Any], list[str | None]] = {}
    for r in records.get("leaders", []):
        leaders.setdefault((r.get("class_name"), r.get("student_id")), []).append(r.get("leader"))
    out: list[Tracking] = []
    this_month = months[-1] if months else None
    for s in sorted(focus, key=lambda s: (s["class"], s["student_id"])):
        sid = s["student_id"]
        lead = leaders.get((s["class"], sid)) or leaders.get((s["class"], None)) or []
        latest = state[sid][1] if sid in state else remembered_state.get(sid)
        by_month = {m: {k: per[k][(sid, m)] for k in per} for m in months}
        flags = []
        if this_month and by_month[this_month]["talks"] == 0:
            flags.append("no_talk_this_month")
        if latest == RELAPSE:
            flags.append("relapse")
        if s["escalated"]:
            flags.append("escalated")
        out.append({"class": s["class"], "student_id": sid, "name": s["name"], "attention": s["attention"],
                    "mentor_id": s["mentor_id"], "leader": "、".join(x for x in lead if x) or None,
                    "months_on_list": len(months) + earlier_months[sid], "months": by_month,
                    "transformation": latest, "flags": flags})
    return out


def compute(history: History | None, comp: Compliance | None, teachers: list[dict[str, Any]],
            records: dict[str, list[Record]], settings: Settings, as_of: dt.date, school_year: str | None,
            term: str | None, lang: str = "zh") -> AcrossTerms:
    """Yearly awards (`recognition`, for the run's recognition list), trends and tracking, from the ledger's
    history (nothing without one)."""
    if history is None or comp is None:
        return AcrossTerms()
    yearly = yearly_mentors(history, teachers, school_year, term)
    found = trends(history, comp, teachers, settings.policy, school_year, term)
    return AcrossTerms(previous=found.previous, yearly=yearly, class_trends=found.class_trends,
                       teacher_trends=found.teacher_trends, months=found.months, class_months=found.class_months,
                       tracking=tracking(history, comp, records, as_of, school_year, term),
                       recognition=yearly_recognition(yearly, settings.assessment.outstanding_mentors, lang))
