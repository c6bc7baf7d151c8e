"""iscm-kg site: the static website (a page per entity at its IRI's path), checked before it is put in place."""

from __future__ import annotations

import argparse
import sys
import webbrowser
from collections.abc import Sequence
from pathlib import Path

from iscm_kg.cli import common
from iscm_kg.errors import IscmError
from iscm_kg.publish import site


def body(args: argparse.Namespace) -> int:
    output = Path(args.output) if args.output else site.default_output()
    try:
        result = site.build(output, base_url=args.base_url, force=args.force)
    except site.SiteError as exc:
        print(f"iscm-kg site: the site failed its checks, nothing was written: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        raise IscmError(f"cannot build {output}: {exc}") from None
    print(f"built {result.output}: {result.pages} pages, {result.files} files, {result.size} bytes "
          f"(home page {result.home_bytes} bytes), in {result.seconds:.1f} s", file=sys.stderr)
    if args.open:
        webbrowser.open((result.output / "index.html").resolve().as_uri())
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("site", "Build the static website from the derived graph, check it (pages parse, links "
                              "resolve, Turtle parses) and put it in place. Exit 0 built, 1 checks failed, 2 error.")
    p.add_argument("--output", metavar="DIR", help=f"the site folder (default {site.default_output()})")
    p.add_argument("--base-url", metavar="URL", help="where the site will be published (the Dataset markup names it)")
    p.add_argument("--force", action="store_true",
                   help="replace DIR even if it is not empty and not a previous site")
    p.add_argument("--open", action="store_true", help="open the home page in the default browser afterwards")
    return common.run("site", body, p, argv)
