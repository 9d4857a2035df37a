"""The gate before any parser sees a file: size, content sniffing, zip sanity, XML safety, encryption.

Everything here reads the zip's central directory and streams parts in small chunks, so a zip bomb,
a billion-laughs part or a truncated download is rejected in bounded memory and time with a clear reason.
"""
from __future__ import annotations

import io
import os
import posixpath
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import msoffcrypto
import olefile

from workbook_engine.files import ReadFailure, failure, open_regular

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the names a spreadsheet arrives under; anything else is read only if its content is a workbook
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xltx", ".xltm", ".et")
ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 20
KEEP_PART_BYTES = 32 << 20
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


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

    format: str  # xlsx | ods | xls | biff (an Excel 2.x–4.0 file: a bare BIFF stream, read with xlrd)
    path: Path
    workbook_part: str = "xl/workbook.xml"  # an xlsx's workbook part, with "/" separators
    decrypted: bool = False
    macros: bool = False
    external_links: int = 0
    # the workbook's own parts as the gate inflated them (workbook, its relationships, the worksheets up to
    # KEEP_PART_BYTES each; keyed by part name with "/" separators), so the formula and used-range scan
    # need not inflate them again
    parts: dict[str, bytes] = field(default_factory=dict)
    _tmp: tempfile.TemporaryDirectory[str] | None = None

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
        reason = exc.strerror or type(exc).__name__
        raise failure("unreadable-file", "gate.cannot_open", reason=reason) from exc
    if size == 0:
        raise failure("not-a-workbook", "gate.empty")
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise failure("file-too-large", "gate.too_large", size=f"{size / 1e6:.1f}",
                      limit=f"{limits.max_bytes / 1e6:.0f}")
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK"):
        return _check_zip(path, limits)
    if head.startswith(OLE_MAGIC):
        return _check_ole(path, limits)
    if _is_biff(head):
        return Gated("biff", path)
    with open_regular(path) as fh:
        sample = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith(b"<") and (b"html" in sample or b"<table" in sample):
        raise failure("not-a-workbook", "gate.html")
    if sample.startswith(b"<?xml") or sample.startswith(b"<"):
        raise failure("not-a-workbook", "gate.xml")
    if b"," in sample or b"\t" in sample:
        raise failure("not-a-workbook", "gate.csv")
    raise failure("not-a-workbook", "gate.text")


# The BOF record that opens a bare BIFF stream (Excel 2.x, 3.0, 4.0 save one, not inside an OLE container):
# record type 0x0009 / 0x0209 / 0x0409 / 0x0809, a length of 4 to 16, and a known sheet type
_BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")
_BIFF_SHEET_TYPES = (0x0005, 0x0010, 0x0020, 0x0040, 0x0100)


def _is_biff(head: bytes) -> bool:
    if len(head) < 8 or head[:2] not in _BIFF_BOF:
        return False
    length = int.from_bytes(head[2:4], "little")
    return 4 <= length <= 16 and int.from_bytes(head[6:8], "little") in _BIFF_SHEET_TYPES


def looks_like_workbook(path: Path) -> bool:
    """A quick look (magic bytes and the zip directory) to decide whether an unknown file is read at all."""
    try:
        with open_regular(path) as fh:
            head = fh.read(8)
        if head.startswith(OLE_MAGIC):
            return bool(_ole_streams(path) & {"workbook", "book", "encryptioninfo"})
        if head.startswith(b"PK"):
            with zipfile.ZipFile(path) as zf:
                names = {part_name(n): n for n in zf.namelist()}
                return _workbook_part(zf, names) is not None or "content.xml" in names
        return _is_biff(head)
    except Exception:  # anything unreadable is simply not a workbook here
        return False
    return False


def part_name(name: str) -> str:
    """A zip part's name as the package means it: "/" separators (some producers write "\\", and zipfile
    converts them only on Windows), no leading "/"."""
    return name.replace("\\", "/").lstrip("/")


def rels_part(part: str) -> str:
    """The relationships part of a part: xl/workbook.xml -> xl/_rels/workbook.xml.rels."""
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def resolve_target(source: str, target: str) -> str:
    """A relationship target, relative to the part that names it, as a part name."""
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


_OFFICE_DOC = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*?\bType="[^"]*/officeDocument"[^>]*>', re.S)
_TARGET = re.compile(rb'\bTarget="([^"]*)"')
_SPREADSHEET_MAIN = (b"spreadsheetml.sheet.main", b"spreadsheetml.template.main", b"ms-excel.sheet",
                     b"ms-excel.template")


def _workbook_part(zf: zipfile.ZipFile, names: dict[str, str]) -> str | None:
    """The spreadsheet's workbook part (names: part name -> name in the zip), wherever the producer put it:
    xl/workbook.xml as Excel writes, or where the package's officeDocument relationship points."""
    lower = {n.lower(): n for n in names}
    for usual in ("xl/workbook.xml", "xl/workbook.bin"):
        if usual in lower:
            return lower[usual]
    rels = _read_small(zf, names.get("_rels/.rels", ""), 65536)
    types = _read_small(zf, names.get("[Content_Types].xml", ""), 1 << 20)
    for name, head in (("_rels/.rels", rels), ("[Content_Types].xml", types)):
        if _DTD.search(head[:4096]):
            raise ReadFailure("unsafe-xml", names[name])
    for rel in _OFFICE_DOC.finditer(rels):
        target = _TARGET.search(rel.group(0))
        part = resolve_target("", target.group(1).decode("utf-8", "replace")) if target else ""
        if part in names and (any(t in types for t in _SPREADSHEET_MAIN) or
                              posixpath.basename(part).lower() in ("workbook.xml", "workbook.bin")):
            return part
    return None


def _check_zip(path: Path, limits: GateLimits) -> Gated:
    try:
        zf = zipfile.ZipFile(path)
    except Exception as exc:  # BadZipFile, NotImplementedError for a garbled version field, OSError, ...
        raise failure("damaged-file", "gate.zip_incomplete") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_parts:
            raise failure("zip-bomb", "gate.parts", n=len(infos))
        total = sum(i.file_size for i in infos)
        if total > limits.max_uncompressed:
            raise failure("zip-bomb", "gate.unpacked", mb=f"{total / 1e6:.0f}")
        for i in infos:
            if i.file_size > 1_000_000 and i.file_size > limits.max_ratio * max(i.compress_size, 1):
                ratio = f"{i.file_size / max(i.compress_size, 1):.0f}:1"
                raise failure("zip-bomb", "gate.ratio", part=i.filename, ratio=ratio)
        names = {part_name(i.filename): i.filename for i in infos}
        lower = {n.lower() for n in names}
        workbook = _workbook_part(zf, names)
        if workbook is not None:
            fmt = "xlsx"
        elif "mimetype" in names and _read_small(zf, names["mimetype"]).startswith(
                b"application/vnd.oasis.opendocument.spreadsheet"):
            fmt = "ods"
        elif "word/document.xml" in lower:
            raise failure("not-a-workbook", "gate.office_doc", app="Word")
        elif "ppt/presentation.xml" in lower:
            raise failure("not-a-workbook", "gate.office_doc", app="PowerPoint")
        else:
            raise failure("not-a-workbook", "gate.no_workbook")
        wanted = _kept_parts(workbook) if workbook else None
        kept: dict[str, bytes] = {}
        for i in infos:  # stream every part: CRC checked at the end of each, DTDs refused at the start
            if i.is_dir():
                continue
            name = part_name(i.filename)
            keep = wanted is not None and i.file_size <= KEEP_PART_BYTES and wanted(name)
            try:
                with zf.open(i) as part:
                    first = part.read(4096)
                    if name.lower().endswith((".xml", ".rels", ".vml")) and _DTD.search(first):
                        raise ReadFailure("unsafe-xml", i.filename)
                    chunks = [first]
                    while chunk := part.read(CHUNK):
                        if keep:
                            chunks.append(chunk)
                    if keep:
                        kept[name] = b"".join(chunks)
            except ReadFailure:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
                raise failure("damaged-file", "gate.checksum", part=i.filename) from exc
        gated = Gated(fmt, path, workbook_part=workbook or "", parts=kept)
        gated.macros = any(n.endswith("vbaproject.bin") for n in lower)
        gated.external_links = sum(1 for n in lower if "/externallinks/" in "/" + n and n.endswith(".xml")
                                   and "/_rels/" not in n)
        return gated


def _kept_parts(workbook: str) -> Callable[[str], bool]:
    """Which parts the formula and used-range scan will read: the workbook, its relationships, the sheets."""
    folder = posixpath.dirname(workbook)
    sheets = f"{folder}/worksheets/" if folder else "worksheets/"
    own = (workbook, rels_part(workbook))
    return lambda name: name in own or (name.startswith(sheets) and name.endswith(".xml"))


def _read_small(zf: zipfile.ZipFile, name: str, size: int = 200) -> bytes:
    if not name:
        return b""
    try:
        with zf.open(name) as fh:
            return fh.read(size)
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, ValueError, EOFError):
        return b""


def _check_ole(path: Path, limits: GateLimits) -> Gated:
    streams = _ole_streams(path)
    with path.open("rb") as fh:
        try:
            office = msoffcrypto.OfficeFile(fh)
            encrypted = office.is_encrypted()
        except Exception:  # not an Office container msoffcrypto knows: decide by the stream names
            office, encrypted = None, "encryptioninfo" in streams
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
    if streams & {"workbook", "book"}:
        return Gated("xls", path)
    if "worddocument" in streams:
        raise failure("not-a-workbook", "gate.office_doc", app="Word")
    raise failure("not-a-workbook", "gate.unknown_office", app="Office")


# the streams that tell Office files apart; OLE names are case-insensitive (old producers write BOOK, WORKBOOK)
_OLE_STREAMS = ("workbook", "book", "encryptioninfo", "worddocument")


def _ole_streams(path: Path) -> set[str]:
    """Which of the streams that tell Office files apart an OLE2 file holds at its root, in lower case.
    A container olefile cannot list is searched for the names' bytes instead (first 4 MB)."""
    try:
        with open_regular(path) as fh, olefile.OleFileIO(fh) as ole:
            names = {entry[0].lower() for entry in ole.listdir(streams=True, storages=False) if len(entry) == 1}
        return names & set(_OLE_STREAMS)
    except Exception:  # a damaged directory: the reader then reports what it finds
        with open_regular(path) as fh:
            blob = fh.read(4 << 20).lower()
        return {name for name in _OLE_STREAMS if name.encode("utf-16-le") in blob}


