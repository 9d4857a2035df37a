"""Writing results: where each output goes (built in one place from validated parts) and how a file is
written (to a temporary name first, then renamed into place)."""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator


_UMASK = os.umask(0)
os.umask(_UMASK)

from workbook_engine.execution import EXIT_ORPHANED, orphaned


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside target; on success it replaces target, on failure it is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        if orphaned():  # a child whose run was killed meanwhile: its output is not wanted
            raise SystemExit(EXIT_ORPHANED)
        os.chmod(tmp, 0o666 & ~_UMASK)  # as any program would create it (mkstemp makes it private)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def save_openpyxl(wb: Any, path: Path) -> Path:
    """Save an openpyxl workbook so that the same workbook gives the same bytes: openpyxl stamps the save time
    (docProps/core.xml dcterms:modified, and every zip entry); both are set to fixed values here (modified =
    created, the book's own date)."""
    from workbook_engine.writing.fastxlsx import fixed_zip_info

    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                created = re.search(r"<dcterms:created[^>]*>([^<]*)<", text)
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(<)",
                              lambda m: m.group(1) + (created.group(1) if created else "2026-01-01T00:00:00Z")
                              + m.group(2), text)
                data = text.encode("utf-8")
            z.writestr(fixed_zip_info(info.filename), data)
    return path


def write_json(target: Path, data: Any, mask: Callable[[str], str] | None = None) -> Path:
    """data as JSON (see dumps); `mask` rewrites the text last (report.json: privacy.Redactor.json_text)."""
    text = dumps(data) + "\n"
    with atomic_path(target) as tmp:
        tmp.write_text(mask(text) if mask else text, encoding="utf-8")
    return target


def dumps(data: Any, pretty_levels: int = 2, _level: int = 0) -> str:
    """JSON indented for its first `pretty_levels` levels, one line per item below that: as easy to read
    and to diff (a student or a file a line) and several times faster than json.dumps(indent=2), whose
    indentation runs in pure Python."""
    if _level >= pretty_levels or not isinstance(data, (dict, list)) or not data or \
            (isinstance(data, list) and not any(isinstance(v, (dict, list)) for v in data)):
        return json.dumps(data, ensure_ascii=False, default=str)
    pad = "  " * (_level + 1)
    if isinstance(data, dict):
        items = [f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {dumps(v, pretty_levels, _level + 1)}"
                 for k, v in data.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * _level + "}"
    items = [pad + dumps(v, pretty_levels, _level + 1) for v in data]
    return "[\n" + ",\n".join(items) + "\n" + "  " * _level + "]"


# -- where a run's outputs go -------------------------------------------------------------------------
TERMS = ("第一学期", "第二学期")
REPORT_NAME = "report.json"
FEEDBACK_FOLDER = "班级反馈"
HANDBOOK_FOLDER = "导师手册"
_DASHES = str.maketrans({c: "-" for c in "–—―－~～至/／"})
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


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


NAME_BYTES = 120  # UTF-8 bytes of a sanitised name: with a hash suffix, ".xlsx" and ".tmp-…" it stays far below
                  # the 255 bytes of a file name on Linux and macOS (80 emoji are 320 bytes)


def safe_file_name(name: str | None) -> str:
    """A name made safe as a file name on every system: no separators or reserved characters, no invisible or
    direction-changing characters (U+200B, U+202E …), no leading or trailing dots and spaces, at most NAME_BYTES
    bytes of UTF-8, no Windows device names (CON, COM1 … LPT9, with or without an extension)."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", name or "")
                   if unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn"))
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", text).strip(" .")
    text = re.sub(r"\.{2,}", "_", text)
    while len(text.encode("utf-8")) > NAME_BYTES:
        text = text[:-1]
    text = text.strip(" .")
    if not text:
        return "未命名班级"
    if text.split(".")[0].upper() in _RESERVED:
        text = f"_{text}"
    return text


def feedback_files(classes: Iterable[str | None]) -> dict[str | None, str]:
    """Class -> its feedback book's path relative to OUT, the one mapping `run` and `send-feedback` share.
    A class whose name is already a safe, unique file name keeps it (`班级反馈/三年级1班.xlsx`); any other
    (changed by sanitising, or equal to another's ignoring case) gets a suffix from its own name's hash,
    so the same class always gets the same file and two classes never share one, in whatever order."""
    return unique_files(FEEDBACK_FOLDER, {c: c or "" for c in classes})


def handbook_files(teachers: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """工号 -> the teacher's 导师工作手册 relative to OUT (`导师手册/<工号>_<姓名>.xlsx`), safe and collision-free
    as feedback_files makes them."""
    return unique_files(HANDBOOK_FOLDER, {tid: f"{tid}_{name}" if name else tid for tid, name in teachers})


def unique_files(folder: str, names: dict[Any, str]) -> dict[Any, str]:
    """key -> `folder/<name>.xlsx`: a name that is already a safe file name, unique ignoring case, is kept; any
    other gets a suffix from its own text's hash (the same name always the same file, in whatever order)."""
    from workbook_engine.writing.privacy import mask_numbers

    safe = {k: mask_numbers(safe_file_name(n), mask="_") for k, n in names.items()}  # no phone or ID number either
    folded = Counter(s.casefold() for s in safe.values())
    out: dict[Any, str] = {}
    taken: set[str] = set()
    for k in sorted(names, key=lambda k: (safe[k] != names[k], str(k))):
        name = safe[k]
        if name != names[k] or folded[name.casefold()] > 1 or name.casefold() in taken:
            digest = hashlib.sha256(names[k].encode("utf-8")).hexdigest()
            n = 6
            while f"{name}-{digest[:n]}".casefold() in taken:
                n += 2
            name = f"{name}-{digest[:n]}"
        taken.add(name.casefold())
        out[k] = f"{folder}/{name}.xlsx"
    return out


@dataclass
class OutputLayout:
    """Every file a run writes, as paths relative to OUT built here and only here, from validated parts:
    the term must be a `YYYY-YYYY` school year and 第一/第二学期 to appear in a name, class names pass
    through feedback_files. `path()` resolves a relative path under a root and refuses any that would leave it."""

    merged: str
    summary: str
    feedback: dict[str | None, str]
    assignment: str = ""  # 导师分工明细表 (the form every class signs)
    handbooks: dict[str, str] = field(default_factory=dict)  # 工号 -> 导师手册 (with `run --handbooks`)
    report: str = REPORT_NAME

    folder: str = ""  # the term's folder (term_folder_name); every path above lies inside it

    @classmethod
    def build(cls, year: Any, term: Any, classes: Iterable[str | None]) -> OutputLayout:
        suffix = f"{school_year(year) or ''}{term_name(term) or ''}"
        folder = term_folder_name(year, term)
        name = (lambda prefix: f"{folder}/{prefix}_{suffix}.xlsx") if suffix else \
            (lambda prefix: f"{folder}/{prefix}.xlsx")
        feedback = {c: f"{folder}/{rel}" for c, rel in feedback_files(classes).items()}
        return cls(name("合并数据"), name("汇总"), feedback, name("导师分工明细表"), report=f"{folder}/{REPORT_NAME}",
                   folder=folder)

    def with_handbooks(self, teachers: Iterable[tuple[str, str | None]]) -> None:
        """The 导师手册 paths, once the run knows its teachers (工号, name)."""
        self.handbooks = {tid: f"{self.folder}/{rel}" for tid, rel in handbook_files(teachers).items()}


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


def inside(root: Path, rel: str) -> Path:
    """root / rel, refusing any path that would lead outside root (the one check every output passes): `..`,
    an absolute path, or a link anywhere on the way (every existing part is resolved, links followed)."""
    base = Path(os.path.realpath(root))
    target = Path(os.path.realpath(base / rel))
    if base not in target.parents:
        raise ValueError(f"output path {rel!r} leaves the output folder")
    return target


def recorded_file(root: Path, rel: Any, sha256: Any) -> Path | None:
    """A file a run recorded (report.json `outputs`, `feedback`), if it lies inside root, is a regular file and
    still has the recorded SHA-256; None otherwise (missing, outside, changed since the run, a bad record)."""
    import stat

    from workbook_engine.reading.gate import sha256_of

    if not isinstance(rel, str) or not rel or not isinstance(sha256, str):
        return None
    root = root.resolve()
    path = (root / rel).resolve()
    if path == root or root not in path.parents:
        return None
    try:
        if not stat.S_ISREG(os.stat(path).st_mode) or sha256_of(path) != sha256.lower():
            return None
    except OSError:
        return None
    return path
