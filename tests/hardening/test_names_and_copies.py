"""Names and copies against what a hostile review tried: a class name too long for a file name still gets its
book, numbers in names and file names are masked for the office (and a sha256 never is), two inputs of one name
keep their own annotated copies, and a user's live formulas never reach a copy."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import class_book, class_data, numbered_class, sha256
from tests.helpers.terms import term_dir
from workbook_engine.cli import main
from workbook_engine.pipeline import run_inbox

UNTIL = dt.date(2026, 10, 20)


def test_a_class_name_too_long_for_a_file_name_still_gets_its_book(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    numbered_class(box, 1, until=UNTIL, name="😀" * 90)  # 360 bytes of UTF-8: more than a file name may have on Linux and macOS
    numbered_class(box, 2, until=UNTIL, name="七年级\u200b2班")  # an invisible character: the file name shows none
    result = run_inbox(box, tmp_path / "out", as_of=UNTIL)
    assert result.exit_code == 0
    for entry in result.report["feedback"]:
        name = Path(entry["path"]).name
        assert len(name.encode("utf-8")) < 200 and "\u200b" not in name
        assert sha256(tmp_path / "out" / entry["path"]) == entry["sha256"]


def test_numbers_in_names_and_file_names_are_masked_for_the_office(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    data = class_data(1, until=UNTIL)
    data.sheets["mentors"][0]["name"] = "王老师 手机13912345678"
    class_book(box, data, "七年级1班 家长13912345678 身份证11010519491231002X.xlsx")
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
    one = numbered_class(tmp_path / "a", 1, until=UNTIL)
    two = class_book(tmp_path / "b", class_data(2, until=UNTIL), one.name)
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
    from workbook_engine.validation.validate import validate_file
    from workbook_engine.writing.annotate import annotate

    path = numbered_class(tmp_path, 1, until=UNTIL)
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
    from workbook_engine.privacy import Redactor

    digest = "d3cea26704965f78bd8f200b7e2d442fc19748150462c926971b039796998ae1"  # holds 19748150462 (a mobile's shape)
    text = json.dumps({"sha256": digest, "head_teacher": "王老师 13912345678"}, ensure_ascii=False)
    masked = json.loads(Redactor().json_text(text))
    assert masked == {"sha256": digest, "head_teacher": "王老师 ***"}


@given(st.text(alphabet="0123456789 -+()Xx8610a号：电话", max_size=60))
def test_the_mask_finds_exactly_the_numbers_its_rule_describes(text):
    """The compiled masks skip positions no number can start at; they must mask exactly what the written rules
    (an 18-character ID-card number, a mobile or a landline number with its area code) match."""
    import re

    from workbook_engine.privacy import ID_CARD_RULE, PHONE_RULE, mask_numbers

    by_rule = re.compile(PHONE_RULE).sub("***", re.compile(ID_CARD_RULE).sub("***", text))
    assert mask_numbers(text) == by_rule
    assert mask_numbers("家长 13812345678，座机 (010)12345678，身份证 11010519491231002X") == \
        "家长 ***，座机 ***，身份证 ***"


@given(st.lists(st.sampled_from(["13812345678", "138 1234 5678", "11010519491231002X", "110105194912310021",
                                 "(010)", "0531-", "+86 ", "86-", "00", " ", "-", "1", "0", "X", "a", "\"", "12345678"]),
                max_size=12).map("".join))
def test_one_pass_masks_what_the_id_card_rule_then_the_phone_rule_mask(text):
    """mask_numbers looks for both kinds in one pass (privacy._ID_OR_PHONE): with numbers of every kind run
    together it masks exactly what the ID-card rule and then the phone rule mask, one after the other."""
    import re

    from workbook_engine.privacy import ID_CARD_RULE, PHONE_RULE, mask_numbers

    assert mask_numbers(text) == re.compile(PHONE_RULE).sub("***", re.compile(ID_CARD_RULE).sub("***", text))
    assert mask_numbers(text, phones=False) == re.compile(ID_CARD_RULE).sub("***", text)


def test_report_json_written_in_parts_is_the_whole_report_masked(tmp_path):
    """report.json's bulk is masked item by item into a file while the books are written, its list of outputs
    last: the file is exactly the whole report masked in one pass, numbers right against the items' edges
    included."""
    from types import SimpleNamespace

    from workbook_engine.files import dumps
    from workbook_engine.privacy import Redactor
    from workbook_engine.writing.outputs import record_outputs, report_body

    staged = tmp_path / "stage"
    (staged / "t").mkdir(parents=True)
    (staged / "t" / "汇总.xlsx").write_bytes(b"13912345678")
    report = {"as_of": "2026-11-20", "head_teacher": "王 13812345678", "ids": ["11010519491231002X", "1"],
              "last": "(010)12345678"}
    outcome = SimpleNamespace(settings=SimpleNamespace(privacy=None), compliance=None,
                              layout=SimpleNamespace(report="t/report.json"))
    run = SimpleNamespace(outcome=outcome, report=dict(report), timings={}, staged=lambda rel: staged / rel)
    body = report_body(outcome, report, staged / "t" / ".bulk")
    assert record_outputs(run, ["t/汇总.xlsx"], body) == ["t/汇总.xlsx", "t/report.json"]
    assert not body[0].exists()  # (the bulk is copied in, then goes)
    text = (staged / "t" / "report.json").read_text(encoding="utf-8")
    whole = {**report, "outputs": [{"path": "t/汇总.xlsx", "sha256": json.loads(text)["outputs"][0]["sha256"]}],
             "feedback": []}
    assert text == Redactor().json_text(dumps(whole) + "\n")
    written = json.loads(text)
    assert written["head_teacher"] == "王 ***" and written["ids"] == ["***", "1"] and written["last"] == "***"
    assert list(written) == [*report, "outputs", "feedback"]


def test_a_setting_shaped_like_a_phone_number_leaves_report_json_valid_json():
    """report.json's last mask cuts phone-shaped digits out of its text; a bare number (a limit typed as
    13800138000) would have left `"max_parts": ***`, which is not JSON. Settings carry such a number as a string."""
    from workbook_engine.files import dumps
    from workbook_engine.privacy import Redactor, settings_dump

    report = {"settings": settings_dump({"limits": {"max_parts": 13800138000, "max_file_mb": 50.0,
                                                    "worker_memory_mb": 4096}})}
    assert json.loads(Redactor().json_text(dumps(report))) == \
        {"settings": {"limits": {"max_parts": "***", "max_file_mb": 50.0, "worker_memory_mb": 4096}}}
