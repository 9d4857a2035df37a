"""Files, safely: opening only regular files, hashing them, showing any file name, writing atomically (to a
temporary name, then renamed into place), JSON as the engine writes it, and paths that never leave a folder."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from workbook_engine.catalogue import t

UMASK = os.umask(0)
os.umask(UMASK)

# Checks run just before an atomically written file replaces its target (execution.py adds one in a child
# process: a child whose run was killed meanwhile stops there, its output not wanted).
BEFORE_REPLACE: list[Callable[[], None]] = []


class ReadFailure(Exception):
    """The file cannot be read as a workbook; code is a problem code, detail a short reason in Chinese
    (detail_en the same in English)."""

    def __init__(self, code: str, detail: str = "", detail_en: str | None = None) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.detail_en = detail_en


def failure(code: str, key: str, **kw: Any) -> ReadFailure:
    """A ReadFailure whose detail is the catalogue's text `key`, kept in both languages: the
    problem is found in a worker that does not know the run's language, and shown later in it."""
    return ReadFailure(code, t(key, "zh", **kw), t(key, "en", **kw))


def shown_name(name: str) -> str:
    """A file name as text that can be shown and written anywhere (console, JSON, a workbook's XML). The
    bytes of a name that is not UTF-8 (GBK bytes from a Chinese-Windows archive unzipped on Linux, kept by
    the OS as lone surrogates, os.fsdecode) are escaped as \\xNN; a lone surrogate from a Windows name as
    \\uXXXX. A UTF-8 name is returned unchanged."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return "".join(f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF
                       else f"\\u{ord(c):04x}" if 0xD800 <= ord(c) <= 0xDFFF else c for c in name)


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading. A pipe, a device or a folder raises ReadFailure at once: the open
    never waits (O_NONBLOCK where the platform has it; it changes nothing for a regular file)."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise failure("unreadable-file", "gate.cannot_open", reason=why) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise failure("unreadable-file", "gate.not_regular")
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in 1 MB chunks through open_regular (never a pipe or a device)."""
    h = hashlib.sha256()
    with open_regular(path) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside target; on success it replaces target, on failure it is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        for check in BEFORE_REPLACE:  # (a child whose run was killed meanwhile stops here: execution.py)
            check()
        os.chmod(tmp, 0o666 & ~UMASK)  # as any program would create it (mkstemp makes it private)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def claim(target: Path) -> bool:
    """Whether this process takes the job of writing target, beside others that may want it and share no memory with
    it (a spawned helper): the first to create target's claim marker beside it takes it (an exclusive create, atomic
    on every system). The markers stay in the run's stage, which goes when the run ends."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(target.with_name(".claim-" + target.name), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def write_json(target: Path, data: Any) -> Path:
    """data as JSON (see dumps)."""
    return write_text(target, dumps(data) + "\n")


def write_text(target: Path, *pieces: str | Path) -> Path:
    """Texts as UTF-8, one after the other, put in place whole (atomic_path); a Path piece is a text file the run
    wrote (newline=""), copied in (report.json's bulk: never all in memory)."""
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8") as out:
        for piece in pieces:
            if isinstance(piece, Path):
                with piece.open(encoding="utf-8", newline="") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
            else:
                out.write(piece)
    return target


def json_items(data: dict[str, Any], pretty_levels: int = 2, _level: int = 0) -> Iterator[str]:
    """A non-empty dict's items as dumps writes them, one per line, made one at a time, so that a document can be
    written in parts: dumps(data) == "{\\n" + ",\\n".join(json_items(data)) + "\\n}"."""
    pad = "  " * (_level + 1)
    for k, v in data.items():
        yield f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {dumps(v, pretty_levels, _level + 1)}"


def dumps(data: Any, pretty_levels: int = 2, _level: int = 0) -> str:
    """JSON indented for its first `pretty_levels` levels, one line per item below that: as easy to read
    and to diff (a student or a file a line) and several times faster than json.dumps(indent=2), whose
    indentation runs in pure Python."""
    if _level >= pretty_levels or not isinstance(data, (dict, list)) or not data or \
            (isinstance(data, list) and not any(isinstance(v, (dict, list)) for v in data)):
        return json.dumps(data, ensure_ascii=False, default=str)
    pad = "  " * (_level + 1)
    if isinstance(data, dict):
        return "{\n" + ",\n".join(json_items(data, pretty_levels, _level)) + "\n" + "  " * _level + "}"
    return "[\n" + ",\n".join([pad + dumps(v, pretty_levels, _level + 1) for v in data]) + "\n" + "  " * _level + "]"


_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


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


def inside(root: Path, rel: str) -> Path:
    """root / rel, refusing any path that would lead outside root (the one check every output passes): `..`,
    an absolute path, or a link anywhere on the way (every existing part is resolved, links followed)."""
    base = Path(os.path.realpath(root))
    target = Path(os.path.realpath(base / rel))
    if base not in target.parents:
        raise ValueError(f"output path {rel!r} leaves the output folder")
    return target


def staged(stage: Path, rel: str) -> Path:
    """An output's path in a run's stage folder (its folders created on the way), never outside it."""
    path = inside(stage, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def recorded_file(root: Path, rel: Any, sha256: Any) -> Path | None:
    """A file a run recorded (report.json `outputs`, `feedback`), if it lies inside root, is a regular file and
    still has the recorded SHA-256; None otherwise (missing, outside, changed since the run, a bad record)."""
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
