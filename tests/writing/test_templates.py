from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.builders import ROOT
from workbook_engine import SettingsError, TEMPLATE_VERSION, load_settings, write_templates
from workbook_engine.schema import ASSESSMENT_WORKBOOK, CLASS_WORKBOOK
from workbook_engine.settings import Settings, default_term_range

GOLDEN = ROOT / "blank_templates"
VOLATILE = {"docProps/core.xml"}


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n not in VOLATILE}


def test_committed_templates_are_exactly_what_the_command_writes(tmp_path):
    written = write_templates(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in GOLDEN.iterdir())
    for path in written:
        golden = GOLDEN / path.name
        if path.suffix == ".xlsx":
            new, old = _parts(path), _parts(golden)
            assert sorted(new) == sorted(old)
            for name in new:
                assert new[name] == old[name], f"{path.name}:{name} differs; run `workbook-engine templates`"
        else:
            assert path.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("spec", [CLASS_WORKBOOK, ASSESSMENT_WORKBOOK], ids=["class", "assessment"])
def test_templates_carry_every_sheet_header_and_aid(spec):
    wb = openpyxl.load_workbook(GOLDEN / spec.filename)
    assert wb.sheetnames == ["说明"] + [s.name for s in spec.sheets]
    assert f"模板版本：{TEMPLATE_VERSION}" == wb["说明"]["A2"].value
    explained = {c.value for c in wb["说明"]["B"] if c.value}
    for sheet in spec.sheets:
        ws = wb[sheet.name]
        width = sum((d.max - d.min + 1) * int(d.width or 0) for d in ws.column_dimensions.values())  # (+0.71 padding)
        assert ws.page_setup.orientation == ("landscape" if width > 100 else "portrait")
        assert ws.page_setup.paperSize == 9
        assert ws.print_title_rows == "$1:$1"
        assert ws.freeze_panes == "A2"
        if sheet.layout == "keyvalue":
            assert [ws.cell(r, 1).value for r in range(2, 2 + len(sheet.columns))] == [c.template_header for c in sheet.columns]
            continue
        assert [c.value for c in ws[1]] == [c.template_header for c in sheet.columns]
        validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
        for i, column in enumerate(sheet.columns, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            assert column.template_header in explained
            if column.choices:
                dv = validations[f"{letter}2"]
                assert dv.type == "list" and dv.formula1 == '"' + ",".join(column.choices) + '"'
            if column.kind == "date":
                dv = validations[f"{letter}2"]
                assert dv.type == "date" and dv.prompt
            dim = next(d for d in ws.column_dimensions.values() if d.min <= i <= d.max)
            if column.kind == "id":
                assert dim.number_format == "@"
            assert dim.width >= len(column.template_header) + 1  # (a wide sheet's headers wrap onto two lines)


def test_required_headers_are_marked():
    wb = openpyxl.load_workbook(GOLDEN / CLASS_WORKBOOK.filename)
    ws = wb["谈心记录"]
    assert ws["A1"].value == "日期*" and ws["A1"].font.color.rgb.endswith("C00000")
    assert ws["C1"].value == "导师姓名" and ws["C1"].fill.fgColor.rgb != ws["A1"].fill.fgColor.rgb


def test_settings_template_holds_the_defaults():
    loaded = load_settings(GOLDEN / "school.toml")
    assert loaded.model_dump() == Settings().model_dump()


def test_sample_settings(tmp_path):
    s = load_settings(ROOT / "sample_data" / "school.toml")
    assert s.term.start == dt.date(2026, 9, 1)
    assert s.term.holidays[0].name == "国庆节"
    assert s.term.workdays[0].date == dt.date(2026, 10, 10)
    assert s.policy.talk_frequency == "weekly"


def test_bad_setting_names_key_and_line(tmp_path):
    path = tmp_path / "school.toml"
    path.write_text('[school]\nname = "x"\n\n[policy]\ntalk_frequency = "daily"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    assert "policy.talk_frequency" in str(err.value) and "第 5 行" in str(err.value)
    path.write_text('[term]\nstart = 2026-09-01\nend = 2026-08-01\n', encoding="utf-8")
    with pytest.raises(SettingsError):
        load_settings(path)
    path.write_text('[polcy]\ntalk_frequency = "weekly"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="polcy"):
        load_settings(path)
    path.write_text('[school\nname=', encoding="utf-8")
    with pytest.raises(SettingsError, match="格式有误"):
        load_settings(path)


def test_default_term_from_school_year():
    assert default_term_range("2026-2027", "第一学期") == (dt.date(2026, 9, 1), dt.date(2027, 1, 31))
    assert default_term_range("2026-2027", "第二学期") == (dt.date(2027, 2, 1), dt.date(2027, 7, 31))
    assert default_term_range(None, "第一学期") is None
