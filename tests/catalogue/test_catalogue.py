"""One catalogue: no module of the package holds user-facing Chinese outside it. The modules are checked, each
against its allow-list of data-contract words, by catalogue/test_run_words.py (console, discovery, reading,
settings, publishing, mail), writing/test_forms_languages.py (the forms, assign), catalogue/test_book_words.py
(the books, history, scoring, rules) and here (the rest); this test fails when a module is checked by none of
them."""
from __future__ import annotations

import pytest

from tests.catalogue import test_book_words, test_run_words
from tests.helpers.han import PACKAGE, han_literals
from tests.writing import test_forms_languages

# the catalogue itself and the data contract: text here IS the catalogue, the templates' own sheet and column
# names, or the sample school
CATALOGUE = ({p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "catalogue").glob("*.py")}
             | {"schema.py", "writing/samples.py"})
ALLOWED = {
    "writing/templates.py": {"说明"},  # the Chinese template's instructions sheet (validate recognises it by name)
    "writing/styles.py": {"等线"},  # the font's own name
    "reading/normalize.py": {  # reading what teachers type
        r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$",  # 2026年9月1日
        r"^(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$",  # 9月1日
        "是", "否",  # yes/no cells
        "分",  # a score typed as 4.5分
    },
}


def checked_elsewhere() -> set[str]:
    names = set()
    for module in (test_run_words, test_book_words, test_forms_languages):
        names |= {m if m.endswith(".py") else m + ".py" for m in module.ALLOWED}
    return names


def test_every_module_is_checked_for_text_outside_the_catalogue():
    modules = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")}
    with_chinese = {m for m in modules if han_literals(m)}
    unchecked = with_chinese - checked_elsewhere() - CATALOGUE - set(ALLOWED)
    assert unchecked == set()


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_the_rest_holds_only_the_data_contract(module):
    assert {text for _, text in han_literals(module)} == ALLOWED[module]


def section_keys() -> dict[str, list[str]]:
    """Each catalogue section module's keys as written in its TEXTS literal (a repeated key stays repeated)."""
    import ast

    keys = {}
    for path in sorted((PACKAGE / "catalogue").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        texts = [n.value for n in tree.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
                 and n.target.id == "TEXTS" and isinstance(n.value, ast.Dict)]
        if texts:
            keys[path.name] = [k.value for k in texts[0].keys]
    return keys


def test_no_key_is_written_twice_in_the_catalogue():
    """A key given twice would silently keep only its last text (easy to do when parts of the catalogue are
    written apart): no key twice within a section or across the sections, and every section is assembled."""
    from collections import Counter

    from workbook_engine.catalogue import CATALOGUE as ASSEMBLED

    keys = section_keys()
    sections = {p.name for p in (PACKAGE / "catalogue").glob("*.py")} - {"__init__.py"}
    counts = Counter(k for written in keys.values() for k in written)
    assert set(keys) == sections
    assert len(counts) > 700 and [k for k, n in counts.items() if n > 1] == []
    assert set(counts) == set(ASSEMBLED)


def test_a_key_two_sections_give_stops_the_assembly():
    from types import SimpleNamespace

    from workbook_engine.catalogue import _assemble

    first = SimpleNamespace(__name__="first", TEXTS={"a.key": ("甲", "a"), "b.key": ("乙", "b")})
    second = SimpleNamespace(__name__="second", TEXTS={"b.key": ("乙", "b")})
    assert _assemble(first)["a.key"] == ("甲", "a")
    with pytest.raises(ValueError, match="b.key"):
        _assemble(first, second)
