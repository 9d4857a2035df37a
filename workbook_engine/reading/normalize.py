"""Turn what teachers type into clean values, as a careful reader would. Never raises on odd input."""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from typing import Any

EXCEL_EPOCH = dt.date(1899, 12, 30)
_SPACES = re.compile(r"\s+")
_ID_FLOAT = re.compile(r"^(\d+)\.0*$")
_YMD = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MD = re.compile(r"^(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")
_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def fold(text: str) -> str:
    """Full-width to half-width (NFKC) and no white space at all: the key for comparing names."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def header_key(text: Any) -> str:
    """A header or sheet name as a comparison key: folded, lower case, no trailing '*'."""
    if text is None:
        return ""
    return _header_key(text if isinstance(text, str) else str(text))


@functools.lru_cache(maxsize=65536)
def _header_key(text: str) -> str:  # cells repeat (names, ids, dropdown values): fold each text once
    return fold(text).rstrip("*").rstrip("＊").lower()


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def clean_text(value: Any) -> str | None:
    """Text as typed, trimmed; numbers shown without a needless '.0'. 'NA' and 'null' stay text."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("\u3000", " ").strip()
    return text or None


def parse_id(value: Any) -> str | None:
    """A student or teacher id: 20230101, 20230101.0 and '２０２３０１０１' are one id; leading zeros kept.

    Returns None for a blank cell or text that cannot be an id.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isinf(value) or not value.is_integer()):
            return None
        return str(int(value))
    text = fold(str(value))
    m = _ID_FLOAT.match(text)
    if m:
        return m.group(1)
    if not text or len(text) > 40:
        return None
    if not re.fullmatch(r"[0-9A-Za-z_\-]+", text):
        return None
    return text


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_date(value: Any, term: tuple[dt.date, dt.date] | None = None) -> dt.date | None:
    """A date from a date cell, an Excel serial number or text such as 2026.9.1, 2026年9月1日, 20260901, 9月1日.

    A month and day without a year take the year that puts them inside (or nearest to) the term.
    Returns None when the value is not a date.
    """
    if is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return None
        if 19000101 <= value <= 29991231 and float(value).is_integer():
            s = str(int(value))
            return _safe_date(int(s[:4]), int(s[4:6]), int(s[6:]))
        if 1 <= value < 2958466:
            try:
                return EXCEL_EPOCH + dt.timedelta(days=int(value))
            except OverflowError:
                return None
        return None
    text = fold(str(value)) if len(str(value)) < 64 else ""
    if not text:
        return None
    text = text.replace("T", " ") if re.match(r"^\d{4}-\d{2}-\d{2}T", text) else text
    m = _YMD.match(re.sub(r"(\d)(\d{1,2}:\d{2})", r"\1 \2", text)) or _YMD.match(text)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _COMPACT.match(text)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return parse_date(float(text), term)
    m = _MD.match(text)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        return _infer_year(month, day, term)
    return None


def _infer_year(month: int, day: int, term: tuple[dt.date, dt.date] | None) -> dt.date | None:
    if term is None:
        return None
    start, end = term
    candidates = [d for y in sorted({start.year, end.year}) if (d := _safe_date(y, month, day)) is not None]
    if not candidates:
        return None
    inside = [d for d in candidates if start <= d <= end]
    if inside:
        return inside[0]
    return min(candidates, key=lambda d: min(abs((d - start).days), abs((d - end).days)))


def parse_number(value: Any) -> float | None:
    """A number from a number cell or text with full-width digits; None when it is not one."""
    if is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and (math.isnan(value) or math.isinf(value)) else float(value)
    text = fold(str(value)).rstrip("分")
    try:
        number = float(text)
    except ValueError:
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def match_choice(value: Any, choices: tuple[str, ...]) -> tuple[str | None, bool]:
    """(the allowed value, whether it had to be normalised) or (None, False) when it is not allowed."""
    text = clean_text(value)
    if text is None:
        return None, False
    if text in choices:
        return text, False
    folded = fold(text)
    for choice in choices:
        if fold(choice) == folded:
            return choice, True
    return None, False


def split_multi(value: Any) -> list[str]:
    """Several values in one cell, separated by 、 , ; or spaces."""
    text = clean_text(value)
    if text is None:
        return []
    return [part for part in _SEPARATORS.split(unicodedata.normalize("NFKC", text).replace("、", ",")) if part]
