"""Han-character string literals left in a module's code (docstrings excepted): user-facing text belongs in the
one catalogue, workbook_engine/catalogue/."""
from __future__ import annotations

import ast
import re
from pathlib import Path

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
PACKAGE = Path(__file__).resolve().parents[2] / "workbook_engine"


def han_literals(module: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant with a Han character in workbook_engine/<module>, docstrings
    excepted (f-string parts included)."""
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return sorted((n.lineno, n.value) for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and isinstance(n.value, str) and HAN.search(n.value)
                  and id(n) not in docs)
