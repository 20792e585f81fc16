"""No module of the `annotate` package imports another module's private name (one
leading underscore): a name shared between modules is public API in the module that
owns it, with a docstring, or lives in a small shared helper module. Before, eleven
modules imported fourteen such names (``head_fit._set_seed``, ``push._ensure_project``,
``report._table`` ...), so a change inside their owner broke modules it did not know of.
An ``as``-alias of a public name (``from annotate.cli import audit as _audit``) is fine:
the name imported is public."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "annotate"


def private_imports(package: Path) -> list[str]:
    """``FILE:LINE: from MODULE import NAME`` for every ``from annotate... import _name``
    (one leading underscore; dunders are not private) in the ``*.py`` files under
    ``package``, relative imports counted as the package's own."""
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level == 0 and (node.module or "").split(".")[0] != "annotate":
                continue
            found += [
                f"{path.relative_to(package.parent).as_posix()}:{node.lineno}: "
                f"from {'.' * node.level}{node.module or ''} import {alias.name}"
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            ]
    return found


def test_no_module_imports_another_modules_private_name():
    assert private_imports(PACKAGE) == []


def test_the_check_finds_a_private_import_and_allows_an_alias(tmp_path: Path):
    package = tmp_path / "annotate"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "a.py").write_text(
        "from annotate.sub.b import public as _public, __version__\n"
        "from annotate._util.plural import counted\n"
        "from collections import _chain_like\n"
        "def f():\n"
        "    from annotate.sub.b import (\n"
        "        ok,\n"
        "        _hidden,\n"
        "    )\n"
        "from .b import _relative\n",
        encoding="utf-8",
    )
    assert sorted(private_imports(package)) == [
        "annotate/sub/a.py:5: from annotate.sub.b import _hidden",
        "annotate/sub/a.py:9: from .b import _relative",
    ]
