"""Self-checks: a teacher's upload passes the inbox's gate and validation in a worker process (with the run's
memory limit), its annotated copy is written beside it, and both are held for their owner alone in
OUT/.workbook-engine-web/checks/<token>/ for an hour. Nothing of it reaches INBOX unless the teacher submits it;
then it is saved there under a safe name (the rules of mail attachments) and the receipt is logged."""
from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from workbook_engine.execution import ProcessExecutor
from workbook_engine.files import atomic_path, sha256_of
from workbook_engine.model import Executor, FileReport, WorkerFailure
from workbook_engine.reading.email import safe_name, unique_name
from workbook_engine.reading.gate import SPREADSHEET_SUFFIXES
from workbook_engine.reading.inbox import skip_reason
from workbook_engine.settings import Settings
from workbook_engine.validation.validate import failed_report, validate_file
from workbook_engine.writing.annotate import annotate

WEB_DIR = ".workbook-engine-web"  # inside OUT, hidden: never a run's output, never removed by publishing
SUBMISSIONS = "submissions.json"  # the receipts of files submitted through the page
HELD_S = 3600  # a check is held this long for its download and submit
HELD_MAX = 100  # at most this many checks held at once (the oldest goes first): the disk used stays bounded
CONCURRENT = 2  # checks read at once (the others wait their turn)
WORKBOOK_KINDS = ("class", "mentor", "assessment")


def check_job(path: Path, settings: Settings, lang: str) -> dict[str, Any]:
    """In a worker process: the inbox's rules for a file of this name, then validation exactly as `validate`
    does, then the annotated copy (red cells and 批注) beside the upload. A summary small enough to hold."""
    skipped = skip_reason(path, path.parent.resolve(), settings.limits, lang)
    if skipped:
        return {"skipped": skipped, "kind": "other", "unreadable": True, "problems": [], "errors": 0, "warnings": 0}
    report = validate_file(path, settings)
    annotated = annotate(report, path.parent / "annotated", lang)
    return summarise(report, lang, annotated.name if annotated else None)


def summarise(report: FileReport, lang: str, annotated: str | None = None) -> dict[str, Any]:
    """What the page shows of a FileReport: kind, the submission it is (class, term), counts, every problem."""
    data = report.to_dict(lang)
    info = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in report.class_info.items()
            if k in ("class_name", "school_year", "term", "fill_date", "teacher_id", "name", "office")}
    problems = [{k: p[k] for k in ("severity", "sheet", "cell", "message")} for p in data["problems"]]
    return {"skipped": "", "kind": report.kind, "format": report.format, "unreadable": report.unreadable,
            "info": info, "errors": data["errors"], "warnings": data["warnings"], "problems": problems,
            "annotated": annotated}


@dataclass
class Check:
    token: str
    owner: str  # the session that made it: nobody else sees it
    name: str  # the upload's safe name
    folder: Path
    created: float
    result: dict[str, Any] = field(default_factory=dict)
    receipt: dict[str, Any] | None = None

    @property
    def upload(self) -> Path:
        return self.folder / self.name

    @property
    def annotated(self) -> Path | None:
        name = self.result.get("annotated")
        return self.folder / "annotated" / name if name else None

    @property
    def submittable(self) -> bool:
        """Only a workbook the run can read goes to INBOX (never school.toml, a mail or an unreadable file)."""
        return not self.result.get("unreadable") and self.result.get("kind") in WORKBOOK_KINDS

    def inbox_name(self) -> str:
        """The name it is saved under in INBOX: its safe name, with a workbook's suffix."""
        suffix = Path(self.name).suffix.lower()
        return self.name if suffix in SPREADSHEET_SUFFIXES else f"{self.name}.{self.result.get('format') or 'xlsx'}"


class RateLimit:
    """At most `limit` events per address in an hour (a sliding window)."""

    def __init__(self, limit: int, window_s: float = 3600.0) -> None:
        self.limit, self.window_s = limit, window_s
        self.events: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def allow(self, address: str) -> bool:
        now = time.monotonic()
        with self.lock:
            seen = self.events.setdefault(address, deque())
            while seen and seen[0] <= now - self.window_s:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
            seen.append(now)
            return True


class CheckStore:
    """The checks held for their owners, and the submissions into INBOX."""

    def __init__(self, inbox: Path, out: Path, settings: Settings, lang: str, executor: Executor | None = None) -> None:
        self.inbox, self.settings, self.lang = inbox, settings, lang
        self.home = out / WEB_DIR
        self.root = self.home / "checks"
        self.checks: dict[str, Check] = {}
        self.lock = threading.Lock()
        self.turns = threading.Semaphore(CONCURRENT)
        self.executor = executor
        self.rate = RateLimit(settings.web.checks_per_hour)
        for folder in (self.home, self.root):  # a link planted there is removed, never followed
            if folder.is_symlink():
                folder.unlink()
        shutil.rmtree(self.root, ignore_errors=True)  # what a previous server held is gone with it
        self.root.mkdir(parents=True, exist_ok=True)

    def _expire(self) -> None:
        """Drop checks older than HELD_S, and the oldest beyond HELD_MAX (lock held)."""
        now = time.time()
        old = sorted(self.checks.values(), key=lambda c: c.created)
        drop = [c for c in old if now - c.created > HELD_S] + old[:max(0, len(old) - HELD_MAX + 1)]
        for c in drop:
            self.checks.pop(c.token, None)
            shutil.rmtree(c.folder, ignore_errors=True)

    def add(self, owner: str, filename: str, stream: IO[bytes]) -> Check:
        """Hold the upload under its safe name, check it in a worker, and return the check."""
        with self.lock:
            self._expire()
            token = secrets.token_urlsafe(24)
            folder = self.root / token
            folder.mkdir()
            check = Check(token, owner, safe_name(filename or "upload.xlsx"), folder, time.time())
            self.checks[token] = check
        with open(check.upload, "xb") as fh:
            shutil.copyfileobj(stream, fh, 1 << 20)
        with self.turns:
            check.result = self._validate(check.upload)
        return check

    def _validate(self, path: Path) -> dict[str, Any]:
        executor = self.executor or ProcessExecutor(1, memory_mb=self.settings.limits.worker_memory_mb)
        (_, result), = executor.map_files(check_job, [path], self.settings, self.lang)
        if isinstance(result, WorkerFailure):  # the reader crashed or went over the memory limit
            return summarise(failed_report(path, result), self.lang)
        return result

    def get(self, token: str, owner: str) -> Check | None:
        """The check, for its owner only (anyone else is told there is no such check)."""
        with self.lock:
            self._expire()
            check = self.checks.get(token)
        return check if check is not None and secrets.compare_digest(check.owner, owner) else None

    def submit(self, check: Check) -> dict[str, Any]:
        """Save the checked upload into INBOX under a name no file there has, through a fresh temporary file (never
        through a link planted in INBOX); log and return the receipt. A second submit returns the first receipt."""
        with self.lock:
            if check.receipt is not None:
                return check.receipt
            name = unique_name(check.inbox_name(), lambda n: os.path.lexists(self.inbox / n))
            with atomic_path(self.inbox / name) as tmp:
                shutil.copyfile(check.upload, tmp)
            info = check.result.get("info", {})
            check.receipt = {"file": name, "time": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                             "sha256": sha256_of(self.inbox / name), "kind": check.result["kind"],
                             "class": info.get("class_name"), "errors": check.result["errors"],
                             "warnings": check.result["warnings"]}
            log = self.submissions()
            log.append(check.receipt)
            with atomic_path(self.home / SUBMISSIONS) as tmp:
                tmp.write_text(json.dumps({"submissions": log}, ensure_ascii=False, indent=1), encoding="utf-8")
            return check.receipt

    def submissions(self) -> list[dict[str, Any]]:
        """Every receipt given so far (OUT/.workbook-engine-web/submissions.json)."""
        try:
            data = json.loads((self.home / SUBMISSIONS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        items = data.get("submissions") if isinstance(data, dict) else None
        return [s for s in items if isinstance(s, dict)] if isinstance(items, list) else []
