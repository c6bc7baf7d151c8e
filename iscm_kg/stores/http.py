"""HTTP to a store: credentials, one retry policy for every request, progress reporting."""

from __future__ import annotations

import base64
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import TypeVar

from iscm_kg.errors import IscmError

TIMEOUT_SECONDS = 120
ATTEMPTS = 3
T = TypeVar("T")
Progress = Callable[[str], None]


def silent(_message: str) -> None:
    return None


def credentials() -> tuple[str, str] | None:
    """User and password from ISCM_KG_USER / ISCM_KG_PASSWORD: never from the command line."""
    user, password = os.environ.get("ISCM_KG_USER"), os.environ.get("ISCM_KG_PASSWORD")
    return (user, password) if user and password is not None else None


def request(method: str, url: str, body: bytes | None = None, content_type: str | None = None) -> bytes:
    req = urllib.request.Request(url, data=body, method=method)
    if content_type:
        req.add_header("Content-Type", content_type)
    req.add_header("Accept", "application/n-triples")
    auth = credentials()
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")

    def send() -> bytes:
        with urllib.request.urlopen(req, timeout=TIMEOUT_SECONDS) as response:
            data: bytes = response.read()
            return data

    return with_retries(send, url, f"{method} {url}")


def with_retries(send: Callable[[], T], url: str, what: str) -> T:
    """One retry policy for every request to a store: refused credentials and other 4xx fail at once;
    connection errors and 5xx are retried (ATTEMPTS in all), which is safe because every request this package
    sends is idempotent (PUT, GET, DROP, INSERT DATA, MOVE of a whole graph)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return send()
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise IscmError(f"the store refused the credentials ({exc.code}) at {url}; "
                                "set ISCM_KG_USER and ISCM_KG_PASSWORD") from None
            if exc.code < 500 or attempt == ATTEMPTS:
                raise IscmError(f"the store answered {exc.code} {exc.reason} to {what}") from None
        except (urllib.error.URLError, OSError) as exc:
            if attempt == ATTEMPTS:
                raise IscmError(f"cannot reach the store at {url}: {getattr(exc, 'reason', exc)}") from None
        time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")
