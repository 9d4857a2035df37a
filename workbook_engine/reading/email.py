"""Saved mails (.eml, or messages fetched from a mailbox): who sent them, when, and their spreadsheet
attachments under safe, unique file names. Reading only; fetching and sending are workbook_engine.mail."""
from __future__ import annotations

import datetime as dt
import email
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any

from workbook_engine.files import safe_file_name
from workbook_engine.reading.gate import OLE_MAGIC, SPREADSHEET_SUFFIXES

STATE_FILE = ".workbook-engine-mail.json"  # fetch-mail's record in INBOX (hidden: discovery skips it)


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
            decoded = part.get_payload(decode=True)  # a leaf part: its bytes, or None
        except Exception:
            continue
        payload = decoded if isinstance(decoded, bytes) else b""
        if not _looks_like_spreadsheet(name, payload):
            continue
        clean = unique_name(safe_name(name), lambda n: n.lower() in used)
        used.add(clean.lower())
        found.append(Attachment(clean, payload))
    return prov, found



def date_of(prov: dict[str, Any] | None) -> float | None:
    """The message's date as a timestamp, to order versions that arrived by mail."""
    if prov and prov.get("date"):
        try:
            return dt.datetime.fromisoformat(prov["date"]).timestamp()
        except ValueError:
            return None
    return None
