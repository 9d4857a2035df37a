"""workbook-engine: a school's mentor system (全员育人导师制) run on its own Excel workbooks.

Everything the command line does is one import away::

    from workbook_engine import validate_files, write_templates, load_settings, run_inbox

The names are imported on first use (PEP 562), so `import workbook_engine.pipeline` does not also load the
template writer, and a worker process loads only what it runs.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"
TEMPLATE_VERSION = "1.1"

_EXPORTS = {
    "EngineError": "errors", "SettingsError": "errors",
    "Settings": "settings", "load_settings": "settings",
    "write_templates": "writing.templates",
    "FileReport": "validation.validate", "ValidationReport": "validation.validate",
    "validate_file": "validation.validate", "validate_files": "validation.validate",
    "RunResult": "pipeline", "run_inbox": "pipeline",
}

__all__ = sorted([*_EXPORTS, "TEMPLATE_VERSION"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'workbook_engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"workbook_engine.{module}"), name)
    globals()[name] = value
    return value
