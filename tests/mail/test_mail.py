"""Email in and out against real servers on loopback: saved .eml files, an IMAP mailbox (pymap), and
feedback sent over SMTP (aiosmtpd). Every class receives exactly its own file."""
from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import hashlib
from pathlib import Path

import openpyxl
import pytest

from tests.builders import XLSX, mail_with, sheet_rows
from tests.helpers.terms import term_dir
from workbook_engine.cli import main
from workbook_engine.mail import fetch_mail, send_feedback
from workbook_engine.pipeline import run_inbox
from workbook_engine.reading.email import parse_message
from workbook_engine.settings import Settings
from workbook_engine.writing.samples import school_toml

AS_OF = dt.date(2026, 10, 20)


def rfc2047_mail(attachment: bytes) -> bytes:
    """An attachment name in RFC 2047 form, as many Chinese webmail clients still send it."""
    encoded = "=?utf-8?b?" + base64.b64encode("七年级8班（修改）.xlsx".encode()).decode() + "?="
    body = base64.encodebytes(attachment).decode()
    return (f"From: =?utf-8?b?{base64.b64encode('李老师'.encode()).decode()}?= <li@example.edu.cn>\r\n"
            "Subject: =?utf-8?b?" + base64.b64encode("八年级？七年级8班".encode()).decode() + "?=\r\n"
            "Date: Tue, 20 Oct 2026 09:00:00 +0800\r\nMessage-ID: <b2@example.edu.cn>\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
            f"见附件\r\n--XX\r\nContent-Type: {XLSX}; name=\"{encoded}\"\r\nContent-Transfer-Encoding: base64\r\n"
            f'Content-Disposition: attachment; filename="{encoded}"\r\n\r\n{body}\r\n--XX--\r\n').encode()


def gbk_mail(attachment: bytes) -> bytes:
    """A GBK mail whose attachment name is raw GBK bytes, undeclared (some desktop mailers do this)."""
    head = ("From: zhang@example.edu.cn\r\nSubject: 学情记录\r\nDate: Tue, 20 Oct 2026 10:00:00 +0800\r\n"
            "Message-ID: <c3@example.edu.cn>\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="YY"\r\n\r\n--YY\r\n'
            "Content-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").encode("gbk")
    text = "请查收。\r\n".encode("gbk")
    part = (f"--YY\r\nContent-Type: {XLSX}\r\nContent-Transfer-Encoding: base64\r\n".encode()
            + 'Content-Disposition: attachment; filename="七年级9班 张老师.xlsx"\r\n\r\n'.encode("gbk")
            + base64.encodebytes(attachment) + b"\r\n--YY--\r\n")
    return head + text + part


def test_attachment_names_are_decoded_and_sanitised(books):
    prov, atts = parse_message(rfc2047_mail(books["七年级8班"]))
    assert [a.name for a in atts] == ["七年级8班（修改）.xlsx"] and prov.sender.startswith("李老师")
    assert prov.subject == "八年级？七年级8班"
    _, atts = parse_message(gbk_mail(books["七年级9班"]))
    assert [a.name for a in atts] == ["七年级9班 张老师.xlsx"]
    _, atts = parse_message(mail_with(books["七年级9班"], "../../etc/七年级9班.xlsx"))
    assert [a.name for a in atts] == ["七年级9班.xlsx"]
    _, atts = parse_message(mail_with(b"not a workbook", "通知.docx"))
    assert atts == []


def test_saved_emails_in_the_inbox_are_read_with_provenance(books, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "王老师.eml").write_bytes(mail_with(books["七年级9班"], "七年级9班.xlsx"))
    (inbox / "李老师.eml").write_bytes(rfc2047_mail(books["七年级8班"]))
    (inbox / "通知.eml").write_bytes(mail_with(None, ""))
    (inbox / "school.toml").write_text(school_toml(["七年级8班", "七年级9班"]), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in inbox.iterdir()}
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF)
    files = {f["path"]: f for f in result.report["files"]}
    assert files["王老师.eml/七年级9班.xlsx"]["status"] == "accepted"
    assert files["李老师.eml/七年级8班（修改）.xlsx"]["class"] == "七年级8班"
    assert files["通知.eml"]["status"] == "skipped" and "没有表格附件" in files["通知.eml"]["reason"]
    prov = files["王老师.eml/七年级9班.xlsx"]["provenance"]
    assert prov["from"] == "王老师 <wang@example.edu.cn>" and prov["subject"] == "七年级9班学情记录"
    assert prov["date"].startswith("2026-10-19T08:30")
    assert files["王老师.eml/七年级9班.xlsx"]["sha256"] == hashlib.sha256(books["七年级9班"]).hexdigest()
    assert {p.name: p.read_bytes() for p in inbox.iterdir()} == before  # nothing extracted into the inbox
    wb = openpyxl.load_workbook(result.outputs[0], read_only=True)
    rows = sheet_rows(wb["收到的文件"])
    assert rows[0][-3:] == ("发件人", "邮件日期", "邮件主题")
    assert any(r[0] == "王老师.eml/七年级9班.xlsx" and r[-1] == "七年级9班学情记录" for r in rows[1:])


def _imap_settings(port: int) -> Settings:
    return Settings.model_validate({"mail": {"imap_host": "127.0.0.1", "imap_port": port, "imap_security": "none",
                                             "username": "jwc", "password_env": "TEST_MAIL_PASSWORD"}})


@pytest.mark.slow
def test_fetch_mail_copies_attachments_once_and_marks_seen(books, imap_server, tmp_path, monkeypatch):
    from imapclient import IMAPClient

    monkeypatch.setenv("TEST_MAIL_PASSWORD", "s3cret")
    client = IMAPClient("127.0.0.1", port=imap_server, ssl=False)
    client.login("jwc", "s3cret")
    for raw in (mail_with(books["七年级9班"], "七年级9班.xlsx"), rfc2047_mail(books["七年级8班"]),
                gbk_mail(books["七年级9班"]), mail_with(None, "", message_id="<n4@example.edu.cn>")):
        client.append("INBOX", raw)
    inbox = tmp_path / "inbox"
    settings = _imap_settings(imap_server)
    first = fetch_mail(inbox, settings)
    assert first.messages == 4
    assert sorted(p.name for p in first.saved) == ["七年级8班（修改）.xlsx", "七年级9班 张老师.xlsx", "七年级9班.xlsx"]
    assert (inbox / "七年级9班.xlsx").read_bytes() == books["七年级9班"]
    client.select_folder("INBOX")
    assert client.search(["UNSEEN"]) == []  # marked seen
    client.append("INBOX", mail_with(books["七年级9班"], "七年级9班.xlsx"))  # the same message, delivered again
    second = fetch_mail(inbox, settings)
    assert second.saved == [] and second.skipped_seen == 1
    client.logout()
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF)  # provenance follows the saved attachment
    files = {f["path"]: f for f in result.report["files"]}
    assert files["七年级9班.xlsx"]["provenance"]["from"] == "王老师 <wang@example.edu.cn>"
    monkeypatch.delenv("TEST_MAIL_PASSWORD")
    assert main(["fetch-mail", str(inbox), "--config", str(_write_toml(tmp_path, imap_server))]) == 2


def _write_toml(tmp_path: Path, port: int) -> Path:
    path = tmp_path / "mail.toml"
    path.write_text(f'[mail]\nimap_host = "127.0.0.1"\nimap_port = {port}\nimap_security = "none"\n'
                    'username = "jwc"\npassword_env = "TEST_MAIL_PASSWORD"\n', encoding="utf-8")
    return path


# -- SMTP --------------------------------------------------------------------------------------


@pytest.fixture
def run_out(books, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, data in books.items():
        (inbox / f"{name}.xlsx").write_bytes(data)
    (inbox / "school.toml").write_text(school_toml(list(books)), encoding="utf-8")
    run_inbox(inbox, tmp_path / "out", as_of=AS_OF)
    _record_feedback(tmp_path / "out")
    return tmp_path / "out"


def _record_feedback(out: Path) -> None:
    """report.json's record of the feedback books, written here when `run` does not write it yet."""
    import json

    from workbook_engine.files import safe_file_name

    report = json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))
    if "feedback" not in report:
        report["feedback"] = [{"class": c["class"], "path": f"班级反馈/{safe_file_name(c['class'])}.xlsx",
                               "sha256": hashlib.sha256((out / "班级反馈" / f"{safe_file_name(c['class'])}.xlsx")
                                                        .read_bytes()).hexdigest()} for c in report["classes"]]
        (term_dir(out) / "report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")


def _books_by_class(out: Path) -> dict[str, Path]:
    import json

    report = json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))
    return {f["class"]: out / f["path"] for f in report["feedback"]}


def _smtp_settings(port: int, recipients: dict[str, str]) -> Settings:
    return Settings.model_validate({"mail": {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none",
                                             "sender": "教务处 <jwc@example.edu.cn>", "password_env": "",
                                             "recipients": recipients}})


@pytest.mark.slow
def test_each_class_receives_exactly_its_own_feedback(run_out, smtp_server):
    port, handler = smtp_server
    settings = _smtp_settings(port, {"七年级8班": "head8@example.edu.cn"})  # 七年级9班: its head teacher's 邮箱
    result = send_feedback(run_out, settings, pause=0)
    assert sorted(result.sent) == ["七年级8班", "七年级9班"] and not result.failed
    assert len(handler.messages) == 2
    for rcpts, raw in handler.messages:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        attachments = [p for p in msg.iter_attachments()]
        assert len(attachments) == 1
        cls = next(c for c, p in _books_by_class(run_out).items() if p.name == attachments[0].get_filename())
        assert cls in msg["Subject"] and "学情反馈" in msg["Subject"]
        own = _books_by_class(run_out)[cls].read_bytes()
        assert attachments[0].get_payload(decode=True) == own
        expected = "head8@example.edu.cn" if cls == "七年级8班" else "t070900@example.edu.cn"
        assert rcpts == [expected]
        assert "谈心达标率" in msg.get_body(("plain",)).get_content()


@pytest.mark.slow
def test_a_failing_class_is_reported_and_the_others_still_go(run_out, smtp_server, capsys, tmp_path):
    port, handler = smtp_server
    settings = _smtp_settings(port, {"七年级8班": "bounce@example.edu.cn"})
    result = send_feedback(run_out, settings, pause=0)
    assert result.sent == ["七年级9班"] and "七年级8班" in result.failed
    assert len(handler.messages) == 1
    toml = tmp_path / "smtp.toml"
    toml.write_text(f'[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "none"\n'
                    'password_env = ""\n[mail.recipients]\n"七年级8班" = "bounce@example.edu.cn"\n', encoding="utf-8")
    assert main(["send-feedback", str(run_out), "--config", str(toml)]) == 1
    assert "七年级8班" in capsys.readouterr().out


def test_dry_run_writes_eml_files(run_out, tmp_path):
    result = send_feedback(run_out, _smtp_settings(1, {}), dry_run=tmp_path / "eml")
    book = _books_by_class(run_out)["七年级9班"]
    names = sorted(p.name for p in result.written)
    assert len(names) == 2 and f"{book.stem}.eml" in names
    msg = email.message_from_bytes((tmp_path / "eml" / f"{book.stem}.eml").read_bytes(), policy=email.policy.default)
    assert msg["To"] == "t070900@example.edu.cn"
    assert [p.get_filename() for p in msg.iter_attachments()] == [book.name]
