"""The school's settings (school.toml): defaults, the sample's, errors named by key and line in the command's
language, and the term from the school year."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import ROOT
from workbook_engine import SettingsError, load_settings
from workbook_engine.cli import main
from workbook_engine.term import default_term_range


def test_a_settings_error_names_its_line_in_english_and_in_chinese(inbox, tmp_path, capsys):
    toml = tmp_path / "school.toml"
    toml.write_text('[school]\nname = "x"\n\n[policy]\ntalk_frequency = "daily"\n[polcy]\nstrict = true\n',
                    encoding="utf-8")
    args = ["run", str(inbox), "--out", str(tmp_path / "out"), "--config", str(toml)]
    assert main([*args, "--lang", "en"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: {toml}: line 5, setting policy.talk_frequency: should be 'weekly' or 'semimonthly'",
        f"{toml}: line 6, setting polcy: not a known setting (check the spelling)"]
    assert main([*args, "--lang", "zh"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"错误：{toml}：第 5 行，设置项 policy.talk_frequency：应为 'weekly'、'semimonthly' 之一",
        f"{toml}：第 6 行，设置项 polcy：不是已知的设置项（请检查拼写）"]


def test_the_inbox_settings_file_is_explained_in_english_too(inbox, tmp_path, capsys):
    (inbox / "school.toml").write_text("[assign]\ngroups = 9\n\n[term]\nstart = 2026-09-01\nend = 2026-08-01\n",
                                       encoding="utf-8")
    assert main(["--lang", "en", "run", str(inbox), "--out", str(tmp_path / "out")]) == 2
    toml = inbox / "school.toml"
    assert capsys.readouterr().err.splitlines() == [
        f"error: {toml}: line 4, setting term: the end 2026-08-01 is before the start 2026-09-01",
        f"{toml}: line 2, setting assign.groups: should be at most 5"]


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
