"""The problem codes of reading a file and its cells: each code's severity and category. Their messages are the
catalogue's (`problem.<code>`, workbook_engine/catalogue/problems.py); every rule across sheets and records
registers its own code in `workbook_engine.validation.rules`. Both register into `model.CODES` when the validation
package is imported (validation/__init__.py), so CODES holds them all wherever a problem is made."""
from __future__ import annotations

from workbook_engine.model import CODES, CodeSpec, Severity

E, W = Severity.ERROR, Severity.WARNING

# code -> (severity, category); the rules add theirs
CODES.update({
    # file
    "not-a-workbook": CodeSpec(E, "file"),
    "unreadable-file": CodeSpec(E, "file"),
    "encrypted-file": CodeSpec(E, "file"),
    "file-too-large": CodeSpec(E, "file"),
    "unknown-workbook": CodeSpec(E, "file"),
    "old-template-version": CodeSpec(W, "file"),
    "formula-without-value": CodeSpec(W, "file"),
    "damaged-file": CodeSpec(E, "file"),
    "zip-bomb": CodeSpec(E, "file"),
    "unsafe-xml": CodeSpec(E, "file"),
    "reader-crashed": CodeSpec(E, "file"),
    "sheet-too-large": CodeSpec(E, "file"),
    "external-links": CodeSpec(W, "file"),
    "macros-ignored": CodeSpec(W, "file"),
    "formula-cells": CodeSpec(W, "file"),
    "rows-lost": CodeSpec(W, "file"),
    # cell contents
    "error-value": CodeSpec(E, "value"),
    "text-too-long": CodeSpec(E, "value"),
    "control-characters": CodeSpec(W, "value"),
    "invalid-characters": CodeSpec(W, "value"),
    # sheet and columns
    "missing-sheet": CodeSpec(E, "sheet"),
    "missing-optional-sheet": CodeSpec(W, "sheet"),
    "missing-header": CodeSpec(E, "sheet"),
    "missing-column": CodeSpec(E, "column"),
    "extra-column": CodeSpec(W, "column"),
    "class-info-missing": CodeSpec(E, "column"),
    "missing-value": CodeSpec(E, "cell"),
    "invalid-date": CodeSpec(E, "cell"),
    "date-out-of-term": CodeSpec(E, "cell"),
    "value-not-allowed": CodeSpec(E, "cell"),
    "invalid-number": CodeSpec(E, "cell"),
    "invalid-id": CodeSpec(E, "cell"),
    "invalid-school-year": CodeSpec(E, "cell"),
    "value-normalized": CodeSpec(W, "cell"),
    # a workbook's term
    "dates-outside-own-term": CodeSpec(E, "cell"),
    # numbers
    "number-out-of-range": CodeSpec(W, "cell"),
})
