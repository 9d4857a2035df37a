"""The blank templates: what `templates` writes is exactly what is committed, with every sheet, header, aid and
the school.toml of the defaults, explained in the language asked for."""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.builders import ROOT
from workbook_engine import TEMPLATE_VERSION, load_settings, write_templates
from workbook_engine.cli import main
from workbook_engine.schema import ASSESSMENT_WORKBOOK, CLASS_WORKBOOK
from workbook_engine.settings import SETTINGS_TEMPLATE, Settings

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


def test_english_templates_write_a_school_toml_explained_in_english(tmp_path, capsys):
    assert main(["templates", str(tmp_path), "--lang", "en"]) == 0
    text = (tmp_path / "school.toml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# school.toml — the school's settings for workbook-engine (mentor system)"
    assert 'strict = false                        # true: any error rejects the whole file; false: only the rows ' \
           'with errors' in text.splitlines()
    # the same settings as the Chinese file: only the comments differ
    assert load_settings(tmp_path / "school.toml").model_dump() == Settings().model_dump()
    assert main(["templates", str(tmp_path / "zh"), "--lang", "zh"]) == 0
    assert (tmp_path / "zh" / "school.toml").read_text(encoding="utf-8") == SETTINGS_TEMPLATE
