"""Which term each file belongs to: each workbook names its 学年 and 学期 (班级信息, 基本信息, 填报信息); a run
processes each term found in INBOX as its own set, judged against that term's calendar, written into its own
folder in OUT and published on its own, so a run of one term never changes another term's folder."""
from __future__ import annotations

from dataclasses import dataclass, field

from workbook_engine.catalogue import t
from workbook_engine.model import SKIPPED, InboxFile, Merged
from workbook_engine.settings import Settings
from workbook_engine.term import school_year, term_folder_name, term_name, term_order, term_words


def file_term(entry: InboxFile) -> tuple[str, str] | None:
    """The (学年, 学期) a read workbook names, or None (unreadable, not a workbook, or no valid term, or a term its
    own dates deny: `dates-outside-own-term`, a 学年 or 学期 typed wrong — such a book is judged and rejected with
    the files naming no term, so one typo never makes a term of its own nor takes the office's files with it)."""
    if entry.report is not None and any(p.code == "dates-outside-own-term" for p in entry.report.problems):
        return None
    return _named_term(entry)


def _named_term(entry: InboxFile) -> tuple[str, str] | None:
    """The (学年, 学期) written in the workbook, whatever its dates say."""
    info = entry.report.class_info if entry.report else {}
    year, term = school_year(info.get("school_year")), term_name(info.get("term"))
    return (year, term) if year and term else None


@dataclass
class TermSet:
    """One term's share of the inbox: the files naming it (and, for the newest term, every file naming none)."""

    school_year: str | None
    term: str | None
    files: list[InboxFile] = field(default_factory=list)  # files read, to be settled
    skipped: list[InboxFile] = field(default_factory=list)  # files not read (reported with this term)

    @property
    def name(self) -> str:
        return term_folder_name(self.school_year, self.term)


def split_terms(candidates: list[InboxFile], skipped: list[InboxFile], settings: Settings,
                only: tuple[str, str] | None, lang: str = "zh") -> list[TermSet]:
    """The run's term sets, oldest first. Files name their term; a file naming none (unreadable, an office book
    without 填报信息) goes with the newest term, as do the files not read. With `only` (run --term) the files of
    other terms are set aside as skipped, with the reason. When no file names a term: `only`, else the term the
    settings' [term] table names, else an unknown term (folder 学期未知)."""
    keys = {k for k in map(file_term, candidates) if k is not None}
    if only is not None:
        keys = {only}
    if not keys:  # a book whose dates deny its term, alone: judged in the term it names, to say so there
        keys = {k for k in map(_named_term, candidates) if k is not None}
    if not keys:
        fallback = settings.term.key()
        keys = {fallback} if fallback else {(None, None)}  # type: ignore[arg-type]
    sets = {k: TermSet(k[0], k[1]) for k in sorted(keys, key=term_order)}
    newest = list(sets.values())[-1]
    for entry in candidates:
        key = file_term(entry)
        if key is None:
            newest.files.append(entry)
        elif key in sets:
            sets[key].files.append(entry)
        else:  # run --term: a file of another term is not this run's
            entry.status, entry.report, entry.sha256 = SKIPPED, None, None
            entry.reason = t("timeline.other_term", lang, term=term_words(*key, lang),
                             only=term_words(newest.school_year, newest.term, lang))
            newest.skipped.append(entry)
    newest.skipped += skipped
    return list(sets.values())


def records_count(merged: Merged) -> int:
    """The records of a term as the ledger counts them (terms.records): every accepted row but the mentee lists."""
    return sum(len(v) for k, v in merged.records.items() if k != "mentees")
