"""Ships the project's resources inside the wheel and gives PyPI a README whose links
work (the rest of the metadata is in pyproject.toml).

``labels.yaml`` and every file under ``models/default/`` are copied into
``annotate/resources/`` of the build, so an installed annotate finds them without the
source checkout (see ``annotate/settings.py`` for the lookup rule). Whatever files the
default model directory holds are shipped: no list to keep in step.

The package's long description is README.md with its relative links rewritten
(:func:`pypi_readme`; pyproject's ``readme`` is ``dynamic`` for it): PyPI renders a
README alone, so ``docs/ingest.md`` or ``#the-workflow`` would be broken links there.
With a ``Source`` URL under ``[project.urls]`` they point into the repository; without
one, they become plain text naming the file, which the sdist carries (MANIFEST.in).
"""

from __future__ import annotations

import re
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


_FENCE = re.compile(r"^```.*?^```[ \t]*$", re.M | re.S)
_LINK = re.compile(r"(?<!!)\[([^\[\]]+)\]\(([^()\s]+)\)")


def pypi_readme(text: str, source: str | None) -> str:
    """README ``text`` as PyPI should render it: each relative link (``docs/x.md``,
    ``docs/x.md#a``, ``#a``) made absolute into ``source``'s files (``SOURCE/blob/main/``,
    GitHub's and Gitea's layout; ``#a`` into README.md), or, without ``source``, its text
    alone (a link whose text is not its path also names the path: ``push
    (`docs/push.md`)``). Links to other hosts and everything inside fenced code are kept."""

    def link(match: re.Match[str]) -> str:
        label, target = match.groups()
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):
            return match.group(0)
        if source:
            path = f"README.md{target}" if target.startswith("#") else target
            return f"[{label}]({source.rstrip('/')}/blob/main/{path})"
        path = target.partition("#")[0]
        return label if not path or label.strip("`") == path else f"{label} (`{path}`)"

    parts, end = [], 0
    for fence in _FENCE.finditer(text):
        parts += [_LINK.sub(link, text[end : fence.start()]), fence.group(0)]
        end = fence.end()
    return "".join([*parts, _LINK.sub(link, text[end:])])


def source_url() -> str | None:
    """pyproject.toml's ``[project.urls]`` ``Source`` (or ``Repository``), None without one."""
    try:
        import tomllib
    except ImportError:  # Python 3.10: the TOML reader setuptools carries
        from setuptools.config.pyprojecttoml import load_file

        data = load_file(ROOT / "pyproject.toml")
    else:
        data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    urls = {k.lower(): v for k, v in data.get("project", {}).get("urls", {}).items()}
    return urls.get("source") or urls.get("repository")


if __name__ == "__main__":  # as setuptools runs it; a test imports the functions alone
    setup(
        cmdclass={"build_py": build_py_with_resources},
        long_description=pypi_readme(
            (ROOT / "README.md").read_text(encoding="utf-8"), source_url()
        ),
        long_description_content_type="text/markdown",
    )
