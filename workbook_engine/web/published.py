"""The published set as the office's page reads it: one function finds the newest term's report.json."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook_engine.output import REPORT_NAME, TERMS, inside, recorded_file


@dataclass
class Published:
    """The newest published run: its report and the folder it lies in (OUT, or OUT/<学年><学期>)."""

    out: Path
    folder: Path
    report: dict[str, Any]
    written: float  # when report.json was published (its modification time)

    def outputs(self, suffix: str | None = None) -> list[dict[str, str]]:
        """The recorded outputs (report.json `outputs`: path and sha256), workbooks only when suffix is given."""
        items = [o for o in self.report.get("outputs") or [] if isinstance(o, dict)
                 and isinstance(o.get("path"), str) and isinstance(o.get("sha256"), str)]
        return [o for o in items if suffix is None or o["path"].lower().endswith(suffix)]

    def output_file(self, sha256: str) -> tuple[Path, str] | None:
        """(file, its name) of the recorded output with this SHA-256, if it is still inside OUT and unchanged; a
        path never comes from the request, only from the record."""
        for item in self.outputs():
            if item["sha256"].lower() == sha256.lower():
                for base in (self.folder, self.out):  # outputs are relative to their report's folder (the ledger:
                    path = recorded_file(base, item["path"], item["sha256"])  # perhaps to OUT)
                    if path is not None and _within(path, self.out):
                        return path, Path(item["path"]).name
        return None


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _within(path: Path, root: Path) -> bool:
    root = root.resolve()
    return path == root or root in path.parents


def _term_key(entry: dict[str, Any]) -> tuple[str, int, str]:
    term = entry.get("term")
    return str(entry.get("school_year") or ""), TERMS.index(term) if term in TERMS else -1, str(entry.get("as_of") or "")


def published_set(out: Path) -> Published | None:
    """The newest term's published set, or None before the first run. OUT/report.json is either a run's report
    (a flat OUT) or an index of the terms present (`terms`: school_year, term, as_of, folder), in which case the
    newest term's folder holds its report.json. A folder leading out of OUT is refused."""
    out = Path(out)
    report, folder = _read(out / REPORT_NAME), out
    if report is not None and "files" not in report and isinstance(report.get("terms"), list):
        terms = [e for e in report["terms"] if isinstance(e, dict) and isinstance(e.get("folder"), str)]
        if not terms:
            return None
        try:
            folder = inside(out, max(terms, key=_term_key)["folder"])
        except ValueError:
            return None
        report = _read(folder / REPORT_NAME)
    if report is None or not isinstance(report.get("files"), list):
        return None
    return Published(out, folder, report, (folder / REPORT_NAME).stat().st_mtime)
