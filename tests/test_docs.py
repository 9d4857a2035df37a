"""The README's promises point at real tests, and names every command."""
from __future__ import annotations

import re

from workbook_engine.cli import COMMANDS

from tests.builders import ROOT


def test_every_test_the_readme_names_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\b(test_[a-z0-9_]+)", readme))
    files = list((ROOT / "tests").rglob("test_*.py"))
    defined = {p.stem for p in files}  # a test file may be named too
    for path in files:
        defined |= set(re.findall(r"^def (test_[a-z0-9_]+)", path.read_text(encoding="utf-8"), re.M))
    assert len(named) > 40
    assert named - defined == set()


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [c for c in COMMANDS if f"workbook-engine {c}" not in readme] == []
