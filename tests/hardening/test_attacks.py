"""What a hostile review of the hardening found (issue 15), each now a regression test: links inside OUT, a
report.json edited by hand, files in INBOX that fetch-mail writes over, a mail nested a thousand levels deep, a
line break in a class name or an e-mail cell, a class name too long for a file name, a file where a folder
belongs, two inputs of one name, live formulas in a user's workbook, numbers in names."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path

import openpyxl
import pytest

from workbook_engine.cli import main
from workbook_engine.pipeline import run_inbox
from workbook_engine.writing.samples import fill_template, make_class

from tests.builders import TEMPLATE, sha256
from tests.helpers.terms import term_dir

UNTIL = dt.date(2026, 10, 20)
links = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need a privilege on Windows")


def _class(box: Path, no: int, name: str | None = None, email: str | None = None) -> Path:
    data = make_class(no, 7, no, students=4, mentors=1, until=UNTIL)
    if name is not None:
        data.class_name = name
    if email is not None:
        data.sheets["mentors"][0]["email"] = email
    return fill_template(TEMPLATE, data, box / f"class{no}.xlsx")


@pytest.fixture
def inbox(tmp_path) -> Path:
    box = tmp_path / "inbox"
    box.mkdir()
    for no in (1, 2):
        _class(box, no)
    return box


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


# -- links inside OUT never lead a run outside it ----------------------------------------------------------
@links
def test_a_link_inside_out_never_takes_outputs_or_deletions_outside(inbox, tmp_path, capsys):
    out, victim = tmp_path / "out", tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me")
    assert run_inbox(inbox, out, as_of=UNTIL).exit_code == 0
    before = _tree(out)
    # the feedback folder replaced by a link to elsewhere: the run refuses (exit 3), writes nothing there
    os.rename(term_dir(out) / "班级反馈", tmp_path / "moved")
    os.symlink(victim, term_dir(out) / "班级反馈")
    assert main(["run", str(inbox), "--out", str(out), "--as-of", UNTIL.isoformat()]) == 3
    assert "链接" in capsys.readouterr().err
    assert _tree(victim) == {"precious.txt": sha256(victim / "precious.txt")}
    # a link where the work folder goes is removed, not followed; a report.json edited to list a file behind
    # a link and a user's own files is not obeyed
    (term_dir(out) / "班级反馈").unlink()
    os.rename(tmp_path / "moved", term_dir(out) / "班级反馈")
    os.symlink(victim, out / ".workbook-engine")
    os.symlink(victim, out / "lnk")
    (out / "my_notes.txt").write_text("mine")
    report = json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))
    report["outputs"] += [{"path": "lnk/precious.txt", "sha256": sha256(victim / "precious.txt")},
                          {"path": "my_notes.txt", "sha256": "0" * 64}, {"path": "../x", "sha256": "0" * 64}]
    (term_dir(out) / "report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    assert run_inbox(inbox, out, as_of=UNTIL).exit_code == 0
    assert _tree(victim) == {"precious.txt": sha256(victim / "precious.txt")}  # nothing added, nothing removed
    assert (out / "my_notes.txt").read_text() == "mine"
    assert set(before) <= set(_tree(out))


def test_a_file_where_the_feedback_folder_goes_exits_3_and_keeps_the_previous_set(inbox, tmp_path, capsys):
    out = tmp_path / "out"
    run_inbox(inbox, out, as_of=UNTIL)
    for p in (term_dir(out) / "班级反馈").iterdir():
        p.unlink()
    (term_dir(out) / "班级反馈").rmdir()
    (term_dir(out) / "班级反馈").write_text("a file, not a folder")
    before = _tree(out)
    assert main(["run", str(inbox), "--out", str(out), "--as-of", UNTIL.isoformat()]) == 3
    assert "班级反馈" in capsys.readouterr().err
    assert _tree(out) == before and not (out / ".workbook-engine").exists()


def test_the_disk_full_message_names_the_output_folder(inbox, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"

    def full(target, data, **kw):
        raise OSError(28, "No space left on device")  # as write() raises it: no file name

    monkeypatch.setattr("workbook_engine.writing.books.write_json", full)
    assert main(["run", str(inbox), "--out", str(out), "--as-of", UNTIL.isoformat()]) == 3
    assert f"无法写入 {out}" in capsys.readouterr().err


# -- mail ------------------------------------------------------------------------------------------------------
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
    _class(box, 1, name="七年级1班\nBcc: evil@attacker.example")
    _class(box, 2, email="t2@example.edu.cn\r\nBcc: evil@attacker.example")
    _class(box, 3, email="t3@example.edu.cn, evil3@attacker.example")
    _class(box, 4)
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
    import workbook_engine.mail as mail
    from workbook_engine.settings import Settings

    box, victim = tmp_path / "inbox", tmp_path / "victim.txt"
    box.mkdir()
    victim.write_text("keep me")
    os.symlink(victim, box / ".tmp-七年级1班.xlsx")
    os.symlink(victim, box / ".workbook-engine-mail.json.tmp")
    book = _class(tmp_path, 1).read_bytes()
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


# -- names ---------------------------------------------------------------------------------------------------
def test_a_class_name_too_long_for_a_file_name_still_gets_its_book(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    _class(box, 1, name="😀" * 90)  # 360 bytes of UTF-8: more than a file name may have on Linux and macOS
    _class(box, 2, name="七年级\u200b2班")  # an invisible character: the file name shows none
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    assert result.exit_code == 0
    for entry in result.report["feedback"]:
        name = Path(entry["path"]).name
        assert len(name.encode("utf-8")) < 200 and "\u200b" not in name
        assert sha256(tmp_path / "out" / entry["path"]) == entry["sha256"]


def test_numbers_in_names_and_file_names_are_masked_for_the_office(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    data = make_class(1, 7, 1, students=4, mentors=1, until=UNTIL)
    data.sheets["mentors"][0]["name"] = "王老师 手机13912345678"
    fill_template(TEMPLATE, data, box / "七年级1班 家长13912345678 身份证11010519491231002X.xlsx")
    out = tmp_path / "out"
    run_inbox(box, out, as_of=UNTIL)
    text = (term_dir(out) / "report.json").read_text(encoding="utf-8")
    assert "13912345678" not in text and "11010519491231002X" not in text
    summary = openpyxl.load_workbook(term_dir(out) / "汇总_2026-2027第一学期.xlsx", read_only=True)
    seen = " ".join(str(v) for n in ("收到的文件", "数据问题") for row in summary[n].iter_rows(values_only=True)
                    for v in row if v is not None)
    assert "13912345678" not in seen and "11010519491231002X" not in seen


# -- copies of a user's workbook ------------------------------------------------------------------------------
def test_two_inputs_of_one_name_keep_their_own_annotated_copies(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = _class(tmp_path / "a", 1)
    two = fill_template(TEMPLATE, make_class(2, 7, 2, students=4, mentors=1, until=UNTIL), tmp_path / "b" / one.name)
    for path in (one, two):
        wb = openpyxl.load_workbook(path)
        wb["谈心记录"]["A2"] = "2026.13.5"  # an error, so each gets a copy
        wb.save(path)
    main(["validate", str(one), str(two), "--annotate", str(tmp_path / "notes")])
    copies = sorted(p.name for p in (tmp_path / "notes").iterdir())
    assert copies == ["class1(2).批注.xlsx", "class1.批注.xlsx"]
    assert hashlib.sha256((tmp_path / "notes" / copies[0]).read_bytes()).digest() != \
        hashlib.sha256((tmp_path / "notes" / copies[1]).read_bytes()).digest()


def test_live_formulas_of_a_users_workbook_never_reach_a_copy(tmp_path):
    from workbook_engine.writing.annotate import annotate
    from workbook_engine.validation.validate import validate_file

    path = _class(tmp_path, 1)
    wb = openpyxl.load_workbook(path)
    wb["学生名册"]["N2"] = '=HYPERLINK("http://attacker.example","点我")'
    wb["学生名册"]["N3"] = "=DDE(\"cmd\",\"/c calc\",\"A1\")"
    wb.save(path)
    copy = annotate(validate_file(path), tmp_path / "notes")
    assert copy is not None
    wb = openpyxl.load_workbook(copy)
    formulas = [(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []
    assert "HYPERLINK" in str(wb["学生名册"]["N2"].value)  # kept as the text the teacher typed, not a formula


def test_the_last_masking_pass_never_touches_a_sha256():
    from workbook_engine.writing.privacy import Redactor

    digest = "d3cea26704965f78bd8f200b7e2d442fc19748150462c926971b039796998ae1"  # holds 19748150462 (a mobile's shape)
    text = json.dumps({"sha256": digest, "head_teacher": "王老师 13912345678"}, ensure_ascii=False)
    masked = json.loads(Redactor().json_text(text))
    assert masked == {"sha256": digest, "head_teacher": "王老师 ***"}
