"""The mail server connections: the account's password (from the environment variable the settings name, never
from a file), TLS, and sending one message over SMTP within its time limit, retrying what may pass."""
from __future__ import annotations

import os
import smtplib
import socket
import ssl
import threading
import time
from email.message import EmailMessage

from workbook_engine.catalogue import t
from workbook_engine.errors import UsageError
from workbook_engine.settings import Settings


def mail_password(settings: Settings, lang: str = "zh") -> str | None:
    """The mailbox password, from the environment variable `mail.password_env` names (None: no variable named)."""
    env = settings.mail.password_env
    if not env:
        return None
    value = os.environ.get(env)
    if value is None:
        raise UsageError(t("mail.no_password", lang, env=env))
    return value


def tls_context() -> ssl.SSLContext:
    """TLS with the system's certificates and host names checked."""
    return ssl.create_default_context()


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
    secret = mail_password(settings, lang) if mail.username else None  # a relay without login needs no password
    timeout = max(0.1, min(30.0, deadline.left()))
    conn: _SMTP | _SMTPSSL = (_SMTPSSL(context=tls_context(), timeout=timeout) if mail.smtp_security == "ssl"
                              else _SMTP(timeout=timeout))
    conn.deadline = deadline
    deadline.conn = conn
    conn.connect(mail.smtp_host, mail.smtp_port)
    if mail.smtp_security == "starttls":
        conn.starttls(context=tls_context())
    if mail.username and secret is not None:
        conn.login(mail.username, secret)
    return conn


def _close(conn: smtplib.SMTP | None) -> None:
    if conn is not None:
        try:
            conn.close()
        except Exception:
            pass


def send_one(msg: EmailMessage, settings: Settings, attempts: int, pause: float, lang: str) -> str:
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
