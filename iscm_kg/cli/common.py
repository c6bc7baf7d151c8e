"""What every verb shares: an argument parser that exits 2 on bad usage, and one-line error reporting."""

from __future__ import annotations

import argparse
import sys
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
        return body(args)
    except IscmError as exc:
        print(f"iscm-kg {verb}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"iscm-kg {verb}: interrupted", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


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
