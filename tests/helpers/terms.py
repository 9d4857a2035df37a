"""Where a term's outputs live in OUT (output.term_folder_name): the one place the tests name a term's folder."""
from __future__ import annotations

from pathlib import Path

from workbook_engine.term import term_folder_name

TERM1 = term_folder_name("2026-2027", "第一学期")  # the sample school's term
TERM2 = term_folder_name("2026-2027", "第二学期")


def term_dir(out: Path | str, term: str = TERM1) -> Path:
    """OUT/<学年><学期>/: the term's summary, merged book, feedback books, forms and report.json."""
    return Path(out) / term


def term_relative(rel: str, term: str = TERM1) -> str:
    """A path of report.json `outputs` (relative to OUT) as the term's folder sees it."""
    return rel.removeprefix(term + "/")
