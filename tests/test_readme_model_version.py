"""The README names the shipped model's version where it says which model is committed,
and that version is models/default's: a rebuild that forgets the README fails here, and
the walkthroughs name no stale version for a user to compare outputs with (passB50 Q10:
the retrain walkthrough named `default@84e5e5b3b231` while prelabel wrote
`default@64b15ee6d17e`)."""

from __future__ import annotations

import re

from annotate.training.model_diff import version
from tests.conftest import ROOT
from tests.docs_text import docs_text

README = docs_text()  # the model's section is docs/model.md


def test_the_committed_model_named_in_the_readme_is_models_default():
    found = re.search(
        r"\*\*The committed model\*\*, `(default@[0-9a-f]{12})`, \*\*was built by `make model`",
        README,
    )
    assert found, "README's 'The committed model is ...' line names no version"
    assert found.group(1) == version(ROOT / "models" / "default")


def test_the_retrain_walkthrough_names_no_version():
    start = README.index("The comparison warned")
    walkthrough = README[start : start + 600]
    assert "default@VERSION was trained on" in walkthrough
    assert not re.search(r"default@[0-9a-f]{12}", walkthrough)
