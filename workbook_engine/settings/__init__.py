"""School settings (school.toml): the model and its defaults (`model.py`), reading and checking the file
(`load.py`), and the commented file that `templates` writes (`template.py`)."""
from __future__ import annotations

from workbook_engine.settings.load import SETTINGS_MAX_BYTES, load_settings
from workbook_engine.settings.model import (
    DEFAULT_ATTENTION,
    Assessment,
    Assign,
    Attention,
    Frequency,
    Holiday,
    Ledger,
    Limits,
    Mail,
    Policy,
    Privacy,
    School,
    Settings,
    SettingValueError,
    Term,
    Web,
    Workday,
)
from workbook_engine.settings.template import SETTINGS_TEMPLATE, SETTINGS_TEMPLATE_EN, settings_template

__all__ = [
    "DEFAULT_ATTENTION", "SETTINGS_MAX_BYTES", "SETTINGS_TEMPLATE", "SETTINGS_TEMPLATE_EN", "Assessment", "Assign",
    "Attention", "Frequency", "Holiday", "Ledger", "Limits", "Mail", "Policy", "Privacy", "School", "SettingValueError",
    "Settings", "Term", "Web", "Workday", "load_settings", "settings_template",
]
