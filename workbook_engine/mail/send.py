"""Sending each class its own feedback book (send-feedback), as the term's report.json records it, never twice
to the same recipient."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from workbook_engine.catalogue import t
from workbook_engine.errors import UsageError
from workbook_engine.files import atomic_path, recorded_file
from workbook_engine.mail.smtp import send_one
from workbook_engine.publishing.index import find_term_report, read_json
from workbook_engine.publishing.layout import SENT_LOG
from workbook_engine.publishing.publish import settled
from workbook_engine.reading.email import safe_name, unique_name
from workbook_engine.settings import Settings
from workbook_engine.term import term_words


@dataclass
class SendResult:
    sent: list[str] = field(default_factory=list)  # class names
    failed: dict[str, str] = field(default_factory=dict)  # class -> reason
    written: list[Path] = field(default_factory=list)  # dry-run .eml files
    skipped: list[str] = field(default_factory=list)  # already sent, book and recipient unchanged
    term: str | None = None  # the term whose books these are ("2026-2027第二学期")


@dataclass
class Feedback:
    """One class's feedback message, as report.json records it (or why it cannot be sent)."""

    name: str  # the class
    message: EmailMessage | None
    reason: str = ""
    book: str = ""  # path relative to OUT
    sha256: str = ""
    recipient: str = ""


def feedback_messages(outdir: Path, settings: Settings, lang: str = "zh", term: str | None = None) -> list[Feedback]:
    """Each class's message with its own feedback book attached, taken only from the term's report.json
    `feedback` record (class, path, sha256) — the newest term's, or `term`'s ("2026-2027第一学期"): a book that
    is missing, outside OUT or changed since the run is that class's failure, never replaced by a guess from
    file names."""
    report_path = find_term_report(outdir, term, lang)
    if not report_path.exists():
        raise UsageError(t("mail.no_report", lang, path=outdir, report="report.json", run="run"))
    report = json.loads(report_path.read_text(encoding="utf-8"))
    if not isinstance(report.get("feedback"), list):
        raise UsageError(t("mail.old_report", lang, path=report_path, run="run"))
    as_of = report.get("as_of")
    classes = {c.get("class"): c for c in report.get("classes", []) if isinstance(c, dict)}
    out: list[Feedback] = []
    recorded: set[str] = set()
    for item in report["feedback"]:
        name = item.get("class") if isinstance(item, dict) else None
        if not isinstance(name, str):
            continue
        recorded.add(name)
        rel, sha = item.get("path"), item.get("sha256")
        book = recorded_file(outdir, rel, sha)
        if book is None:
            out.append(Feedback(name, None, t("mail.book_changed", lang, run="run"), str(rel or "")))
            continue
        heads = [m for m in report.get("mentors", []) if m.get("class") == name and m.get("role") == "班主任"]
        to = settings.mail.recipients.get(name) or next((m.get("email") for m in heads if m.get("email")), None)
        if not to:
            out.append(Feedback(name, None, t("mail.no_recipient", lang, setting="[mail.recipients]"), str(rel)))
            continue
        cls = classes.get(name, {})
        overdue = [o for o in report.get("overdue", []) if o.get("class") == name]
        students = [s for s in report.get("students", []) if s.get("class") == name]
        gaps = sum(bool(s.get("missing_talk_periods") or s.get("missing_parent_periods")) for s in students)
        rate = lambda r: f"{r:.1%}" if isinstance(r, (int, float)) else "—"  # noqa: E731
        head = heads[0]["name"] if heads else ""
        body = t("mail.body", lang, head=head, cls=name, as_of=as_of, talk=rate(cls.get("talk_rate")),
                 parent=rate(cls.get("parent_rate")), gaps=gaps, overdue=len({o["student_id"] for o in overdue}))
        address = _one_address(to)
        if address is None:
            out.append(Feedback(name, None, t("mail.bad_recipient", lang, to=" ".join(str(to).split())), str(rel)))
            continue
        msg = EmailMessage()
        msg["Subject"] = " ".join(t("mail.subject", lang, cls=name, as_of=as_of).split())  # a line break in a cell
        msg["From"] = settings.mail.sender or "workbook-engine@localhost"
        msg["To"] = address
        msg.set_content(body)
        msg.add_attachment(book.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=book.name)
        out.append(Feedback(name, msg, "", str(rel), sha.lower(), address))
    for name in classes:
        if isinstance(name, str) and name not in recorded:
            out.append(Feedback(name, None, t("mail.no_book", lang)))
    return out


def _term_of(outdir: Path, term: str | None, lang: str) -> str | None:
    """The term of the report.json the books are sent from, as a message names it (2026-2027 Term 1 in English)."""
    report = read_json(find_term_report(outdir, term, lang))
    return term_words(report.get("school_year"), report.get("term"), lang) if isinstance(report, dict) else None


def _one_address(text: Any) -> str | None:
    """The one e-mail address a cell holds, or None: empty, several addresses, or a line break (which would
    add headers to the message) are not an address."""
    if not isinstance(text, str) or "\n" in text or "\r" in text:
        return None
    found = getaddresses([text])
    if len(found) != 1 or not re.fullmatch(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+", found[0][1]):
        return None
    return found[0][1]


def _load_sent(outdir: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads((outdir / SENT_LOG).read_text(encoding="utf-8"))
        return [e for e in data.get("sent", []) if isinstance(e, dict)]
    except (OSError, ValueError, AttributeError):
        return []


def _save_sent(outdir: Path, entries: list[dict[str, Any]]) -> None:
    with atomic_path(outdir / SENT_LOG) as tmp:
        tmp.write_text(json.dumps({"sent": entries}, ensure_ascii=False, indent=1), encoding="utf-8")


def _already_sent(log: list[dict[str, Any]], fb: Feedback) -> bool:
    return any(e.get("class") == fb.name and e.get("sha256") == fb.sha256 and e.get("recipient") == fb.recipient
               for e in log)


def send_feedback(outdir: str | Path, settings: Settings, dry_run: str | Path | None = None,
                  attempts: int = 3, pause: float = 1.0, resend: bool = False, lang: str = "zh",
                  term: str | None = None) -> SendResult:
    """Email each class its own feedback book, as the newest term's report.json records it (`term`, e.g.
    "2026-2027第一学期": that term's); a failure for one class
    (refused, unreachable, past mail.timeout_s) is retried, then reported, and does not stop the others.
    A book already sent to the same recipient (OUT/.workbook-engine-sent.json) is skipped unless resend.
    With dry_run, write the .eml files there instead of sending (one per class, never overwritten by
    another class's)."""
    outdir = Path(outdir)
    result = SendResult()
    with settled(outdir, lang):  # a run killed while publishing: finished (or undone) before its record is read
        pass

    messages = feedback_messages(outdir, settings, lang, term)
    result.term = _term_of(outdir, term, lang)
    log = _load_sent(outdir)
    todo: list[Feedback] = []
    for fb in messages:
        if fb.message is None:
            result.failed[fb.name] = fb.reason
        elif not resend and _already_sent(log, fb):
            result.skipped.append(fb.name)
        else:
            todo.append(fb)
    if dry_run is not None:
        folder = Path(dry_run)
        folder.mkdir(parents=True, exist_ok=True)
        used: set[str] = set()
        for fb in todo:
            assert fb.message is not None
            # the feedback book's file name is unique within OUT; folded for case-insensitive disks
            name = unique_name(safe_name(Path(fb.book).stem + ".eml"), lambda n: n.lower() in used)
            used.add(name.lower())
            target = folder / name
            target.write_bytes(fb.message.as_bytes())
            result.written.append(target)
            result.sent.append(fb.name)
        return result
    for fb in todo:
        assert fb.message is not None
        reason = send_one(fb.message, settings, attempts, pause, lang)
        if reason:
            result.failed[fb.name] = reason
            continue
        result.sent.append(fb.name)
        log.append({"class": fb.name, "sha256": fb.sha256, "recipient": fb.recipient, "book": fb.book,
                    "time": dt.datetime.now().astimezone().isoformat(timespec="seconds")})
        _save_sent(outdir, log)  # after each message: an interrupted send resumes where it stopped
    return result
