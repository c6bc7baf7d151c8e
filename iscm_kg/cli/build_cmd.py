"""iscm-kg build: the release folder (every export format, the framed view, the derived triples, ontology, shapes,
VoID/DCAT description, generated documentation, SHA256SUMS), checked before it is put in place."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from iscm_kg.cli import common
from iscm_kg.errors import IscmError
from iscm_kg.publish import release


def body(args: argparse.Namespace) -> int:
    output = Path(args.output) if args.output else release.default_output()
    try:
        result = release.build(output, endpoint=args.endpoint, force=args.force)
    except release.VerificationError as exc:
        print(f"iscm-kg build: the build failed its checks, nothing was written: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # an unwritable or full disk: one line, like every other runtime error
        raise IscmError(f"cannot build {output}: {exc}") from None
    print(f"built {result.output}: {result.files} files, {result.size} bytes, in {result.seconds:.1f} s",
          file=sys.stderr)
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("build", "Build the release folder (byte-identical for the same commit), check it, and put "
                               "it in place. Exit 0 built, 1 the output failed its checks, 2 usage or runtime error.")
    p.add_argument("--output", metavar="DIR", help=f"the release folder (default {release.default_output()})")
    p.add_argument("--endpoint", type=common.url, metavar="URL", help="a public SPARQL endpoint to name in void.ttl")
    p.add_argument("--force", action="store_true",
                   help="replace DIR even if it is not empty and not a previous build")
    return common.run("build", body, p, argv)
