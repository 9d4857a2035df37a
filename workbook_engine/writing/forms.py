"""The two forms 《全员育人导师制实施方案》 names, printable as the school files them:

- 《学生发展共同体与全员导师制导师分工班级明细表》 (四.3 选配导师: 级部主任会同班主任 … 填写): a sheet
  per class — each mentor with subject, communities, mentees, their 好/中/差 mix and how many need special
  attention — signed by the 班主任 and the 级部主任. Written by every `run` (it needs no compliance). Printed at
  full size, one page wide: a class fits one A4 page up to about a dozen mentors (55 students with 8 mentors
  do); more run onto a second page with the heading rows repeated and the signature lines at its end.
- 《导师工作手册》 (七.4: 导师按要求及时、认真地填写好《导师工作手册》; 六.3: 建立导师跟踪手册): with
  `run --handbooks`, one workbook per teacher holding that teacher's own mentees, talks, parent contacts and
  student reports in every class they mentor in, the monthly talk summary, compliance and score — and no other
  teacher's data. A private document, like a class's feedback book.

Both are written with books.Book (xlsxwriter, the celltext path): A4 portrait, the form's title in the page
header, page numbers in the footer, header rows repeated; every label in the run's language (the catalogue,
section "forms."), Chinese by default.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbook_engine.catalogue import t
from workbook_engine.files import atomic_path
from workbook_engine.privacy import Redactor
from workbook_engine.reading.celltext import cell_text, sheet_title, write_text
from workbook_engine.writing.books import Book, safe_sheet_name
from workbook_engine.writing.duty_sheets import summary_state
from workbook_engine.writing.paper import fit_widths
from workbook_engine.writing.sheet import column_widths, text_width
from workbook_engine.writing.styles import PAPER_A4
from workbook_engine.writing.tables import (
    band_text,
    compliance,
    mentor_headers,
    mentor_rows,
    score_cells,
    score_note,
    talk_counts,
    talk_month_headers,
)

if TYPE_CHECKING:
    from workbook_engine.outcome import TermOutcome


def _print_setup(ws: Any, title: str, lang: str, landscape: bool = False) -> None:
    """A4, the form's title in the page header and page numbers in the footer (the registry's paper; a form's
    margins are its own: a little more room at the top for the title)."""
    ws.set_paper(PAPER_A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_header(f"&C&\"-,Bold\"{_header_text(title)}")
    ws.set_footer(f"&C{t('paper.page', lang)}")
    ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)


def _header_text(text: str) -> str:
    """Text for a page header: XML-safe, short (Excel allows 255 characters with the codes), & doubled."""
    return cell_text(text)[:100].replace("&", "&&")


def _class_info(outcome: TermOutcome) -> dict[str | None, dict[str, Any]]:
    return {f.class_name: (f.report.class_info if f.report else {}) for f in outcome.merged.class_files}


def _term_text(outcome: TermOutcome) -> str:
    if not outcome.school_year:
        return outcome.term or ""
    return t("forms.term_text", outcome.lang, year=outcome.school_year, term=outcome.term or "").strip()


def _on_roster(student: dict[str, Any]) -> bool:
    return student.get("status") != "转出"  # (转出: the roster's own status word, schema data)


# -- 导师分工班级明细表 --------------------------------------------------------------------------------------------
ASSIGNMENT_COLUMNS = ["no", "mentor", "teacher_id", "subject", "role", "communities", "mentees", "count", "mix",
                      "attention"]


def assignment_headers(lang: str = "zh") -> list[str]:
    return [t("forms.col." + k, lang) for k in ASSIGNMENT_COLUMNS]


def assignment_rows(mentors: list[dict[str, Any]], students: list[dict[str, Any]],
                    lang: str = "zh") -> list[list[Any]]:
    """One class's table: each mentor in 导师名单 order (the head teacher too), then students with no mentor
    on the list, then the total. Student names only; attention as a count."""
    listed = [m for m in mentors if m.get("teacher_id")]
    ids = {m["teacher_id"] for m in listed}
    by_mentor: dict[Any, list[dict[str, Any]]] = {}
    for s in students:
        by_mentor.setdefault(s.get("mentor_id") if s.get("mentor_id") in ids else None, []).append(s)
    rows: list[list[Any]] = []
    seen: set[str] = set()
    for m in listed:
        if m["teacher_id"] in seen:
            continue
        seen.add(m["teacher_id"])
        rows.append([len(rows) + 1, m.get("name"), m["teacher_id"], m.get("subject"), m.get("role"),
                     *_group_cells(by_mentor.get(m["teacher_id"], []), lang)])
    if by_mentor.get(None):
        rows.append(["", t("forms.without_mentor", lang), "", "", "", *_group_cells(by_mentor[None], lang)])
    total = _group_cells(students, lang)
    rows.append([t("forms.total", lang), "", "", "", "", "", "", total[2], total[3], total[4]])
    return rows


def _group_cells(students: list[dict[str, Any]], lang: str) -> list[Any]:
    """共同体, 受导学生, 受导人数, 学业水平搭配, 重点关注人数 of a group of students."""
    sep = t("forms.list_sep", lang)
    communities = sorted({str(s["community"]) for s in students if s.get("community")}, key=lambda c: (len(c), c))
    if any(not s.get("community") for s in students):
        communities.append(t("forms.no_community", lang))
    levels = Counter(s.get("level") for s in students)
    known = ("好", "中", "差")  # the roster's own level words (schema data): counted under their labels
    mix = t("forms.level_mix", lang, **dict(zip(("good", "mid", "low"), (levels.get(k, 0) for k in known)))) \
        if students else ""
    unknown = sum(n for k, n in levels.items() if k not in known)
    if unknown:
        mix += t("forms.unknown_level", lang, n=unknown)
    names = sep.join(str(s.get("name") or s.get("student_id")) for s in students)
    return [sep.join(communities), names, len(students), mix, sum(bool(s.get("attention")) for s in students)]


def write_assignment_form(outcome: TermOutcome, target: Path) -> Path:
    """导师分工班级明细表: a sheet per class, one page wide (a large class runs onto a second page)."""
    lang = outcome.lang
    records = outcome.merged.records
    mentors: dict[Any, list[dict[str, Any]]] = {}
    for m in records.get("mentors", []):
        mentors.setdefault(m.get("_class"), []).append(m)
    students: dict[Any, list[dict[str, Any]]] = {}
    for s in records.get("students", []):
        if _on_roster(s):
            students.setdefault(s.get("_class"), []).append(s)
    info = _class_info(outcome)
    redact = Redactor(outcome.settings.privacy, outcome.lang)  # the office's copy: a number typed into a name is masked
    with atomic_path(target) as tmp:
        book = Book(tmp, constant_memory=False)
        fmt = _form_formats(book)
        used: set[str] = set()
        for f in outcome.merged.class_files:
            cls = f.class_name
            rows = [[redact.text(v) if isinstance(v, str) else v for v in row]
                    for row in assignment_rows(mentors.get(cls, []), students.get(cls, []), lang)]
            head = {k: redact.text(v) if isinstance(v, str) else v for k, v in info.get(cls, {}).items()}
            _assignment_sheet(book, fmt, safe_sheet_name(cls or t("forms.class", lang), used), cls, head, rows,
                              outcome)
        if not outcome.merged.class_files:
            book.sheet(t("forms.assignment.title", lang)[:31])
        book.close()
    return target


def _form_formats(book: Book) -> dict[str, Any]:
    """The forms' styles (10 pt, wrapped, ruled: styles.py "form.*")."""
    return {k: book.fmt["form." + k] for k in ("title", "label", "info", "head", "cell", "centre", "total", "sign",
                                               "date", "integer", "number")}


def _cell(ws: Any, row: int, col: int, value: Any, fmt: dict[str, Any], lang: str) -> None:
    """A ruled cell of a form: text (wrapped), a date, a count or a score, each in its bordered 10-pt style."""
    if value is None or value == "" or value == []:
        ws.write_blank(row, col, None, fmt["cell"])
    elif isinstance(value, bool):
        write_text(ws, row, col, t("word.yes" if value else "word.no", lang), fmt["centre"])
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt["date"])
    elif isinstance(value, int):
        ws.write_number(row, col, value, fmt["integer"])
    elif isinstance(value, float):
        ws.write_number(row, col, value, fmt["number"])
    else:  # text, and lists of texts (joined with 、)
        write_text(ws, row, col, value, fmt["cell"])


# Column widths (Excel character units, a CJK character two) of the form, for a portrait A4 page with 0.3"
# margins: Excel prints them at 100%; LibreOffice, which measures a unit by the substitute of the workbook's
# default font (wider), fits them at about 85%, so the 10-pt text stays above 8 pt. The mentee list, the level
# mix and the headers wrap inside them. English headers need a little more room than two CJK characters.
ASSIGNMENT_WIDTHS = {"zh": [4, 7, 7, 6, 6, 7, 17, 5, 8, 5], "en": [4, 7, 7, 7, 6, 9, 13, 6, 8, 9]}
WRAPPED_COLUMNS = (1, 3, 5, 6, 8)  # mentor, subject, communities, mentees, level mix
LINE_HEIGHT = 13.5  # points a line of 10-pt text takes in a row
ROWS_ON_TOP = 4  # title, class line, a gap, the header row: repeated on every page


def _assignment_sheet(book: Book, fmt: dict[str, Any], sheet_name: str, cls: str | None, info: dict[str, Any],
                      rows: list[list[Any]], outcome: TermOutcome) -> None:
    lang = outcome.lang
    ws = book.wb.add_worksheet(sheet_name)
    title = t("forms.assignment.title", lang)
    _print_setup(ws, title, lang)
    ws.set_margins(left=0.3, right=0.3, top=0.75, bottom=0.75)
    ws.fit_to_pages(1, 0)  # one page wide; a large class runs onto a second page, never below 8 pt
    ws.center_horizontally()
    headers = assignment_headers(lang)
    last = len(headers) - 1
    widths = ASSIGNMENT_WIDTHS["en" if lang == "en" else "zh"]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.set_row(0, max(30, 21 * _lines(title, sum(widths) * 10 / 15)))  # (15-pt title over the table's width)
    ws.merge_range(0, 0, 0, last, "", fmt["title"])
    write_text(ws, 0, 0, title, fmt["title"])
    line = [(t("forms.school", lang), info.get("school")), (t("forms.term", lang), _term_text(outcome)),
            (t("forms.grade", lang), info.get("grade")), (t("forms.class", lang), cls),
            (t("forms.head", lang), info.get("head_teacher"))]
    info_text = t("forms.info_sep", lang).join(t("forms.info", lang, label=k, value=v or "") for k, v in line)
    ws.set_row(1, max(20, LINE_HEIGHT * _lines(info_text, sum(widths))))
    ws.merge_range(1, 0, 1, last, "", fmt["info"])
    write_text(ws, 1, 0, info_text, fmt["info"])
    for c, h in enumerate(headers):
        write_text(ws, 3, c, h, fmt["head"])
    ws.set_row(3, max(20, LINE_HEIGHT * max(_lines(h, w, words=lang == "en") for h, w in zip(headers, widths))))
    ws.repeat_rows(0, ROWS_ON_TOP - 1)
    for i, row in enumerate(rows, start=ROWS_ON_TOP):
        is_total = i == ROWS_ON_TOP + len(rows) - 1
        for c, v in enumerate(row):
            f = fmt["total"] if is_total else fmt["cell"] if c in (1, 6) else fmt["centre"]
            if isinstance(v, int) and not isinstance(v, bool):
                ws.write_number(i, c, v, f)
            elif v is None or v == "":
                ws.write_blank(i, c, None, f)
            else:
                write_text(ws, i, c, v, f)
        lines = max(_lines(row[c], widths[c], words=lang == "en" and c != 6) for c in WRAPPED_COLUMNS)
        ws.set_row(i, max(20, LINE_HEIGHT * lines + 4))  # wrapped text gets the height it needs
    sign = ROWS_ON_TOP + len(rows) + 1
    ws.set_row(sign, 30)
    ws.set_row(sign + 1, 24)
    for at, col, end, key in ((sign, 0, 5, "forms.sign_head"), (sign, 6, last, "forms.sign_grade"),
                              (sign + 1, 6, last, "forms.sign_date")):
        ws.merge_range(at, col, at, end, "", fmt["sign"])
        write_text(ws, at, col, t(key, lang), fmt["sign"])
    ws.print_area(0, 0, sign + 1, last)


# -- 导师工作手册 ----------------------------------------------------------------------------------------------
def by_teacher(outcome: TermOutcome) -> dict[str, dict[str, list[Any]]]:
    """工号 -> its mentees, talks, contacts, reports, talk months and per-class compliance (one pass each)."""
    out: dict[str, dict[str, list[Any]]] = {}

    def group(kind: str, items: Any, key: str) -> None:
        for item in items:
            tid = item.get(key)
            if tid:
                out.setdefault(tid, {}).setdefault(kind, []).append(item)

    comp, records = compliance(outcome), outcome.merged.records
    group("mentees", comp.students, "mentor_id")
    group("talks", records.get("talks", []), "teacher_id")
    group("contacts", records.get("contacts", []), "teacher_id")
    group("reports", records.get("reports", []), "teacher_id")
    group("months", comp.talk_months, "teacher_id")
    group("mentors", comp.mentors, "teacher_id")
    return out


def _class_of(r: dict[str, Any]) -> Any:
    return r.get("_class") or r.get("class_name")


def write_handbook(outcome: TermOutcome, teacher: dict[str, Any], own: dict[str, list[Any]], target: Path) -> Path:
    """One teacher's 导师工作手册: cover with score and compliance, mentees, records, monthly summary."""
    lang = outcome.lang
    sep = t("forms.list_sep", lang)
    title = t("forms.handbook.title", lang, name=teacher["name"] or teacher["teacher_id"])
    roster = {(_class_of(s), s.get("student_id")): s for s in outcome.merged.records.get("students", [])}
    mentees = sorted(own.get("mentees", []), key=lambda s: (s["class"], s["student_id"]))
    students = {(s["class"], s["student_id"]): s["name"] for s in mentees}
    comp = outcome.compliance
    talk_labels = comp.period_labels("talk", lang) if comp is not None else {}
    parent_labels = comp.period_labels("parent", lang) if comp is not None else {}
    def H(key: str) -> str:
        return t("forms.handbook." + key, lang)

    def C(*keys: str) -> list[str]:
        return [t("forms.col." + k, lang) for k in keys]

    with atomic_path(target) as tmp:
        book = Book(tmp, constant_memory=False)
        fmt = _form_formats(book)
        score = teacher.get("score") or {}
        scheme = outcome.settings.assessment.scheme
        parts = dict(zip(mentor_headers(scheme, lang)[4:-4], score_cells(score, teacher.get("rank"), lang)))
        cover = [(H("teacher_id"), teacher["teacher_id"]), (H("name"), teacher["name"]),
                 (t("forms.term", lang), _term_text(outcome)), (H("classes"), sep.join(teacher["classes"])),
                 (H("mentees"), teacher["mentees"]), (H("as_of"), outcome.as_of.isoformat()),
                 (H("status"), band_text(teacher["status"], lang)),
                 (H("talk_rate"), _pct_text(teacher.get("talk_rate"))),
                 (H("parent_rate"), _pct_text(teacher.get("parent_rate"))),
                 *((k, v) for k, v in parts.items()), (H("note"), score_note(score, lang))]
        ws = book.wb.add_worksheet(sheet_title(H("cover")))
        _print_setup(ws, title, lang)
        ws.fit_to_pages(1, 0)
        ws.set_column(0, 0, 22 if lang == "en" else 18)
        ws.set_column(1, 1, 60)
        ws.set_row(0, max(30, 21 * _lines(title, 82 * 10 / 15)))
        ws.merge_range(0, 0, 0, 1, "", fmt["title"])
        write_text(ws, 0, 0, title, fmt["title"])
        for i, (k, v) in enumerate(cover, start=2):
            write_text(ws, i, 0, k, fmt["head"])
            if v is None or v == "":
                ws.write_blank(i, 1, None, fmt["cell"])
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(i, 1, v, fmt["cell"])
            else:
                write_text(ws, i, 1, v, fmt["cell"])
            lines = max(_lines(k, 22 if lang == "en" else 18), _lines(v, 60))
            if lines > 1:
                ws.set_row(i, LINE_HEIGHT * lines + 4)
        sign = len(cover) + 4
        for row, text in ((sign, t("forms.sign_mentor", lang)),
                          (sign + 2, t("forms.sign_check", lang) + t("forms.info_sep", lang)
                           + t("forms.sign_date", lang))):
            ws.set_row(row, 28)
            ws.merge_range(row, 0, row, 1, "", fmt["sign"])
            write_text(ws, row, 0, text, fmt["sign"])
        ws.print_area(0, 0, sign + 2, 1)

        def roster_of(s: dict[str, Any]) -> dict[str, Any]:
            return roster.get((s["class"], s["student_id"]), {})

        _table(book, fmt, H("mentee_sheet"), title, lang,
               C("class", "student_id", "name", "gender", "level", "community", "attention_kind", "paired_on",
                 "talks", "talks_missing", "contacts", "contacts_missing"),
               [[s["class"], s["student_id"], s["name"], roster_of(s).get("gender"), roster_of(s).get("level"),
                 roster_of(s).get("community"), s.get("attention") or "", roster_of(s).get("paired_on"),
                 f"{s['talk_periods_met']}/{s['talk_periods_expected']}",
                 sep.join(talk_labels.get(p, p) for p in s["missing_talk_periods"]),
                 f"{s['parent_periods_met']}/{s['parent_periods_expected']}",
                 sep.join(parent_labels.get(p, p) for p in s["missing_parent_periods"])] for s in mentees],
               wrap={6: 20, 9: 30, 11: 24})
        def key(r: dict[str, Any]) -> tuple[str, str, str]:
            return str(_class_of(r)), str(r.get("date")), str(r.get("student_id"))

        _table(book, fmt, H("talk_sheet"), title, lang,
               C("class", "date", "student_id", "student", "form", "topic", "summary", "follow_up", "escalate"),
               [[_class_of(r), r.get("date"), r.get("student_id"), r.get("student_name") or
                 students.get((_class_of(r), r.get("student_id"))), r.get("form"), r.get("topic"), r.get("summary"),
                 r.get("follow_up"), r.get("escalate")] for r in sorted(own.get("talks", []), key=key)],
               wrap={4: 12, 5: 12, 6: 30, 7: 20})
        _table(book, fmt, H("contact_sheet"), title, lang,
               C("class", "date", "student_id", "student", "way", "contact_person", "summary"),
               [[_class_of(r), r.get("date"), r.get("student_id"), r.get("student_name") or
                 students.get((_class_of(r), r.get("student_id"))), r.get("way"), r.get("contact_person"),
                 r.get("summary")] for r in sorted(own.get("contacts", []), key=key)],
               wrap={6: 30})
        if own.get("reports"):
            _table(book, fmt, H("report_sheet"), title, lang,
                   C("class", "date", "student_id", "student", "form", "summary"),
                   [[_class_of(r), r.get("date"), r.get("student_id"),
                     students.get((_class_of(r), r.get("student_id"))), r.get("form"), r.get("summary")]
                    for r in sorted(own["reports"], key=key)],
                   wrap={4: 12, 5: 30})
        months_headers = talk_month_headers(lang)
        _table(book, fmt, H("months_sheet"), title, lang, [t("forms.col.class", lang), *months_headers[2:]],
               talk_month_rows(own.get("months", []), lang), wrap={4: 20, 5: 20})
        head = mentor_headers(scheme, lang)
        rates = {len(head) - 3, len(head) - 2}  # 谈心达标率, 家长联系达标率 (before 说明)
        _card(book, fmt, H("compliance_sheet"), title, lang, head,
              [[_pct_text(v) if c in rates and isinstance(v, float) else v for c, v in enumerate(row)]
               for row in mentor_rows(own.get("mentors", []), lang)])
        book.close()
    return target


def talk_month_rows(months: list[dict[str, Any]], lang: str = "zh") -> list[list[Any]]:
    """谈话月度汇总 of one teacher over their classes: the feedback book's counts, with the class first."""
    def counts(c: dict[str, int]) -> str:
        return talk_counts(c).replace("、", t("forms.list_sep", lang))

    return sorted([[m["class"], m["month"], m["talks"], m["mentees_reached"], counts(m["forms"]),
                    counts(m["types"]), m["flagged"], summary_state(m, lang)] for m in months],
                  key=lambda r: (r[0], r[1]))


def _pct_text(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.1%}"


def _card(book: Book, fmt: dict[str, Any], name: str, title: str, lang: str, labels: list[str],
          columns: list[list[Any]]) -> None:
    """A portrait sheet of a few records side by side: the labels down column A, one column per record (the
    handbook's 达标与得分: a teacher's classes, fifteen figures each, would be too wide as rows)."""
    ws = book.wb.add_worksheet(sheet_title(name))
    _print_setup(ws, title, lang)
    ws.fit_to_pages(1, 0)
    label_width = min(max(text_width(h) for h in labels) + 2, 24)
    width = min(max([14, *(text_width(v) + 2 for col in columns for v in col if isinstance(v, str))]),
                max(20, 70 // max(len(columns), 1)))
    ws.set_column(0, 0, label_width)
    ws.set_column(1, max(len(columns), 1), width)
    for r, label in enumerate(labels):
        write_text(ws, r, 0, label, fmt["head"])
        cells = [col[r] if r < len(col) else None for col in columns]
        for c, v in enumerate(cells, start=1):
            _cell(ws, r, c, v, fmt, lang)
        lines = max([_lines(label, label_width), *(_lines(v, width) for v in cells)])
        if lines > 1:
            ws.set_row(r, LINE_HEIGHT * lines + 2)
    if not columns:
        write_text(ws, 0, 1, t("paper.none", lang), fmt["cell"])
    ws.repeat_columns(0)
    ws.freeze_panes(0, 1)


HANDBOOK_MAX_WIDTH = 120  # column units of a landscape A4 page that keep the 10-pt text above 8 pt


def _table(book: Book, fmt: dict[str, Any], name: str, title: str, lang: str, headers: list[str],
           rows: list[list[Any]], wrap: dict[int, int], landscape: bool = True) -> None:
    """A table sheet of the handbook: header repeated on every page, long text wrapped in its column
    (`wrap`: column -> the most characters it is given)."""
    ws = book.wb.add_worksheet(sheet_title(name))
    _print_setup(ws, title, lang, landscape)
    ws.fit_to_pages(1, 0)
    widths: list[float] = list(column_widths([""] * len(headers), rows, 40))
    for c, h in enumerate(headers):  # a header wraps: its longest word (English) or half of it must fit a line
        need = max(text_width(w) for w in h.split()) + 2 if lang == "en" and h.strip() else -(-text_width(h) // 2) + 2
        widths[c] = min(max(widths[c], need), wrap.get(c, 40))
    floors = [min(w, 10) if c in wrap else w for c, w in enumerate(widths)]
    widths, narrowed = fit_widths(widths, floors, HANDBOOK_MAX_WIDTH)
    wrapped = {c: widths[c] for c in set(wrap) | narrowed if c < len(widths)}
    for c, h in enumerate(headers):
        ws.set_column(c, c, widths[c])
        write_text(ws, 0, c, h, fmt["head"])
    ws.set_row(0, max(20, LINE_HEIGHT * max(_lines(h, w, words=lang == "en") for h, w in zip(headers, widths))))
    ws.repeat_rows(0)
    ws.freeze_panes(1, 0)
    if not rows:  # an empty section prints one line saying so
        ws.merge_range(1, 0, 1, len(headers) - 1, "", fmt["centre"])
        write_text(ws, 1, 0, t("paper.none", lang), fmt["centre"])
    for i, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            _cell(ws, i, c, v, fmt, lang)
        lines = max((_lines(row[c], w) for c, w in wrapped.items() if c < len(row)), default=1)
        if lines > 1:  # wrapped text gets the height it needs (no reader measures it on opening)
            ws.set_row(i, LINE_HEIGHT * lines + 2)


def _lines(value: Any, width: float, words: bool = False) -> float:
    """How many lines a text takes in a column `width` characters wide (a CJK character is two). `words`:
    English text breaks between words, so a line holds whole words only."""
    if value is None or value == "":
        return 1
    room = max(width - 1, 1)
    if not words:
        return max(1, -(-text_width(value) // room))
    lines = 1
    used: float = 0
    for word in str(value).split():
        w = text_width(word)
        if used and used + 1 + w > room:
            lines, used = lines + 1, w
        else:
            used = used + 1 + w if used else w
        while used > room:  # a word longer than the column breaks inside it
            lines, used = lines + 1, used - room
    return lines
