"""``httpx`` without its command-line client.

``import httpx`` also imports ``httpx._main``, the ``httpx`` shell command, which loads
click, rich and pygments: about 0.13 s of CPU of every ``annotate`` command that talks
to Label Studio (0.47 against 0.61 s for the CLI, labels.yaml and httpx, measured on
the development machine), for a function annotate never calls. httpx imports it in a
``try``, and falls back to a stub ``main`` that says its CLI dependencies are missing
when it cannot; importing httpx through this module takes that fallback. The real
``httpx._main`` stays importable afterwards (only the name ``httpx.main`` is the stub).
"""

from __future__ import annotations

import sys
import types

if "httpx" not in sys.modules:
    _stub = types.ModuleType("httpx._main")  # no ``main``: ``from ._main import main`` fails
    sys.modules["httpx._main"] = _stub
    try:
        import httpx
    finally:
        if sys.modules.get("httpx._main") is _stub:
            del sys.modules["httpx._main"]

import httpx

__all__ = ["httpx"]
