"""整改名单: the mentor who cannot do the job (《学情会商制度实施方案》六.2: 凡不能履行导师职责的，学校将有权予以更换，
并限期进行自查整改).

- A teacher's month (one that has ended by the as-of date and by the 填表日期 of each of the teacher's class books:
  a month the books do not yet cover is not judged) is 未达标 when, over their classes, the talk periods or
  the parent-contact periods due in it (a period in the month it ends in) were met at a rate below
  `policy.needs_attention` (the off-track band). Only months with something due count; they follow each other in
  the term's order.
- `policy.rectify_after_months` (2) such months in a row put the teacher on the list: listed on the last day of
  the last of them, with a deadline `policy.rectify_days` (30) later.
- The months judged are the checked months that end after the listing and on or before the deadline (when none
  does — holidays, the term's end — the first checked month after it). When the judged months are over and the
  teacher is still 未达标 over them together, replacement is proposed (`replace`): the teacher's mentees are listed
  to be paired again, with the command that does it (`assign --repair`, after the mentor's 状态 is set to 离岗);
  otherwise the case is closed as put right (`rectified`) and a new run of months may list the teacher again.
- The ledger keeps each term's list (table `rectification`); a case still open at the end of a term is carried
  into the next term's run with the months judged so far, and judged on that term's months.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from workbook_engine.catalogue import t
from workbook_engine.compliance.result import Compliance, MentorMonth, MonthFigures
from workbook_engine.ledger.store import History
from workbook_engine.model import InboxFile
from workbook_engine.settings import Policy

OPEN, RECTIFIED, REPLACE = "open", "rectified", "replace"


def month_end(month: str) -> dt.date:
    """The last day of a month named 2026-10."""
    year, mon = int(month[:4]), int(month[5:7])
    first_next = dt.date(year + mon // 12, mon % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def off_track(fig: MonthFigures, floor: float) -> bool:
    """未达标: talks or parent contacts met at a rate below the floor (a rule with nothing due does not count)."""
    return any(expected and met / expected < floor - 1e-9
               for expected, met in ((fig["talk_expected"], fig["talk_met"]),
                                     (fig["parent_expected"], fig["parent_met"])))


def cases(months: dict[str, list[MentorMonth]], carried: dict[str, dict[str, Any]], after: int, days: int,
          floor: float) -> list[dict[str, Any]]:
    """Every case of the term, per teacher in order: `months` is teacher -> their checked months in order (the
    compliance figures), `carried` teacher -> a case left open by the term before."""
    out: list[dict[str, Any]] = []
    for tid in sorted(set(months) | set(carried)):
        case = dict(carried[tid]) if tid in carried else None
        if case is not None:  # (with the months the term before judged, if any)
            case.update(judged=list(case.get("judged") or []), judged_figures=dict(case.get("judged_figures") or {
                "talk_expected": 0, "talk_met": 0, "parent_expected": 0, "parent_met": 0}))
            out.append(case)
        run: list[str] = []
        for fig in months.get(tid, []):
            month, end = fig["month"], month_end(fig["month"])
            if case is not None and case["state"] == OPEN:
                deadline, listed = dt.date.fromisoformat(case["deadline"]), dt.date.fromisoformat(case["listed_on"])
                if end > listed and (end <= deadline or not case["judged"]):
                    case["judged"].append(month)
                    judged = case["judged_figures"]
                    judged["talk_expected"] += fig["talk_expected"]
                    judged["talk_met"] += fig["talk_met"]
                    judged["parent_expected"] += fig["parent_expected"]
                    judged["parent_met"] += fig["parent_met"]
                if case["judged"] and end >= deadline:
                    case["state"] = REPLACE if off_track(case["judged_figures"], floor) else RECTIFIED
                    case["decided_on"] = end.isoformat()
                continue
            if case is not None and case["state"] == REPLACE:
                break
            run = run + [month] if off_track(fig, floor) else []
            if len(run) >= after:
                listed = end
                case = {"teacher_id": tid, "months": run[-after:], "listed_on": listed.isoformat(),
                        "deadline": (listed + dt.timedelta(days=days)).isoformat(), "state": OPEN, "judged": [],
                        "judged_figures": {"talk_expected": 0, "talk_met": 0, "parent_expected": 0, "parent_met": 0},
                        "listed_term": None, "decided_on": None}
                out.append(case)
                run = []
    return out


def compute(comp: Compliance | None, teachers: list[dict[str, Any]], class_files: list[InboxFile], policy: Policy,
            as_of: dt.date, carried: dict[str, dict[str, Any]], lang: str = "zh") -> list[dict[str, Any]]:
    """The term's 整改名单 (report.json `rectification`), from the compliance figures, the class files' 填表日期
    and the cases the ledger left open in the term before (`carried`, carried_cases)."""
    if comp is None:
        return []
    by_id = {person["teacher_id"]: person for person in teachers}
    filled = {f.class_name: f.fill_date for f in class_files if f.fill_date}
    by_teacher: dict[str, list[MentorMonth]] = {}
    for fig in sorted(comp.mentor_months, key=lambda f: (f["teacher_id"], f["month"])):
        # a month is judged once it is over and every class book of the teacher was filled on or after its last
        # day: a book filled on 11-20 says nothing yet of 11-23 to 11-30, and no mentor is listed (or proposed
        # for replacement) for talks the class has not reported yet
        until = min([as_of] + [filled[c] for c in by_id.get(fig["teacher_id"], {}).get("classes") or []
                               if c in filled])
        if month_end(fig["month"]) <= until:
            by_teacher.setdefault(fig["teacher_id"], []).append(fig)
    found = cases(by_teacher, carried, policy.rectify_after_months, policy.rectify_days, policy.needs_attention)
    files = {f.class_name: f.name for f in class_files}
    mentees_of: dict[str | None, list[dict[str, Any]]] = {}  # mentor -> their mentees still at school, in order
    for s in comp.students:
        if not s.get("left"):
            mentees_of.setdefault(s["mentor_id"], []).append(
                {"class": s["class"], "student_id": s["student_id"], "name": s["name"]})
    for case in found:
        teacher = by_id.get(case["teacher_id"], {})
        case["name"] = teacher.get("name") or case.get("name")
        case["classes"] = list(teacher.get("classes") or [])
        case["mentees"] = [dict(m) for m in mentees_of.get(case["teacher_id"], [])] if case["state"] == REPLACE else []
        folder = t("duties.rect.folder", lang)
        case["commands"] = [f'workbook-engine assign "{files[c]}" --out {folder} --repair'
                            for c in sorted({m["class"] for m in case["mentees"]}) if c in files]
    return found


def carried_cases(history: History | None, school_year: str | None, term: str | None) -> dict[str, dict[str, Any]]:
    """teacher -> the case the ledger's term before this one (`school_year`, `term`) left open (its listing term
    named)."""
    if history is None or not school_year or not term:
        return {}
    before = history.before(school_year, term)
    if before is None:
        return {}
    term_id, year_before, term_before = before
    out: dict[str, dict[str, Any]] = {}
    for row in history.table("SELECT * FROM rectification WHERE term_id = ? AND state = ?", (term_id, OPEN)):
        out[row["teacher_id"]] = {
            "teacher_id": row["teacher_id"], "name": row["name"], "months": (row["months"] or "").split(","),
            "listed_on": row["listed_on"], "deadline": row["deadline"], "state": OPEN,
            "judged": [m for m in (row["judged"] or "").split(",") if m],
            "judged_figures": json.loads(row["judged_figures"] or "null"),
            "listed_term": row["listed_term"] or f"{year_before}{term_before}", "decided_on": None}
    return out
