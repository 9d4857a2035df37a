"""The school year as a timeline: which terms a run's files belong to, a folder per term in OUT, the index of the
terms present, the move of an OUT written before terms had folders, and the guard against a run that would
shrink a term the ledger already holds.

Each workbook names its 学年 and 学期 (班级信息, 基本信息, 填报信息); a run processes each term found in INBOX as its own
set, judged against that term's calendar, written into `OUT/<学年><学期>/` (output.term_folder_name) and published
on its own (publish.py), so a run of one term never changes another term's folder. `OUT/report.json` is a small
index of the terms present; the ledger (学校台账.sqlite) stays in OUT, shared by every term.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_engine.errors import UsageError
from workbook_engine.model import SKIPPED, InboxFile
from workbook_engine.catalogue import t
from workbook_engine.publishing.layout import REPORT_NAME
from workbook_engine.term import school_year, term_folder_name, term_name
from workbook_engine.settings import Settings
from workbook_engine.term import parse_term, term_order, term_words

INDEX_KIND = "workbook-engine terms"  # OUT/report.json's "kind": the index, not a term's report
SHRINK_LIMIT = 0.2  # a run may remove at most this share of a term's records in the ledger unless told


def file_term(entry: InboxFile) -> tuple[str, str] | None:
    """The (学年, 学期) a read workbook names, or None (unreadable, not a workbook, or no valid term, or a term its
    own dates deny: `dates-outside-own-term`, a 学年 or 学期 typed wrong — such a book is judged and rejected with
    the files naming no term, so one typo never makes a term of its own nor takes the office's files with it)."""
    if entry.report is not None and any(p.code == "dates-outside-own-term" for p in entry.report.problems):
        return None
    return _named_term(entry)


def _named_term(entry: InboxFile) -> tuple[str, str] | None:
    """The (学年, 学期) written in the workbook, whatever its dates say."""
    info = entry.report.class_info if entry.report else {}
    year, term = school_year(info.get("school_year")), term_name(info.get("term"))
    return (year, term) if year and term else None


@dataclass
class TermSet:
    """One term's share of the inbox: the files naming it (and, for the newest term, every file naming none)."""

    school_year: str | None
    term: str | None
    files: list[InboxFile] = field(default_factory=list)  # files read, to be settled
    skipped: list[InboxFile] = field(default_factory=list)  # files not read (reported with this term)

    @property
    def name(self) -> str:
        return term_folder_name(self.school_year, self.term)


def split_terms(candidates: list[InboxFile], skipped: list[InboxFile], settings: Settings,
                only: tuple[str, str] | None, lang: str = "zh") -> list[TermSet]:
    """The run's term sets, oldest first. Files name their term; a file naming none (unreadable, an office book
    without 填报信息) goes with the newest term, as do the files not read. With `only` (run --term) the files of
    other terms are set aside as skipped, with the reason. When no file names a term: `only`, else the term the
    settings' [term] table names, else an unknown term (folder 学期未知)."""
    keys = {k for k in map(file_term, candidates) if k is not None}
    if only is not None:
        keys = {only}
    if not keys:  # a book whose dates deny its term, alone: judged in the term it names, to say so there
        keys = {k for k in map(_named_term, candidates) if k is not None}
    if not keys:
        fallback = settings.term.key()
        keys = {fallback} if fallback else {(None, None)}  # type: ignore[arg-type]
    sets = {k: TermSet(k[0], k[1]) for k in sorted(keys, key=term_order)}
    newest = list(sets.values())[-1]
    for entry in candidates:
        key = file_term(entry)
        if key is None:
            newest.files.append(entry)
        elif key in sets:
            sets[key].files.append(entry)
        else:  # run --term: a file of another term is not this run's
            entry.status, entry.report, entry.sha256 = SKIPPED, None, None
            entry.reason = t("timeline.other_term", lang, term=term_words(*key, lang),
                             only=term_words(newest.school_year, newest.term, lang))
            newest.skipped.append(entry)
    newest.skipped += skipped
    return list(sets.values())


def records_count(merged: Any) -> int:
    """The records of a term as the ledger counts them (terms.records): every accepted row but the mentee lists."""
    return sum(len(v) for k, v in merged.records.items() if k != "mentees")


def check_shrink(history: Any, terms: list[tuple[str | None, str | None, int]], replace: bool,
                 lang: str = "zh") -> None:
    """Stop (UsageError, exit 2) before anything is published when a term would lose more than SHRINK_LIMIT of
    the records the ledger holds for it: an old or partial inbox, or a wrong setting, must not quietly replace a
    term. `terms`: (学年, 学期, records this run would write). `replace` (run --replace-term) confirms it."""
    if replace:
        return
    refused = []
    for year, term, new in terms:
        row = history.conn.execute("SELECT records FROM terms WHERE school_year = ? AND term = ?",
                                   (year, term)).fetchone()
        old = row[0] if row and row[0] else 0
        if old and new < old * (1 - SHRINK_LIMIT):
            refused.append(t("timeline.shrink_term", lang, term=term_words(year, term, lang), old=old, new=new))
    if refused:
        raise UsageError(t("timeline.shrink", lang, terms=t("cli.list_sep", lang).join(refused),
                           share=f"{SHRINK_LIMIT:.0%}", option="--replace-term"))


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
