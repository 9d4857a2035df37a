"""The published set as the office's page reads it: the newest term's report.json, found by the timeline."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook_engine.files import recorded_file
from workbook_engine.publishing.index import find_term_report


@dataclass
class Published:
    """The newest published run: its report and the folder it lies in (OUT/<学年><学期>, or OUT before terms had
    folders). Its recorded paths are relative to OUT."""

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
                path = recorded_file(self.out, item["path"], item["sha256"])
                if path is not None:
                    return path, Path(item["path"]).name
        return None


def published_set(out: Path) -> Published | None:
    """The newest term's published set (index.find_term_report: OUT/<学年><学期>/report.json, or the one
    report.json of an OUT from before term folders), or None before the first run."""
    path = find_term_report(Path(out))
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        written = path.stat().st_mtime
    except (OSError, ValueError):
        return None
    if not isinstance(report, dict) or not isinstance(report.get("files"), list):
        return None
    return Published(Path(out), path.parent, report, written)
