"""Whether the Hugging Face hub can be reached, checked once before a hub download.

huggingface_hub retries a failed connection five times with back-off (1+2+4+8+8 s per
file in huggingface_hub 2.x, whatever HF_HUB_ETAG_TIMEOUT says: a missing network
fails at once, it is the waits between tries that cost), so a hub id on a machine
without network took about a minute to fail. One TCP connect answers first.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

# a proxy may reach the hub where a direct connect cannot: then the hub client decides
PROXY_ENV = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy")


def hub_reachable(timeout: float = 3.0) -> bool:
    """A quick TCP connect to the hub endpoint (``HF_ENDPOINT``, else huggingface.co:443),
    at most ``timeout`` seconds. False when HF_HUB_OFFLINE is set; True without a check
    when a proxy variable is set. Never touches the process environment."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on"):
        return False
    if any(os.environ.get(name) for name in PROXY_ENV):
        return True
    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    host, port = (
        url.hostname or "huggingface.co",
        url.port or (443 if url.scheme == "https" else 80),
    )
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
