"""workbook-engine: a school's mentor system (全员育人导师制) run on its own Excel workbooks.

Everything the command line does is one import away::

    from workbook_engine import validate_files, write_templates, load_settings, run_inbox
"""
from __future__ import annotations

__version__ = "0.1.0"
TEMPLATE_VERSION = "1.0"

from workbook_engine.errors import EngineError, SettingsError  # noqa: E402
from workbook_engine.settings import Settings, load_settings  # noqa: E402
from workbook_engine.templates import write_templates  # noqa: E402
from workbook_engine.validate import FileReport, ValidationReport, validate_file, validate_files  # noqa: E402
from workbook_engine.inbox import RunResult, run_inbox  # noqa: E402


__all__ = [
    "EngineError",
    "FileReport",
    "RunResult",
    "SettingsError",
    "Settings",
    "TEMPLATE_VERSION",
    "ValidationReport",
    "load_settings",
    "run_inbox",
    "validate_file",
    "validate_files",
    "write_templates",
]
