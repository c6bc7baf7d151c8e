"""iscm-kg tables: the analyst tables (a CSV per table, datapackage.json, one XLSX workbook), checked before they are
put in place."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from iscm_kg.cli import common
from iscm_kg.errors import IscmError
from iscm_kg.publish import tables


def body(args: argparse.Namespace) -> int:
    output = Path(args.output)
    try:
        result = tables.build(output, force=args.force)
    except tables.TablesError as exc:
        print(f"iscm-kg tables: the tables failed their checks, nothing was written: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # an unwritable or full disk: one line, like every other runtime error
        raise IscmError(f"cannot write {output}: {exc}") from None
    counts = ", ".join(f"{name} {n}" for name, n in result.rows.items())
    print(f"wrote {result.output}: {result.files} files, {result.size} bytes, in {result.seconds:.1f} s ({counts})",
          file=sys.stderr)
    return 0


def main(argv: Sequence[str]) -> int:
    p = common.parser("tables", "Write the analyst tables as a Frictionless data package (a CSV per table, "
                                f"{tables.DESCRIPTOR} with a schema per table and the foreign keys between them) and "
                                f"one XLSX workbook ({tables.WORKBOOK}). Exit 0 written, 1 the output failed its "
                                "checks, 2 usage or runtime error.")
    p.add_argument("--output", metavar="DIR", required=True, help="the folder to write (made, or replaced)")
    p.add_argument("--force", action="store_true",
                   help="replace DIR even if it is not empty and not a previous tables folder")
    return common.run("tables", body, p, argv)
