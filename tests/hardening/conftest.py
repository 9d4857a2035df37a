"""Fixtures of the hardening tests."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.builders import numbered_class


@pytest.fixture
def inbox(tmp_path) -> Path:
    """class1.xlsx and class2.xlsx: 七年级1班 and 七年级2班, talks up to 2026-10-20; no school.toml."""
    box = tmp_path / "inbox"
    box.mkdir()
    for no in (1, 2):
        numbered_class(box, no, until=dt.date(2026, 10, 20))
    return box
