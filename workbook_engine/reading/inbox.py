"""The office's folder: what is in it. Every file found (a workbook to read, an email's attachments, or a file
skipped with the reason), the settings file, and the rules that keep the output folder out of the inbox. The
inbox is never written."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from workbook_engine.catalogue import t
from workbook_engine.errors import UsageError
from workbook_engine.files import ReadFailure, open_regular, shown_name
from workbook_engine.model import SKIPPED, InboxFile
from workbook_engine.reading.email import STATE_FILE, date_of, parse_message
from workbook_engine.reading.gate import SPREADSHEET_SUFFIXES, looks_like_workbook
from workbook_engine.settings import Settings, load_settings

TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".crdownload", ".download", ".swp", "~")
SETTINGS_NAME = "school.toml"



# -- discovery -----------------------------------------------------------------------------------
def discover(inbox: Path, extract_to: Path | None = None, settings: Settings | None = None,
             lang: str = "zh") -> tuple[list[InboxFile], list[InboxFile]]:
    """(workbooks to read, files skipped with the reason), both sorted by relative path. Saved emails
    (.eml) have their spreadsheet attachments extracted into extract_to (never into the inbox), each
    read as `<mail>.eml/<attachment>` with the sender, date and subject as provenance. Only regular files
    are read: a pipe, a device, or a link leading outside the inbox is skipped with the reason."""
    limits = (settings or Settings()).limits
    candidates: list[InboxFile] = []
    skipped: list[InboxFile] = []
    fetched: dict[str, Any] = {}
    state = inbox / STATE_FILE
    if state.is_file():  # provenance of attachments that fetch-mail saved here
        try:
            fetched = json.loads(state.read_text(encoding="utf-8")).get("files", {})
        except (ValueError, OSError):
            fetched = {}
    home = inbox.resolve()
    for root, dirs, files in os.walk(inbox):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for fname in sorted(files):
            path = Path(root) / fname
            rel = shown_name(path.relative_to(inbox).as_posix())  # shown and written: never a raw non-UTF-8 byte
            reason = skip_reason(path, home, limits, lang)
            entry = InboxFile(path, rel)
            try:
                entry.mtime = path.stat().st_mtime
            except OSError:
                pass
            if reason:
                entry.status, entry.reason = SKIPPED, reason
                skipped.append(entry)
            elif path.suffix.lower() == ".eml":
                found = _from_email(entry, extract_to, limits.max_email_mb, lang)
                candidates.extend(found)
                if not found:
                    entry.status = SKIPPED
                    entry.reason = entry.reason or t("inbox.skip.no_attachment", lang)
                    skipped.append(entry)
            else:
                entry.provenance = fetched.get(rel)
                entry.mtime = date_of(entry.provenance) or entry.mtime
                candidates.append(entry)
    return candidates, skipped


def _from_email(entry: InboxFile, extract_to: Path | None, max_mb: float = 50, lang: str = "zh") -> list[InboxFile]:
    try:
        with open_regular(entry.path) as fh:  # size checked before anything is read; never more than the limit
            raw = fh.read(int(max_mb * 1_000_000) + 1)
        if len(raw) > max_mb * 1_000_000:
            entry.reason = t("inbox.skip.mail_over_limit", lang, limit=f"{max_mb:g}", setting="limits.max_email_mb")
            return []
        prov, attachments = parse_message(raw, entry.name)
    except (OSError, ValueError, ReadFailure) as exc:
        entry.reason = t("inbox.skip.mail_unreadable", lang, error=type(exc).__name__)
        return []
    if not attachments or extract_to is None:
        return []
    folder = extract_to / f"{len(list(extract_to.iterdir()))}"
    folder.mkdir()
    provenance = prov.to_dict()
    mtime = date_of(provenance) or entry.mtime
    out = []
    for att in attachments:
        target = folder / att.name
        target.write_bytes(att.data)
        out.append(InboxFile(target, f"{entry.name}/{att.name}", mtime=mtime, provenance=provenance))
    return out


def noise_reason(name: str, lang: str = "zh") -> str:
    """Why a file of this name is nobody's work (a lock, hidden or temporary file), or "": discovery skips
    these, and `watch` ignores their changes (a sync client touching its hidden files must not re-run)."""
    if name.startswith("~$") or name.startswith(".~lock."):
        return t("inbox.skip.lock_file", lang)
    if name.startswith("."):
        return t("inbox.skip.hidden", lang)
    if name.lower().endswith(TEMP_SUFFIXES) or name.startswith("~"):
        return t("inbox.skip.temporary", lang)
    return ""


def skip_reason(path: Path, home: Path | None = None, limits: Any = None, lang: str = "zh") -> str:
    """Why a file found in the inbox is not read ("" when it is). home is the inbox, resolved."""
    limits = limits or Settings().limits
    name = path.name
    noise = noise_reason(name, lang)
    if noise:
        return noise
    if name.lower() == SETTINGS_NAME:
        return t("inbox.skip.settings", lang)
    # what the name points at, before anything is opened: a link must stay inside the inbox, and only a
    # regular file is read (a pipe would wait forever for a writer, a device never ends)
    try:
        if path.is_symlink():
            target = path.resolve()
            if home is not None and target != home and home not in target.parents:
                return t("inbox.skip.outside_link", lang)
        st = path.stat()
    except (OSError, RuntimeError):  # a broken or looping link, a file removed meanwhile
        return t("inbox.skip.unreachable", lang)
    if not stat.S_ISREG(st.st_mode):
        return t("inbox.skip.not_regular", lang)
    if path.suffix.lower() == ".eml":
        if st.st_size > limits.max_email_mb * 1_000_000:
            return t("inbox.skip.mail_too_large", lang, size=f"{st.st_size / 1e6:.1f}",
                     limit=f"{limits.max_email_mb:g}", setting="limits.max_email_mb")
        return ""  # a saved email: its attachments are read
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return ""
    if st.st_size <= limits.max_file_mb * 1_000_000 and looks_like_workbook(path):
        return ""  # a workbook under another name: read it
    return t("inbox.skip.not_spreadsheet", lang)


STILL_WRITING = t("inbox.skip.still_writing", "zh")
STILL_WRITING_EN = t("inbox.skip.still_writing", "en")


def stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def still_being_written(entries: list[InboxFile], seen: list[tuple[int, int] | None],
                         lang: str) -> tuple[list[InboxFile], list[InboxFile]]:
    """(entries to judge, entries set aside): a file whose size or time changed between discovery and the
    end of its reading was still being copied in. What was read of it says nothing (a half-copied workbook
    looks damaged), so it is skipped as "still being written"; `watch` runs again once it has settled."""
    keep, writing = [], []
    for entry, before in zip(entries, seen):
        if stat_key(entry.path) == before:
            keep.append(entry)
        else:
            writing.append(set_aside(entry, lang))
    return keep, writing


def set_aside(entry: InboxFile, lang: str) -> InboxFile:
    entry.status, entry.report, entry.sha256 = SKIPPED, None, None
    entry.reason = t("inbox.skip.still_writing", lang)
    return entry


def resolve_settings(inbox: Path, config: str | Path | None, lang: str = "zh") -> Settings:
    if config:
        return load_settings(config, lang)
    local = settings_file(inbox)
    return load_settings(local, lang) if local is not None else Settings()


def settings_file(inbox: Path) -> Path | None:
    """The inbox's school.toml, its name in any case (School.toml, SCHOOL.TOML), on every kind of disk:
    the exact name first, else the first by name."""
    try:
        names = sorted(p.name for p in inbox.iterdir() if p.name.lower() == SETTINGS_NAME and p.is_file())
    except OSError:
        return None
    if not names:
        return None
    return inbox / (SETTINGS_NAME if SETTINGS_NAME in names else names[0])


def check_out_dir(inbox: Path, out: Path, lang: str = "zh") -> None:
    inbox_r, out_r = inbox.resolve(), out.resolve()
    if out_r == inbox_r or inbox_r in out_r.parents:
        raise UsageError(t("inbox.out_in_inbox", lang, out=out, inbox=inbox))


