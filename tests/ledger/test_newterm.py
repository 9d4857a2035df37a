"""new-term carries what teachers should not retype (contacts from last term's class books, the grades the last
term ran with) and never overwrites an edited book. Expected values are the ones typed into the term-1 books."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from tests.builders import LEDGER, T1_END, graduating_class, sha256, sheet_records, term1_class, write_inbox
from tests.helpers.terms import term_dir
from workbook_engine.cli import main
from workbook_engine.pipeline import run_inbox

MIDDLE = '\n[ledger]\ngrades = ["七年级", "八年级", "九年级"]\n'


@pytest.fixture
def term1(tmp_path):
    """Term 1 of a middle school (its school.toml in INBOX names its grades) run into OUT."""
    inbox, out = tmp_path / "in1", tmp_path / "out"
    classes = [term1_class(), graduating_class()]
    write_inbox(inbox, classes)
    with open(inbox / "school.toml", "a", encoding="utf-8") as fh:
        fh.write(MIDDLE)
    run_inbox(inbox, out, as_of=T1_END)
    return SimpleNamespace(classes=classes, inbox=inbox, out=out)


def _contacts(book: Path) -> tuple[dict, dict]:
    students = {r["学号"]: (r["家长姓名"], r["家长电话"]) for r in sheet_records(book, "学生名册")}
    mentors = {r["工号"]: r["联系电话"] for r in sheet_records(book, "导师名单")}
    return students, mentors


def _typed(cls) -> tuple[dict, dict]:
    """What the term-1 book of the class holds: students still there (not 转出), mentors still in post."""
    students = {s["student_id"]: (s["parent_name"], s["parent_phone"]) for s in cls.sheets["students"]
                if s.get("status") != "转出"}
    mentors = {m["teacher_id"]: m.get("phone") for m in cls.sheets["mentors"] if m.get("status") != "离岗"}
    return students, mentors


def test_new_term_books_carry_every_contact_and_the_ledger_keeps_no_phone(term1, tmp_path, capsys):
    books = tmp_path / "books"
    assert main(["new-term", str(term1.out), "--to", str(books)]) == 0
    printed = capsys.readouterr().out
    for cls in term1.classes:
        students, mentors = _contacts(books / "班级学情工作簿" / f"{cls.class_name}.xlsx")
        typed_students, typed_mentors = _typed(cls)
        assert students == typed_students and mentors == typed_mentors
        assert all(name and phone for name, phone in students.values()) and all(mentors.values())
    # 七年级9班: 8 students less student 3 (转出) = 7, each with the parent typed in term 1
    assert len(_contacts(books / "班级学情工作簿" / "七年级9班.xlsx")[0]) == 7
    assert "✎" not in printed  # nothing to retype
    # the closing lines say what the office does next, in order
    assert printed.splitlines()[-4:] == [
        "接下来：", "  1. 在 school.toml 中核对 2026-2027第二学期 的校历：开学和结束日期、放假、调休",
        f"  2. 把 {books / '班级学情工作簿'} 中的工作簿发给各班班主任（{books / '导师工作手册'} 中的发给各位导师）",
        f"  3. 收回填好的工作簿放入收件目录，运行 workbook-engine run INBOX --out {term1.out}"]
    shutil.rmtree(books)
    assert main(["new-term", str(term1.out), "--to", str(books), "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines()[-4:] == [
        "Next:", "  1. check 2026-2027 Term 2's calendar in school.toml: first and last day, holidays, make-up days",
        f"  2. send the workbooks in {books / '班级学情工作簿'} to the head teachers (those in {books / '导师工作手册'} "
        "to the mentors)",
        f"  3. put the filled workbooks into the inbox and run workbook-engine run INBOX --out {term1.out}"]
    # phone numbers never enter the ledger
    dump = "\n".join(sqlite3.connect(term1.out / LEDGER).iterdump())
    phones = [p for c in term1.classes for s in c.sheets["students"] for p in [s["parent_phone"]]]
    phones += [m["phone"] for c in term1.classes for m in c.sheets["mentors"] if m.get("phone")]
    assert phones and not [p for p in phones if p in dump]


def test_a_student_whose_roster_row_was_not_used_is_still_in_the_new_book(term1, tmp_path, capsys):
    """七年级9班's head teacher left student 2's 导师工号 empty (学生名册 F3): the row was an error, not used, and the
    ledger never knew the student — who is still in the class. new-term writes the student as the book has them,
    without a mentor, and says so; before, the student was missing from the term-2 book and every talk about
    them was an error."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(term1.inbox, inbox)
    wb = openpyxl.load_workbook(inbox / "七年级9班.xlsx")
    ws = wb["学生名册"]
    sid, name = ws["A3"].value, ws["B3"].value
    assert ws["F1"].value.startswith("导师工号")
    ws["F3"] = None
    wb.save(inbox / "七年级9班.xlsx")
    run_inbox(inbox, out, as_of=T1_END)
    ledger = sqlite3.connect(out / LEDGER)
    assert ledger.execute("SELECT count(*) FROM students WHERE student_id = ?", (sid,)).fetchone() == (0,)
    ledger.close()
    books = tmp_path / "books"
    capsys.readouterr()
    assert main(["new-term", str(out), "--to", str(books)]) == 0
    assert f"  七年级9班 {sid}：上学期学生名册中这一行有错误，未记入台账；已照上学期的工作簿写入，请填写导师并核对" in \
        capsys.readouterr().out.splitlines()
    rows = {r["学号"]: r for r in sheet_records(books / "班级学情工作簿" / "七年级9班.xlsx", "学生名册")}
    typed = next(s for s in term1.classes[0].sheets["students"] if s["student_id"] == sid)
    assert len(rows) == 7 and rows[sid]["姓名"] == name and rows[sid]["导师工号"] is None
    assert (rows[sid]["家长姓名"], rows[sid]["家长电话"]) == (typed["parent_name"], typed["parent_phone"])


def test_the_previous_terms_report_is_found_in_its_term_folder(term1, tmp_path):
    out = term1.out
    assert (term_dir(out) / "report.json").is_file()  # the term's report in its folder, OUT's own is the index
    assert "outputs" not in json.loads((out / "report.json").read_text(encoding="utf-8"))
    books = tmp_path / "books"
    assert main(["new-term", str(out), "--to", str(books)]) == 0
    students, _ = _contacts(books / "班级学情工作簿" / "九年级1班.xlsx")
    assert students == _typed(term1.classes[1])[0]


@pytest.mark.parametrize("lang, changed, gone", [
    ("zh", "  ✎ 七年级9班：上学期的工作簿 七年级9班.xlsx 在处理后被改动过，家长姓名、家长电话和导师联系电话须重新填写",
     "  ✎ 九年级1班：上学期的工作簿 九年级1班.xlsx 已不在，家长姓名、家长电话和导师联系电话须重新填写"),
    ("en", "  ✎ 七年级9班: last term's workbook 七年级9班.xlsx was changed after the run; parents' names and phones "
           "and the mentors' phones must be typed again",
     "  ✎ 九年级1班: last term's workbook 九年级1班.xlsx is gone; parents' names and phones and the mentors' "
     "phones must be typed again"),
])
def test_books_gone_or_changed_are_named_for_retyping(term1, tmp_path, capsys, lang, changed, gone):
    kept = tmp_path / "kept"
    shutil.copytree(term1.inbox, kept)  # the books as they were read, kept elsewhere by the office
    (term1.inbox / "九年级1班.xlsx").unlink()
    wb = openpyxl.load_workbook(term1.inbox / "七年级9班.xlsx")
    ws = wb["学生名册"]
    phone = next(c.column_letter for c in ws[1] if str(c.value).startswith("家长电话"))
    ws[f"{phone}2"] = "13900000000"  # a parent's new number typed into last term's book after the run
    wb.save(term1.inbox / "七年级9班.xlsx")
    books = tmp_path / "books"
    assert main(["new-term", str(term1.out), "--to", str(books), "--lang", lang]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert changed in printed and gone in printed
    for name in ("七年级9班", "九年级1班"):  # the rosters are there, their contacts blank
        students, mentors = _contacts(books / "班级学情工作簿" / f"{name}.xlsx")
        assert students and set(students.values()) == {(None, None)} and set(mentors.values()) == {None}
    shutil.rmtree(books)
    assert main(["new-term", str(term1.out), "--to", str(books), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(r["class"], r["file"], r["reason"]) for r in data["contacts_to_retype"]] == [
        ("七年级9班", "七年级9班.xlsx", "changed"), ("九年级1班", "九年级1班.xlsx", "gone")]
    # --books: where the office keeps the books as they were read: every contact carried
    shutil.rmtree(books)
    assert main(["new-term", str(term1.out), "--to", str(books), "--books", str(kept), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["contacts_to_retype"] == []
    assert _contacts(books / "班级学情工作簿" / "九年级1班.xlsx") == _typed(term1.classes[1])


def test_grades_move_up_by_the_settings_that_ran_last_term_without_config(term1, tmp_path, capsys):
    books = tmp_path / "books"
    # no --config: the ledger remembers 七年级 … 九年级 from the term-1 run (the default is 一年级 … 六年级)
    assert main(["new-term", str(term1.out), "--to", str(books), "--year", "2027-2028", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["renamed"] == {"七年级9班": "八年级9班"} and data["graduated"] == ["九年级1班"]
    assert data["grades"] == ["七年级", "八年级", "九年级"]
    assert sorted(p.name for p in (books / "班级学情工作簿").iterdir()) == ["八年级9班.xlsx"]
    # the contacts move up with the class
    students, mentors = _contacts(books / "班级学情工作簿" / "八年级9班.xlsx")
    assert (students, mentors) == _typed(term1.classes[0])


def test_new_term_never_overwrites_an_edited_book(term1, tmp_path, capsys):
    books = tmp_path / "books"
    assert main(["new-term", str(term1.out), "--to", str(books)]) == 0
    book = books / "班级学情工作簿" / "七年级9班.xlsx"
    first = sha256(book)
    assert main(["new-term", str(term1.out), "--to", str(books)]) == 0  # the same books again: nothing kept aside
    assert sha256(book) == first and not list(books.rglob("*.new.xlsx"))
    wb = openpyxl.load_workbook(book)
    wb["谈心记录"].append([dt.date(2027, 2, 24), "070901", None, "2026070901", None, "面谈", None, "开学谈心"])
    wb.save(book)
    edited = sha256(book)
    capsys.readouterr()
    assert main(["new-term", str(term1.out), "--to", str(books)]) == 0
    printed = capsys.readouterr().out
    assert sha256(book) == edited  # the teacher's entries stay
    new = books / "班级学情工作簿" / "七年级9班.new.xlsx"
    assert sha256(new) == first  # the fresh book beside it
    assert f"  {book} 已存在且与新写出的不同（可能已有填写），未覆盖；新工作簿写入 七年级9班.new.xlsx" in printed.splitlines()


def test_a_book_this_run_cannot_open_is_named_and_a_config_with_its_password_opens_it(tmp_path, capsys):
    import io

    import msoffcrypto

    inbox, out = tmp_path / "in1", tmp_path / "out"
    classes = [term1_class(), graduating_class()]
    write_inbox(inbox, classes)
    plain = inbox / "九年级1班.xlsx"
    with plain.open("rb") as fh:
        locked = io.BytesIO()
        msoffcrypto.OfficeFile(fh).encrypt("s3cret", locked)
    plain.write_bytes(locked.getvalue())  # the head teacher set a password; the office's settings hold it
    settings = '\n[limits]\npasswords = ["s3cret"]\n'
    with open(inbox / "school.toml", "a", encoding="utf-8") as fh:
        fh.write(settings)
    run_inbox(inbox, out, as_of=T1_END)
    books = tmp_path / "books"
    assert main(["new-term", str(out), "--to", str(books)]) == 0  # no --config: no password to try
    assert "  ✎ 九年级1班：上学期的工作簿 九年级1班.xlsx 无法读取（如设有密码），家长姓名、家长电话和导师联系电话须重新填写" \
        in capsys.readouterr().out.splitlines()
    config = tmp_path / "school.toml"
    config.write_text(settings, encoding="utf-8")
    shutil.rmtree(books)
    assert main(["new-term", str(out), "--to", str(books), "--config", str(config), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["contacts_to_retype"] == []
    assert _contacts(books / "班级学情工作簿" / "九年级1班.xlsx") == _typed(classes[1])
