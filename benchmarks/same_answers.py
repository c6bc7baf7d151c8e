"""A canned query rewritten for speed must answer exactly as before: compare each query changed since a git
revision, its text there against its text now, on the shipped data and on prepared synthetic graphs.

    python benchmarks/same_answers.py REVISION [PREPARED.nt ...]

PREPARED files are what `tasks.py prepare` writes (ontology + synthetic data + derived triples); their queries
get the synthetic parameters the benchmarks use, the shipped data the examples' own. Prints one line per query
and graph; exit 0 when every answer is the same (rows compared as sorted multisets, list cells sorted), 1 when
one differs, 2 when git or a file cannot be read.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tasks import parameters, read_store

from iscm_kg import graph
from iscm_kg.binding import bind_values
from iscm_kg.engines.oxigraph_engine import OxigraphEngine
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.query import bind_parameters, catalogue, sort_lists

ROOT = Path(__file__).resolve().parent.parent


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def without_header(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("#")) + "\n"


def changed_queries(revision: str) -> list[str]:
    paths = git("diff", "--name-only", revision, "--", "queries").split()
    return sorted(Path(p).stem for p in paths if p.endswith(".rq") and (ROOT / p).exists())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revision", help="the git revision whose query texts are the reference")
    parser.add_argument("prepared", nargs="*", type=Path, help="prepared synthetic graphs (N-Triples)")
    args = parser.parse_args(argv)
    try:
        names = changed_queries(args.revision)
        targets = [("shipped data", graph.load(), False)]
        targets += [(path.name, KnowledgeGraph([path], OxigraphEngine(read_store(path))), True)
                    for path in args.prepared]
        before = {name: without_header(git("show", f"{args.revision}:queries/{name}.rq")) for name in names}
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"same_answers: {exc}", file=sys.stderr)
        return 2
    differing = 0
    for label, kg, synthetic in targets:
        for name in names:
            query = catalogue.get(name)
            bound = bind_parameters(query, parameters(query, synthetic), kg)
            old = sort_lists(kg.select(bind_values(before[name], bound)), query.lists).sorted()
            new = sort_lists(kg.select(bind_values(query.text, bound)), query.lists).sorted()
            same = old.variables == new.variables and old.rows == new.rows
            differing += not same
            print(f"{label:32s} {name:30s} {len(old.rows):8d} rows  {'same' if same else 'DIFFERENT'}", flush=True)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
