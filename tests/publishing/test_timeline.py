"""One school, many terms: the term comes from the files, every term keeps its own folder in OUT, no run shrinks a
term silently (timeline.py, publish.py, pipeline.py).

The school year end to end, as an office lives it: term 1 runs; `new-term` writes the term-2 books; the teachers
fill them (the sample generator, every date in term 2); the office runs term 2 into the same OUT with the settings
it has always had (`[term]` still saying 第一学期). Record counts are small on purpose, so they are counted here by
hand: a class of 4 students and 3 teachers (班主任 + 2 mentors), its record sheets cut to a few rows each.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from tests.builders import class_book, sha256
from tests.helpers.terms import TERM1, TERM2, term_dir
from workbook_engine.cli import main
from workbook_engine.pipeline import run_inbox
from workbook_engine.publishing import publish
from workbook_engine.settings import load_settings
from workbook_engine.term import term_folder_name
from workbook_engine.validation.validate import validate_file
from workbook_engine.writing import samples
from workbook_engine.writing.samples import make_class, school_toml

T1_AS_OF = dt.date(2026, 10, 20)
T2_AS_OF = dt.date(2027, 4, 20)
TERM2_CALENDAR = {"TERM": "第二学期", "TERM_START": dt.date(2027, 2, 22), "TERM_END": dt.date(2027, 7, 9),
                  "HOLIDAYS": [], "WORKDAYS": []}
CLASSES = ["七年级1班", "七年级2班"]
# term 1, each class: 3 teachers + 4 students + 6 talks + 3 parent contacts + 2 studies + 2 community activities
# + 3 paperwork rows = 23 records; the two classes 46
TERM1_RECORDS = 2 * (3 + 4 + 6 + 3 + 2 + 2 + 3)
# term 2, 七年级1班 alone: 3 + 4 + 5 talks + 2 contacts + 1 study + 1 activity + 3 paperwork = 19
TERM2_RECORDS = 3 + 4 + 5 + 2 + 1 + 1 + 3


def cut(c, talks: int, contacts: int, studies: int, community: int):
    """The class's record sheets cut to the first rows of each (the generator made more, as a class would)."""
    for key, n in (("talks", talks), ("contacts", contacts), ("studies", studies), ("community", community)):
        assert len(c.sheets[key]) >= n
        c.sheets[key] = c.sheets[key][:n]
    c.sheets["archive"], c.sheets["reports"] = [], []
    return c


def term1_class(class_no: int):
    return cut(make_class(3, 7, class_no, students=4, mentors=2, until=T1_AS_OF), 6, 3, 2, 2)


def term2_class(monkeypatch, class_no: int = 1):
    """The generator's term-2 records of a class (every date in term 2); the caller fills them in."""
    for k, v in TERM2_CALENDAR.items():
        monkeypatch.setattr(samples, k, v)
    return cut(make_class(3, 7, class_no, students=4, mentors=2, until=T2_AS_OF), 5, 2, 1, 1)


def files(folder: Path) -> dict[str, str]:
    """Every file under folder, hidden ones too (relative path -> sha256)."""
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def ledger_terms(out: Path) -> list[tuple]:
    """(学年, 学期, terms.records, rows in the records table) of every term the ledger holds."""
    con = sqlite3.connect(out / "学校台账.sqlite")
    try:
        return con.execute("SELECT t.school_year, t.term, t.records, (SELECT count(*) FROM records r "
                           "WHERE r.term_id = t.term_id) FROM terms t ORDER BY t.school_year, t.term").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """Term 1 run into OUT (kept pristine: tests copy it), the new-term books, term 2's inbox filled as teachers
    would, with the school's old single-term settings."""
    base = tmp_path_factory.mktemp("year")
    in1, out1, books, in2 = base / "in1", base / "out1", base / "books", base / "in2"
    in1.mkdir()
    for no, name in zip((1, 2), CLASSES):
        class_book(in1, term1_class(no), f"{name}.xlsx")
    old_settings = school_toml(CLASSES)  # [term] school_year 2026-2027, term 第一学期, 2026-09-01 … 2027-01-22
    (in1 / "school.toml").write_text(old_settings, encoding="utf-8")
    assert main(["run", str(in1), "--out", str(out1), "--as-of", T1_AS_OF.isoformat()]) == 0
    assert main(["new-term", str(out1), "--to", str(books)]) == 0
    in2.mkdir()
    with pytest.MonkeyPatch.context() as m:
        c = term2_class(m)
        class_book(in2, c, "七年级1班.xlsx", template=books / "班级学情工作簿" / "七年级1班.xlsx")  # the new-term book
    (in2 / "school.toml").write_text(old_settings, encoding="utf-8")
    return type("Year", (), {"in1": in1, "out1": out1, "books": books, "in2": in2, "base": base})


def copy_out(year, tmp_path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(year.out1, out)
    return out


# -- the school year end to end ---------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_term_two_into_the_same_out_keeps_both_terms(year, tmp_path, capsys, lang):
    out = copy_out(year, tmp_path)
    term1_before = files(term_dir(out))
    assert set(term1_before) >= {"report.json", "汇总_2026-2027第一学期.xlsx", "合并数据_2026-2027第一学期.xlsx",
                                 "班级反馈/七年级1班.xlsx", "班级反馈/七年级2班.xlsx"}
    capsys.readouterr()
    # the settings still say 第一学期: the files say 第二学期, and the files decide
    assert main(["--lang", lang, "run", str(year.in2), "--out", str(out), "--as-of", T2_AS_OF.isoformat()]) == 0
    printed = capsys.readouterr().out.splitlines()
    said = {"zh": "注意：设置中没有2026-2027第二学期的校历，按默认日期 2027-02-01 至 2027-07-31 计算；"
                  "请在 school.toml 的 [[terms]] 中写上本学期的起止日期和节假日",
            "en": "note: the settings hold no calendar for 2026-2027 Term 2; the default dates 2027-02-01 to "
                  "2027-07-31 were used. Add the term's dates and holidays to [[terms]] in school.toml"}[lang]
    assert printed[0] == said and printed.count(said) == 1  # once, at the top
    # term 1's folder exactly as its run published it; term 2 in its own
    assert files(term_dir(out)) == term1_before
    report2 = json.loads((term_dir(out, TERM2) / "report.json").read_text(encoding="utf-8"))
    assert (report2["school_year"], report2["term"], report2["calendar"]) == (
        "2026-2027", "第二学期", {"start": "2027-02-01", "end": "2027-07-31", "default_dates": True})
    published = {o["path"]: o["sha256"] for o in report2["outputs"]}
    assert {p: h for p, h in published.items() if p.startswith(TERM2 + "/")} == {
        f"{TERM2}/{p}": h for p, h in files(term_dir(out, TERM2)).items() if p != "report.json"}
    # not a date outside its term, and talks counted in term 2's calendar (5 talks of 4 students met something)
    assert report2["summary"]["errors"] == 0 and report2["summary"]["records"] == TERM2_RECORDS
    assert report2["classes"][0]["talk_rate"] > 0
    # the summary says it too, under 需要处理
    wb = openpyxl.load_workbook(term_dir(out, TERM2) / "汇总_2026-2027第二学期.xlsx", read_only=True)
    overview = [str(v) for r in wb.worksheets[0].iter_rows(values_only=True) for v in r if v is not None]
    assert any(said.split("；")[0].split(";")[0] in v for v in overview)
    # the ledger holds both terms, each with its records
    assert ledger_terms(out) == [("2026-2027", "第一学期", TERM1_RECORDS, TERM1_RECORDS),
                                 ("2026-2027", "第二学期", TERM2_RECORDS, TERM2_RECORDS)]
    index = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert index["newest"] == TERM2 and [(e["term"], e["folder"], e["as_of"], e["counts"]["records"],
                                          e["counts"]["classes"]) for e in index["terms"]] == [
        (TERM1, TERM1, "2026-10-20", TERM1_RECORDS, 2), (TERM2, TERM2, "2027-04-20", TERM2_RECORDS, 1)]
    # term 1 again, in full: term 2's folder is not touched
    term2_after = files(term_dir(out, TERM2))
    assert main(["--lang", lang, "run", str(year.in1), "--out", str(out), "--as-of", T1_AS_OF.isoformat()]) == 0
    assert files(term_dir(out, TERM2)) == term2_after
    assert [t[:3] for t in ledger_terms(out)] == [("2026-2027", "第一学期", TERM1_RECORDS),
                                                  ("2026-2027", "第二学期", TERM2_RECORDS)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_half_empty_inbox_stops_before_anything_changes_until_confirmed(year, tmp_path, capsys, lang):
    out = copy_out(year, tmp_path)
    assert main(["run", str(year.in2), "--out", str(out), "--as-of", T2_AS_OF.isoformat()]) == 0
    half = tmp_path / "half"
    half.mkdir()
    shutil.copy(year.in1 / "七年级2班.xlsx", half)
    shutil.copy(year.in1 / "school.toml", half)
    before = files(out)
    capsys.readouterr()
    assert main(["--lang", lang, "run", str(half), "--out", str(out), "--as-of", T1_AS_OF.isoformat()]) == 2
    err = capsys.readouterr().err
    # 七年级1班 missing: 23 of the term's 46 records would go
    assert {"zh": "2026-2027第一学期：台账中有 46 条记录，本次只有 23 条",
            "en": "2026-2027 Term 1: the ledger holds 46 records, this run has 23"}[lang] in err
    assert "--replace-term" in err
    assert files(out) == before  # nothing changed: no folder, no ledger, no index
    assert main(["--lang", lang, "run", str(half), "--out", str(out), "--as-of", T1_AS_OF.isoformat(),
                 "--replace-term"]) == 0
    assert [t[:3] for t in ledger_terms(out)] == [("2026-2027", "第一学期", 23), ("2026-2027", "第二学期", 19)]
    assert not (term_dir(out) / "班级反馈" / "七年级1班.xlsx").exists()
    assert (term_dir(out) / "班级反馈" / "七年级2班.xlsx").is_file()
    assert {p: h for p, h in files(term_dir(out, TERM2)).items()} == {
        p.removeprefix(TERM2 + "/"): h for p, h in before.items() if p.startswith(TERM2 + "/")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_term_with_no_accepted_class_file_never_replaces_anything(year, tmp_path, capsys, lang):
    out = copy_out(year, tmp_path)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "七年级1班.xlsx").write_bytes(b"not a workbook")  # not readable: no term of its own
    wb = openpyxl.load_workbook(year.in1 / "七年级2班.xlsx")
    wb["班级信息"]["B5"] = None  # 年级 … and no 班级: the class book of term 1 is rejected
    wb["班级信息"]["B6"] = None
    wb.save(broken / "七年级2班.xlsx")
    before = files(out)
    code = main(["--lang", lang, "run", str(broken), "--out", str(out), "--as-of", T1_AS_OF.isoformat(),
                 "--replace-term"])
    assert code == 1  # the rejected files: said, not published over the term
    assert {"zh": "2026-2027第一学期：没有可采用的班级工作簿，该学期已有的结果和台账保持不变",
            "en": "2026-2027 Term 1: no class workbook could be used; the term's published results and ledger are "
                  "kept unchanged"}[lang] in capsys.readouterr().out.splitlines()
    assert files(out) == before


# -- a run of several terms, or of one ------------------------------------------------------------------------------
def test_each_term_in_the_inbox_is_its_own_set_and_run_term_limits_to_one(year, tmp_path, capsys, monkeypatch):
    both = tmp_path / "both"
    shutil.copytree(year.in1, both)
    shutil.copy(year.in2 / "七年级1班.xlsx", both / "七年级1班（第二学期）.xlsx")  # the same class, next term
    out = tmp_path / "out"
    result = run_inbox(both, out, as_of=T2_AS_OF)
    assert [(r.school_year, r.term) for r in result.terms] == [("2026-2027", "第一学期"), ("2026-2027", "第二学期")]
    # each judged against its own term: the term-1 books are not "superseded" by the term-2 book, no date errors
    assert {f.name: f.status for r in result.terms for f in r.files} == {
        "七年级1班.xlsx": "accepted", "七年级2班.xlsx": "accepted", "七年级1班（第二学期）.xlsx": "accepted",
        "school.toml": "skipped"}
    assert sum(f.errors for r in result.terms for f in r.files) == 0
    assert [t[:3] for t in ledger_terms(out)] == [("2026-2027", "第一学期", TERM1_RECORDS),
                                                  ("2026-2027", "第二学期", TERM2_RECORDS)]
    term1 = files(term_dir(out))
    capsys.readouterr()
    assert main(["--lang", "en", "run", str(both), "--out", str(out), "--as-of", T2_AS_OF.isoformat(),
                 "--term", "2026-2027第二学期"]) == 0
    printed = capsys.readouterr().out
    assert "  - 七年级1班.xlsx: belongs to 2026-2027 Term 1; this run covers 2026-2027 Term 2 only" in printed
    assert files(term_dir(out)) == term1  # the other term untouched
    report2 = json.loads((term_dir(out, TERM2) / "report.json").read_text(encoding="utf-8"))
    assert {f["path"]: f["status"] for f in report2["files"]} == {
        "七年级1班.xlsx": "skipped", "七年级2班.xlsx": "skipped", "七年级1班（第二学期）.xlsx": "accepted",
        "school.toml": "skipped"}
    assert main(["run", str(both), "--out", str(out), "--term", "2026-2027下学期"]) == 2
    assert "学期“2026-2027下学期”无效，应写成学年加学期，如 2026-2027第一学期" in capsys.readouterr().err


def test_a_workbook_naming_the_wrong_term_is_one_error_at_its_term_cell(tmp_path, monkeypatch):
    with monkeypatch.context() as m:
        data = term2_class(m)  # every date in term 2 …
    book = class_book(tmp_path, data, "七年级1班.xlsx")  # … but 班级信息 says 第一学期
    report = validate_file(book, load_settings(None))
    # 5 talks + 2 contacts + 1 study + 1 activity dated in 第二学期: 9 dates held to the term, all outside
    assert [(p.sheet, p.cell, p.code) for p in report.problems if p.severity.value == "error"] == [
        ("班级信息", "B4", "dates-outside-own-term")]
    problem = next(p for p in report.problems if p.code == "dates-outside-own-term")
    assert problem.message("zh") == ("学期“第一学期”与本工作簿的记录不符：9/9 个日期不在该学期（2026-09-01 至 "
                                     "2027-01-31）内，请填写正确的学期或发送本学期的工作簿")
    assert problem.message("en") == ("the term '第一学期' does not match this workbook's records: 9 of 9 dates lie "
                                     "outside that term (2026-09-01 to 2027-01-31): write the right term or send this "
                                     "term's workbook")
    box = tmp_path / "box"
    box.mkdir()
    shutil.move(book, box / book.name)
    result = run_inbox(box, tmp_path / "out", as_of=T2_AS_OF)
    assert result.files[0].status == "rejected" and result.exit_code == 1


def test_a_year_typed_wrong_in_one_book_makes_no_term_of_its_own(year, tmp_path):
    """One head teacher types 学年 2027-2028 over a term-1 book: the book is rejected in the term its dates belong
    to, the office's assessment workbook (no 填报信息, so no term of its own) stays with that term, and OUT gets
    no folder nor a newest term for a year nobody works in."""
    box = tmp_path / "box"
    shutil.copytree(year.in1, box)
    wb = openpyxl.load_workbook(box / "七年级2班.xlsx")
    wb["班级信息"]["B3"] = "2027-2028"
    wb.save(box / "七年级2班.xlsx")
    samples.write_assessment([term1_class(1)], box / "学校考核数据.xlsx")
    out = tmp_path / "out"
    assert main(["run", str(box), "--out", str(out), "--as-of", T1_AS_OF.isoformat()]) == 1
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [TERM1]
    index = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert index["newest"] == TERM1 and [e["term"] for e in index["terms"]] == [TERM1]
    report = json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))
    assert {f["path"]: f["status"] for f in report["files"]} == {
        "七年级1班.xlsx": "accepted", "七年级2班.xlsx": "rejected", "学校考核数据.xlsx": "accepted",
        "school.toml": "skipped"}
    assert [(p["sheet"], p["cell"], p["code"]) for f in report["files"] for p in f["problems"]
            if p["severity"] == "error"] == [("班级信息", "B4", "dates-outside-own-term")]
    assert {(a["part"], a["missing"]) for a in report["summary"]["assessment_parts"]} == {
        ("成绩", False), ("德育量化", False), ("满意度测评", False), ("考核扣分", False)}


def test_new_term_asked_for_a_term_that_would_skip_one_says_so(year, tmp_path, capsys):
    """After term 2 (2026-2027第二学期), `new-term --term 第二学期` would write 2027-2028第二学期 — one term skipped
    and every class moved up a grade — without a word. It stops with exit 2 and says how to name the year."""
    out = copy_out(year, tmp_path)
    assert main(["run", str(year.in2), "--out", str(out), "--as-of", T2_AS_OF.isoformat()]) == 0
    capsys.readouterr()
    assert main(["new-term", str(out), "--to", str(tmp_path / "books"), "--term", "第二学期"]) == 2
    assert "台账中最近的学期是 2026-2027第二学期，下一个学期是 2027-2028第一学期，不是第二学期；请用 --year 指明要写哪一学年的" \
           "第二学期（如 --year 2026-2027）" in capsys.readouterr().err
    assert not list((tmp_path / "books").rglob("*.xlsx"))
    # the year named: the term-2 books made again from term 1
    assert main(["new-term", str(out), "--to", str(tmp_path / "books"), "--term", "第二学期", "--year", "2026-2027"]) == 0
    assert "2026-2027第二学期：由 2026-2027第一学期 写出 2 个班级学情工作簿" in capsys.readouterr().out


# -- the calendar of each term ---------------------------------------------------------------------------------------
def test_terms_entries_give_each_term_its_calendar_and_the_old_table_is_one_entry(tmp_path):
    path = tmp_path / "school.toml"
    path.write_text('[term]\nschool_year = "2026-2027"\nterm = "第一学期"\nstart = 2026-09-01\nend = 2027-01-22\n\n'
                    '[[terms]]\nschool_year = "2026-2027"\nterm = "第二学期"\nstart = 2027-02-22\nend = 2027-07-09\n'
                    '[[terms.holidays]]\nname = "劳动节"\nstart = 2027-05-01\nend = 2027-05-05\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.term_range("2026-2027", "第一学期") == (dt.date(2026, 9, 1), dt.date(2027, 1, 22))
    assert settings.term_range("2026-2027", "第二学期") == (dt.date(2027, 2, 22), dt.date(2027, 7, 9))
    assert settings.term_range("2027-2028", "第一学期") == (dt.date(2027, 9, 1), dt.date(2028, 1, 31))  # default
    assert not settings.default_dates("2026-2027", "第二学期") and settings.default_dates("2027-2028", "第一学期")
    term2 = settings.for_term("2026-2027", "第二学期").term
    assert [(h.name, h.start) for h in term2.holidays] == [("劳动节", dt.date(2027, 5, 1))]
    assert settings.for_term("2026-2027", "第一学期").term.holidays == []
    # a [term] table without names is the term its first day falls in
    path.write_text("[term]\nstart = 2027-02-20\nend = 2027-07-02\n", encoding="utf-8")
    assert load_settings(path).term_range("2026-2027", "第二学期") == (dt.date(2027, 2, 20), dt.date(2027, 7, 2))
    assert load_settings(path).default_dates("2026-2027", "第一学期")


def test_a_terms_entry_without_its_term_or_given_twice_is_a_settings_error(tmp_path, capsys):
    box = tmp_path / "box"
    box.mkdir()
    (box / "school.toml").write_text('[[terms]]\nstart = 2027-02-22\nend = 2027-07-09\n', encoding="utf-8")
    assert main(["--lang", "en", "run", str(box), "--out", str(tmp_path / "out")]) == 2
    assert "each [[terms]] entry needs school_year, term" in capsys.readouterr().err
    entry = '[[terms]]\nschool_year = "2026-2027"\nterm = "第二学期"\n'
    (box / "school.toml").write_text(entry + entry, encoding="utf-8")
    assert main(["run", str(box), "--out", str(tmp_path / "out")]) == 2
    assert "[[terms]] 中2026-2027第二学期出现了两次" in capsys.readouterr().err


def test_the_term_folder_has_one_name():
    assert term_folder_name("2026-2027", "第一学期") == "2026-2027第一学期"
    assert term_folder_name("２０２６－２０２７", "第二学期") == "2026-2027第二学期"
    assert term_folder_name("2026-2027/../x", "第一学期") == "学期未知"  # never a path from a cell


# -- an OUT of the layout before term folders ------------------------------------------------------------------------
def flatten(out: Path) -> dict[str, str]:
    """OUT as runs wrote it before terms had folders: the term's files at the top, report.json listing them there,
    no index. Returns the files (relative to OUT) and their hashes, report.json left out."""
    folder = term_dir(out)
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    for item in report["outputs"] + report["feedback"]:
        item["path"] = item["path"].removeprefix(TERM1 + "/")
    (out / "report.json").unlink()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != "report.json":
            target = out / p.relative_to(folder)
            target.parent.mkdir(exist_ok=True)
            p.rename(target)
    shutil.rmtree(folder)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return {k: v for k, v in files(out).items() if not k.startswith(".") and k != "report.json"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_out_of_the_old_flat_layout_moves_into_its_term_folder(year, tmp_path, capsys, lang):
    out = copy_out(year, tmp_path)
    flat = flatten(out)
    assert "汇总_2026-2027第一学期.xlsx" in flat and "班级反馈/七年级2班.xlsx" in flat
    # send-feedback still reads it as it is
    assert main(["send-feedback", str(out), "--dry-run", str(tmp_path / "eml")]) == 0
    assert len(list((tmp_path / "eml").iterdir())) == 2
    capsys.readouterr()
    assert main(["--lang", lang, "run", str(year.in2), "--out", str(out), "--as-of", T2_AS_OF.isoformat()]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert {"zh": f"已把 {out} 中原有的输出移入学期文件夹 {TERM1}，没有删除任何文件",
            "en": f"moved the outputs already in {out} into the term folder {TERM1}; no file was removed"}[lang] \
        == printed[0]
    moved = files(term_dir(out))
    ledger = flat.pop("学校台账.sqlite")
    assert {k: v for k, v in moved.items() if k != "report.json"} == flat  # every file, unchanged
    assert not (out / "班级反馈").exists() and not (out / "汇总_2026-2027第一学期.xlsx").exists()
    report1 = json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))
    assert all(sha256(out / o["path"]) == o["sha256"] for o in report1["feedback"])  # its paths moved with it
    assert ledger != sha256(out / "学校台账.sqlite")  # (term 2 added to the ledger, which stays in OUT)
    assert [t[:2] for t in ledger_terms(out)] == [("2026-2027", "第一学期"), ("2026-2027", "第二学期")]
    index = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [e["term"] for e in index["terms"]] == [TERM1, TERM2]


def test_a_move_killed_half_way_is_finished_by_the_next_command(year, tmp_path, monkeypatch):
    out = copy_out(year, tmp_path)
    flat = flatten(out)
    real, calls = publish._move, []

    class Killed(BaseException):
        pass

    def dying(src, dst):
        if len(calls) == 2:
            raise Killed
        calls.append(1)
        real(src, dst)

    monkeypatch.setattr(publish, "_move", dying)
    with pytest.raises(Killed):
        publish.move_flat_layout(out, "学校台账.sqlite", lambda: {})
    monkeypatch.setattr(publish, "_move", real)
    with publish.locked(out):
        publish.recover(out)  # what the next command on OUT does first
    ledger = flat.pop("学校台账.sqlite")
    assert {k: v for k, v in files(term_dir(out)).items() if k != "report.json"} == flat
    assert sha256(out / "学校台账.sqlite") == ledger


def test_send_feedback_right_after_a_killed_move_sends_the_moved_books(year, tmp_path, monkeypatch, capsys):
    """The move killed after its first file: the next command is send-feedback, which finishes the move and must
    then read the term's report where it now lies (OUT/report.json is the index, not the old report whose paths
    point where the books were)."""
    out = copy_out(year, tmp_path)
    flatten(out)
    real = publish._move

    class Killed(BaseException):
        pass

    def dying(src, dst):
        raise Killed

    monkeypatch.setattr(publish, "_move", dying)
    with pytest.raises(Killed):
        publish.move_flat_layout(out, "学校台账.sqlite", lambda: {})
    monkeypatch.setattr(publish, "_move", real)
    capsys.readouterr()
    assert main(["send-feedback", str(out), "--dry-run", str(tmp_path / "eml")]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{TERM1}：写出 2 个班级的反馈"]
    assert sorted(p.name for p in (tmp_path / "eml").iterdir()) == ["七年级1班.eml", "七年级2班.eml"]
    index = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert index["kind"] == "workbook-engine terms" and [e["term"] for e in index["terms"]] == [TERM1]
    assert index["ledger"] == "学校台账.sqlite"


# -- send-feedback ---------------------------------------------------------------------------------------------------
def test_send_feedback_sends_the_newest_term_or_the_one_asked_for(year, tmp_path, capsys):
    out = copy_out(year, tmp_path)
    assert main(["run", str(year.in2), "--out", str(out), "--as-of", T2_AS_OF.isoformat()]) == 0
    capsys.readouterr()
    assert main(["send-feedback", str(out), "--dry-run", str(tmp_path / "newest")]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{TERM2}：写出 1 个班级的反馈"]  # it says which term it sends
    assert sorted(p.name for p in (tmp_path / "newest").iterdir()) == ["七年级1班.eml"]  # term 2: one class
    newest = (tmp_path / "newest" / "七年级1班.eml").read_bytes()
    assert main(["--lang", "en", "send-feedback", str(out), "--dry-run", str(tmp_path / "first"), "--term", TERM1]) == 0
    assert capsys.readouterr().out.splitlines() == ["2026-2027 Term 1: wrote the feedback of 2 classes"]
    assert sorted(p.name for p in (tmp_path / "first").iterdir()) == ["七年级1班.eml", "七年级2班.eml"]
    assert (tmp_path / "first" / "七年级1班.eml").read_bytes() != newest  # that term's book, not term 2's
    capsys.readouterr()
    assert main(["--lang", "en", "send-feedback", str(out), "--dry-run", str(tmp_path / "x"), "--term",
                 "2025-2026第二学期"]) == 2
    assert f"{out} holds no results of 2025-2026第二学期 (it holds: {TERM1}, {TERM2})" in capsys.readouterr().err


def test_a_term_run_again_after_the_next_one_publishes_what_it_published_before(year, tmp_path):
    """Term 1 re-run from the same inbox and as-of date after term 2 is in the ledger: the months a
    special-attention student has been on the list (重点关注跟踪) count the terms before, never a later one."""
    out = copy_out(year, tmp_path)

    def published():  # the term's files and its report; the ledger's files in `outputs` change with term 2
        report = json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))
        report["outputs"] = [o for o in report["outputs"] if o["path"].startswith(TERM1 + "/")]
        return {p: h for p, h in files(term_dir(out)).items() if p != "report.json"}, report

    term1_before = published()
    tracked = term1_before[1]["attention_tracking"]
    assert tracked and {t["months_on_list"] for t in tracked} == {2}  # September and October 2026
    assert main(["run", str(year.in2), "--out", str(out), "--as-of", T2_AS_OF.isoformat()]) == 0
    assert main(["run", str(year.in1), "--out", str(out), "--as-of", T1_AS_OF.isoformat()]) == 0
    assert published() == term1_before
