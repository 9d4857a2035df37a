"""Reading school.toml: a regular UTF-8 file of bounded size, parsed as TOML and checked against the model;
every problem named by its key and line, in the language asked for."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from workbook_engine.catalogue import t
from workbook_engine.errors import SettingsError
from workbook_engine.files import ReadFailure, open_regular
from workbook_engine.settings.model import Settings, SettingValueError


def _line_of(text: str, loc: tuple[str | int, ...]) -> int | None:
    """Best-effort line number of a key path in TOML text, for error messages."""
    keys = [k for k in loc if isinstance(k, str)]
    if not keys:
        return None
    lines = text.splitlines()
    section = ".".join(keys[:-1])
    in_section = not section
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", stripped)
        if header:
            name = header.group(1)
            in_section = name == section or (len(keys) > 1 and name == ".".join(keys[:-1]))
            if ".".join(keys) == name:
                return number
            continue
        if in_section and re.match(rf"^{re.escape(str(keys[-1]))}\s*=", stripped):
            return number
    for number, line in enumerate(lines, start=1):
        if re.match(rf"^\s*{re.escape(str(keys[-1]))}\s*=", line):
            return number
    return None


SETTINGS_MAX_BYTES = 1 << 20  # a school.toml is a few kilobytes


def _read_settings_file(path: Path, lang: str = "zh") -> bytes:
    """The settings file's bytes: a regular file of at most SETTINGS_MAX_BYTES (a device such as /dev/zero
    or a pipe is refused at once, never read without end or waited on)."""
    if not path.exists():
        raise SettingsError(t("settings.not_found", lang, path=path))
    try:
        with open_regular(path) as fh:
            data = fh.read(SETTINGS_MAX_BYTES + 1)
    except ReadFailure as exc:
        raise SettingsError(t("settings.not_a_file", lang, path=path,
                              reason=exc.detail if lang == "zh" else exc.detail_en)) from None
    except OSError as exc:
        raise SettingsError(t("settings.not_a_file", lang, path=path, reason=exc.strerror or exc)) from None
    if len(data) > SETTINGS_MAX_BYTES:
        raise SettingsError(t("settings.too_large", lang, path=path, limit=f"{SETTINGS_MAX_BYTES >> 20} MB"))
    return data


def load_settings(path: str | Path | None = None, lang: str = "zh") -> Settings:
    """Read school.toml (or return the defaults when path is None). Raises SettingsError naming key and line,
    in lang."""
    if path is None:
        return Settings()
    path = Path(path)
    try:
        text = _read_settings_file(path, lang).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SettingsError(t("settings.not_utf8", lang, path=path, encoding="UTF-8")) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(t("settings.bad_toml", lang, path=path, error=exc)) from exc
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        parts = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            key = ".".join(str(k) for k in loc)
            line = _line_of(text, loc)
            what = _explain(err, lang)
            parts.append(t("settings.at_line", lang, path=path, line=line, setting=key, error=what) if line else
                         t("settings.at_key", lang, path=path, setting=key, error=what))
        raise SettingsError("\n".join(parts)) from exc
    settings.source = str(path)
    return settings


# pydantic's error types -> the catalogue's words for them (other types keep pydantic's own message)
_ERROR_KEYS = {
    "extra_forbidden": "settings.err.unknown_key", "missing": "settings.err.missing",
    "literal_error": "settings.err.choice", "int_parsing": "settings.err.integer", "int_type": "settings.err.integer",
    "int_from_float": "settings.err.integer", "float_parsing": "settings.err.number",
    "float_type": "settings.err.number", "bool_parsing": "settings.err.boolean", "bool_type": "settings.err.boolean",
    "string_type": "settings.err.text", "list_type": "settings.err.list", "dict_type": "settings.err.table",
    "model_type": "settings.err.table", "tuple_type": "settings.err.list",
    "greater_than_equal": "settings.err.at_least", "greater_than": "settings.err.above",
    "less_than_equal": "settings.err.at_most", "less_than": "settings.err.below",
}


def _explain(err: ErrorDetails, lang: str) -> str:
    """One validation error in lang: the model's own check (SettingValueError), else by pydantic's type."""
    ctx = err.get("ctx") or {}
    if isinstance(ctx.get("error"), SettingValueError):
        return ctx["error"].say(lang)
    kind = str(err.get("type", ""))
    key = _ERROR_KEYS.get(kind) or ("settings.err.date" if kind.startswith(("date", "datetime")) else None)
    if key is None:
        return str(err.get("msg", ""))
    limit = next((ctx[k] for k in ("ge", "gt", "le", "lt") if k in ctx), "")
    expected = str(ctx.get("expected", ""))
    if lang != "en":
        expected = expected.replace("' or '", "'、'")
    return t(key, lang, expected=expected, limit=limit, values="true / false")
