"""The office's board (/office): who has sent what this term, from the published report.json, and what has
arrived in INBOX since (a teacher's submission through the page names its class). Counts only of students."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from workbook_engine.assessment.scoring import part_line
from workbook_engine.catalogue import term_label
from workbook_engine.reading.inbox import discover
from workbook_engine.settings import Settings
from workbook_engine.web.published import Published


def _time(stamp: float | None) -> str:
    return dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M") if stamp else ""


def _arrived(inbox: Path, entry: dict[str, Any]) -> str:
    """When a file reached INBOX: its modification time, or the date of the mail it came in."""
    provenance = entry.get("provenance")
    if isinstance(provenance, dict) and provenance.get("date"):
        return str(provenance["date"])[:16].replace("T", " ")
    try:
        return _time((inbox / entry["path"]).stat().st_mtime)
    except (OSError, ValueError):
        return ""


def arrivals(inbox: Path, published: Published | None, submissions: list[dict[str, Any]], settings: Settings,
             lang: str) -> list[dict[str, Any]]:
    """Workbooks (and mails) in INBOX that the published run has not read: new names, or files changed since."""
    found, skipped = discover(inbox, None, settings, lang)
    mails = [s for s in skipped if s.path.suffix.lower() == ".eml" and s.path.is_file()]
    known: set[str] = set()
    for f in (published.report["files"] if published else []):
        if isinstance(f, dict) and isinstance(f.get("path"), str):
            known |= {f["path"], f["path"].split(".eml/", 1)[0] + ".eml" if ".eml/" in f["path"] else f["path"]}
    since = published.written if published else 0.0
    receipts = {s.get("file"): s for s in submissions}
    out = []
    for entry in sorted(found + mails, key=lambda e: e.mtime):
        if entry.name in known and entry.mtime <= since:
            continue
        receipt = receipts.get(entry.name) or {}
        out.append({"file": entry.name, "time": _time(entry.mtime), "class": receipt.get("class"),
                    "kind": receipt.get("kind"), "errors": receipt.get("errors")})
    return out


def board(inbox: Path, published: Published | None, submissions: list[dict[str, Any]], settings: Settings,
          lang: str) -> dict[str, Any]:
    """Everything /office shows."""
    new = arrivals(inbox, published, submissions, settings, lang)
    if published is None:
        return {"run": None, "arrivals": new, "classes": [], "books": [], "rejected": [], "missing": [],
                "parts": [], "missing_parts": []}
    report = published.report
    files = [f for f in report["files"] if isinstance(f, dict)]
    overdue: dict[str, set[str]] = {}
    for o in report.get("overdue") or []:
        if isinstance(o, dict):
            overdue.setdefault(str(o.get("class")), set()).add(str(o.get("student_id")))
    classes = []
    for c in report.get("classes") or []:
        if not isinstance(c, dict):
            continue
        name = c.get("class")
        mine = [f for f in files if f.get("kind") == "class" and f.get("class") == name]
        newest = next((f for f in mine if f.get("status") == "accepted"), None) or {}
        classes.append({"class": name, "file": newest.get("path") or c.get("file"), "fill_date": c.get("fill_date"),
                        "arrived": _arrived(inbox, newest) if newest else "", "versions": len(mine),
                        "errors": newest.get("errors", 0), "warnings": newest.get("warnings", 0),
                        "overdue": len(overdue.get(str(name), ()))})
    books = [{"kind": f["kind"], "file": f.get("path"), "status": f.get("status"), "fill_date": f.get("fill_date"),
              "arrived": _arrived(inbox, f), "errors": f.get("errors", 0)}
             for f in files if f.get("kind") in ("mentor", "assessment")]
    rejected = [{"file": f.get("path"), "reason": f.get("reason") or "", "errors": f.get("errors", 0)}
                for f in files if f.get("status") == "rejected"
                or (f.get("status") == "accepted" and f.get("errors"))]
    arrived = {a["class"] for a in new if a.get("class")}
    missing = [{"class": c, "arrived": c in arrived} for c in report.get("missing_classes") or []]
    parts = [p for p in (report.get("summary") or {}).get("assessment_parts") or [] if isinstance(p, dict)]
    run = {"term": term_label(report.get("school_year"), report.get("term"), lang), "as_of": report.get("as_of"),
           "written": _time(published.written), "summary": report.get("summary") or {}}
    return {"run": run, "arrivals": new, "classes": classes, "books": books, "rejected": rejected, "missing": missing,
            "parts": [part_line(p, lang) for p in parts if not p.get("missing")],  # each part and the offices that
            "missing_parts": [part_line(p, lang) for p in parts if p.get("missing")]}  # sent it, or what its lack does
