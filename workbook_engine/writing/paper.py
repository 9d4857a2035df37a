"""How every sheet prints: A4, orientation by its width, fitted to one page wide, a header (school and
term · workbook · sheet) and a footer (as-of date · page x of y), for all three writers (fastxlsx,
xlsxwriter, openpyxl), with the paper and margins of the style registry (styles.py). The principal's printed sheets can be told apart and put back in order."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from workbook_engine.catalogue import t, term_label
from workbook_engine.writing.styles import MARGINS, PAPER_A4

PORTRAIT_MAX_WIDTH = 100  # column-width units that fit an A4 portrait page at about 100%
PRINT_MAX_WIDTH = 130  # a landscape A4 page at ~80%: 11 pt text stays above 8 pt; wider tables wrap instead


def fit_widths(widths: Sequence[float], floors: Sequence[float] | None = None,
               limit: float = PRINT_MAX_WIDTH) -> tuple[list[float], set[int]]:
    """Narrow the widest columns until the table fits `limit`; returns the widths and the columns narrowed
    (whose text must wrap). The widest are brought down to a common level, as little as the page needs;
    no column goes below its floor (a column of dates or numbers cannot wrap: its floor is its width)."""
    widths = list(widths)
    floors = list(floors) if floors is not None else [min(w, 6) for w in widths]
    narrowed: set[int] = set()
    while sum(widths) > limit + 0.01:
        movable = [c for c in range(len(widths)) if widths[c] > floors[c]]
        if not movable:
            break
        level = max(widths[c] for c in movable)
        top = [c for c in movable if widths[c] == level]
        below = max([widths[c] for c in movable if widths[c] < level] + [max(floors[c] for c in top)])
        cut = min(level - below, (sum(widths) - limit) / len(top))
        for c in top:
            widths[c] = max(floors[c], level - cut)
            narrowed.add(c)
    return [int(w * 10) / 10 for w in widths], narrowed


def _escape(text: str) -> str:
    """Header/footer codes start with &: a literal & is written &&."""
    return text.replace("&", "&&")


@dataclass(frozen=True)
class PageText:
    """What a workbook's pages say at their top and bottom."""

    title: str  # the workbook: 汇总, 班级反馈 三年级1班 …
    school: str = ""  # school name and term, left in the header
    footnote: str = ""  # left in the footer: 统计截至 2026-11-20, 模板版本 …
    lang: str = "zh"

    @classmethod
    def for_run(cls, title: str, school: str | None, school_year: str | None, term: str | None,
                as_of: dt.date | None, lang: str) -> PageText:
        where = " ".join(x for x in (school, term_label(school_year, term, lang)) if x)
        note = t("paper.as_of", lang, date=as_of.isoformat()) if as_of else ""
        return cls(title, where, note, lang)

    @property
    def header(self) -> str:
        left = f"&L{_escape(self.school)[:80]}" if self.school else ""
        return f"{left}&C{_escape(self.title)[:80]}&R&A"

    @property
    def footer(self) -> str:
        left = f"&L{_escape(self.footnote)[:80]}" if self.footnote else ""
        return f"{left}&C{t('paper.page', self.lang)}"


def landscape(widths: Sequence[float]) -> bool:
    """Landscape when the columns are wider than a portrait page."""
    return sum(widths) > PORTRAIT_MAX_WIDTH


def xlsxwriter_page(ws: object, page: PageText | None, widths: Sequence[float] | None = None) -> None:
    """A4, orientation by width, one page wide, header and footer: for an xlsxwriter sheet."""
    if widths is None or landscape(widths):
        ws.set_landscape()  # type: ignore[attr-defined]
    else:
        ws.set_portrait()  # type: ignore[attr-defined]
    ws.set_paper(PAPER_A4)  # type: ignore[attr-defined]
    ws.fit_to_pages(1, 0)  # type: ignore[attr-defined]
    ws.set_margins(**{k: MARGINS[k] for k in ("left", "right", "top", "bottom")})  # type: ignore[attr-defined]
    if page is not None:
        ws.set_header(page.header, {"margin": MARGINS["header"]})  # type: ignore[attr-defined]
        ws.set_footer(page.footer, {"margin": MARGINS["footer"]})  # type: ignore[attr-defined]


def openpyxl_page(ws: object, page: PageText | None, widths: Sequence[float] | None = None) -> None:
    """The same for an openpyxl sheet (the annotated copies)."""
    ws.page_setup.paperSize = PAPER_A4  # type: ignore[attr-defined]
    ws.page_setup.orientation = "landscape" if widths is None or landscape(widths) else "portrait"  # type: ignore[attr-defined]
    ws.page_setup.fitToWidth = 1  # type: ignore[attr-defined]
    ws.page_setup.fitToHeight = 0  # type: ignore[attr-defined]
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[attr-defined]
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)  # type: ignore[attr-defined]
    if page is not None:
        ws.oddHeader.left.text = _escape(page.school)[:80] or None  # type: ignore[attr-defined]
        ws.oddHeader.center.text = _escape(page.title)[:80]  # type: ignore[attr-defined]
        ws.oddHeader.right.text = "&A"  # type: ignore[attr-defined]
        ws.oddFooter.left.text = _escape(page.footnote)[:80] or None  # type: ignore[attr-defined]
        ws.oddFooter.center.text = t("paper.page", page.lang)  # type: ignore[attr-defined]
