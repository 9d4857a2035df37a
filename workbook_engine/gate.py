"""The gate before any parser sees a file: size, content sniffing, zip sanity, XML safety, encryption.

Everything here reads the zip's central directory and streams parts in small chunks, so a zip bomb,
a billion-laughs part or a truncated download is rejected in bounded memory and time with a clear reason.
"""
from __future__ import annotations

import io
import os
import re
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the names a spreadsheet arrives under; anything else is read only if its content is a workbook
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xltx", ".xltm", ".et")
ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 20
KEEP_PART_BYTES = 32 << 20
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


class ReadFailure(Exception):
    """The file cannot be read as a workbook; code is a problem code, detail a short reason in Chinese."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass
class GateLimits:
    max_bytes: int | None = 50_000_000
    max_uncompressed: int = 1_000_000_000  # total declared size of all parts
    max_ratio: float = 200.0  # per part, for parts over 1 MB
    max_parts: int = 5_000
    passwords: list[str] = field(default_factory=list)

    @classmethod
    def from_settings(cls, settings: object) -> GateLimits:
        lim = getattr(settings, "limits", None)
        if lim is None:
            return cls()
        return cls(int(lim.max_file_mb * 1_000_000), int(lim.max_uncompressed_mb * 1_000_000),
                   lim.max_compression_ratio, lim.max_parts, list(lim.passwords))


@dataclass
class Gated:
    """What passed the gate: the format, the file to parse (a decrypted copy if it was encrypted), flags."""

    format: str
    path: Path
    decrypted: bool = False
    macros: bool = False
    external_links: int = 0
    # the workbook's own parts as the gate inflated them (workbook, its relationships, the worksheets up to
    # KEEP_PART_BYTES each), so the formula and used-range scan need not inflate them again
    parts: dict[str, bytes] = field(default_factory=dict)
    _tmp: tempfile.TemporaryDirectory | None = None  # type: ignore[type-arg]

    def cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def check(path: Path, limits: GateLimits | None = None) -> Gated:
    """Pass or raise ReadFailure with the reason. Never parses XML, never inflates more than it checks."""
    limits = limits or GateLimits()
    try:
        with open_regular(path) as fh:  # a pipe or a device is refused here, before anything is read
            size = os.fstat(fh.fileno()).st_size
            head = fh.read(8)
    except OSError as exc:
        raise ReadFailure("unreadable-file", f"无法打开：{exc.strerror or type(exc).__name__}") from exc
    if size == 0:
        raise ReadFailure("not-a-workbook", "空文件")
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise ReadFailure("file-too-large", f"{size / 1e6:.1f} MB，上限 {limits.max_bytes / 1e6:.0f} MB")
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK"):
        return _check_zip(path, limits)
    if head.startswith(OLE_MAGIC):
        return _check_ole(path, limits)
    with path.open("rb") as fh:
        sample = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith(b"<") and (b"html" in sample or b"<table" in sample):
        raise ReadFailure("not-a-workbook", "这是网页（HTML）文件，只是扩展名为表格")
    if sample.startswith(b"<?xml") or sample.startswith(b"<"):
        raise ReadFailure("not-a-workbook", "这是 XML 文本文件，只是扩展名为表格")
    if b"," in sample or b"\t" in sample:
        raise ReadFailure("not-a-workbook", "这是 CSV/文本文件，只是扩展名为表格")
    raise ReadFailure("not-a-workbook", "这是文本或其他文件")


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading. A pipe, a device or a folder raises ReadFailure at once: the open
    never waits (O_NONBLOCK where the platform has it; it changes nothing for a regular file)."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReadFailure("unreadable-file", f"无法打开：{exc.strerror or type(exc).__name__}") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ReadFailure("unreadable-file", "不是普通文件（管道、设备或文件夹）")
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def looks_like_workbook(path: Path) -> bool:
    """A quick look (magic bytes and the zip directory) to decide whether an unknown file is read at all."""
    try:
        with open_regular(path) as fh:
            head = fh.read(8)
        if head.startswith(OLE_MAGIC):
            return bool(_ole_streams(path) & {"Workbook", "Book", "EncryptionInfo"})
        if head.startswith(b"PK"):
            with zipfile.ZipFile(path) as zf:
                lower = {n.lower() for n in zf.namelist()}
            return "xl/workbook.xml" in lower or "xl/workbook.bin" in lower or "content.xml" in lower
    except Exception:  # anything unreadable is simply not a workbook here
        return False
    return False


def _check_zip(path: Path, limits: GateLimits) -> Gated:
    try:
        zf = zipfile.ZipFile(path)
    except Exception as exc:  # BadZipFile, NotImplementedError for a garbled version field, OSError, ...
        raise ReadFailure("damaged-file", "压缩结构不完整，文件可能没有下载或保存完整") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_parts:
            raise ReadFailure("zip-bomb", f"包含 {len(infos)} 个部件")
        total = sum(i.file_size for i in infos)
        if total > limits.max_uncompressed:
            raise ReadFailure("zip-bomb", f"解压后共 {total / 1e6:.0f} MB")
        for i in infos:
            if i.file_size > 1_000_000 and i.file_size > limits.max_ratio * max(i.compress_size, 1):
                raise ReadFailure("zip-bomb", f"部件 {i.filename} 压缩比 {i.file_size / max(i.compress_size, 1):.0f}:1")
        names = {i.filename for i in infos}
        lower = {n.lower() for n in names}
        if "xl/workbook.xml" in lower or "xl/workbook.bin" in lower:
            fmt = "xlsx"
        elif "mimetype" in names and _read_small(zf, "mimetype").startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            fmt = "ods"
        elif "word/document.xml" in lower:
            raise ReadFailure("not-a-workbook", "这是 Word 文档")
        elif "ppt/presentation.xml" in lower:
            raise ReadFailure("not-a-workbook", "这是 PowerPoint 文档")
        else:
            raise ReadFailure("not-a-workbook", "压缩包中没有工作簿")
        kept: dict[str, bytes] = {}
        for i in infos:  # stream every part: CRC checked at the end of each, DTDs refused at the start
            if i.is_dir():
                continue
            keep = fmt == "xlsx" and i.file_size <= KEEP_PART_BYTES and _kept_part(i.filename)
            try:
                with zf.open(i) as part:
                    first = part.read(4096)
                    if i.filename.lower().endswith((".xml", ".rels", ".vml")) and _DTD.search(first):
                        raise ReadFailure("unsafe-xml", i.filename)
                    chunks = [first]
                    while chunk := part.read(CHUNK):
                        if keep:
                            chunks.append(chunk)
                    if keep:
                        kept[i.filename] = b"".join(chunks)
            except ReadFailure:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
                raise ReadFailure("damaged-file", f"部件 {i.filename} 校验失败") from exc
        gated = Gated(fmt, path, parts=kept)
        gated.macros = any(n.endswith("vbaproject.bin") for n in lower)
        gated.external_links = sum(1 for n in lower if n.startswith("xl/externallinks/") and n.endswith(".xml"))
        return gated


def _kept_part(name: str) -> bool:
    return name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels") or \
        (name.startswith("xl/worksheets/") and name.endswith(".xml"))


def _read_small(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        with zf.open(name) as fh:
            return fh.read(200)
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError):
        return b""


def _check_ole(path: Path, limits: GateLimits) -> Gated:
    import msoffcrypto

    streams = _ole_streams(path)
    with path.open("rb") as fh:
        try:
            office = msoffcrypto.OfficeFile(fh)
            encrypted = office.is_encrypted()
        except Exception:  # not an Office container msoffcrypto knows: decide by the stream names
            office, encrypted = None, "EncryptionInfo" in streams
        if encrypted:
            if office is None or not limits.passwords:
                raise ReadFailure("encrypted-file")
            for password in limits.passwords:
                try:
                    fh.seek(0)
                    office = msoffcrypto.OfficeFile(fh)
                    office.load_key(password=password)
                    out = io.BytesIO()
                    office.decrypt(out)
                except Exception:  # a wrong password (InvalidKeyError, DecryptionError …): try the next
                    continue
                tmp = tempfile.TemporaryDirectory(prefix="wbe-")
                plain = Path(tmp.name) / ("decrypted" + path.suffix)
                plain.write_bytes(out.getvalue())
                try:
                    inner = check(plain, limits)
                except ReadFailure:
                    tmp.cleanup()
                    raise
                inner.decrypted, inner._tmp = True, tmp
                return inner
            raise ReadFailure("encrypted-file")
    if streams & {"Workbook", "Book"}:
        return Gated("xls", path)
    if "WordDocument" in streams:
        raise ReadFailure("not-a-workbook", "这是 Word 文档")
    raise ReadFailure("not-a-workbook", "未知的 Office 文件")


_OLE_STREAMS = ("Workbook", "Book", "EncryptionInfo", "WordDocument")


def _ole_streams(path: Path) -> set[str]:
    """Which of the streams that tell Office files apart an OLE2 file names (read once, first 4 MB)."""
    with open_regular(path) as fh:
        blob = fh.read(4 << 20)
    return {name for name in _OLE_STREAMS if name.encode("utf-16-le") in blob}
