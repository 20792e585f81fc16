"""Whether the Hugging Face hub can be reached, checked once before a hub download.

huggingface_hub retries a failed connection five times with back-off (1+2+4+8+8 s per
file in huggingface_hub 2.x, whatever HF_HUB_ETAG_TIMEOUT says: a missing network
fails at once, it is the waits between tries that cost), so a hub id on a machine
without network took about a minute to fail. One look-up and connect answers first:

- ``HF_HUB_OFFLINE`` or ``TRANSFORMERS_OFFLINE`` set: offline, without a network call;
- a proxy variable set: the hub client decides (a proxy may reach what a direct connect
  cannot);
- else the hub's host name is resolved (at most :data:`DNS_TIMEOUT_S`): a name that does
  not resolve (no network, no DNS) is offline at once; a resolver slower than that is not
  judged (a slow network is not called offline: the hub client decides);
- then one TCP connect to it (at most ``timeout`` s, 3 by default).

:func:`cached` lets a command refuse a hub id it cannot get before it imports torch and
transformers (seconds of a CPU: ``annotate.classifier.loader.check_hub_model``, the
training config's ``check_hub_encoders``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

log = logging.getLogger(__name__)

# a proxy may reach the hub where a direct connect cannot: then the hub client decides
PROXY_ENV = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy")
# either makes huggingface_hub / transformers offline (huggingface_hub reads both)
OFFLINE_ENV = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
DNS_TIMEOUT_S = 3.0
# a hub reached this recently is not asked again (one command checks it in two places)
REACHED_FOR_S = 60.0
_reached_at: float | None = None


def offline_env() -> str | None:
    """The variable of :data:`OFFLINE_ENV` set to a true value (1, true, yes, on), or None."""
    for name in OFFLINE_ENV:
        if os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on"):
            return name
    return None


def _endpoint() -> tuple[str, int]:
    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    return url.hostname or "huggingface.co", url.port or (443 if url.scheme == "https" else 80)


def _resolve(host: str, port: int, limit: float) -> list[tuple] | OSError | None:
    """``getaddrinfo(host, port)`` (TCP) within ``limit`` seconds: the addresses, the
    error (the name does not resolve), or None when the resolver did not answer in time
    (its thread is left to finish: the C call cannot be stopped)."""
    found: list[list[tuple] | OSError] = []

    def look_up() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:  # socket.gaierror is one
            found.append(exc)

    worker = threading.Thread(target=look_up, name="annotate-hub-dns", daemon=True)
    worker.start()
    worker.join(limit)
    return found[0] if found else None


def unreachable_reason(timeout: float = 3.0) -> str | None:
    """Why the hub cannot be reached (``"HF_HUB_OFFLINE is set"``, ``"huggingface.co does
    not resolve (...)"``, ``"no connection to huggingface.co:443 within 3 s"``), or None
    when it answered or is not judged (a proxy, a slow resolver; see the module doc).
    Never touches the process environment."""
    global _reached_at
    env = offline_env()
    if env:
        return f"{env} is set"
    if any(os.environ.get(name) for name in PROXY_ENV):
        return None
    if _reached_at is not None and time.monotonic() - _reached_at < REACHED_FOR_S:
        return None
    host, port = _endpoint()
    addresses = _resolve(host, port, DNS_TIMEOUT_S)
    if addresses is None:
        log.info("%s not resolved within %.0f s: the hub client decides", host, DNS_TIMEOUT_S)
        return None
    if isinstance(addresses, OSError):
        return f"{host} does not resolve: {addresses.strerror or addresses}"
    deadline = time.monotonic() + timeout
    for family, kind, proto, _, address in addresses:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            with socket.socket(family, kind, proto) as sock:
                sock.settimeout(left)
                sock.connect(address)
        except OSError:
            continue
        _reached_at = time.monotonic()
        return None
    return f"no connection to {host}:{port} within {timeout:.0f} s"


def hub_reachable(timeout: float = 3.0) -> bool:
    """Whether a hub download may be tried: :func:`unreachable_reason` is None."""
    return unreachable_reason(timeout) is None


def cached(repo_id: str) -> bool:
    """Whether the Hugging Face cache (``HF_HUB_CACHE``) holds a snapshot of the model
    ``repo_id`` (a folder of files under ``models--ORG--NAME/snapshots/``), read without
    importing the hub client's download code."""
    from huggingface_hub import constants

    folder = Path(constants.HF_HUB_CACHE) / f"models--{repo_id.replace('/', '--')}" / "snapshots"
    try:
        return any(any(snap.iterdir()) for snap in folder.iterdir() if snap.is_dir())
    except OSError:
        return False


def download_hint(hub_id: str) -> str:
    """How to fetch a hub model for offline use, with the CLI huggingface_hub installs
    (``hf``; the huggingface_hub this project pins installs no ``huggingface-cli``)."""
    local = "models/" + hub_id.rsplit("/", 1)[-1]
    return f"`hf download {hub_id} --local-dir {local}`, then pass that directory"
