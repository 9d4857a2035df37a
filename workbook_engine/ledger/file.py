"""The school ledger's file: opened safely whatever its path, checked before it is trusted, held while a run
changes it, and every fault said in the office's words with what to do.

- **Paths.** SQLite is always given a quoted `file:` URI (`Path.as_uri()`): a folder named `反馈#2`, `a?b`, `50%`,
  with spaces, Chinese or a leading `-` is opened where it is (an unquoted URI is cut at `#` and `?`).
- **Checks.** The ledger's path must be a regular file (a link leading out of OUT, a device, a folder there is
  refused before anything is opened: exit 3); a copy read into memory must pass SQLite's `quick_check`, hold every
  table of its version and migrate cleanly, else the run stops before publishing with what is wrong and what to do
  (exit 2).
- **Holding.** A run holds the ledger's write lock (`BEGIN IMMEDIATE`) from before it reads the ledger until just
  before it publishes, so it never replaces a ledger another program is writing; another program's lock is waited
  for `WAIT_S` seconds, then the run stops before publishing (exit 3). Opening the file read-write first rolls back
  a hot journal a killed writer left (SQLite's own recovery: deleting the `-journal` file by hand corrupts it).
- **The previous copy.** A run that replaces the ledger keeps the ledger as it was beside it
  (`学校台账.previous.sqlite`, published with the set when the ledger is in OUT): the copy to restore should the
  ledger be damaged later.
"""
from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import stat
from functools import cache
from pathlib import Path, PurePath

from workbook_engine.catalogue import t
from workbook_engine.errors import EngineError
from workbook_engine.files import inside, staged
from workbook_engine.ledger.schema import MIGRATIONS, SCHEMA_VERSION, LedgerError, empty_ledger, migrate
from workbook_engine.publishing.publish import OutputError
from workbook_engine.settings import Settings

WAIT_S = 30.0  # another program's write lock on the ledger is waited for this long
BROWSER = "DB Browser for SQLite"  # the program a school opens its ledger in
SETTING = "school.toml [ledger] path"
# SQLite's primary result codes (https://sqlite.org/rescode.html)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = \
    3, 5, 6, 8, 10, 13, 14
SQLITE_READONLY_ROLLBACK = 776  # a hot journal that a read-only connection cannot roll back


def uri(path: str | Path, mode: str) -> str:
    """A quoted `file:` URI for SQLite (mode ro, rw or rwc): every character of the path kept."""
    return f"{file_uri(Path(os.path.abspath(path)))}?mode={mode}"


def file_uri(path: PurePath) -> str:
    """An absolute path as SQLite takes it: quoted by `as_uri()`; a Windows network share (which as_uri writes
    with the server as the URI's authority, refused by SQLite) keeps its server in the path."""
    text = path.as_uri()
    if not text.startswith("file:///"):
        text = "file:////" + text[len("file://"):]
    return text


def open_db(path: str | Path, mode: str = "rwc", timeout: float = 0.0) -> sqlite3.Connection:
    """A connection in autocommit mode (every write names its transaction), by a quoted URI."""
    return sqlite3.connect(uri(path, mode), uri=True, isolation_level=None, timeout=timeout)


def previous_copy(path: Path) -> Path:
    """Where the ledger as it was before the last run that changed it is kept: 学校台账.previous.sqlite."""
    return path.with_name(f"{path.stem}.previous{path.suffix}")


def journal_of(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


# -- where it is -------------------------------------------------------------------------------------
def location(out: Path, settings: Settings, lang: str = "zh") -> tuple[str | None, Path]:
    """(path relative to OUT when the ledger is one of the run's outputs, else None; its absolute path). A link
    on the way to a ledger in OUT that leads out of it is refused (exit 3); a ledger outside OUT is its real
    path (a link there, set up by the school, is followed)."""
    configured = Path(settings.ledger.path)
    if not configured.is_absolute():
        try:
            target = inside(out, configured.as_posix())
        except ValueError:
            where = Path(os.path.abspath(out)) / configured
            raise OutputError(t("ledger.link", lang, path=where, target=os.path.realpath(where)),
                              where) from None
        rel = os.path.relpath(target, os.path.realpath(out)).replace(os.sep, "/")
        given = Path(os.path.abspath(out)) / configured
        return rel, (given if given.is_symlink() else target)  # a link there: refused by check_path
    base, target = Path(os.path.realpath(out)), Path(os.path.realpath(configured))
    if base in target.parents:
        return target.relative_to(base).as_posix(), target
    return None, target


# -- faults, in the office's words -----------------------------------------------------------------------
def damaged(path: Path, what: object, lang: str = "zh") -> EngineError:
    """A ledger that cannot be trusted (exit 2): what is wrong, and what to do about it."""
    return LedgerError(t("ledger.damaged", lang, path=path, what=what, previous=previous_copy(path)))


def fault(exc: sqlite3.Error, path: Path, lang: str = "zh", when: str = "read") -> EngineError:
    """An error SQLite gave on the ledger at path, as the run's error: a disk full, a lock held too long, a
    read-only file or disk and a file that cannot be opened are outputs that cannot be written (exit 3); anything
    else means the file itself is damaged (exit 2)."""
    extended = getattr(exc, "sqlite_errorcode", 0) or 0
    code = extended & 0xFF
    if extended == SQLITE_READONLY_ROLLBACK:
        return OutputError(t("ledger.hot_journal", lang, path=path, journal=journal_of(path).name), path)
    if code == SQLITE_FULL:
        return OutputError(t("ledger.disk_full", lang, path=path), path)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return OutputError(t("ledger.busy", lang, path=path, seconds=f"{WAIT_S:g}", browser=BROWSER), path)
    if code in (SQLITE_READONLY, SQLITE_PERM):
        return OutputError(t("ledger.read_only", lang, path=path, setting=SETTING), path)
    if code in (SQLITE_CANTOPEN, SQLITE_IOERR):
        return OutputError(t("ledger.cannot_use", lang, path=path, error=exc), path)
    return damaged(path, exc, lang)


def os_fault(exc: OSError, path: Path, lang: str = "zh") -> EngineError:
    """An OSError while writing beside the ledger at path (its staged or previous copy), in the ledger's words."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return OutputError(t("ledger.disk_full", lang, path=path), path)
    if exc.errno == errno.EROFS or isinstance(exc, PermissionError):
        return OutputError(t("ledger.read_only", lang, path=path, setting=SETTING), path)
    return OutputError(t("ledger.cannot_use", lang, path=path, error=exc.strerror or exc), path)


def check_path(path: Path, out: Path, lang: str = "zh") -> None:
    """The ledger's path holds a regular file or nothing: a link (inside OUT: it could lead anywhere), a device,
    a pipe or a folder there is refused before anything is opened (exit 3)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(t("ledger.cannot_use", lang, path=path, error=exc.strerror or exc), path) from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(t("ledger.link", lang, path=path, target=os.path.realpath(path)), path)
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(t("ledger.not_a_file", lang, path=path), path)


# -- checking a copy before it is trusted -------------------------------------------------------------------
@cache
def expected_columns(version: int) -> dict[str, frozenset[str]]:
    """Each table of the schema at `version` and its columns (a fresh ledger built to it in memory)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in MIGRATIONS[:version]:
            conn.executescript(step)
        return _columns(conn)
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {name: frozenset(r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')) for name in tables}


def verify(conn: sqlite3.Connection, path: Path, lang: str = "zh") -> None:
    """A copy of the ledger (in memory) that passes SQLite's quick_check, migrates to this program's version and
    then holds every table and column of it; else the ledger is damaged (LedgerError, exit 2)."""
    try:
        problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise damaged(path, "; ".join(problems[:3]), lang)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version <= SCHEMA_VERSION:
            _check_tables(conn, version, path, lang)  # before migrating: a version that lacks its own tables
        try:
            migrate(conn, lang)
        except LedgerError:
            raise
        except sqlite3.Error as exc:
            raise damaged(path, t("ledger.what.migration", lang, old=version, new=SCHEMA_VERSION, error=exc),
                          lang) from None
        _check_tables(conn, SCHEMA_VERSION, path, lang)
    except sqlite3.Error as exc:
        raise damaged(path, exc, lang) from None


def backup(source: sqlite3.Connection, target: sqlite3.Connection, path: Path, lang: str = "zh") -> None:
    """A consistent copy of the ledger at path (SQLite's online backup: never a half-written page). A lock another
    program holds past the source's busy timeout stops it (sqlite3's backup would otherwise retry forever)."""
    def give_up(status: int, remaining: int, total: int) -> None:
        if status in (SQLITE_BUSY, SQLITE_LOCKED):
            raise OutputError(t("ledger.busy", lang, path=path, seconds=f"{WAIT_S:g}", browser=BROWSER), path)

    try:
        source.backup(target, progress=give_up)
    except sqlite3.Error as exc:
        raise fault(exc, path, lang) from None


def _check_tables(conn: sqlite3.Connection, version: int, path: Path, lang: str) -> None:
    found = _columns(conn)
    missing = [name for name, cols in expected_columns(version).items() if not cols <= found.get(name, frozenset())]
    if missing:
        raise damaged(path, t("ledger.what.tables", lang, version=version, tables=", ".join(sorted(missing))), lang)


def read_into_memory(source: sqlite3.Connection, path: Path, lang: str = "zh") -> sqlite3.Connection:
    """The ledger behind `source`, copied into memory, checked and migrated there: what this run reads, whatever
    later happens to the file."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        backup(source, memory, path, lang)
        verify(memory, path, lang)
    except BaseException:
        memory.close()
        raise
    return memory


def open_to_read(path: Path, lang: str = "zh") -> sqlite3.Connection:
    """The ledger for reading, in memory. A hot journal left by a killed writer is rolled back first by opening the
    file read-write (SQLite's own recovery); on a read-only disk that cannot be done and the message says so."""
    try:
        if journal_of(path).exists():
            source = open_db(path, "rw", timeout=WAIT_S)
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls a hot journal back
        else:
            source = open_db(path, "ro", timeout=WAIT_S)
    except sqlite3.Error as exc:
        raise fault(exc, path, lang) from None
    try:
        return read_into_memory(source, path, lang)
    finally:
        source.close()


# -- holding the ledger for a run -------------------------------------------------------------------------
class Hold:
    """The ledger held for one run, from before it is read until the set is published (see the module's notes).
    `history()` is what the run reads; `release()` lets go of the lock just before the outputs are published (a
    file open here could not be renamed on Windows); `replace()` puts a ledger kept outside OUT, staged beside
    it, in its place once the outputs are published."""

    def __init__(self, path: Path, outside: bool, lang: str = "zh") -> None:
        self.path, self.outside, self.lang = path, outside, lang
        self.conn: sqlite3.Connection | None = None
        self.staged = staged_beside(path) if outside else None

    def acquire(self) -> None:
        if self.staged is not None:
            _remove(self.staged)  # what a killed run staged is never published
        if not self.path.exists():
            if self.outside:  # the folder it goes in must take a file
                _probe(self.path, self.lang)
            return
        try:
            self.conn = open_db(self.path, "rw", timeout=WAIT_S)
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls a hot journal back
            self.conn.execute("BEGIN IMMEDIATE")  # waits up to WAIT_S for another program's write lock
        except sqlite3.Error as exc:
            self.close()
            raise fault(exc, self.path, self.lang) from None
        if self.outside:  # (renamed over, a ledger in OUT needs only its folder writable: check_writable)
            if not os.access(self.path, os.W_OK):
                self.close()
                raise OutputError(t("ledger.read_only", self.lang, path=self.path, setting=SETTING), self.path)
            _probe(self.path, self.lang)

    def history(self) -> sqlite3.Connection:
        """The held ledger, copied into memory and checked (an empty in-memory ledger when there is none yet)."""
        if self.conn is None:
            return empty_ledger()
        return open_to_read(self.path, self.lang)  # (SQLite backs up only from a connection not writing)

    def release(self) -> None:
        """Just before the outputs are published: the lock let go (Windows refuses to rename an open file)."""
        self.close()

    def replace(self) -> None:
        """A ledger outside OUT: its staged copy (this run's term written) takes its place, one rename."""
        if self.staged is not None and self.staged.exists():
            try:
                os.replace(self.staged, self.path)
            except OSError as exc:
                raise OutputError(t("ledger.not_replaced", self.lang, path=self.path,
                                    error=exc.strerror or exc), self.path) from None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()  # (rolls back the transaction that only held the lock)
            self.conn = None

    def discard(self) -> None:
        self.close()
        if self.staged is not None:
            _remove(self.staged)


def keep(source: Path, target: Path, link: bool, lang: str = "zh") -> None:
    """The ledger file at source, as it is now, at target through a temporary name: a hard link where asked and
    the disk allows (a file in the stage, published or discarded with it), else a copy."""
    tmp = target.with_name(f".tmp-{target.name}")  # (in OUT, removed with a killed run's strays)
    _remove(tmp)
    try:
        try:
            if not link:
                raise OSError
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise os_fault(exc, source, lang) from None


def _probe(path: Path, lang: str) -> None:
    """A file can be written in the ledger's folder (outside OUT: its staged copy goes there)."""
    probe = path.with_name(f".{path.name}.write-test")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        _remove(probe)
        raise os_fault(exc, path, lang) from None


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def hold(out: Path, settings: Settings, lang: str = "zh") -> Hold:
    """The run's ledger, checked and held (Hold.acquire); OutputError or LedgerError before anything is written."""
    rel, path = location(out, settings, lang)
    check_path(path, out, lang)
    held = Hold(path, rel is None, lang)
    held.acquire()
    return held


def staged_path(out: Path, settings: Settings, stage: Path, lang: str = "zh") -> tuple[str | None, Path, Path]:
    """(the ledger's path relative to OUT or None, its path, where this run stages its new copy)."""
    rel, path = location(out, settings, lang)
    return rel, path, (staged(stage, rel) if rel is not None else staged_beside(path))


def staged_beside(path: Path) -> Path:
    """Where a run stages the new copy of a ledger kept outside OUT: beside it (the same disk, one rename)."""
    return path.with_name(f".{path.name}.staged")


def previous_rel(rel: str) -> str:
    """The previous copy's path relative to OUT, beside the ledger's."""
    return Path(rel).with_name(previous_copy(Path(rel)).name).as_posix()


def keep_previous(stage: Path, rel: str | None, path: Path, changing: bool, lang: str = "zh") -> None:
    """The previous copy (see the module's notes). In OUT it is staged and published with the set: the ledger as
    it is now when this run changes it, else the previous copy already there, carried forward (a hard link in
    the stage: no second copy on the disk). Outside OUT it is a copy beside the ledger, made before the ledger
    is replaced."""
    if rel is None:
        if changing and path.is_file():
            keep(path, previous_copy(path), link=False, lang=lang)
        return
    source = path if changing else previous_copy(path)
    if source.is_file() and not source.is_symlink():
        keep(source, staged(stage, previous_rel(rel)), link=True, lang=lang)


def outputs(stage: Path | None, ledger: str | None) -> list[str]:
    """The ledger's files among the run's outputs (`ledger`: its path relative to OUT when it is one): the
    ledger, and its previous copy when one is staged."""
    if not ledger or stage is None:
        return []
    kept = previous_rel(ledger)
    return [ledger] + ([kept] if staged(stage, kept).is_file() else [])
