"""The guard against a run that would shrink a term the ledger already holds (an old or partial inbox, or a
wrong setting, must never quietly replace a term the school has kept)."""
from __future__ import annotations

from workbook_engine.catalogue import t
from workbook_engine.errors import UsageError
from workbook_engine.ledger.store import History
from workbook_engine.term import term_words

SHRINK_LIMIT = 0.2  # a run may remove at most this share of a term's records in the ledger unless told


def check_shrink(history: History, terms: list[tuple[str | None, str | None, int]], replace: bool,
                 lang: str = "zh") -> None:
    """Stop (UsageError, exit 2) before anything is published when a term would lose more than SHRINK_LIMIT of
    the records the ledger holds for it: an old or partial inbox, or a wrong setting, must not quietly replace a
    term. `terms`: (学年, 学期, records this run would write). `replace` (run --replace-term) confirms it."""
    if replace:
        return
    refused = []
    for year, term, new in terms:
        row = history.conn.execute("SELECT records FROM terms WHERE school_year = ? AND term = ?",
                                   (year, term)).fetchone()
        old = row[0] if row and row[0] else 0
        if old and new < old * (1 - SHRINK_LIMIT):
            refused.append(t("timeline.shrink_term", lang, term=term_words(year, term, lang), old=old, new=new))
    if refused:
        raise UsageError(t("timeline.shrink", lang, terms=t("cli.list_sep", lang).join(refused),
                           share=f"{SHRINK_LIMIT:.0%}", option="--replace-term"))
