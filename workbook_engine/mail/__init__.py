"""Email in and out: class files fetched from the school's mailbox (IMAP, `fetch.py`), a receipt to each sender
(`receipts.py`), and each class's feedback book sent to its head teacher (SMTP, `send.py`, over `smtp.py`).
Passwords come from an environment variable named in the settings, never from a file. Reading a saved mail is
reading: `workbook_engine.reading.email`."""
from __future__ import annotations

from workbook_engine.mail.fetch import fetch_mail
from workbook_engine.mail.mailbox import FetchResult
from workbook_engine.mail.receipts import receipt_message, send_receipts
from workbook_engine.mail.send import SENT_LOG, Feedback, SendResult, feedback_messages, send_feedback

__all__ = ["SENT_LOG", "Feedback", "FetchResult", "SendResult", "feedback_messages", "fetch_mail", "receipt_message",
           "send_feedback", "send_receipts"]
