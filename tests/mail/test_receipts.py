"""Receipts for senders: `fetch-mail` with `mail.receipts = true` validates each received file and replies to its
sender once — accepted, or the problems with the annotated copy attached — against a real IMAP server (pymap) and a
real SMTP server with login (aiosmtpd) on loopback."""
from __future__ import annotations

import email
import email.policy
import io
import json
from email.message import EmailMessage

import openpyxl
import pytest

from tests.builders import XLSX, mail_with
from tests.helpers.net import free_port
from workbook_engine.cli import main
from workbook_engine.mail import fetch_mail
from workbook_engine.reading.email import STATE_FILE
from workbook_engine.settings import Settings

pytestmark = pytest.mark.slow  # real servers, as in tests/mail/test_mail.py


class _Mailbox:
    """What the SMTP server received; addresses in `refuse` are refused (550) until removed."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.refuse: set[str] = set()
        self.logins: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpts, m in self.messages if rcpts == [address]]


@pytest.fixture
def smtp_login():
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    box = _Mailbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"jwc", b"s3cret")
        if ok:
            box.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    controller = Controller(box, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    yield controller.port, box
    controller.stop()


def _settings(imap_port: int, smtp_port: int) -> Settings:
    return Settings.model_validate({"mail": {
        "imap_host": "127.0.0.1", "imap_port": imap_port, "imap_security": "none",
        "smtp_host": "127.0.0.1", "smtp_port": smtp_port, "smtp_security": "none",
        "username": "jwc", "password_env": "TEST_MAIL_PASSWORD", "sender": "教务处 <jwc@example.edu.cn>",
        "receipts": True, "timeout_s": 20}})


def _broken(book: bytes) -> bytes:
    """The class workbook with 学生名册 row 3's 导师工号 (column F) cleared: one error at F3."""
    wb = openpyxl.load_workbook(io.BytesIO(book))
    ws = wb["学生名册"]
    assert ws["F1"].value.rstrip("*") == "导师工号"
    ws["F3"].value = None
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _two_files(first: bytes, second: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "张老师 <zhang@example.edu.cn>", "jwc@example.edu.cn", "两份文件"
    msg["Date"], msg["Message-ID"] = "Mon, 19 Oct 2026 10:00:00 +0800", "<z2@example.edu.cn>"
    msg.set_content("见附件")
    msg.add_attachment(first, maintype="application", subtype=XLSX.split("/")[1], filename="七年级8班.xlsx")
    msg.add_attachment(second, maintype="application", subtype=XLSX.split("/")[1], filename="名单.xlsx")
    return msg.as_bytes()


def _append(port: int, *raws: bytes) -> None:
    from imapclient import IMAPClient

    client = IMAPClient("127.0.0.1", port=port, ssl=False)
    client.login("jwc", "s3cret")
    for raw in raws:
        client.append("INBOX", raw)
    client.logout()


def test_each_sender_gets_one_receipt_per_file(books, imap_server, smtp_login, tmp_path, monkeypatch):
    smtp_port, box = smtp_login
    monkeypatch.setenv("TEST_MAIL_PASSWORD", "s3cret")
    auto = mail_with(books["七年级9班"], "七年级9班(自动).xlsx", sender="mailer-daemon@example.edu.cn",
                     message_id="<auto@example.edu.cn>").replace(b"Subject:", b"Auto-Submitted: auto-replied\r\nSubject:", 1)
    _append(imap_server,
            mail_with(books["七年级9班"], "七年级9班.xlsx"),  # 王老师: a good file
            mail_with(_broken(books["七年级9班"]), "七年级9班(改).xlsx", sender="李老师 <li@example.edu.cn>",
                      message_id="<l1@example.edu.cn>"),  # 李老师: one error
            _two_files(books["七年级8班"], b"PK\x03\x04 not really a workbook"),  # 张老师: two files
            auto)  # an auto-reply: never answered
    inbox = tmp_path / "inbox"
    settings = _settings(imap_server, smtp_port)
    first = fetch_mail(inbox, settings, pause=0)
    assert first.messages == 4 and len(first.saved) == 5
    assert sorted(first.receipts) == [("七年级8班.xlsx", "zhang@example.edu.cn"), ("七年级9班(改).xlsx", "li@example.edu.cn"),
                                      ("七年级9班.xlsx", "wang@example.edu.cn"), ("名单.xlsx", "zhang@example.edu.cn")]
    assert not first.receipt_failures and box.logins  # sent over SMTP with the school's login
    assert len(box.messages) == 4 and not box.to("mailer-daemon@example.edu.cn")

    (ok,) = box.to("wang@example.edu.cn")
    # accepted: 检查通过 (the 8-student class draws pairing-structure advice, counted as 提示, never as errors)
    assert ok["Subject"].startswith("回执：已收到《七年级9班.xlsx》，检查通过")
    assert ok["In-Reply-To"] == "<a1@example.edu.cn>" and ok["Auto-Submitted"] == "auto-replied"
    assert ok["From"] == "教务处 <jwc@example.edu.cn>"
    body = ok.get_body(("plain",)).get_content()
    assert "已收到您于 2026-10-19 发来的《七年级9班.xlsx》（班级学情工作簿，七年级9班）" in body and "检查通过" in body
    # no error: at most the annotated copy showing the advice (yellow), never a red cell
    for part in ok.iter_attachments():
        wb = openpyxl.load_workbook(io.BytesIO(part.get_payload(decode=True)))
        assert all(row[0] != "错误" for row in wb["问题清单"].iter_rows(min_row=2, values_only=True))

    (bad,) = box.to("li@example.edu.cn")
    assert bad["Subject"] == "回执：《七年级9班(改).xlsx》有 1 个错误，请修改后重新发送"
    text = bad.get_body(("plain",)).get_content()
    assert "[错误] 学生名册 F3：" in text and "请修改后重新发送" in text
    (copy,) = list(bad.iter_attachments())
    assert copy.get_filename() == "七年级9班(改).批注.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(copy.get_payload(decode=True)))
    assert wb.sheetnames[0] == "问题清单"
    assert wb["学生名册"]["F3"].fill.fgColor.rgb.endswith("FFC7CE") and wb["学生名册"]["F3"].comment is not None

    replies = sorted(m["Subject"] for m in box.to("zhang@example.edu.cn"))
    assert len(replies) == 2 and "回执：《名单.xlsx》无法读取，请重新发送" in replies
    assert any(r.startswith("回执：已收到《七年级8班.xlsx》，检查通过") for r in replies)

    # the annotated copies were written elsewhere: INBOX holds the received files and the state file only
    assert sorted(p.name for p in inbox.iterdir()) == sorted([STATE_FILE, *(p.name for p in first.saved)])
    state = json.loads((inbox / STATE_FILE).read_text(encoding="utf-8"))
    assert len(state["receipts"]) == 4 and state["pending_receipts"] == []
    assert state["receipts"]["<l1@example.edu.cn>/七年级9班(改).xlsx"]["outcome"] == "problems"

    # a re-run never replies twice: the same message again is skipped; a new message gets its one receipt
    _append(imap_server, mail_with(books["七年级9班"], "七年级9班.xlsx"),
            mail_with(books["七年级9班"], "七年级9班.xlsx", message_id="<a2@example.edu.cn>"))
    second = fetch_mail(inbox, settings, pause=0)
    assert second.skipped_seen == 1 and [p.name for p in second.saved] == ["七年级9班(2).xlsx"]
    assert second.receipts == [("七年级9班(2).xlsx", "wang@example.edu.cn")] and len(box.messages) == 5
    assert fetch_mail(inbox, settings, pause=0).receipts == [] and len(box.messages) == 5


def test_a_refused_receipt_is_owed_and_sent_by_the_next_fetch(books, imap_server, smtp_login, tmp_path,
                                                              monkeypatch, capsys):
    smtp_port, box = smtp_login
    monkeypatch.setenv("TEST_MAIL_PASSWORD", "s3cret")
    box.refuse.add("wang@example.edu.cn")
    _append(imap_server, mail_with(books["七年级9班"], "七年级9班.xlsx"))
    inbox = tmp_path / "inbox"
    toml = tmp_path / "mail.toml"
    toml.write_text(
        f'[mail]\nimap_host = "127.0.0.1"\nimap_port = {imap_server}\nimap_security = "none"\n'
        f'smtp_host = "127.0.0.1"\nsmtp_port = {smtp_port}\nsmtp_security = "none"\nusername = "jwc"\n'
        'password_env = "TEST_MAIL_PASSWORD"\nreceipts = true\ntimeout_s = 5\n', encoding="utf-8")
    assert main(["fetch-mail", str(inbox), "--config", str(toml)]) == 1
    out = capsys.readouterr().out
    assert "七年级9班.xlsx 的回执未发出" in out and box.messages == []
    box.refuse.clear()
    assert main(["fetch-mail", str(inbox), "--config", str(toml), "--lang", "en"]) == 0  # no new mail: owed one sent
    assert "receipt for 七年级9班.xlsx sent to wang@example.edu.cn" in capsys.readouterr().out
    (msg,) = box.to("wang@example.edu.cn")
    assert msg["Subject"].startswith("Receipt: 七年级9班.xlsx received and accepted")  # (+ the pairing advice count)
    assert "We received 七年级9班.xlsx (class workbook, 七年级9班), sent on 2026-10-19." in \
        msg.get_body(("plain",)).get_content()
    assert main(["fetch-mail", str(inbox), "--config", str(toml)]) == 0 and len(box.messages) == 1


def test_an_owed_receipt_never_carries_the_file_that_later_took_its_name(books, imap_server, smtp_login,
                                                                         tmp_path, monkeypatch, capsys,
                                                                         start_method):
    """A stranger's junk 七年级9班.xlsx is refused a receipt (550) and stays owed; the office deletes it; the
    head teacher's real 七年级9班.xlsx arrives under the same name with a Reply-To naming the stranger. The next
    fetch-mail drops the stranger's receipt (logged, never sent) and answers the real sender at From only."""
    smtp_port, box = smtp_login
    monkeypatch.setenv("TEST_MAIL_PASSWORD", "s3cret")
    box.refuse.add("chen@example.org")
    _append(imap_server, mail_with(b"PK\x03\x04 junk", "七年级9班.xlsx", sender="陈某 <chen@example.org>",
                                   message_id="<x1@example.org>"))
    inbox = tmp_path / "inbox"
    toml = tmp_path / "mail.toml"
    toml.write_text(
        f'[mail]\nimap_host = "127.0.0.1"\nimap_port = {imap_server}\nimap_security = "none"\n'
        f'smtp_host = "127.0.0.1"\nsmtp_port = {smtp_port}\nsmtp_security = "none"\nusername = "jwc"\n'
        'password_env = "TEST_MAIL_PASSWORD"\nreceipts = true\ntimeout_s = 5\n', encoding="utf-8")
    assert main(["fetch-mail", str(inbox), "--config", str(toml)]) == 1 and box.messages == []
    assert "七年级9班.xlsx 的回执未发出" in capsys.readouterr().out  # owed to chen@example.org
    (inbox / "七年级9班.xlsx").unlink()  # the office deletes the junk

    real = mail_with(books["七年级9班"], "七年级9班.xlsx", message_id="<a9@example.edu.cn>")
    _append(imap_server, real.replace(b"Subject:", b"Reply-To: chen@example.org\r\nSubject:", 1))
    box.refuse.clear()
    assert main(["fetch-mail", str(inbox), "--config", str(toml)]) == 1  # 1: a receipt was dropped
    out = capsys.readouterr().out
    assert "✓ 已给 wang@example.edu.cn 回执：七年级9班.xlsx" in out
    assert "七年级9班.xlsx 的回执未发出：收件目录中此名称下已是另一个文件，回执作废" in out
    assert box.to("chen@example.org") == [] and len(box.messages) == 1  # the stranger gets nothing, ever
    (receipt,) = box.to("wang@example.edu.cn")
    assert receipt["In-Reply-To"] == "<a9@example.edu.cn>"
    state = json.loads((inbox / STATE_FILE).read_text(encoding="utf-8"))
    assert [(d["id"], d["to"], d["why"]) for d in state["dropped_receipts"]] == [
        ("<x1@example.org>/七年级9班.xlsx", "chen@example.org", "mail.receipt_other_file")]
    assert state["pending_receipts"] == [] and list(state["receipts"]) == ["<a9@example.edu.cn>/七年级9班.xlsx"]
    assert main(["fetch-mail", str(inbox), "--config", str(toml)]) == 0 and len(box.messages) == 1


def test_receipts_need_an_smtp_server(tmp_path):
    settings = Settings.model_validate({"mail": {"imap_host": "127.0.0.1", "receipts": True}})
    from workbook_engine.errors import UsageError

    with pytest.raises(UsageError, match="smtp_host"):
        fetch_mail(tmp_path / "inbox", settings)
    assert not (tmp_path / "inbox").exists() or not any((tmp_path / "inbox").iterdir())
