"""Exceptions for the few cases where work cannot go on; problems in data are values (see problems.py)."""
from __future__ import annotations


class EngineError(Exception):
    """Base class of every error the engine raises on purpose."""


class SettingsError(EngineError):
    """The settings file cannot be read or holds a bad value."""


class UsageError(EngineError):
    """The caller asked for something that cannot be done (bad path, bad option)."""
