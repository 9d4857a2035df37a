from __future__ import annotations

import json
import re
import subprocess
import sys

import openpyxl
import pytest

from tests.builders import ROOT, edit, sha256
from workbook_engine import validate_files
from workbook_engine.cli import COMMANDS, main


def test_module_entry_point_runs():
    out = subprocess.run([sys.executable, "-m", "workbook_engine", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "validate" in out.stdout


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command, capsys):
    assert main([command, "--help"]) == 0
    assert command in capsys.readouterr().out


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"workbook-engine {command}" in readme


def test_validate_exit_codes_and_table(class_file, capsys):
    assert main(["validate", str(class_file)]) == 0
    edit(class_file, lambda wb: wb["谈心记录"].__setitem__("F2", "聊天"))
    assert main(["validate", str(class_file)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"错误\s+谈心记录\s+F2\s+“聊天”不是允许的值", out)
    assert main(["validate", "no-such-file.xlsx"]) == 2
    assert main(["validate"]) == 2
    assert main(["validate", str(class_file), "--lang", "fr"]) == 2


def test_json_is_exactly_the_library_report(class_file, capsys, tmp_path):
    edit(class_file, lambda wb: wb["谈心记录"].__setitem__("A2", "2026.13.5"))
    main(["validate", str(class_file), "--json", "-"])
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(validate_files([class_file]).to_dict()))
    assert set(printed) >= {"valid", "files"}
    f = printed["files"][0]
    assert set(f) >= {"path", "kind", "valid", "rows", "problems"}
    assert set(f["problems"][0]) >= {"severity", "code", "sheet", "cell", "row", "column", "value", "message"}
    out = tmp_path / "report.json"
    main(["validate", str(class_file), "--json", str(out), "--lang", "en"])
    problems = json.loads(out.read_text(encoding="utf-8"))["files"][0]["problems"]
    assert next(p for p in problems if p["code"] == "invalid-date")["message"].startswith("'2026.13.5'")


def test_annotate_marks_cells_and_leaves_the_input_alone(class_file, tmp_path):
    edit(class_file, lambda wb: (wb["谈心记录"].__setitem__("F2", "聊天"), wb["谈心记录"].__setitem__("F3", "面 谈")))
    before = sha256(class_file)
    out_dir = tmp_path / "annotated"
    assert main(["validate", str(class_file), "--annotate", str(out_dir)]) == 1
    assert sha256(class_file) == before
    wb = openpyxl.load_workbook(out_dir / "七年级9班.批注.xlsx")
    assert wb.sheetnames[0] == "问题清单"
    ws = wb["谈心记录"]
    assert ws["F2"].fill.fgColor.rgb.endswith("FFC7CE") and "聊天" in ws["F2"].comment.text
    assert ws["F3"].fill.fgColor.rgb.endswith("FFEB9C") and "面 谈" in ws["F3"].comment.text
    listing = wb["问题清单"]
    links = [c.hyperlink.location for c in listing["C"] if c.hyperlink]  # 单元格, the third column
    assert "'谈心记录'!F2" in links


def test_templates_command(tmp_path, capsys):
    assert main(["templates", str(tmp_path)]) == 0
    assert {p.name for p in tmp_path.iterdir()} == {"班级学情工作簿.xlsx", "导师工作手册.xlsx", "学校考核数据.xlsx", "school.toml"}


def test_bad_settings_file_is_a_usage_error(class_file, tmp_path, capsys):
    bad = tmp_path / "school.toml"
    bad.write_text('[policy]\ntalk_frequency = "daily"\n', encoding="utf-8")
    assert main(["validate", str(class_file), "--config", str(bad)]) == 2
    assert "policy.talk_frequency" in capsys.readouterr().err


def test_the_progress_bar_on_a_terminal_starts_no_thread_so_the_run_may_still_fork():
    """On a terminal `run` shows a bar while it reads. A thread of its own would forbid forking (a process with
    two threads may not fork), and every workbook would then be written one after another in one process."""
    import io
    import threading
    from types import SimpleNamespace

    from workbook_engine.cli.progress import RunProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    before = threading.active_count()
    screen = Terminal()
    with RunProgress(screen, "en") as bar:
        bar.start(2)
        bar.advance(SimpleNamespace(report=None))
        assert threading.active_count() == before
    assert "1/2" in screen.getvalue()  # drawn as the file arrived


def test_the_program_ends_at_once_with_all_it_printed_and_its_exit_code(tmp_path, capsys):
    """`python -m workbook_engine` (and the `workbook-engine` script) end the process as soon as the command
    returns, without the interpreter's teardown (cli.entry): everything the command printed still arrives, through
    a pipe, and the exit code is the command's (1 for the sample school: it has faulty files)."""
    inbox = ROOT / "sample_data"
    code = main(["run", str(inbox), "--out", str(tmp_path / "here"), "--lang", "en", "--as-of", "2026-12-18"])
    printed = capsys.readouterr().out.replace(str(tmp_path / "here"), "OUT")
    program = subprocess.run([sys.executable, "-m", "workbook_engine", "run", str(inbox), "--out",
                              str(tmp_path / "there"), "--lang", "en", "--as-of", "2026-12-18"],
                             capture_output=True, text=True, encoding="utf-8")
    assert code == 1 and program.returncode == 1
    assert program.stdout.replace(str(tmp_path / "there"), "OUT") == printed
    assert "rows read" in printed and printed.endswith("written: OUT/report.json\n")  # its last line
    assert json.loads((tmp_path / "there" / "report.json").read_text(encoding="utf-8"))["terms"]
    from importlib.metadata import entry_points

    assert [e.value for e in entry_points(group="console_scripts") if e.name == "workbook-engine"] == \
        ["workbook_engine.cli:entry"]


def test_the_program_ends_with_its_code_where_there_is_no_console():
    """Started without a console (pythonw on Windows: no standard output or error at all), the program still ends
    at once with its command's exit code, and what it wrote before is flushed where there is a stream."""
    script = ("import sys\n"
              "from workbook_engine.execution import end_now\n"
              "sys.stderr.write('said before the end')\n"
              "sys.stdout = None\n"
              "end_now(3)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (3, "said before the end")
