"""Nothing leaves the machine: the environment that turns off every outbound call of the
local Label Studio server.

Label Studio 1.23 calls out by default (read from its source, ``core/settings``):

- ``SENTRY_DSN`` / ``FRONTEND_SENTRY_DSN`` default to the vendor's Sentry: the server sends
  error reports and every page loads ``browser.sentry-cdn.com``. Set empty, the server
  skips ``sentry_sdk.init`` and the pages load no Sentry script.
- ``COLLECT_ANALYTICS`` (Google Tag Manager and ``labelstud.io/track`` on the login page,
  usage beacons), ``LATEST_VERSION_CHECK`` (asks pypi.org for a newer release),
  ``FEATURE_FLAGS_OFFLINE`` (LaunchDarkly otherwise).
- ``/heidi-tips/`` fetches tips from raw.githubusercontent.com with no setting to turn it
  off; the server's HTTP clients (requests, urllib3, sentry-sdk) honour the proxy variables,
  so they are pointed at a closed local port, with 127.0.0.1/localhost exempt (the
  server's own calls to itself; webhooks and ML backends on local addresses are refused by
  its SSRF protection, which annotate keeps on: annotate.studio.server.server_env).

Label Studio reads each setting as ``LABEL_STUDIO_<NAME>``, ``HEARTEX_<NAME>`` or
``<NAME>``, the first one set winning, so every spelling is set.
"""

from __future__ import annotations

import re

CLOSED_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, calls fail at once
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
_PREFIXES = ("", "LABEL_STUDIO_", "HEARTEX_")
_SETTINGS = {
    "SENTRY_DSN": "",
    "FRONTEND_SENTRY_DSN": "",
    "COLLECT_ANALYTICS": "false",
    "LATEST_VERSION_CHECK": "false",
    "FEATURE_FLAGS_OFFLINE": "true",
}
_PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def offline_env() -> dict[str, str]:
    """Variables to add to the server's environment (they override the user's)."""
    env = {prefix + name: value for name, value in _SETTINGS.items() for prefix in _PREFIXES}
    for var in _PROXY_VARS:
        env[var] = env[var.lower()] = CLOSED_PROXY
    env["NO_PROXY"] = env["no_proxy"] = ",".join(LOCAL_HOSTS)
    return env


_URL = re.compile(r"""(?:https?:)?//(?:[^@/\s]+@)?([A-Za-z0-9.-]+\.[A-Za-z]{2,})(?::\d+)?""")


def loaded_hosts(html: str) -> set[str]:
    """Hosts a page loads something from (``src=``, ``<link href=``, ``fetch``/``url(``).

    Plain links (``<a href>``) to documentation are not loads and are left out.
    """
    hosts: set[str] = set()
    patterns = (
        r"""\bsrc\s*=\s*["'`]([^"'`]+)""",
        r"""<link\b[^>]*\bhref\s*=\s*["']([^"']+)""",
        r"""\bfetch\(\s*["'`]([^"'`]+)""",
        r"""url\(\s*["']?([^"')]+)""",
        r"""dsn["']?\s*[:=]\s*["']([^"']+)""",
    )
    for pattern in patterns:
        for ref in re.findall(pattern, html, flags=re.I):
            match = _URL.match(ref.strip())
            if match:
                hosts.add(match.group(1).lower())
    return hosts - set(LOCAL_HOSTS)
