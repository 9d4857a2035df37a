"""Validation: every workbook read against its schema and the rules, every problem located by sheet and cell.

Importing the package registers every problem code (the file and cell codes in problems.py, each rule unit's
in rules/) into `model.CODES`, so a Problem made anywhere knows its severity and message."""
from workbook_engine.validation import problems, rules  # noqa: F401  (registers every code)
