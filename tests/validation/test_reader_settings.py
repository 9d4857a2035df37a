"""A file's reader is given the settings as plain values (validation.view.ReadingSettings): where nothing forks
(Windows, macOS) each reader is a fresh interpreter, and the settings' models would cost it pydantic's import."""
from __future__ import annotations

import datetime as dt
import pickle
import subprocess
import sys

from workbook_engine.settings import Settings
from workbook_engine.validation.validate import reading_settings, validate_file

D = dt.date


def test_the_readers_term_dates_are_the_settings():
    """学期 dates as the settings give them: a full calendar, one giving only its first day (the default last
    day), none (the default dates: 1 Sep - 31 Jan, 1 Feb - 31 Jul) and, with no term named, the [term] table."""
    settings = Settings.model_validate({
        "term": {"start": D(2026, 9, 1), "end": D(2027, 1, 22)},
        "terms": [{"school_year": "2026-2027", "term": "第二学期", "start": D(2027, 2, 20)},
                  {"school_year": "2025-2026", "term": "第二学期", "start": D(2026, 2, 23), "end": D(2026, 7, 10)}]})
    view = reading_settings(settings)
    expected = {
        ("2025-2026", "第二学期"): (D(2026, 2, 23), D(2026, 7, 10)),
        ("2026-2027", "第二学期"): (D(2027, 2, 20), D(2027, 7, 31)),
        ("2026-2027", "第一学期"): (D(2026, 9, 1), D(2027, 1, 22)),  # the [term] table, read from its first day
        ("2024-2025", "第一学期"): (D(2024, 9, 1), D(2025, 1, 31)),
        (None, None): (D(2026, 9, 1), D(2027, 1, 22)),
        ("2024-2025", None): None,
    }
    for (year, term), dates in expected.items():
        assert settings.term_range(year, term) == dates
        assert view.term_range(year, term) == dates
    assert view.policy.min_mentees == settings.policy.min_mentees
    assert view.limits.max_file_mb == settings.limits.max_file_mb


def test_a_fresh_reader_validates_without_pydantic(class_file):
    """A fresh interpreter given a file and the reader's settings, pickled as a spawned worker gets them, reports
    what this process reports and never imports pydantic (~0.1 s of each worker's start)."""
    settings = Settings()
    here = validate_file(class_file, settings)
    script = ("import pickle, sys\n"
              "from workbook_engine.validation.validate import validate_and_hash\n"
              "path, settings = pickle.loads(sys.stdin.buffer.read())\n"
              "report, _ = validate_and_hash(path, settings)\n"
              "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
              "sys.stdout.buffer.write(pickle.dumps((report.kind, report.valid, [p.code for p in report.problems], report.rows)))\n")
    done = subprocess.run([sys.executable, "-c", script], input=pickle.dumps((class_file, reading_settings(settings))),
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert pickle.loads(done.stdout) == (here.kind, here.valid, [p.code for p in here.problems], here.rows)
    assert here.kind == "class" and here.valid and sum(here.rows.values()) > 0
