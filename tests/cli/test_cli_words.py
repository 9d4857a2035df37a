"""The command line's own words (help) in the language asked for."""
from __future__ import annotations

import re

from workbook_engine.cli import build_parser, main

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def test_help_speaks_the_language_asked_for(capsys):
    assert main(["--lang", "en", "run", "--help"]) == 0
    text = capsys.readouterr().out
    assert "Read every workbook in the inbox: validate, pick each class's newest version" in text
    assert not HAN.search(text.replace("导师手册", ""))  # (the handbooks' folder is a file name)
    assert main(["run", "--help", "--lang", "zh"]) == 0
    assert "读取收件目录中的全部工作簿" in capsys.readouterr().out
    assert "Write the class workbook" in build_parser("en").format_help() + build_parser("en")._subparsers \
        ._group_actions[0].choices["templates"].format_help()
