"""学年 and 学期: the one home of a term's names, parsing, folder names, order and neighbours.

A school year is written `2026-2027` (two consecutive years); a term is 第一学期 (September to January) or
第二学期 (February to July), the words every workbook of 《全员育人导师制实施方案》 and 《学情会商制度实施方案》 uses.
A term's folder in OUT is `<学年><学期>` (`2026-2027第一学期`).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from workbook_engine.catalogue import t, term_label
from workbook_engine.errors import UsageError

TERMS = ("第一学期", "第二学期")


_DASHES = str.maketrans({c: "-" for c in "–—―－~～至/／"})


def school_year(text: Any) -> str | None:
    """`2026-2027` from what a teacher typed (full-width digits, other dashes, spaces), or None unless it is two
    consecutive years: the only form that may become part of a file name."""
    if text is None:
        return None
    s = unicodedata.normalize("NFKC", str(text)).translate(_DASHES).replace(" ", "")
    m = re.fullmatch(r"(\d{4})-(\d{4})", s)
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        return None
    return s


def term_name(text: Any) -> str | None:
    """第一学期 or 第二学期, or None."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip()
    return s if s in TERMS else None


UNKNOWN_TERM_FOLDER = "学期未知"  # the folder of a run whose files and settings name no term


def term_folder_name(year: Any, term: Any) -> str:
    """The one name of a term's folder in OUT (`2026-2027第一学期`): a validated `YYYY-YYYY` school year and
    第一/第二学期, so the name is always safe on every system; 学期未知 when either is missing."""
    year, term = school_year(year), term_name(term)
    return f"{year}{term}" if year and term else UNKNOWN_TERM_FOLDER


def parse_term_folder(name: str) -> tuple[str, str] | None:
    """(school year, term) of a folder named by term_folder_name (`2026-2027第一学期`), else None."""
    m = re.fullmatch(r"(\d{4}-\d{4})(" + "|".join(TERMS) + ")", name or "")
    if not m or school_year(m.group(1)) is None:
        return None
    return m.group(1), m.group(2)


def term_order(key: tuple[str | None, str | None], unknown_last: bool = False) -> tuple[str, int]:
    """Sort key of (学年, 学期): by school year, then 第一学期 before 第二学期; an unknown term first (a run's files
    naming no term), or after the known terms of its school year with `unknown_last` (as the ledger lists them)."""
    year, term = key
    return year or "", TERMS.index(term) if term in TERMS else (9 if unknown_last else -1)


def term_words(year: str | None, term: str | None, lang: str = "zh") -> str:
    """A term as a message names it: 2026-2027第一学期 (its folder's name) / 2026-2027 Term 1."""
    return term_label(year, term, lang) if year and term else term_folder_name(year, term)


def parse_term(text: str, lang: str = "zh") -> tuple[str, str]:
    """`run --term 2026-2027第一学期` (full-width digits, other dashes and spaces allowed) as (学年, 学期)."""
    cleaned = unicodedata.normalize("NFKC", text or "").translate(_DASHES).replace(" ", "")
    found = parse_term_folder(cleaned)
    if found is None:
        raise UsageError(t("timeline.bad_term", lang, term=text, example=term_folder_name("2026-2027", TERMS[0])))
    return found


def term_before(year_text: str, term: str) -> tuple[str, str] | None:
    """The term before (2026-2027, 第二学期) is (2026-2027, 第一学期); before 第一学期 is last year's 第二学期."""
    year = school_year(year_text)
    if year is None or term not in TERMS:
        return None
    if term == TERMS[1]:
        return year, TERMS[0]
    first = int(year[:4])
    return f"{first - 1}-{first}", TERMS[1]


def term_after(year_text: str, term: str) -> tuple[str, str] | None:
    """The term after (2026-2027, 第一学期) is (2026-2027, 第二学期); after 第二学期 is next year's 第一学期."""
    year = school_year(year_text)
    if year is None or term not in TERMS:
        return None
    if term == TERMS[0]:
        return year, TERMS[1]
    first = int(year[:4]) + 1
    return f"{first}-{first + 1}", TERMS[0]


def calendar_range(entry: tuple[dt.date | None, dt.date | None] | None, year: str | None, term: str | None
                   ) -> tuple[dt.date, dt.date] | None:
    """A term's first and last day: its calendar's (`entry`: the first and last day the settings give, None where
    they hold no calendar for it), the default dates where the calendar gives neither, or fills in the one it
    lacks."""
    if entry is not None and entry[0] and entry[1]:
        return entry[0], entry[1]
    dates = default_term_range(year, term)
    if entry is not None and dates:  # a calendar giving only its first or last day
        return entry[0] or dates[0], entry[1] or dates[1]
    return dates


def default_term_range(year: str | None, term: str | None) -> tuple[dt.date, dt.date] | None:
    """第一学期: 1 September to 31 January; 第二学期: 1 February to 31 July. Never today's date."""
    if not year or not term:
        return None
    m = re.match(r"^\s*(\d{4})\s*[-–—~至/]\s*(\d{4})", str(year))
    if not m:
        m1 = re.match(r"^\s*(\d{4})", str(year))
        if not m1:
            return None
        first = int(m1.group(1))
    else:
        first = int(m.group(1))
    if "一" in term or term.strip() in {"1", "上"}:
        return dt.date(first, 9, 1), dt.date(first + 1, 1, 31)
    if "二" in term or term.strip() in {"2", "下"}:
        return dt.date(first + 1, 2, 1), dt.date(first + 1, 7, 31)
    return None


def term_of_date(day: dt.date) -> tuple[str, str]:
    """The term a date falls in by the default calendar: August to December is that school year's 第一学期,
    January to July the 第二学期 of the school year that began the August before."""
    y = day.year
    return (f"{y}-{y + 1}", TERMS[0]) if day.month >= 8 else (f"{y - 1}-{y}", TERMS[1])
