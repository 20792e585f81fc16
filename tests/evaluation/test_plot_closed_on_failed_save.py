"""`annotate evaluate`'s figures (pr_curves.png, reliability.png) are pyplot figures: one
whose save failed (a full disk, an unwritable folder) stayed open in pyplot's registry,
a leak per failed run in a process that runs evaluate again (faults61). Now each is
closed whether its save worked or not."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from annotate.evaluation import evaluate


@pytest.mark.parametrize("failing", ["pr_curves.png", "reliability.png"])
def test_a_figure_whose_save_fails_is_closed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, failing: str
) -> None:
    plt.close("all")
    real = Figure.savefig

    def savefig(self: Figure, fname: object, *args: object, **kwargs: object) -> None:
        if str(fname).endswith(failing):
            raise OSError(28, "No space left on device")
        real(self, fname, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig)
    rng = np.random.default_rng(0)
    probs = rng.random((20, 2))
    gold = (rng.random((20, 2)) > 0.5).astype(float)
    known = np.ones((20, 2))
    with pytest.raises(OSError, match="No space left"):
        evaluate._plots(tmp_path, probs, gold, known, ["a", "b"])
    assert plt.get_fignums() == []
