"""What of a class's data may leave it: the one redaction of every text bound for the office.

A class's own feedback book holds its data as typed. Everything else the run writes — report.json, the
summary's lists, the merged book's 收到的文件 / 未采用的行 / 版本间缺失的行 lists, the console — is the
office's, and every problem, reason and row text on its way there passes through `Redactor`:

- the value of a problem in a private column or sheet (notes, talk summaries, archive text), in a
  multi-choice column (free text typed into 重点关注类别), of a formula, or one that reads as free text
  (longer than FREE_TEXT characters, or several lines) is hidden (HIDDEN), unless
  `[privacy] include_private_text`;
- phone numbers (mobile 1[3-9]…, landlines written 0xx-…) are masked (MASK) unless
  `[privacy] include_phone_numbers`; 18-digit ID-card numbers are always masked;
- settings are dumped without secrets (`settings_dump`).

`validate` is the teacher's own check of their own file: it shows values as they are.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from workbook_engine.catalogue import t
from workbook_engine.model import Problem, shown_value

if TYPE_CHECKING:
    from workbook_engine.model import FileReport
    from workbook_engine.schema import SheetSpec
    from workbook_engine.settings import Privacy

HIDDEN = t("privacy.hidden", "zh")  # (Redactor.hidden: in the language of the book it writes into)
MASK = "***"
FREE_TEXT = 30  # characters: no date, number, id or dropdown value is this long; a sentence is
ID_CARD_RULE = r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])"
PHONE_RULE = (r"(?<![0-9])(?:(?:\+|00)?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?![0-9])"  # mobile
              r"|(?:\(0\d{2,3}\)\s?|(?<![0-9])0\d{2,3}[-\s])\d{7,8}(?![0-9])")  # landline with its area code
# The rules as compiled: every number they describe starts with a digit ("(" or "+" for a phone), so a lookahead
# skips every other position at C speed before the rule is tried (report.json's mask is four times faster; the
# same matches: tests/hardening/test_names_and_copies.py)
_ID_CARD = re.compile(r"(?=[0-9])" + ID_CARD_RULE)
# both in one pass (a third faster on report.json): the same matches as one after the other, since an ID-card
# number (18 characters between non-alphanumerics) and a phone number (ending before a non-digit) never overlap
_ID_OR_PHONE = re.compile(r"(?=[(+0-9])(?:" + ID_CARD_RULE + "|" + PHONE_RULE + ")")
_SHA256 = re.compile(r"(?<![0-9A-Za-z])([0-9a-f]{64})(?![0-9A-Za-z])")
_SECRET_KEY = re.compile(r"passw(or)?d|secret|token|api_?key", re.IGNORECASE)


def private_columns(spec: SheetSpec) -> set[str]:
    """Headers of spec whose values never leave the class: private columns, every column of a private
    sheet, and multi-choice columns (what is not one of the choices is free text)."""
    return {c.header for c in spec.columns if spec.private or c.private or c.kind == "multi"}


def mask_numbers(text: str, phones: bool = True, mask: str = MASK) -> str:
    """ID-card numbers (and, with phones, phone numbers) in text replaced by `mask`."""
    return (_ID_OR_PHONE if phones else _ID_CARD).sub(mask, text)


class Redactor:
    """The redaction of one run's office outputs, by the school's `[privacy]` settings (None: the strictest)."""

    def __init__(self, privacy: Privacy | None = None, lang: str = "zh") -> None:
        self.hidden = t("privacy.hidden", lang)  # what a hidden value shows, in the language of the output
        self.keep_private = bool(privacy and privacy.include_private_text)
        self.mask_phones = not (privacy and privacy.include_phone_numbers)

    def text(self, text: str | None) -> str | None:
        """Free text (a reason, a file's note): numbers that identify a person masked."""
        return mask_numbers(text, self.mask_phones) if text else text

    def json_text(self, text: str) -> str:
        """A JSON document for the office (report.json) with every ID-card (and phone) number in it masked: the
        last line of defence, for a number typed into a name, a head teacher's cell or a file's name. One pass
        over the text at C speed; SHA-256 values are left whole (their digits can look like a phone number)."""
        parts = _SHA256.split(text)
        return "".join(p if i % 2 else mask_numbers(p, self.mask_phones) for i, p in enumerate(parts))

    def value(self, value: Any, private: bool = False) -> Any:
        """One value shown in an office list: hidden when private or free text, else numbers masked."""
        if value is None or value == "" or isinstance(value, bool):
            return value
        text = "、".join(map(shown_value, value)) if isinstance(value, list) else shown_value(value)
        if not self.keep_private and (private or len(text) > FREE_TEXT or "\n" in text):
            return self.hidden
        masked = mask_numbers(text, self.mask_phones)
        return value if masked == text else masked

    def problem(self, p: Problem, private: Iterable[tuple[str | None, str | None]] = ()) -> Problem:
        """p as the office sees it; private holds the (sheet as named in the file, header) pairs whose values
        never leave the class (see file_private)."""
        hide = (p.sheet, p.column) in private or p.code == "formula-without-value"
        value = self.value(p.value, hide)
        detail = self.text(p.detail) or ""
        detail_en = self.text(p.detail_en)  # (the English detail names the same value: masked alike)
        column = self.text(p.column) if p.code == "extra-column" else p.column  # a header typed in the data
        if value is p.value and detail == p.detail and detail_en == p.detail_en and column == p.column:
            return p
        return replace(p, value=value, detail=detail, detail_en=detail_en, column=column)

    def problems(self, report: FileReport | None, problems: Iterable[Problem]) -> list[Problem]:
        private = file_private(report)
        return [self.problem(p, private) for p in problems]

    def row_values(self, spec: SheetSpec, record: dict[str, Any]) -> dict[str, Any]:
        """A record for an office list of rows (rejected, lost): private values hidden, numbers masked."""
        hidden = private_columns(spec)
        out = dict(record)
        for c in spec.columns:
            if c.field in out:
                out[c.field] = self.value(out[c.field], c.header in hidden)
        return out


def file_private(report: FileReport | None) -> set[tuple[str | None, str | None]]:
    """(sheet as named in the file, header) of every private column of a validated file."""
    if report is None:
        return set()
    return {(data.name, header) for data in report.sheets.values() if data.name
            for header in private_columns(data.spec)}


def settings_dump(dumped: Any) -> Any:
    """Settings as data, every secret (a password list, a token) replaced by MASK; the *name* of the
    environment variable holding the mail password is kept (it is not the password)."""
    if isinstance(dumped, dict):
        out = {}
        for k, v in dumped.items():
            if _SECRET_KEY.search(str(k)) and not str(k).endswith("_env"):
                out[k] = [MASK for _ in v] if isinstance(v, list) else (MASK if v not in (None, "") else v)
            else:
                out[k] = settings_dump(v)
        return out
    if isinstance(dumped, list):
        return [settings_dump(v) for v in dumped]
    if isinstance(dumped, (int, float)) and not isinstance(dumped, bool) and mask_numbers(repr(dumped)) != repr(dumped):
        return MASK  # a number shaped like a phone or ID-card number: the text mask would leave `: ***`, not JSON
    return dumped
