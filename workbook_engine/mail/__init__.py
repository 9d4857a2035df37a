"""Email in and out: spreadsheet attachments from saved .eml files and from a mailbox (IMAP), and each
class's feedback book sent to its head teacher (SMTP). Passwords come from an environment variable named
in the settings, never from a file."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import json
import os
import re
import smtplib
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import make_msgid, parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any, Callable

from workbook_engine.errors import UsageError
from workbook_engine.reading.gate import OLE_MAGIC, SPREADSHEET_SUFFIXES
from workbook_engine.files import atomic_path, recorded_file, safe_file_name
from workbook_engine.catalogue import CATALOGUE, t
from workbook_engine.settings import Settings

STATE_FILE = ".workbook-engine-mail.json"  # hidden: discovery skips it


def safe_name(name: str) -> str:
    """An attachment's name made safe as a file name: no folders, no reserved characters, bounded."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = "".join(ch for ch in suffix if ch.isalnum())[:8]
    return safe_file_name(stem)[:80] + (f".{suffix}" if suffix else "")


def _text(value: Any) -> str:
    """A header value as text: RFC 2047 encoded words decoded; undeclared 8-bit bytes (usually GBK from
    Chinese desktop mailers) tried as UTF-8, then GB18030."""
    if value is None:
        return ""
    text = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        raw = text.encode("utf-8", "surrogateescape")
        for codec in ("utf-8", "gb18030"):
            try:
                text = raw.decode(codec)
                break
            except UnicodeDecodeError:
                continue
        else:
            text = raw.decode("utf-8", "replace")
    if "=?" in text:
        try:
            text = str(make_header(decode_header(text)))
        except (ValueError, LookupError, UnicodeDecodeError):
            pass
    return text.strip()


def _filename(part: Message) -> str | None:
    """The attachment's name, decoded (RFC 2231 by the email package, RFC 2047 and raw GBK by _text)."""
    name = part.get_filename()
    if name and "\ufffd" in name:  # raw 8-bit bytes in the header: recover them and try GB18030
        for key in ("Content-Disposition", "Content-Type"):
            header = part.get(key)
            if header is None:
                continue
            raw = b"".join(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8", "surrogateescape")
                           for chunk, _ in decode_header(header))
            for codec in ("utf-8", "gb18030"):
                try:
                    text = raw.decode(codec)
                except UnicodeDecodeError:
                    continue
                m = re.search(r'(?:file)?name\*?="?([^";]+)"?', text)
                if m:
                    return m.group(1).strip()
    return _text(name) or None


def _looks_like_spreadsheet(name: str, payload: bytes) -> bool:
    if name.lower().endswith(SPREADSHEET_SUFFIXES):
        return True
    return payload.startswith(b"PK") and b"xl/workbook.xml" in payload[:200_000] or payload.startswith(OLE_MAGIC)


def unique_name(name: str, taken: Callable[[str], bool]) -> str:
    """name, or name(2), name(3) … (before the suffix): the first that is not taken."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = name, 2
    while taken(candidate):
        candidate = f"{stem}({n}).{suffix}" if suffix else f"{stem}({n})"
        n += 1
    return candidate


@dataclass
class Attachment:
    name: str
    data: bytes


@dataclass
class Provenance:
    sender: str = ""
    date: str | None = None
    subject: str = ""
    message_id: str = ""
    source: str = ""  # the .eml file or the mailbox it came from
    from_address: str = ""  # the From address, the only one a receipt goes to (never a Reply-To: anyone
    # can name a victim there)
    automatic: bool = False  # an auto-reply, bounce or list mail (never answered: no mail loops)

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.sender, "date": self.date, "subject": self.subject, "message_id": self.message_id,
                "source": self.source}


def parse_message(raw: bytes, source: str = "") -> tuple[Provenance, list[Attachment]]:
    """The mail's provenance and spreadsheet attachments. ValueError for a mail that cannot be parsed (a mail
    nested a thousand levels deep exhausts the parser's recursion: that mail is damaged, not the run)."""
    try:
        return _parse_message(raw, source)
    except RecursionError:
        raise ValueError("the mail is nested too deeply to be read") from None


def _parse_message(raw: bytes, source: str = "") -> tuple[Provenance, list[Attachment]]:
    msg = email.message_from_bytes(raw)  # compat32 keeps undeclared 8-bit bytes recoverable

    def header(key: str) -> str:
        try:
            return _text(msg.get(key))
        except Exception:  # a malformed header: keep the rest of the message
            return ""

    date = None
    try:
        when = parsedate_to_datetime(header("Date")) if header("Date") else None
        date = when.isoformat() if when else None
    except (TypeError, ValueError):
        pass
    prov = Provenance(header("From"), date, header("Subject"), header("Message-ID").strip(), source)
    address = parseaddr(prov.sender)[1]
    prov.from_address = address if "@" in address else ""
    auto = header("Auto-Submitted").lower()
    prov.automatic = (bool(auto) and auto != "no") or header("Precedence").lower() in ("bulk", "junk", "list") \
        or bool(header("List-Id")) or not parseaddr(header("Return-Path") or "x@x")[1]
    found: list[Attachment] = []
    used: set[str] = set()
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = _filename(part)
        if not name:
            continue
        try:
            payload = part.get_payload(decode=True) or b""
        except Exception:
            continue
        if not _looks_like_spreadsheet(name, payload):
            continue
        clean = unique_name(safe_name(name), lambda n: n.lower() in used)
        used.add(clean.lower())
        found.append(Attachment(clean, payload))
    return prov, found


# -- IMAP pickup -----------------------------------------------------------------------------------
def _password(settings: Settings, lang: str = "zh") -> str | None:
    env = settings.mail.password_env
    if not env:
        return None
    value = os.environ.get(env)
    if value is None:
        raise UsageError(t("mail.no_password", lang, env=env))
    return value


def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


@dataclass
class FetchResult:
    saved: list[Path] = field(default_factory=list)
    messages: int = 0
    skipped_seen: int = 0
    receipts: list[tuple[str, str]] = field(default_factory=list)  # (file, address) a receipt was sent to
    receipt_failures: dict[str, str] = field(default_factory=dict)  # file -> why its receipt was not sent


def _load_state(path: Path) -> dict[str, Any]:
    state = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for key, empty in (("seen", []), ("files", {}), ("receipts", {}), ("pending_receipts", [])):
        state.setdefault(key, empty)
    return state


def _save_state(path: Path, state: dict[str, Any]) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")


def fetch_mail(inbox: str | Path, settings: Settings, lang: str = "zh", executor: Any = None,
               attempts: int = 3, pause: float = 1.0) -> FetchResult:
    """Copy the spreadsheet attachments of unseen messages into INBOX, never twice (Message-IDs are
    remembered), and mark the messages seen. Provenance goes to INBOX/.workbook-engine-mail.json.

    With `mail.receipts`, each received file is validated as soon as the mailbox is closed and its sender
    gets one reply (see send_receipts); the state file remembers each receipt owed and sent, so a re-run
    never replies twice and a receipt that failed is tried again next time."""
    from imapclient import IMAPClient

    mail = settings.mail
    if not mail.imap_host:
        raise UsageError(t("mail.no_host", lang, setting="[mail] imap_host"))
    if mail.receipts and not mail.smtp_host:
        raise UsageError(t("mail.receipts_need_smtp", lang, receipts="[mail] receipts = true", setting="smtp_host"))
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    state_path = inbox / STATE_FILE
    state = _load_state(state_path)
    seen = set(state["seen"])
    result = FetchResult()
    client = IMAPClient(mail.imap_host, port=mail.imap_port, ssl=mail.imap_security == "ssl",
                        ssl_context=_tls_context() if mail.imap_security == "ssl" else None, timeout=30)
    try:
        if mail.imap_security == "starttls":
            client.starttls(_tls_context())
        client.login(mail.username or "", _password(settings, lang) or "")
        client.select_folder(mail.imap_folder)
        uids = client.search(["UNSEEN"])
        for uid, data in sorted(client.fetch(uids, ["BODY.PEEK[]"]).items()):
            raw = data[b"BODY[]"]
            prov, attachments = parse_message(raw, f"imap://{mail.imap_host}/{mail.imap_folder}")
            key = prov.message_id or f"uid:{uid}"
            if key in seen:
                result.skipped_seen += 1
            else:
                for att in attachments:
                    target = inbox / unique_name(att.name, lambda n: os.path.lexists(inbox / n))
                    with atomic_path(target) as tmp:  # mkstemp: never written through a link planted in INBOX
                        tmp.write_bytes(att.data)
                    state["files"][target.name] = prov.to_dict()
                    result.saved.append(target)
                    receipt = f"{key}/{att.name}"  # one receipt per received file
                    if mail.receipts and not prov.automatic and prov.from_address and receipt not in state["receipts"]:
                        state["pending_receipts"].append({  # sha256: the receipt goes with these bytes only
                            "id": receipt, "file": target.name, "attachment": att.name, "to": prov.from_address,
                            "sha256": hashlib.sha256(att.data).hexdigest(),
                            "subject": prov.subject, "message_id": prov.message_id, "date": prov.date})
                seen.add(key)
                result.messages += 1
            client.add_flags([uid], [b"\\Seen"])
    finally:
        try:
            client.logout()
        except Exception:
            pass
    state["seen"] = sorted(seen)
    _save_state(state_path, state)
    if mail.receipts and state["pending_receipts"]:
        send_receipts(inbox, settings, state, result, lang, executor, attempts, pause)
    return result


# -- receipts: each sender learns at once whether the file they mailed is usable --------------------------
RECEIPT_LIST_LIMIT = 30  # problems listed in the message body; the annotated copy holds them all


def receipt_message(report: Any, pending: dict[str, Any], settings: Settings, lang: str = "zh",
                    annotated: Path | None = None) -> tuple[EmailMessage, str]:
    """The reply for one received file, and its outcome (accepted / problems / unreadable)."""
    from workbook_engine.model import Severity

    from workbook_engine.schema import CLASS_INFO

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
                  executor: Any = None, attempts: int = 3, pause: float = 1.0) -> None:
    """Validate each received file that is owed a receipt (in worker processes: a mailed file is anyone's
    file) and reply to its sender over SMTP, each message within mail.timeout_s. The annotated copy is written
    into a temporary folder, never INBOX. Each receipt sent is recorded at once in the state file; one that
    fails stays owed and is tried again by the next fetch-mail. A receipt goes with the very bytes it was
    owed for: the file is copied out of INBOX while its SHA-256 is checked, and one that is gone or different
    (the office deleted it, another sender's file took its name) is dropped and logged, never sent."""
    import tempfile

    from workbook_engine.writing.annotate import annotate
    from workbook_engine.execution import default_executor
    from workbook_engine.validation.validate import validate_files

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
        _save_state(state_path, state)
        if not present:
            return
        executor = executor or default_executor(settings.limits.worker_memory_mb)
        reports = validate_files([copy for _, copy in present], settings, executor).files
        for i, ((pending, _), report) in enumerate(zip(present, reports)):
            annotated = None
            if report.problems and not report.unreadable:
                try:
                    annotated = annotate(report, Path(tmp) / str(i), lang)
                except Exception:  # noqa: BLE001 (the receipt still goes, with the problems listed in its text)
                    annotated = None
            msg, outcome = receipt_message(report, pending, settings, lang, annotated)
            reason = _send_one(msg, settings, attempts, pause, lang)
            if reason:
                result.receipt_failures[pending["file"]] = reason
                continue
            state["receipts"][pending["id"]] = {
                "file": pending["file"], "to": pending["to"], "outcome": outcome,
                "errors": sum(p.severity.value == "error" for p in report.problems),
                "warnings": sum(p.severity.value == "warning" for p in report.problems),
                "time": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
            state["pending_receipts"] = [p for p in state["pending_receipts"] if p["id"] != pending["id"]]
            _save_state(state_path, state)  # after each: an interrupted fetch never replies twice
            result.receipts.append((pending["file"], pending["to"]))


def _copy_if_same(source: Path, copy: Path, sha256: str) -> str:
    """Copy source to copy while hashing it; "" when its SHA-256 is sha256, else the catalogue key of why
    not (a receipt owed from before hashes were recorded cannot be matched, so it is dropped too)."""
    from workbook_engine.files import ReadFailure, open_regular

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


# -- sending feedback ---------------------------------------------------------------------------------
SENT_LOG = ".workbook-engine-sent.json"  # in OUT: which book went to whom, so a second send skips it


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
    from workbook_engine.publishing.index import find_term_report

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
    from workbook_engine.publishing.index import find_term_report, read_json
    from workbook_engine.term import term_words

    report = read_json(find_term_report(outdir, term, lang))
    return term_words(report.get("school_year"), report.get("term"), lang) if isinstance(report, dict) else None


def _one_address(text: Any) -> str | None:
    """The one e-mail address a cell holds, or None: empty, several addresses, or a line break (which would
    add headers to the message) are not an address."""
    from email.utils import getaddresses

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


class _Deadline:
    """One message's overall time limit. smtplib's timeout bounds each socket operation only, so a server
    that drips a reply line now and then would hold a message forever; at the deadline the connection is
    shut down, which wakes any blocked read with an error."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.conn: smtplib.SMTP | None = None
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        return self.end - time.monotonic()

    def _expire(self) -> None:
        self.expired = True
        sock = getattr(self.conn, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()


class _BoundedReplies:
    """No reply is awaited past the deadline (covers a deadline that fell before the socket existed)."""

    deadline: _Deadline

    def getreply(self) -> tuple[int, bytes]:
        if self.deadline.expired:
            raise TimeoutError("mail.timeout_s")
        return super().getreply()  # type: ignore[misc]


class _SMTP(_BoundedReplies, smtplib.SMTP):
    pass


class _SMTPSSL(_BoundedReplies, smtplib.SMTP_SSL):
    pass


def _smtp(settings: Settings, deadline: _Deadline, lang: str = "zh") -> smtplib.SMTP:
    mail = settings.mail
    if not mail.smtp_host:
        raise UsageError(t("mail.no_host", lang, setting="[mail] smtp_host"))
    password = _password(settings, lang) if mail.username else None  # a relay without login needs no password
    timeout = max(0.1, min(30.0, deadline.left()))
    conn: _SMTP | _SMTPSSL = (_SMTPSSL(context=_tls_context(), timeout=timeout) if mail.smtp_security == "ssl"
                              else _SMTP(timeout=timeout))
    conn.deadline = deadline
    deadline.conn = conn
    conn.connect(mail.smtp_host, mail.smtp_port)
    if mail.smtp_security == "starttls":
        conn.starttls(context=_tls_context())
    if mail.username and password is not None:
        conn.login(mail.username, password)
    return conn


def _close(conn: smtplib.SMTP | None) -> None:
    if conn is not None:
        try:
            conn.close()
        except Exception:
            pass


def _send_one(msg: EmailMessage, settings: Settings, attempts: int, pause: float, lang: str) -> str:
    """Send one message on its own connection within mail.timeout_s, retrying transient failures; the
    reason it failed, or "" when sent."""
    limit = settings.mail.timeout_s
    deadline = _Deadline(limit)
    last = ""
    try:
        for attempt in range(attempts):
            conn: smtplib.SMTP | None = None
            try:
                conn = _smtp(settings, deadline, lang)
                conn.send_message(msg)
                try:
                    conn.quit()
                except Exception:
                    pass
                return ""
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                last = t("mail.refused", lang, error=exc)
                if isinstance(exc, smtplib.SMTPRecipientsRefused):
                    break  # a bad address does not get better by retrying
            except (OSError, smtplib.SMTPException) as exc:
                last = t("mail.not_sent", lang, error=f"{type(exc).__name__} {exc}")
            finally:
                _close(conn)
            if deadline.expired or deadline.left() <= pause * (attempt + 1):
                break
            time.sleep(pause * (attempt + 1))
    finally:
        deadline.cancel()
    if deadline.expired:
        return t("mail.timeout", lang, seconds=f"{limit:g}", setting="[mail] timeout_s")
    return last


def send_feedback(outdir: str | Path, settings: Settings, dry_run: str | Path | None = None,
                  attempts: int = 3, pause: float = 1.0, resend: bool = False, lang: str = "zh",
                  term: str | None = None) -> SendResult:
    """Email each class its own feedback book, as the newest term's report.json records it (`term`, e.g.
    "2026-2027第一学期": that term's); a failure for one class
    (refused, unreachable, past mail.timeout_s) is retried, then reported, and does not stop the others.
    A book already sent to the same recipient (OUT/.workbook-engine-sent.json) is skipped unless resend.
    With dry_run, write the .eml files there instead of sending (one per class, never overwritten by
    another class's)."""
    from workbook_engine.publishing.publish import settled

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
        reason = _send_one(fb.message, settings, attempts, pause, lang)
        if reason:
            result.failed[fb.name] = reason
            continue
        result.sent.append(fb.name)
        log.append({"class": fb.name, "sha256": fb.sha256, "recipient": fb.recipient, "book": fb.book,
                    "time": dt.datetime.now().astimezone().isoformat(timespec="seconds")})
        _save_sent(outdir, log)  # after each message: an interrupted send resumes where it stopped
    return result


def date_of(prov: dict[str, Any] | None) -> float | None:
    """The message's date as a timestamp, to order versions that arrived by mail."""
    if prov and prov.get("date"):
        try:
            return dt.datetime.fromisoformat(prov["date"]).timestamp()
        except ValueError:
            return None
    return None
