"""What every verb shares: an argument parser that exits 2 on bad usage, and one-line error reporting."""

from __future__ import annotations

import argparse
import os
import sys
import urllib.error
import urllib.parse
from collections.abc import Callable, Sequence
from typing import NoReturn

from iscm_kg.errors import IscmError


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def parser(verb: str, description: str) -> Parser:
    return Parser(prog=f"iscm-kg {verb}", description=description)


def run(verb: str, body: Callable[[argparse.Namespace], int], args_parser: Parser, argv: Sequence[str]) -> int:
    """Parse argv and run body; usage and runtime errors print one line on stderr and return 2."""
    try:
        args = args_parser.parse_args(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        code = body(args)
        sys.stdout.flush()  # a full disk under standard output shows here, not as a traceback at exit
        return code
    except IscmError as exc:
        return _fail(verb, str(exc))
    except KeyboardInterrupt:
        return _fail(verb, "interrupted")
    except BrokenPipeError:
        _drop_stdout()
        return 0
    except urllib.error.URLError as exc:
        return _fail(verb, f"cannot reach {getattr(exc, 'filename', None) or 'the server'}: {exc.reason}")
    except OSError as exc:
        if exc.filename is None:
            _drop_stdout()
        return _fail(verb, _os_message(exc))
    except UnicodeError as exc:
        return _fail(verb, f"cannot encode or decode text: {exc}")


def _os_message(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ("standard output: " if exc.errno is not None else "")
    return f"{where}{exc.strerror or exc}"


def _drop_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's flush at exit does not fail a second
    time (with a traceback) on what could not be written."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _fail(verb: str, message: str) -> int:
    first = (message.strip().splitlines() or [""])[0]
    print(f"iscm-kg {verb}: error: {first}", file=sys.stderr)
    return 2


def url(text: str) -> str:
    """An argparse type for endpoint and store addresses: http or https with a host, or a usage error."""
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"expected an http:// or https:// address, got '{text}'")
    return text


def parse_params(pairs: Sequence[str]) -> dict[str, str | list[str]]:
    """KEY=VALUE pairs; a key given more than once keeps every value, in order (a list)."""
    params: dict[str, str | list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise IscmError(f"--param expects KEY=VALUE, got '{pair}'")
        if key in params:
            previous = params[key]
            params[key] = [*([previous] if isinstance(previous, str) else previous), value]
        else:
            params[key] = value
    return params


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value
