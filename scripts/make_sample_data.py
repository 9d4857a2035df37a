"""Regenerate sample_data/ (seeded, so the same files every time): python scripts/make_sample_data.py"""
from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from workbook_engine.writing.samples import make_sample_school

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    out = ROOT / "sample_data"
    if out.exists():
        shutil.rmtree(out)
    files = make_sample_school(out, ROOT / "blank_templates" / "班级学情工作簿.xlsx")
    # the first 四年级2班 was sent a week before the correction
    old = out / "四年级2班.xlsx"
    stamp = time.mktime((2026, 11, 13, 17, 0, 0, 0, 0, -1))
    os.utime(old, (stamp, stamp))
    for f in files:
        print(f.relative_to(ROOT))
    sys.exit(0)
