"""history in the language asked for: the school's terms, a teacher's rows and what it could not find, in English
with --lang en and in Chinese by default."""
from __future__ import annotations

import re

from workbook_engine.cli import main

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def test_history_prints_english_with_lang_en(runs, capsys, tmp_path):
    out = runs["zh"].out
    talk, parent = runs["zh"].compliance.school_rates()
    capsys.readouterr()
    assert main(["history", str(out), "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["school", "year", "term", "as", "of", "classes", "students", "teachers", "talk",
                                "rate", "parent-contact", "rate"]
    # one term: 4 classes, its rates as the run computed them
    assert lines[1].split()[:3] == ["2026-2027", "Term", "1"] and f"{talk:.1%}" in lines[1]
    assert not HAN.search("\n".join(lines))
    assert main(["history", str(out)]) == 0  # Chinese by default
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["学年", "学期", "统计截至"] and "第一学期" in lines[1] and f"{parent:.1%}" in lines[1]
    # a teacher's rows: the band in words
    teacher = next(t for t in runs["zh"].teachers if t["mentees"])
    assert main(["history", str(out), "--teacher", teacher["teacher_id"], "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[-3:] == ["status", "score", "rank"]
    assert {"on track": "on_track", "needs attention": "needs_attention", "off track": "off_track"}.get(
        re.search(r"on track|needs attention|off track", lines[1]).group(0)) == teacher["status"]
    # nothing to show, no ledger: said in English
    assert main(["history", str(out), "--student", "nobody", "--lang", "en"]) == 2  # the id asked about, named
    assert capsys.readouterr().err.strip() == f"error: no student with student number nobody in the ledger " \
                                              f"{out / '学校台账.sqlite'}"
    assert main(["history", str(tmp_path / "nowhere"), "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: no ledger at {tmp_path / 'nowhere'}") and err.endswith(": run `run` first")
