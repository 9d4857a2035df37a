"""One term through every computing stage: what report.json, the workbooks and the web page read.

pipeline.py builds a `TermOutcome` once the term is combined, complied, assessed and reviewed; it is never
changed afterwards (frozen), so a writer in a child process sees exactly what the parent saw. What is only known
while the outputs are written — report.json's dict, the files written, the timings — is the pipeline's
(`pipeline.RunResult`), never the outcome's.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbook_engine.ledger.store import History
from workbook_engine.model import InboxFile, Merged, Record
from workbook_engine.publishing.layout import OutputLayout
from workbook_engine.settings import Settings
from workbook_engine.term import term_folder_name

if TYPE_CHECKING:  # (pandas is loaded by the stages that compute with it, not by whoever names a type)
    import pandas as pd

    from workbook_engine.assessment.across_terms import AcrossTerms
    from workbook_engine.assessment.school_work import SchoolWork
    from workbook_engine.compliance.result import Compliance


@dataclass(frozen=True)
class TermOutcome:
    """Everything one term's stages produced, typed; the input of every writer and of report.json."""

    inbox: Path
    out: Path
    school_year: str | None
    term: str | None
    settings: Settings  # this term's settings (its own calendar: Settings.for_term)
    as_of: dt.date
    lang: str  # the language of every workbook this run writes
    files: list[InboxFile]  # every file of this term, skipped ones included, by name
    merged: Merged  # stage 4: the combined records
    layout: OutputLayout  # every output's path relative to OUT
    compliance: Compliance | None = None  # stage 5, when the term's dates are known
    teachers: list[Record] = field(default_factory=list)  # stage 6: one entry per person over all their classes
    percentiles: pd.DataFrame | None = None  # stage 6: assessment.percentile_changes
    recognition: list[Record] = field(default_factory=list)  # stage 6: recognition candidates, yearly awards too
    across: AcrossTerms | None = None  # stage 6: yearly awards, trends, 教育转化 tracking
    school_work: SchoolWork | None = None  # stage 6: the principal's monthly meeting, events, 包靠 gaps
    open_flags: list[Record] = field(default_factory=list)  # 需学校关注 flags still open, oldest first
    rectification: list[Record] = field(default_factory=list)  # 整改名单
    history: History | None = None  # what earlier runs remembered (the ledger as it was before this run)
    handbooks: bool = False  # `run --handbooks`: a 导师工作手册 per teacher
    default_dates: bool = False  # the settings hold no calendar for this term: the default dates were used

    @property
    def folder(self) -> Path:
        """This term's folder in OUT (term.term_folder_name)."""
        return self.out / (self.layout.folder or term_folder_name(self.school_year, self.term))

    def count(self, status: str) -> int:
        """How many of the term's files ended with this status (model.ACCEPTED …)."""
        return sum(f.status == status for f in self.files)
