"""Email in and out: spreadsheet attachments from saved .eml files and from a mailbox (IMAP), and each
class's feedback book sent to its head teacher (SMTP). Passwords come from an environment variable named
in the settings, never from a file."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import os
import re
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Callable

from workbook_engine.errors import UsageError
from workbook_engine.gate import OLE_MAGIC, SPREADSHEET_SUFFIXES
from workbook_engine.settings import Settings

STATE_FILE = ".workbook-engine-mail.json"  # hidden: discovery skips it


def safe_name(name: str) -> str:
    """An attachment's name made safe as a file name: no folders, no reserved characters, bounded."""
    from workbook_engine.summary import safe_file_name

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

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.sender, "date": self.date, "subject": self.subject, "message_id": self.message_id,
                "source": self.source}


def parse_message(raw: bytes, source: str = "") -> tuple[Provenance, list[Attachment]]:
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
def _password(settings: Settings) -> str | None:
    env = settings.mail.password_env
    if not env:
        return None
    value = os.environ.get(env)
    if value is None:
        raise UsageError(f"环境变量 {env} 中没有邮箱密码 / the password variable {env} is not set")
    return value


def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


@dataclass
class FetchResult:
    saved: list[Path] = field(default_factory=list)
    messages: int = 0
    skipped_seen: int = 0


def fetch_mail(inbox: str | Path, settings: Settings) -> FetchResult:
    """Copy the spreadsheet attachments of unseen messages into INBOX, never twice (Message-IDs are
    remembered), and mark the messages seen. Provenance goes to INBOX/.workbook-engine-mail.json."""
    from imapclient import IMAPClient

    mail = settings.mail
    if not mail.imap_host:
        raise UsageError("学校设置中没有 [mail] imap_host / no imap_host in the settings")
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    state_path = inbox / STATE_FILE
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {"seen": [], "files": {}}
    seen = set(state["seen"])
    result = FetchResult()
    client = IMAPClient(mail.imap_host, port=mail.imap_port, ssl=mail.imap_security == "ssl",
                        ssl_context=_tls_context() if mail.imap_security == "ssl" else None, timeout=30)
    try:
        if mail.imap_security == "starttls":
            client.starttls(_tls_context())
        client.login(mail.username or "", _password(settings) or "")
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
                    target = inbox / unique_name(att.name, lambda n: (inbox / n).exists())
                    tmp = target.with_name(f".tmp-{target.name}")
                    tmp.write_bytes(att.data)
                    os.replace(tmp, target)
                    state["files"][target.name] = prov.to_dict()
                    result.saved.append(target)
                seen.add(key)
                result.messages += 1
            client.add_flags([uid], [b"\\Seen"])
    finally:
        try:
            client.logout()
        except Exception:
            pass
    state["seen"] = sorted(seen)
    tmp = state_path.with_name(state_path.name + ".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, state_path)
    return result


# -- sending feedback ---------------------------------------------------------------------------------
@dataclass
class SendResult:
    sent: list[str] = field(default_factory=list)  # class names
    failed: dict[str, str] = field(default_factory=dict)  # class -> reason
    written: list[Path] = field(default_factory=list)  # dry-run .eml files


def feedback_messages(outdir: Path, settings: Settings) -> list[tuple[str, EmailMessage | None, str]]:
    """(class, message or None, reason when None) for every class with a feedback book in OUTDIR."""
    from workbook_engine.summary import safe_file_name

    report_path = outdir / "report.json"
    if not report_path.exists():
        raise UsageError(f"{outdir} 中没有 report.json，请先运行 run / run `run` first")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    as_of = report.get("as_of")
    out = []
    for cls in report.get("classes", []):
        name = cls["class"]
        book = outdir / "班级反馈" / f"{safe_file_name(name)}.xlsx"
        heads = [m for m in report.get("mentors", []) if m.get("class") == name and m.get("role") == "班主任"]
        to = settings.mail.recipients.get(name) or next((m.get("email") for m in heads if m.get("email")), None)
        if not book.exists():
            out.append((name, None, "没有这个班级的反馈工作簿"))
            continue
        if not to:
            out.append((name, None, "没有收件人：请在导师名单的邮箱列或 [mail.recipients] 中填写"))
            continue
        overdue = [o for o in report.get("overdue", []) if o.get("class") == name]
        students = [s for s in report.get("students", []) if s.get("class") == name]
        gaps = sum(bool(s.get("missing_talk_periods") or s.get("missing_parent_periods")) for s in students)
        rate = lambda r: f"{r:.1%}" if isinstance(r, (int, float)) else "—"  # noqa: E731
        head = heads[0]["name"] if heads else ""
        body = (f"{head}老师：\n\n附件是{name}截至 {as_of} 的学情反馈。\n\n"
                f"谈心达标率 {rate(cls.get('talk_rate'))}，家长联系达标率 {rate(cls.get('parent_rate'))}；"
                f"有未完成周期的学生 {gaps} 人，当前逾期需跟进的 {len({o['student_id'] for o in overdue})} 人。\n"
                "详细情况、数据问题（含单元格位置）和达标表见附件。\n\n教务处")
        msg = EmailMessage()
        msg["Subject"] = f"{name} 学情反馈（截至 {as_of}）"
        msg["From"] = settings.mail.sender or "workbook-engine@localhost"
        msg["To"] = to
        msg.set_content(body)
        msg.add_attachment(book.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=book.name)
        out.append((name, msg, ""))
    return out


def _smtp(settings: Settings) -> smtplib.SMTP:
    mail = settings.mail
    if not mail.smtp_host:
        raise UsageError("学校设置中没有 [mail] smtp_host / no smtp_host in the settings")
    if mail.smtp_security == "ssl":
        conn: smtplib.SMTP = smtplib.SMTP_SSL(mail.smtp_host, mail.smtp_port, context=_tls_context(), timeout=30)
    else:
        conn = smtplib.SMTP(mail.smtp_host, mail.smtp_port, timeout=30)
        if mail.smtp_security == "starttls":
            conn.starttls(context=_tls_context())
    password = _password(settings)
    if mail.username and password is not None:
        conn.login(mail.username, password)
    return conn


def send_feedback(outdir: str | Path, settings: Settings, dry_run: str | Path | None = None,
                  attempts: int = 3, pause: float = 1.0) -> SendResult:
    """Email each class its own feedback book; a failure for one class is retried, then reported, and
    does not stop the others. With dry_run, write the .eml files there instead of sending."""
    outdir = Path(outdir)
    result = SendResult()
    messages = feedback_messages(outdir, settings)
    if dry_run is not None:
        from workbook_engine.summary import safe_file_name

        folder = Path(dry_run)
        folder.mkdir(parents=True, exist_ok=True)
        for name, msg, reason in messages:
            if msg is None:
                result.failed[name] = reason
                continue
            target = folder / f"{safe_file_name(name)}.eml"
            target.write_bytes(msg.as_bytes())
            result.written.append(target)
            result.sent.append(name)
        return result
    conn: smtplib.SMTP | None = None
    for name, msg, reason in messages:
        if msg is None:
            result.failed[name] = reason
            continue
        last = ""
        for attempt in range(attempts):
            try:
                if conn is None:
                    conn = _smtp(settings)
                conn.send_message(msg)
                result.sent.append(name)
                last = ""
                break
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                last = f"邮件服务器拒收：{exc}"
                if isinstance(exc, smtplib.SMTPRecipientsRefused):
                    break  # a bad address does not get better by retrying
            except (OSError, smtplib.SMTPException) as exc:
                last = f"发送失败：{type(exc).__name__} {exc}"
                try:
                    if conn is not None:
                        conn.close()
                except Exception:
                    pass
                conn = None
            time.sleep(pause * (attempt + 1))
        if last:
            result.failed[name] = last
    if conn is not None:
        try:
            conn.quit()
        except Exception:
            pass
    return result


def date_of(prov: dict[str, Any] | None) -> float | None:
    """The message's date as a timestamp, to order versions that arrived by mail."""
    if prov and prov.get("date"):
        try:
            return dt.datetime.fromisoformat(prov["date"]).timestamp()
        except ValueError:
            return None
    return None
