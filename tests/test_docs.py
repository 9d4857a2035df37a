"""The README's promises point at real tests, and names every command."""
from __future__ import annotations

import re

from tests.builders import ROOT
from workbook_engine.cli import COMMANDS


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


def _tree() -> dict[str, str]:
    """The README's architecture tree: each top-level entry (a module `x.py` or a package `x/`) -> its text."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- architecture-tree", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    entries: dict[str, str] = {}
    name = None
    for line in block.splitlines()[2:]:  # (after "workbook_engine/")
        if line.startswith("  ") and not line.startswith("   "):
            name, _, text = line.strip().partition(" ")
            entries[name] = text
        elif name is not None:
            entries[name] += " " + line.strip()
    return entries


def test_the_readme_tree_names_every_module_of_the_package_and_nothing_else():
    """A newcomer reads the layout in the README: every module and package is there, under its own package, and
    the tree names no module that is gone."""
    package = ROOT / "workbook_engine"
    tree = _tree()
    top = {p.name for p in package.glob("*.py")} | {p.name + "/" for p in package.iterdir()
                                                     if (p / "__init__.py").is_file()}
    listed = set(tree) | {w for k in tree if k.endswith(".py") for w in tree[k].split() if w.endswith(".py")}
    assert top == listed
    missing = []
    for pkg in (p for p in package.iterdir() if (p / "__init__.py").is_file()):
        words = set(re.findall(r"[a-z_]+/?", tree[pkg.name + "/"]))
        for module in pkg.rglob("*.py"):
            if module.name != "__init__.py" and module.stem not in words:
                missing.append(module.relative_to(package).as_posix())
        for sub in pkg.iterdir():
            if (sub / "__init__.py").is_file() and sub.name + "/" not in words:
                missing.append(sub.relative_to(package).as_posix() + "/")
    assert missing == []
