"""HTTP to a store: credentials (Basic or Digest, as the store asks), one timeout and one retry policy for
every request, error messages that say what the store said, progress reporting.

Every request to a store goes through `request`, the SPARQL query and update clients included: one place
decides what a 401, a 403, a 500 or a dropped connection means."""

from __future__ import annotations

import base64
import html
import http.client
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from iscm_kg.errors import IscmError

DEFAULT_TIMEOUT_SECONDS = 60.0
ATTEMPTS = 3
# Statuses worth retrying: a gateway or an overloaded server may answer differently a moment later; any other
# 4xx or 5xx is the store's considered answer to this request, and sending it again changes nothing.
RETRIED_STATUSES = (502, 503, 504)
T = TypeVar("T")
Progress = Callable[[str], None]


@dataclass
class Settings:
    timeout: float = DEFAULT_TIMEOUT_SECONDS


settings = Settings()


def set_timeout(seconds: float) -> None:
    """The timeout of every request (connect and each read), from `--timeout`."""
    if not seconds > 0:
        raise IscmError(f"--timeout expects a positive number of seconds, got {seconds}")
    settings.timeout = seconds


def silent(_message: str) -> None:
    return None


class StoreError(IscmError):
    """The store answered with an error status; `detail` is the first line of its own error text."""

    def __init__(self, message: str, status: int, detail: str) -> None:
        super().__init__(message)
        self.status, self.detail = status, detail


class StoreTimeout(IscmError):
    """The store did not answer in time: it may still be applying the request, and may apply it later."""


def credentials() -> tuple[str, str] | None:
    """User and password from ISCM_KG_USER / ISCM_KG_PASSWORD: never from the command line."""
    user, password = os.environ.get("ISCM_KG_USER"), os.environ.get("ISCM_KG_PASSWORD")
    return (user, password) if user and password is not None else None


PREAUTHORISE_BYTES = 64_000


def _passwords(url: str) -> urllib.request.HTTPPasswordMgrWithDefaultRealm | None:
    auth = credentials()
    if auth is None:
        return None
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, auth[0], auth[1])
    return passwords


def _opener(url: str) -> urllib.request.OpenerDirector:
    """An opener that answers the store's challenge, Basic or Digest (Virtuoso's /sparql-graph-crud-auth)."""
    passwords = _passwords(url)
    if passwords is None:
        return urllib.request.build_opener()
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                       urllib.request.HTTPDigestAuthHandler(passwords))


def _preauthorise(req: urllib.request.Request) -> None:
    """Answer the store's challenge before sending a large body. A store may answer 401 and close the connection
    before reading the body (Virtuoso does), and the client then sees a broken pipe instead of the challenge;
    so a body-less HEAD fetches the challenge first, and the request carries its answer from the start."""
    passwords = _passwords(req.full_url)
    if passwords is None:
        return
    try:  # the credentials themselves, checked on a HEAD: refused ones are reported as such, not as a broken pipe
        with _opener(req.full_url).open(urllib.request.Request(req.full_url, method="HEAD"),
                                        timeout=settings.timeout):
            pass
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise StoreError(_message(exc, req.full_url, f"HEAD {req.full_url}", store_text(exc)), 401, "") from None
    except OSError:
        return
    try:
        with urllib.request.urlopen(urllib.request.Request(req.full_url, method="HEAD"),
                                    timeout=settings.timeout):
            return  # no challenge: nothing to answer
    except urllib.error.HTTPError as exc:
        challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
    except OSError:
        return  # the request itself will report what is wrong with the connection
    scheme, _, rest = challenge.partition(" ")
    if scheme.lower() == "digest":
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(req, fields)
        if answer:
            req.add_unredirected_header("Authorization", f"Digest {answer}")
    elif scheme.lower() == "basic":
        user, password = passwords.find_user_password(None, req.full_url)
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        req.add_unredirected_header("Authorization", f"Basic {token}")


def request(method: str, url: str, body: bytes | None = None, content_type: str | None = None,
            accept: str = "application/n-triples") -> tuple[bytes, str]:
    """Send one request under the retry policy; returns the body and its media type."""
    req = urllib.request.Request(url, data=body, method=method)
    if content_type:
        req.add_header("Content-Type", content_type)
    req.add_header("Accept", accept)
    opener = _opener(url)
    if body is not None and len(body) > PREAUTHORISE_BYTES:
        _preauthorise(req)

    def send() -> tuple[bytes, str]:
        with opener.open(req, timeout=settings.timeout) as response:
            data: bytes = response.read()
            return data, response.headers.get_content_type()

    return with_retries(send, url, f"{method} {url}")


def store_text(exc: urllib.error.HTTPError) -> str:
    """The first line of the store's own error text, trimmed; tags removed from an HTML error page."""
    try:
        raw = exc.read(4096).decode("utf-8", "replace")
    except (OSError, AttributeError, TypeError):
        return ""
    if "<" in raw and re.search(r"<(html|body|h1|p|title)\b", raw, re.IGNORECASE):
        raw = html.unescape(re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", "\n", raw, flags=re.IGNORECASE | re.DOTALL))
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    first = next((line for line in lines if line), "")
    return first[:200] + ("..." if len(first) > 200 else "")


def _message(exc: urllib.error.HTTPError, url: str, what: str, detail: str) -> str:
    said = f": {detail}" if detail else ""
    if exc.code == 401:
        if credentials() is None:
            return f"the store at {url} asks for credentials (401): set ISCM_KG_USER and ISCM_KG_PASSWORD"
        return f"the store at {url} refused the credentials (401){said}; check ISCM_KG_USER and ISCM_KG_PASSWORD"
    if exc.code == 403:
        return f"the store refused the request: missing permission (403) for {what}{said}"
    hint = " (is it a SPARQL endpoint or Graph Store?)" if exc.code in (404, 405, 501) else ""
    return f"the store answered {exc.code} {exc.reason} to {what}{said}{hint}"


def with_retries(send: Callable[[], T], url: str, what: str) -> T:
    """One retry policy for every request to a store: an error status fails at once, except 502/503/504;
    connection errors are retried (ATTEMPTS in all), a timeout is not (it would only multiply the wait). Retrying
    is safe because every request this package sends is idempotent (PUT, GET, DROP, INSERT DATA, MOVE)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return send()
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRIED_STATUSES or attempt == ATTEMPTS:
                detail = store_text(exc)
                raise StoreError(_message(exc, url, what, detail), exc.code, detail) from None
        except TimeoutError:
            raise StoreTimeout(f"the store at {url} did not answer within {settings.timeout:g} s "
                            "(set --timeout SECONDS)") from None
        except http.client.HTTPException as exc:
            raise IscmError(f"the server at {url} did not answer in HTTP: {type(exc).__name__} {exc}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise StoreTimeout(f"the store at {url} did not answer within {settings.timeout:g} s "
                                "(set --timeout SECONDS)") from None
            if attempt == ATTEMPTS:
                raise IscmError(f"cannot reach the store at {url}: {reason}") from None
        time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")
