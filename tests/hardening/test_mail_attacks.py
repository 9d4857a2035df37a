"""Mail against what a hostile review tried: a mail nested a thousand levels deep costs that mail only, a line break
or a second address in a cell costs that class only, and fetch-mail never writes through a link planted in INBOX."""
from __future__ import annotations

import base64
import datetime as dt
import os
import sys

import pytest

from tests.builders import numbered_class
from workbook_engine.pipeline import run_inbox

UNTIL = dt.date(2026, 10, 20)


def _deep_mail(depth: int, attachment: bytes) -> str:
    b64 = base64.encodebytes(attachment).decode()
    s = "From: a@b.c\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"
    s += "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(depth))
    s += ("Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n"
          'Content-Disposition: attachment; filename="deep.xlsx"\r\nContent-Transfer-Encoding: base64\r\n\r\n' + b64)
    return s + "".join(f"\r\n--b{i}--\r\n" for i in reversed(range(depth)))


def test_a_mail_nested_a_thousand_levels_deep_costs_that_mail_only(inbox, tmp_path):
    (inbox / "deep.eml").write_text(_deep_mail(1000, (inbox / "class1.xlsx").read_bytes()))
    result = run_inbox(inbox, tmp_path / "out", as_of=UNTIL)
    deep = next(f for f in result.files if f.name == "deep.eml")
    assert deep.status == "skipped" and "无法读取" in deep.reason
    assert result.count("accepted") == 2


def test_a_line_break_or_two_addresses_in_a_cell_cost_that_class_only(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    numbered_class(box, 1, until=UNTIL, name="七年级1班\nBcc: evil@attacker.example")
    numbered_class(box, 2, until=UNTIL, email="t2@example.edu.cn\r\nBcc: evil@attacker.example")
    numbered_class(box, 3, until=UNTIL, email="t3@example.edu.cn, evil3@attacker.example")
    numbered_class(box, 4, until=UNTIL)
    out = tmp_path / "out"
    run_inbox(box, out, as_of=UNTIL)
    from workbook_engine.mail import send_feedback
    from workbook_engine.settings import Settings

    sent = send_feedback(out, Settings(), dry_run=tmp_path / "eml")
    assert sorted(sent.sent) == sorted(["七年级1班\nBcc: evil@attacker.example", "七年级4班"])
    assert set(sent.failed) == {"七年级2班", "七年级3班"}
    for eml in (tmp_path / "eml").iterdir():
        text = eml.read_bytes().decode("ascii", "replace")
        assert "attacker" not in text and "\nBcc:" not in text


def test_fetch_mail_never_writes_through_a_link_planted_in_inbox(tmp_path, monkeypatch):
    if sys.platform == "win32":
        pytest.skip("symbolic links need a privilege on Windows")
    import workbook_engine.mail.fetch as mail
    from workbook_engine.settings import Settings

    box, victim = tmp_path / "inbox", tmp_path / "victim.txt"
    box.mkdir()
    victim.write_text("keep me")
    os.symlink(victim, box / ".tmp-七年级1班.xlsx")
    os.symlink(victim, box / ".workbook-engine-mail.json.tmp")
    book = numbered_class(tmp_path, 1, until=UNTIL).read_bytes()
    msg = ("From: t@example.edu.cn\r\nMessage-ID: <1@x>\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
           'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
           "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n"
           'Content-Disposition: attachment; filename="七年级1班.xlsx"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
           + base64.encodebytes(book).decode() + "\r\n--b--\r\n").encode()

    class FakeIMAP:  # the server's side of the conversation fetch_mail has
        def __init__(self, *a, **k): pass
        def starttls(self, *a, **k): pass
        def login(self, *a): pass
        def select_folder(self, *a, **k): pass
        def search(self, *a): return [1]
        def fetch(self, uids, parts): return {1: {b"BODY[]": msg}}
        def add_flags(self, *a): pass
        def logout(self): pass
        def __enter__(self): return self
        def __exit__(self, *a): return False

    monkeypatch.setattr("imapclient.IMAPClient", FakeIMAP)
    monkeypatch.setenv("WORKBOOK_ENGINE_MAIL_PASSWORD", "x")
    settings = Settings.model_validate({"mail": {"imap_host": "127.0.0.1", "username": "u",
                                                 "password_env": "WORKBOOK_ENGINE_MAIL_PASSWORD"}})
    result = mail.fetch_mail(box, settings)
    assert victim.read_text() == "keep me"
    assert [p.name for p in result.saved] == ["七年级1班.xlsx"] and (box / "七年级1班.xlsx").read_bytes() == book
