"""Deterministic files: the same inputs and as-of give byte-identical workbooks, whatever the process (string
hashing is randomised per process: a set's order must never reach a file) and whenever written (openpyxl stamps the
save time; every writer's zip entries carry a fixed time)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.builders import ROOT

SAMPLE = ROOT / "sample_data"


def engine(args: list[str], seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "workbook_engine", *args], env=env, capture_output=True, timeout=300,
                   cwd=ROOT)


def produce(base: Path, seed: str) -> dict[str, bytes]:
    """Every workbook the engine writes for the sample school: a run in both languages with the handbooks,
    annotated copies, templates and an assignment — in a new process with its own hash seed."""
    engine(["run", str(SAMPLE), "--out", str(base / "zh"), "--as-of", "2026-11-20", "--handbooks"], seed)
    engine(["--lang", "en", "run", str(SAMPLE), "--out", str(base / "en"), "--as-of", "2026-11-20"], seed)
    engine(["validate", *map(str, sorted(SAMPLE.glob("*.xlsx"))), "--annotate", str(base / "annotated")], seed)
    engine(["templates", str(base / "templates")], seed)
    engine(["assign", str(SAMPLE / "三年级1班.xlsx"), "--out", str(base / "assigned.xlsx"), "--seed", "3"], seed)
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*.xlsx"))
            if ".workbook-engine" not in p.parts}


def test_the_same_inputs_give_byte_identical_workbooks(tmp_path):
    first = produce(tmp_path / "one", "1")
    time.sleep(1.1)  # a later second: a save time stamped anywhere would show
    second = produce(tmp_path / "two", "2")
    # zh: merged, summary, assignment form, 4 feedback books, 27 handbooks; en: 7 books; 3 copies; 3 templates; 1
    assert len(first) >= 40 and "assigned.xlsx" in first and any(k.startswith("annotated/") for k in first)
    assert first.keys() == second.keys()
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, differ
