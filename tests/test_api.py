"""The public API in annotate/__init__.py: every name resolves, and importing the
package stays cheap (no torch, no transformers until a name that needs them is used)."""

import subprocess
import sys

import pytest

import annotate

UNDOCUMENTED: set[str] = set()
NAMES = [n for n in annotate.__all__ if n != "__version__"]


@pytest.mark.parametrize("name", NAMES)
def test_every_public_name_resolves_to_its_object(name):
    import annotate.cli  # imports every stage module, as a user's program may
    import annotate.training  # a stage package never shadows its public function

    obj = getattr(annotate, name)
    assert obj.__name__ == name
    assert obj.__doc__ or name in UNDOCUMENTED, f"annotate.{name} has no docstring"


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = annotate.nope


def test_import_annotate_does_not_import_torch():
    code = (
        "import sys, annotate; from annotate import AnnotateError, load_taxonomy, ingest; "
        "heavy = [m for m in ('torch', 'transformers', 'datasets') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
