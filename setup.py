"""Ships the project's resources inside the wheel (the rest of the metadata is in
pyproject.toml).

``labels.yaml`` and every file under ``models/default/`` are copied into
``annotate/resources/`` of the build, so an installed annotate finds them without the
source checkout (see ``annotate/settings.py`` for the lookup rule). Whatever files the
default model directory holds are shipped: no list to keep in step.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
RESOURCES = ("labels.yaml", "models/default")


class build_py_with_resources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        dest = Path(self.build_lib) / "annotate" / "resources"
        for rel in RESOURCES:
            src = ROOT / rel
            if not src.exists():
                raise FileNotFoundError(f"{src} is missing; the wheel would ship without it")
            target = dest / rel
            if src.is_dir():
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(src, target, ignore=shutil.ignore_patterns(".*", "__pycache__"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target)


setup(cmdclass={"build_py": build_py_with_resources})
