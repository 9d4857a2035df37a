"""The output folder as a unit: one run at a time, a run's files published as a set, failures named.

A run writes every output into a work folder inside OUT (`.workbook-engine/stage`), then publishes the set:
the previous run's files are moved aside, the new ones moved in — renames within one folder, milliseconds —
with a journal that says which of the two steps was under way. A run killed at any moment leaves either the
previous set or the new one as seen through report.json; if it was killed inside the renames, the next command
on OUT (run, watch, send-feedback) finishes or undoes them from the journal before doing anything else, and
removes what a dead run left behind (temporary files, extracted mail attachments, the stage).
"""
from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from workbook_engine.catalogue import t
from workbook_engine.errors import EngineError
from workbook_engine.files import atomic_path, dumps, inside
from workbook_engine.files import sha256_of as sha256
from workbook_engine.publishing.index import build_index, flat_layout, is_index, read_json
from workbook_engine.publishing.layout import FEEDBACK_FOLDER, HANDBOOK_FOLDER, REPORT_NAME
from workbook_engine.term import UNKNOWN_TERM_FOLDER, parse_term_folder

WORK_DIR = ".workbook-engine"  # inside OUT: stage, mail attachments, journal; removed after each run
LOCK_NAME = ".workbook-engine.lock"
JOURNAL = "publish.json"
LOCK_WAIT_S = 600.0


class OutputError(EngineError):
    """The outputs could not be written (disk full, no permission, OUT is a file, a file locked by Excel)."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = path


def explain(exc: OSError, path: Path | str | None = None, lang: str = "zh") -> OutputError:
    """An OSError while writing outputs, in the office's words, with the path and what to do."""
    where = str(path or exc.filename or "")
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        msg = t("publish.disk_full", lang, path=where)
    elif exc.errno == errno.EROFS:
        msg = t("publish.read_only", lang, path=where)
    elif isinstance(exc, PermissionError) or getattr(exc, "winerror", None) in (5, 32, 33):
        msg = t("publish.locked", lang, path=where)
    elif isinstance(exc, (NotADirectoryError, FileExistsError)):
        msg = t("publish.not_a_folder", lang, path=where)
    else:
        msg = t("publish.cannot_write", lang, path=where, error=exc.strerror or exc)
    return OutputError(msg, where)


def check_writable(out: Path, lang: str = "zh") -> None:
    """Create OUT if needed and prove a file can be written there, before any input is read."""
    if out.exists() and not out.is_dir():
        raise explain(NotADirectoryError(errno.ENOTDIR, "not a directory", str(out)), out, lang)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with atomic_path(out / ".write-test") as probe:
            probe.write_bytes(b"ok")
        os.unlink(out / ".write-test")
    except OSError as exc:
        raise explain(exc, out, lang) from None


@contextmanager
def locked(out: Path, wait_s: float = LOCK_WAIT_S, on_wait: Callable[[], None] | None = None,
           lang: str = "zh") -> Iterator[None]:
    """Hold OUT for one run. A second run on the same folder waits for the first (telling the user once), and
    gives up with an OutputError after wait_s. The lock is an OS file lock: a killed run releases it."""
    lock = FileLock(str(out / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait:
            on_wait()
        try:
            lock.acquire(timeout=wait_s)
        except Timeout:
            raise OutputError(t("publish.busy", lang, out=out, seconds=f"{wait_s:.0f}", run="run"), out) from None
    except OSError as exc:  # the lock's name taken by a folder, a read-only OUT …
        raise explain(exc, out / LOCK_NAME, lang) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def settled(out: Path, lang: str = "zh", on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """OUT as the last run left it, for commands that read its set (history, new-term, send-feedback): held like
    a run holds it, and a publish a killed run left half done finished or undone first (recover). An OUT that
    cannot be locked (a read-only disk) is read as it is, unless a publish was interrupted there: then the
    OutputError says so and what to do."""
    if not out.is_dir():
        yield
        return
    try:
        holding = locked(out, on_wait=on_wait, lang=lang)
        holding.__enter__()
    except OutputError as exc:
        if _journal(out).exists():
            raise OutputError(t("ledger.unfinished_publish", lang, out=out, run="run", error=exc), out) from None
        yield
        return
    try:
        recover(out)
        yield
    finally:
        holding.__exit__(None, None, None)


def work_dir(out: Path, lang: str = "zh") -> Path:
    """The run's scratch folder inside OUT (emptied first: whatever a dead run left there is removed). It must be
    a real folder: a link there (planted to make the run write elsewhere) is removed, never followed."""
    work = out / WORK_DIR
    _unlink_if_link(work)
    if work.exists() and not work.is_dir():
        raise explain(FileExistsError(errno.EEXIST, "exists", str(work)), work, lang)
    recover(out)
    work.mkdir(parents=True, exist_ok=True)
    return work


def _unlink_if_link(path: Path) -> None:
    if path.is_symlink():
        path.unlink()


def check_layout(out: Path, rels: list[str], lang: str = "zh") -> None:
    """Before anything is moved: every output path stays inside OUT with no link on the way, and every folder
    on the way is a folder (a file named 班级反馈 would stop the publish half-way)."""
    base = Path(os.path.realpath(out))
    for rel in rels:
        try:
            inside(out, rel)
        except ValueError:
            raise OutputError(t("publish.link_out", lang, path=out / rel), out / rel) from None
        parent = base
        for part in Path(rel).parts[:-1]:
            parent = parent / part
            if parent.exists() and not parent.is_dir():
                raise explain(NotADirectoryError(errno.ENOTDIR, "not a directory", str(parent)), parent, lang)


def check_not_taken(out: Path, rels: list[str], ours: set[str], lang: str = "zh") -> None:
    """Nothing the user made is replaced: an output's path held by a folder, a link or anything but a regular
    file, or by a file no earlier report.json listed (the user's own, or one from before the engine kept
    records) stops the publish before anything moves (OutputError, exit 3, naming it)."""
    for rel in rels:
        path = out / rel
        if os.path.lexists(path) and (rel not in ours or path.is_symlink() or not path.is_file()):
            raise OutputError(t("publish.not_ours", lang, path=path), path)


def _journal(out: Path) -> Path:
    return out / WORK_DIR / JOURNAL


def _stage(out: Path) -> Path:
    return out / WORK_DIR / "stage"


def _aside(out: Path) -> Path:
    return out / WORK_DIR / "previous"


def previous_outputs(out: Path, with_hashes: bool = False, report_rel: str = REPORT_NAME) -> list:
    """The files the last published run of the term listed in its report.json `report_rel` (paths relative to
    OUT), that report included; with_hashes, as (path, the SHA-256 it was written with). Hidden names and paths
    through links are never taken from it (a report.json edited by hand must not make a run remove the send log
    or anything else)."""
    try:
        report = json.loads((out / report_rel).read_text(encoding="utf-8"))
        listed = [(o.get("path"), o.get("sha256")) for o in report.get("outputs", []) if isinstance(o, dict)]
    except (OSError, ValueError, AttributeError):
        listed = []
    listed = [(r, h) for r, h in listed if isinstance(r, str) and r != report_rel and _safe_rel(out, r)
              and not any(part.startswith(".") for part in Path(r).parts)]
    listed.append((report_rel, None))
    return listed if with_hashes else [r for r, _ in listed]


def _unchanged(out: Path, rel: str, digest: str | None) -> bool:
    """A previous output still as the engine wrote it (a file someone edited or replaced is left alone)."""
    path = out / rel
    if path.is_symlink() or not path.is_file():
        return False
    if digest is None:  # report.json itself
        return True
    try:
        return sha256(path) == digest
    except OSError:
        return False


def _safe_rel(out: Path, rel: str) -> bool:
    try:
        inside(out, rel)
        return True
    except ValueError:
        return False


def stage_dir(out: Path) -> Path:
    stage = _stage(out)
    stage.mkdir(parents=True, exist_ok=True)
    return stage


def publish(out: Path, new: list[str], lang: str = "zh", report_rel: str = REPORT_NAME,
            carried: Iterable[str] = ()) -> None:
    """Move the staged files `new` (relative paths, the reports last) into OUT as one set, replacing the previous
    set of the same term, as its report.json `report_rel` lists it (files it listed that this run does not write
    are removed too, such as the feedback book of a class that no longer exists); another term's folder is never
    touched. If a file of the previous set cannot be moved (open in Excel on Windows), the previous set is put
    back and an OutputError names that file. `carried`: outputs whose file at OUT this run read and carried
    forward (the school ledger, OUT's index of terms), so replacing it loses nothing even if no report listed it."""
    aside = _aside(out)
    check_layout(out, new, lang)
    listed = previous_outputs(out, True, report_rel)
    old = [r for r, digest in listed if _unchanged(out, r, digest)]
    check_not_taken(out, [r for r in new if r not in old], {r for r, _ in listed} | set(carried), lang)
    old += [r for r in new if r not in old and (out / r).is_file()]  # the engine's, edited since: replaced
    _write_journal(out, {"phase": "aside", "old": old, "new": new})
    moved: list[str] = []
    try:
        for rel in old:
            _move(inside(out, rel), inside(aside, rel))
            moved.append(rel)
    except OSError as exc:
        failed = out / rel
        for back in reversed(moved):
            _move(inside(aside, back), inside(out, back))
        _journal(out).unlink()
        raise explain(exc, failed, lang) from None
    _write_journal(out, {"phase": "commit", "old": old, "new": new})  # the commit point
    _finish(out, new, everything=False)


def _write_journal(out: Path, data: dict) -> None:
    with atomic_path(_journal(out)) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _move(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dst)


def _finish(out: Path, new: list[str], everything: bool = True) -> None:
    """Roll a committed publish forward: every staged file still in the stage goes to its place. The stage and
    the previous set are removed; `everything`: the whole work folder too (a run publishing one term of several
    keeps the mail attachments it has not finished with)."""
    stage = _stage(out)
    for rel in new:
        src = inside(stage, rel)
        if src.exists():
            _move(src, inside(out, rel))
    _journal(out).unlink()
    if everything:
        _clean(out)
    else:
        for folder in (stage, _aside(out)):
            shutil.rmtree(folder, ignore_errors=True)
        _remove_strays(out)


def published_file(out: Path, rel: str) -> tuple[Path, bool]:
    """(where the last published version of an output is, whether a run was interrupted inside its publish) —
    for a command that only reads OUT (history) and so must not finish the publish itself: after the commit
    point the new file may still wait in the stage; before it, the previous one may already be set aside."""
    try:
        journal = json.loads(_journal(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return out / rel, False
    if not isinstance(journal, dict):
        return out / rel, False
    committed = journal.get("phase") == "commit"
    folder, listed = (_stage(out), journal.get("new")) if committed else (_aside(out), journal.get("old"))
    if isinstance(listed, list) and rel in listed and _safe_rel(out, rel) and inside(folder, rel).is_file():
        return inside(folder, rel), True
    return out / rel, True


def recover(out: Path) -> None:
    """Finish or undo a publish a killed run left half done, then remove what it left behind. Call with the lock
    held (every command that writes or reads OUT's set does)."""
    work = out / WORK_DIR
    if not work.is_dir():
        _remove_strays(out)
        return
    try:
        journal = json.loads(_journal(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        journal = None  # no journal (or a torn write of one, which os.replace never leaves): nothing was moved
    if journal and journal.get("phase") == "migrate":
        _migrate_forward(out, journal)
    elif journal and journal.get("phase") == "commit":
        _finish(out, [r for r in journal.get("new", []) if _safe_rel(out, r)])
    elif journal and journal.get("phase") == "aside":
        aside = _aside(out)
        for rel in journal.get("old", []):
            if _safe_rel(out, rel) and inside(aside, rel).exists():
                _move(inside(aside, rel), inside(out, rel))
    _clean(out)


def _clean(out: Path) -> None:
    _unlink_if_link(out / WORK_DIR)
    shutil.rmtree(out / WORK_DIR, ignore_errors=True)
    _remove_strays(out)


def _remove_strays(out: Path) -> None:
    """Temporary files an interrupted write left in OUT and its term folders (`.tmp-*` of atomic writes, `*.rows`
    of the summary)."""
    folders = [out, out / FEEDBACK_FOLDER]
    if out.is_dir():
        for term in out.iterdir():
            if parse_term_folder(term.name) and term.is_dir() and not term.is_symlink():
                folders += [term, term / FEEDBACK_FOLDER, term / HANDBOOK_FOLDER]
    for folder in folders:
        if not folder.is_dir():
            continue
        for p in folder.iterdir():
            if (p.name.startswith(".tmp-") or p.name.endswith(".rows") or p.name == ".write-test") and p.is_file():
                try:
                    p.unlink()
                except OSError:
                    pass


# -- an OUT written before terms had folders -----------------------------------------------------------------
def move_flat_layout(out: Path, ledger_rel: str | None, index: Callable[[], dict]) -> str | None:
    """Move the outputs of an OUT in the layout before term folders (its one report.json at the top) into their
    term's folder, nothing lost: every file that report lists, the report itself (its paths moved with them),
    then `index()` as the new OUT/report.json. A journal makes a move killed half-way finish on the next
    command. Returns the folder, or None when OUT is already in the term layout. Call with the lock held."""
    found = flat_layout(out, ledger_rel)
    if found is None:
        return None
    folder, moves, report = found
    (out / WORK_DIR).mkdir(parents=True, exist_ok=True)
    _write_journal(out, {"phase": "migrate", "moves": moves, "folder": folder, "ledger": ledger_rel,
                         "report": dumps(report) + "\n"})
    recover(out)  # rolls the journal forward: the same code as after a crash
    with atomic_path(out / REPORT_NAME) as tmp:
        tmp.write_text(dumps(index()) + "\n", encoding="utf-8")
    return folder


def _migrate_forward(out: Path, journal: dict) -> None:
    """Finish a move into a term folder from its journal (each step may already be done)."""
    folder = journal.get("folder")
    if not isinstance(folder, str) or not (parse_term_folder(folder) or folder == UNKNOWN_TERM_FOLDER):
        return
    for src, dst in journal.get("moves", []):
        if _safe_rel(out, src) and _safe_rel(out, dst) and (out / src).is_file() and not (out / dst).exists():
            _move(inside(out, src), inside(out, dst))
    for src, _ in journal.get("moves", []):  # a folder the move emptied (班级反馈) goes too
        parent = (out / src).parent
        if parent != out and _safe_rel(out, str(Path(src).parent)):
            try:
                parent.rmdir()
            except OSError:
                pass  # not empty: something else lives there
    target = out / folder / REPORT_NAME
    if not target.exists():
        with atomic_path(target) as tmp:
            tmp.write_text(journal.get("report", ""), encoding="utf-8")
    if not is_index(read_json(out / REPORT_NAME)):  # the old report at the top, its paths now wrong: the index
        ledger = journal.get("ledger")
        with atomic_path(out / REPORT_NAME) as tmp:
            tmp.write_text(dumps(build_index(out, ledger=ledger if isinstance(ledger, str) else None)) + "\n",
                           encoding="utf-8")
