"""Fetching class files from the school's mailbox (IMAP): each unseen message's spreadsheet attachments copied
into INBOX once, with who sent them and when."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from workbook_engine.catalogue import t
from workbook_engine.errors import UsageError
from workbook_engine.files import atomic_path
from workbook_engine.mail.mailbox import FetchResult, load_state, save_state
from workbook_engine.mail.receipts import send_receipts
from workbook_engine.mail.smtp import mail_password, tls_context
from workbook_engine.model import Executor
from workbook_engine.reading.email import STATE_FILE, parse_message, unique_name
from workbook_engine.settings import Settings


def fetch_mail(inbox: str | Path, settings: Settings, lang: str = "zh", executor: Executor | None = None,
               attempts: int = 3, pause: float = 1.0) -> FetchResult:
    """Copy the spreadsheet attachments of unseen messages into INBOX, never twice (Message-IDs are
    remembered), and mark the messages seen. Provenance goes to INBOX/.workbook-engine-mail.json.

    With `mail.receipts`, each received file is validated as soon as the mailbox is closed and its sender
    gets one reply (see send_receipts); the state file remembers each receipt owed and sent, so a re-run
    never replies twice and a receipt that failed is tried again next time."""
    from imapclient import IMAPClient  # only fetch-mail speaks IMAP: the library is not loaded for every command

    mail = settings.mail
    if not mail.imap_host:
        raise UsageError(t("mail.no_host", lang, setting="[mail] imap_host"))
    if mail.receipts and not mail.smtp_host:
        raise UsageError(t("mail.receipts_need_smtp", lang, receipts="[mail] receipts = true", setting="smtp_host"))
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    state_path = inbox / STATE_FILE
    state = load_state(state_path)
    seen = set(state["seen"])
    result = FetchResult()
    client = IMAPClient(mail.imap_host, port=mail.imap_port, ssl=mail.imap_security == "ssl",
                        ssl_context=tls_context() if mail.imap_security == "ssl" else None, timeout=30)
    try:
        if mail.imap_security == "starttls":
            client.starttls(tls_context())
        client.login(mail.username or "", mail_password(settings, lang) or "")
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
    save_state(state_path, state)
    if mail.receipts and state["pending_receipts"]:
        send_receipts(inbox, settings, state, result, lang, executor, attempts, pause)
    return result
