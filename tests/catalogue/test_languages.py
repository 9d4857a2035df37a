"""One catalogue, two languages: every label of every output, template and command speaks the language asked for —
no Han character in English labels and headers, no English word in Chinese ones (what users typed, such as class and
school names, excepted); --lang before or after the subcommand, on every command, WORKBOOK_ENGINE_LANG as the
default."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

from tests.builders import ROOT, edit
from workbook_engine.catalogue import CATALOGUE, FIELD_EN, SHEET_EN, t
from workbook_engine.cli import build_parser, main
from workbook_engine.pipeline import run_inbox
from workbook_engine.schema import ASSESSMENT_WORKBOOK, CLASS_WORKBOOK, MENTOR_WORKBOOK
from workbook_engine.validation.validate import validate_file
from workbook_engine.writing.annotate import annotate
from workbook_engine.writing.templates import write_templates

SAMPLE = ROOT / "sample_data"
AS_OF = dt.date(2026, 11, 20)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# words that stay as they are in Chinese text: names of things, codes, units
LATIN_OK = {"SHA", "xlsx", "Excel", "WPS", "XML", "DOCTYPE", "ENTITY", "run", "resend", "force", "Ctrl", "poll",
            "mail", "recipients", "imap_host", "smtp_host", "timeout_s", "password_env", "CSV", "HTML", "MB",
            "toml", "school", "new", "limits", "worker_memory_mb"}
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")


def english_words(text: str) -> set[str]:
    return {w for w in WORD.findall(text) if w not in LATIN_OK}


# a problem message names the workbooks' own sheets, columns and values as written (the data contract), in
# English too: 结对变更, 上学期成绩, the 学业水平 values 好/中/差, a grade such as 三年级
BOOKS = (CLASS_WORKBOOK, ASSESSMENT_WORKBOOK, MENTOR_WORKBOOK)
DATA_WORDS = ({spec.name for book in BOOKS for spec in book.sheets}
              | {column.header for book in BOOKS for spec in book.sheets for column in spec.columns}
              | {"好", "中", "差", "三年级"})


def test_every_message_has_both_languages_and_each_stays_in_its_own():
    for key, (zh, en) in CATALOGUE.items():
        assert zh and en, key
        han = set(re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", en))
        assert han <= (DATA_WORDS if key.startswith("problem.") else set()), (key, en)
        assert not english_words(re.sub(r"\{\w+\}|&[PN]", "", zh)), (key, zh)  # ({placeholders}, page codes)


def test_every_schema_sheet_and_column_has_an_english_name():
    for book in (CLASS_WORKBOOK, ASSESSMENT_WORKBOOK, MENTOR_WORKBOOK):
        for spec in book.sheets:
            assert spec.key in SHEET_EN, spec.key
            for column in spec.columns:
                assert column.field in FIELD_EN, (spec.key, column.field)


def labels(path: Path) -> list[tuple[str, str]]:
    """What a workbook says of itself: sheet names, header and footer, title and header rows (down to the frozen
    header, else the first), the overview's first column."""
    wb = openpyxl.load_workbook(path)
    out = [("sheet name", ws.title) for ws in wb.worksheets]
    for ws in wb.worksheets:
        for part in (ws.oddHeader, ws.oddFooter):
            out += [(f"{ws.title} header/footer", side.text) for side in (part.left, part.center, part.right)
                    if side.text]
        last = int(re.sub(r"[A-Z]", "", ws.freeze_panes)) - 1 if ws.freeze_panes else 1
        for row in ws.iter_rows(min_row=1, max_row=max(last, 1)):
            out += [(f"{ws.title}!{c.coordinate}", c.value) for c in row if isinstance(c.value, str)]
        if not ws.freeze_panes:  # the overview: its labels down column A
            out += [(f"{ws.title}!A{r}", v) for r, (v,) in enumerate(ws.iter_rows(min_col=1, max_col=1,
                                                                                  values_only=True), 1)
                    if isinstance(v, str)]
    return out


@pytest.fixture(scope="module", params=["zh", "en"])
def outputs(request, tmp_path_factory):
    """Every output of the sample school in one language: the run's books, annotated copies, templates."""
    lang = request.param
    base = tmp_path_factory.mktemp(f"lang-{lang}")
    result = run_inbox(SAMPLE, base / "out", as_of=AS_OF, lang=lang)
    copies = [annotate(validate_file(p), base / "annotated", lang) for p in sorted(SAMPLE.glob("*.xlsx"))]
    templates = [p for p in write_templates(base / "templates", lang) if p.suffix == ".xlsx"]
    books = sorted((base / "out").rglob("*.xlsx"))
    # what users typed (school, term, classes, people, categories): data, in whatever language they wrote it
    data = {result.settings.school.name, f"{result.school_year}{result.term}", result.term,
            *result.settings.attention.categories}
    data |= {f.class_name for f in result.files if f.class_name} | {"四年级3班"}
    data |= {m["name"] for m in result.report["mentors"] if m.get("name")}
    data |= {f.report.class_info.get("grade") for f in result.merged.class_files if f.report}  # (三年级: typed)
    data |= {p.name for p in SAMPLE.glob("*.xlsx")} | {p.stem for p in SAMPLE.glob("*.xlsx")}
    return lang, books, [c for c in copies if c], templates, sorted(data - {None, ""}, key=len, reverse=True)


def test_every_output_speaks_one_language(outputs):
    lang, books, copies, templates, data = outputs
    assert len(books) == 7 and len(copies) == 3 and len(templates) == 3  # + the 导师分工明细表; copies: the 3 sample files with problems
    seen = 0
    for path in books + copies + templates:
        own_sheets = None
        if path in copies:  # a copy keeps the teacher's own sheets: only its problem list is ours
            own_sheets = {t("annotate.sheet", lang)}
        if path in templates:  # a template's sheet names and headers are what the validator reads (Chinese)
            own_sheets = {t("tpl.sheet", lang) if lang == "en" else "说明"}
        for where, text in labels(path):
            sheet = where.split("!")[0].removesuffix(" header/footer")
            if own_sheets is not None and (where == "sheet name" or sheet not in own_sheets):
                continue
            for d in data:
                text = text.replace(d, "")
            if lang == "en":
                assert not HAN.search(text), (path.name, where, text)
            else:
                assert not english_words(text.replace("&P", "").replace("&N", "").replace("&A", "")), \
                    (path.name, where, text)
            seen += 1
    assert seen > 500  # (the check ran over the books' headers, not over nothing)


def test_english_outputs_are_english_through_and_through(outputs):
    lang, books, _, _, _ = outputs
    if lang != "en":
        pytest.skip("English only")
    summary = openpyxl.load_workbook(next(p for p in books if p.name.startswith("汇总")))
    assert summary.sheetnames[:9] == ["Overview", "Mentor scores", "Classes", "Mentor compliance",
                                      "Attention students", "Recognition", "Data problems", "Files", "Missing or late"]
    assert summary["Files"]["B2"].value in {"class workbook", "assessment data", "other file", "mentor workbook"}
    merged = openpyxl.load_workbook(next(p for p in books if p.name.startswith("合并数据")))
    assert [c.value for c in merged["Talks"][1]][:5] == ["Class", "Source file", "Source row", "Date", "Teacher ID"]
    feedback = openpyxl.load_workbook(next(p for p in books if p.name == "三年级1班.xlsx"))
    assert feedback["Grid"].cell(4, 3).value == "talk week 1 (2026-08-31–09-06)"
    assert feedback["Rejected rows"]["A2"].value == "none"


@pytest.mark.parametrize("argv", [
    ["--lang", "en", "validate", "{f}"],
    ["validate", "{f}", "--lang", "en"],
    ["validate", "--lang", "en", "{f}"],
])
def test_lang_before_or_after_the_subcommand(argv, class_file, capsys):
    edit(class_file, lambda wb: wb["谈心记录"].__setitem__("F2", "聊天"))
    assert main([a.format(f=class_file) for a in argv]) == 1
    out = capsys.readouterr().out
    assert "invalid: 1 errors, " in out and "Severity" in out
    assert "有错误" not in out and "级别" not in out


def test_the_environment_gives_the_default_and_the_option_wins(class_file, capsys, monkeypatch):
    monkeypatch.setenv("WORKBOOK_ENGINE_LANG", "en")
    assert main(["validate", str(class_file)]) == 0
    assert "valid: 0 errors" in capsys.readouterr().out
    assert main(["validate", str(class_file), "--lang", "zh"]) == 0
    assert "通过：0 个错误" in capsys.readouterr().out


def test_every_command_takes_lang():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert set(commands) == {"templates", "validate", "run", "watch", "assign", "fetch-mail", "send-feedback",
                             "new-term", "history", "serve"}
    for name, sub in commands.items():
        assert any("--lang" in a.option_strings for a in sub._actions), name


def test_english_templates_explain_in_english(tmp_path, capsys):
    assert main(["templates", str(tmp_path), "--lang", "en"]) == 0
    wb = openpyxl.load_workbook(tmp_path / "班级学情工作簿.xlsx")
    assert wb.sheetnames[0] == "Instructions"
    assert wb["Instructions"]["A1"].value == "Class workbook: how to fill it in"
    assert wb["Instructions"]["A3"].value.startswith("1. The first row of every sheet is its header")
    assert wb.sheetnames[1] == "班级信息"  # the sheets and headers the validator reads stay as they are


def test_run_in_english_prints_english(tmp_path, capsys):
    assert main(["--lang", "en", "run", str(SAMPLE), "--out", str(tmp_path / "out"), "--as-of", "2026-11-20"]) == 1
    out = capsys.readouterr().out
    assert "files accepted" in out and "missing: 四年级3班" in out and "written: " in out
    labels_printed = [line.split("  ")[0] for line in out.splitlines() if line and not line.startswith(" ")]
    assert labels_printed and not any(HAN.search(x) for x in labels_printed if not x.startswith("written"))
