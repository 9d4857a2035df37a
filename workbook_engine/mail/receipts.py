"""Receipts: each sender learns at once whether the file they mailed is usable — one reply per received file,
accepted or with its problems listed and an annotated copy attached."""
from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from workbook_engine.catalogue import CATALOGUE, t
from workbook_engine.execution import default_executor
from workbook_engine.files import ReadFailure, open_regular
from workbook_engine.mail.mailbox import FetchResult, save_state
from workbook_engine.mail.smtp import send_one
from workbook_engine.model import Executor, FileReport, Severity
from workbook_engine.reading.email import STATE_FILE
from workbook_engine.schema import CLASS_INFO
from workbook_engine.settings import Settings
from workbook_engine.validation.validate import validate_files
from workbook_engine.writing.annotate import annotate

RECEIPT_LIST_LIMIT = 30  # problems listed in the message body; the annotated copy holds them all


def receipt_message(report: FileReport, pending: dict[str, Any], settings: Settings, lang: str = "zh",
                    annotated: Path | None = None) -> tuple[EmailMessage, str]:
    """The reply for one received file, and its outcome (accepted / problems / unreadable)."""
    T = lambda key, **kw: t("receipt." + key, lang, **kw)  # noqa: E731
    name = pending.get("attachment") or pending["file"]
    errors = sum(p.severity is Severity.ERROR for p in report.problems)
    warnings = len(report.problems) - errors
    kind = "receipt.kind." + report.kind
    what = t(kind, lang) if kind in CATALOGUE else report.kind
    if report.class_info.get("class_name"):
        what = T("kind_class", kind=what, cls=report.class_info["class_name"])
    when = (pending.get("date") or "")[:10]
    lines = [T("greeting"), "", T("received", name=name, what=what, date=T("on", date=when) if when else "")]
    if report.unreadable:
        outcome, subject = "unreadable", T("subject_unreadable", name=name)
        lines.append(T("unreadable", formats=".xlsx, .xls"))
        lines += [""] + [p.message(lang) for p in report.problems]
    elif errors:
        outcome, subject = "problems", T("subject_errors", name=name, errors=errors)
        lines.append(T("errors", errors=errors, warnings=warnings, fill_date=CLASS_INFO.column("fill_date").header,
                       listing=t("annotate.sheet", lang)))
    elif warnings:
        outcome, subject = "accepted", T("subject_warnings", name=name, warnings=warnings)
        lines.append(T("warnings", warnings=warnings))
    else:
        outcome, subject = "accepted", T("subject_ok", name=name)
        lines.append(T("ok"))
    if report.problems and not report.unreadable:
        lines += ["", T("list")]
        for n, p in enumerate(report.problems[:RECEIPT_LIST_LIMIT], start=1):
            where = " ".join(x for x in (p.sheet, p.cell) if x)
            lines.append(T("item", n=n, severity=t("severity." + p.severity.value, lang),
                           where=T("where", where=where) if where else "", message=p.message(lang)))
        if len(report.problems) > RECEIPT_LIST_LIMIT:
            lines.append(T("more", more=len(report.problems) - RECEIPT_LIST_LIMIT))
    lines += ["", T("signature", sender=settings.mail.sender or T("office"))]
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = settings.mail.sender or "workbook-engine@localhost"
    msg["To"] = pending["to"]
    msg["Message-ID"] = make_msgid("receipt")
    msg["Auto-Submitted"] = "auto-replied"  # RFC 3834: other robots do not answer it
    if pending.get("message_id"):
        msg["In-Reply-To"] = pending["message_id"]
        msg["References"] = pending["message_id"]
    msg.set_content("\n".join(lines))
    if annotated is not None and report.problems:
        msg.add_attachment(annotated.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=annotated.name)
    return msg, outcome


def send_receipts(inbox: Path, settings: Settings, state: dict[str, Any], result: FetchResult, lang: str = "zh",
                  executor: Executor | None = None, attempts: int = 3, pause: float = 1.0) -> None:
    """Validate each received file that is owed a receipt (in worker processes: a mailed file is anyone's
    file) and reply to its sender over SMTP, each message within mail.timeout_s. The annotated copy is written
    into a temporary folder, never INBOX. Each receipt sent is recorded at once in the state file; one that
    fails stays owed and is tried again by the next fetch-mail. A receipt goes with the very bytes it was
    owed for: the file is copied out of INBOX while its SHA-256 is checked, and one that is gone or different
    (the office deleted it, another sender's file took its name) is dropped and logged, never sent."""
    state_path = inbox / STATE_FILE
    owed = [p for p in state["pending_receipts"] if p["id"] not in state["receipts"]]
    with tempfile.TemporaryDirectory(prefix="workbook-engine-receipts-") as tmp:
        present: list[tuple[dict[str, Any], Path]] = []
        for i, pending in enumerate(owed):
            name = Path(pending["file"]).name  # a plain name in INBOX, whatever the state file says
            copy = Path(tmp) / "received" / str(i) / name
            why = _copy_if_same(inbox / name, copy, pending.get("sha256", ""))
            if why:  # gone, or another file now holds the name: its data is not this sender's
                result.receipt_failures[pending["file"]] = t(why, lang)
                state.setdefault("dropped_receipts", []).append({
                    "id": pending["id"], "file": pending["file"], "to": pending["to"], "why": why,
                    "time": dt.datetime.now().astimezone().isoformat(timespec="seconds")})
            else:
                present.append((pending, copy))
        state["pending_receipts"] = [pending for pending, _ in present]
        save_state(state_path, state)
        if not present:
            return
        executor = executor or default_executor(settings.limits.worker_memory_mb)
        reports = validate_files([copy for _, copy in present], settings, executor).files
        for i, ((pending, _), report) in enumerate(zip(present, reports)):
            annotated = None
            if report.problems and not report.unreadable:
                try:
                    annotated = annotate(report, Path(tmp) / str(i), lang)
                except Exception:
                    annotated = None
            msg, outcome = receipt_message(report, pending, settings, lang, annotated)
            reason = send_one(msg, settings, attempts, pause, lang)
            if reason:
                result.receipt_failures[pending["file"]] = reason
                continue
            state["receipts"][pending["id"]] = {
                "file": pending["file"], "to": pending["to"], "outcome": outcome,
                "errors": sum(p.severity.value == "error" for p in report.problems),
                "warnings": sum(p.severity.value == "warning" for p in report.problems),
                "time": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
            state["pending_receipts"] = [p for p in state["pending_receipts"] if p["id"] != pending["id"]]
            save_state(state_path, state)  # after each: an interrupted fetch never replies twice
            result.receipts.append((pending["file"], pending["to"]))


def _copy_if_same(source: Path, copy: Path, sha256: str) -> str:
    """Copy source to copy while hashing it; "" when its SHA-256 is sha256, else the catalogue key of why
    not (a receipt owed from before hashes were recorded cannot be matched, so it is dropped too)."""
    h = hashlib.sha256()
    copy.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open_regular(source) as fh, open(copy, "wb") as out:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
                out.write(chunk)
    except (OSError, ReadFailure):  # gone, or a folder, pipe or device now at its name
        return "mail.receipt_gone"
    return "" if sha256 and h.hexdigest() == sha256 else "mail.receipt_other_file"
