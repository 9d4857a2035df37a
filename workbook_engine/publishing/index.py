"""OUT's index of terms: `OUT/report.json` lists the terms present (each term's own report in its folder
`OUT/<学年><学期>/`), finds a term's report for the commands that read one, and recognises an OUT written before
terms had folders (its one report at the top) so publishing.publish can move it into its term's folder."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbook_engine.catalogue import t
from workbook_engine.errors import UsageError
from workbook_engine.publishing.layout import REPORT_NAME
from workbook_engine.term import parse_term, term_folder_name, term_order

INDEX_KIND = "workbook-engine terms"  # OUT/report.json's "kind": the index, not a term's report


# -- the index: OUT/report.json ------------------------------------------------------------------------
def is_index(data: Any) -> bool:
    return isinstance(data, dict) and data.get("kind") == INDEX_KIND


def index_entry(report: dict[str, Any], folder: str) -> dict[str, Any]:
    """A term's line in the index, from its report.json: the term, as-of date, folder and counts."""
    summary = report.get("summary") or {}
    files = summary.get("files") or {}
    return {"term": term_folder_name(report.get("school_year"), report.get("term")),
            "school_year": report.get("school_year"), "semester": report.get("term"),
            "as_of": report.get("as_of"), "folder": folder, "report": f"{folder}/{REPORT_NAME}",
            "counts": {"classes": len(report.get("classes") or []), "students": len(report.get("students") or []),
                       "teachers": len(report.get("teachers") or []), "records": summary.get("records"),
                       "files_accepted": files.get("accepted"), "files_rejected": files.get("rejected"),
                       "errors": summary.get("errors"), "warnings": summary.get("warnings")}}


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def term_reports(out: Path) -> dict[str, dict[str, Any]]:
    """folder -> report.json of every term folder in OUT (links and hidden folders never followed)."""
    found: dict[str, dict[str, Any]] = {}
    if not out.is_dir():
        return found
    for folder in sorted(out.iterdir()):
        if folder.is_symlink() or not folder.is_dir() or folder.name.startswith("."):
            continue
        report = read_json(folder / REPORT_NAME)
        if isinstance(report, dict) and "outputs" in report and folder.name == term_folder_name(
                report.get("school_year"), report.get("term")):
            found[folder.name] = report
    return found


def build_index(out: Path, this: dict[str, Any] | None = None, folder: str | None = None,
                ledger: str | None = None) -> dict[str, Any]:
    """The index of the terms present in OUT, with `this` term's new report in place of its folder's."""
    reports = term_reports(out)
    if this is not None and folder is not None:
        reports[folder] = this
    entries = [index_entry(r, f) for f, r in reports.items()]
    entries.sort(key=lambda e: term_order((e["school_year"], e["semester"])))
    return {"kind": INDEX_KIND, "newest": entries[-1]["term"] if entries else None, "ledger": ledger,
            "terms": entries}


def find_term_report(out: Path, only: str | None = None, lang: str = "zh") -> Path:
    """The report.json of the term asked for (`--term`), else of the newest term, through OUT's index. An OUT in
    the layout before term folders has its one report.json at the top: that is the term (when it is the one
    asked for)."""
    top = read_json(out / REPORT_NAME)
    wanted = parse_term(only, lang) if only else None
    if isinstance(top, dict) and not is_index(top) and "outputs" in top:
        if wanted is None or wanted == (top.get("school_year"), top.get("term")):
            return out / REPORT_NAME
    reports = term_reports(out)
    if wanted is not None:
        name = term_folder_name(*wanted)
        if name not in reports:
            raise UsageError(t("timeline.no_such_term", lang, term=name, out=out,
                               terms=t("cli.list_sep", lang).join(reports) or "—"))
        return out / name / REPORT_NAME
    if not reports:
        return out / REPORT_NAME  # (the caller says there is no report)
    newest = max(reports, key=lambda f: term_order((reports[f].get("school_year"), reports[f].get("term"))))
    return out / newest / REPORT_NAME


def flat_layout(out: Path, ledger_rel: str | None) -> tuple[str, list[tuple[str, str]], dict[str, Any]] | None:
    """An OUT written before terms had folders: (the term's folder, the moves (old path, new path) of every output
    its report.json lists, that report with its paths moved). None when OUT is not in that layout."""
    report = read_json(out / REPORT_NAME)
    if not isinstance(report, dict) or is_index(report) or not isinstance(report.get("outputs"), list):
        return None
    folder = term_folder_name(report.get("school_year"), report.get("term"))
    moves: list[tuple[str, str]] = []

    def moved(rel: Any) -> Any:
        if not isinstance(rel, str) or rel in (REPORT_NAME, ledger_rel) or rel.startswith(folder + "/"):
            return rel
        parts = Path(rel).parts
        if not parts or ".." in parts or Path(rel).is_absolute() or any(p.startswith(".") for p in parts):
            return rel
        if (out / rel).is_file() and not (out / rel).is_symlink():
            moves.append((rel, f"{folder}/{rel}"))
            return f"{folder}/{rel}"
        return rel

    for key in ("outputs", "feedback"):
        for item in report.get(key) or []:
            if isinstance(item, dict) and "path" in item:
                item["path"] = moved(item["path"])
    return folder, list(dict.fromkeys(moves)), report
