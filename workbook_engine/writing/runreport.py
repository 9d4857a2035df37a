"""report.json: the run as data. Key names are part of the contract (see the README).

report.json is the office's: settings without secrets, and every problem value and reason through the
run's one redaction (privacy.Redactor)."""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from workbook_engine.assessment.scoring import assessment_parts
from workbook_engine.combining.terms import records_count
from workbook_engine.model import ACCEPTED, REJECTED, SKIPPED, SUPERSEDED
from workbook_engine.outcome import TermOutcome
from workbook_engine.privacy import Redactor, settings_dump
from workbook_engine.schema import sheet_spec

TEACHER_KEYS = ("teacher_id", "name", "classes", "mentees", "talk_periods_expected", "talk_periods_met", "talk_rate",
                "parent_periods_expected", "parent_periods_met", "parent_rate", "status", "score", "rank")


def late_classes(result: TermOutcome) -> list[dict[str, Any]]:
    days = result.settings.policy.late_after_days
    out = []
    for f in result.merged.class_files:
        if f.fill_date and (result.as_of - f.fill_date).days > days:
            out.append({"class": f.class_name, "fill_date": f.fill_date.isoformat(),
                        "days_since": (result.as_of - f.fill_date).days, "file": f.name})
    return out


def missing_classes(result: TermOutcome) -> list[str]:
    have = {f.class_name for f in result.merged.class_files}
    return [c for c in result.settings.school.classes if c not in have]


def summary(result: TermOutcome, lang: str = "zh") -> dict[str, Any]:
    rows = {"read": 0, "accepted": 0, "rejected": 0, "superseded": 0}
    for f in result.files:
        for c in f.rows.values():
            rows["read"] += c.read
            rows["accepted"] += c.accepted
            rows["rejected"] += c.rejected
            rows["superseded"] += c.superseded
    return {
        "files": {s: result.count(s) for s in (ACCEPTED, SUPERSEDED, REJECTED, SKIPPED)},
        "rows": rows,
        "rows_accounted": all(f.accounting_ok for f in result.files) and rows["read"] == rows["accepted"] + rows["rejected"],
        "rows_lost_between_versions": len(result.merged.lost),
        "records": records_count(result.merged),  # as the ledger counts the term's records
        "duplicates": {sheet_spec(k).name: n for k, n in sorted(result.merged.duplicates.items())},
        "conflicts": len(result.merged.conflicts),
        "errors": sum(f.errors for f in result.files if f.status != "skipped"),
        "warnings": sum(f.warnings for f in result.files if f.status != "skipped"),
        "assessment_parts": assessment_parts(result.merged, result.settings, lang),
    }


def _file_dict(f: Any, redact: Redactor, lang: str) -> dict[str, Any]:
    """A file's entry, its problem values and reason redacted for the office."""
    out = f.to_dict(lang)
    for key in ("path", "superseded_by", "reason"):  # a file name may carry a phone number too
        out[key] = redact.text(out[key])
    out["problems"] = [p.to_dict(lang) for p in redact.problems(f.report, f.problems)]
    return out


def build_report(result: TermOutcome, lang: str = "zh") -> dict[str, Any]:
    redact = Redactor(result.settings.privacy, lang)
    classes = []
    for f in result.merged.class_files:
        info = f.report.class_info if f.report else {}
        classes.append({
            "class": f.class_name,
            "grade": info.get("grade"),
            "school_year": info.get("school_year"),
            "term": info.get("term"),
            "head_teacher": redact.text(info.get("head_teacher")),
            "file": f.name,
            "fill_date": f.fill_date.isoformat() if f.fill_date else None,
        })
    comp = result.compliance
    if comp is not None:
        by_class: dict[Any, Mapping[str, Any]] = {c["class"]: c for c in comp.classes}
        for c in classes:
            c.update({k: v for k, v in by_class.get(c["class"], {}).items() if k != "class"})
    term = result.settings.term
    report = {
        "as_of": result.as_of.isoformat(),
        "inbox": redact.text(os.path.abspath(result.inbox)),  # where this term's books were read (new-term)
        "school_year": result.school_year,
        "term": result.term,
        "calendar": {"start": term.start.isoformat() if term.start else None,
                     "end": term.end.isoformat() if term.end else None, "default_dates": result.default_dates},
        "settings": settings_dump(result.settings.model_dump(mode="json")),
        "summary": summary(result, lang),
        "files": [_file_dict(f, redact, lang) for f in result.files],
        "conflicts": [{"sheet": sheet_spec(c.key).name, "class": c.kept.get("_class") or c.kept.get("class_name"),
                       "kept": {"file": c.kept.get("_source"), "row": c.kept.get("_row")},
                       "other": {"file": c.other.get("_source"), "row": c.other.get("_row")}}
                      for c in result.merged.conflicts],
        "classes": classes,
        "missing_classes": missing_classes(result),
        "late_classes": late_classes(result),
        "mentors": comp.mentors if comp else [],
        "teachers": [{k: t[k] for k in TEACHER_KEYS if k in t} for t in result.teachers],
        "students": comp.students if comp else [],
        "overdue": comp.overdue if comp else [],
        "recognition": result.recognition,
        "school_work": result.school_work.to_dict() if result.school_work is not None else None,
        "open_flags": result.open_flags,
        "rectification": result.rectification,
        **across_terms(result),
    }
    return report  # written through Redactor.json_text: no phone or ID-card number anywhere in the file


def across_terms(result: TermOutcome) -> dict[str, Any]:
    """What the run learnt from the ledger's earlier terms (across_terms.AcrossTerms), counts and states only."""
    a = result.across
    if a is None:
        return {"previous_term": None, "yearly_mentors": [], "trends": {}, "attention_tracking": []}
    return {"previous_term": list(a.previous) if a.previous else None, "yearly_mentors": a.yearly,
            "trends": {"classes": a.class_trends, "teachers": a.teacher_trends, "months": a.months,
                       "class_months": a.class_months},
            "attention_tracking": a.tracking}
