"""Per-shape SHACL timings on both engines (issue 17, "shapes that are fast on every engine").

    .venv/bin/python benchmarks/shapes.py --data shipped,fixtures,100k --engines pyshacl,turbo --budget 120

For each dataset (the shipped data; each fixture of tests/fixtures/ with the ontology; seeded synthetic data
from benchmarks/generate.py) the prepared data graph (ontology + data + derived triples + known terms, what
`iscm-kg validate` gives the engine) is written once as N-Triples. Then one process per dataset and engine
reads it (untimed) and validates it against each top-level shape of shapes/*.ttl alone (the node shape with
everything it references), then against all shapes together, printing one line per run. A run over --budget
seconds is killed and reported as "over N s"; the process is restarted at the next shape.

Reports are compared across engines as sets of (severity, focus node, path, constraint component, source
shape); a blank node is written as `_:` so that only anonymous parts compare loosely. These are scripts that
print figures, not tests. --shapes-dir measures another copy of the shapes (e.g. the shapes before a rewrite).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import select
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

SH = "http://www.w3.org/ns/shacl#"
TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
ALL = "(all shapes)"


# ---------------------------------------------------------------- shapes


def shapes_graph(shapes_dir: Path) -> Any:
    from rdflib import Graph

    from iscm_kg.validate import KNOWN_TERMS

    shapes = Graph(bind_namespaces="none")
    for path in sorted(shapes_dir.glob("*.ttl")):
        if path.name != KNOWN_TERMS:
            shapes.parse(path, format="turtle")
    return shapes


def top_shapes(shapes: Any) -> list[Any]:
    from rdflib import URIRef

    found = {s for t in TARGETS for s in shapes.subjects(URIRef(SH + t), None)}
    return sorted(found, key=str)


def closure(shapes: Any, start: Sequence[Any]) -> Any:
    """The shape(s) and everything reachable from them, plus the prefix declarations."""
    from rdflib import BNode, Graph, URIRef

    out = Graph(bind_namespaces="none")
    todo = list(start) + list(shapes.subjects(URIRef(SH + "declare"), None))
    seen: set[Any] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            out.add((node, p, o))
            if isinstance(o, BNode) or (isinstance(o, URIRef) and (o, None, None) in shapes):
                todo.append(o)
    return out


# ---------------------------------------------------------------- one engine, in a process of its own


def result_rows(report: Any) -> list[tuple[str, ...]]:
    from rdflib import RDF, BNode, URIRef

    def text(node: Any) -> str:
        if node is None:
            return ""
        return "_:" if isinstance(node, BNode) else str(node.n3())

    rows = []
    for result in report.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        rows.append(tuple(text(report.value(result, URIRef(SH + p))) for p in
                          ("resultSeverity", "focusNode", "resultPath", "sourceConstraintComponent", "sourceShape")))
    return sorted(rows)


def child(args: argparse.Namespace) -> int:
    from rdflib import Graph

    engine = args.engine
    if engine == "turbo":
        import pyoxigraph as ox
        from pyshacl_turbo import validate as run

        data: Any = ox.Store()
        data.load(path=str(args.data), format=ox.RdfFormat.N_TRIPLES)
    else:
        from pyshacl import validate as run

        data = Graph(bind_namespaces="none")
        data.parse(args.data, format="nt")
    shapes = shapes_graph(args.shapes_dir)
    wanted = [*top_shapes(shapes), ALL]
    for index, shape in enumerate(wanted):
        if index < args.skip:
            continue
        subset = shapes if shape == ALL else closure(shapes, [shape])
        start = time.perf_counter()
        _conforms, report, _text = run(data, shacl_graph=subset, inference="none", allow_warnings=True, advanced=True)
        seconds = time.perf_counter() - start
        rows = result_rows(report)
        print("RESULT " + json.dumps({"index": index, "shape": str(shape), "seconds": seconds, "results": len(rows),
                                      "digest": hashlib.sha256(repr(rows).encode()).hexdigest()[:12]}), flush=True)
    return 0


def run_engine(data: Path, engine: str, shapes_dir: Path, budget: float) -> Iterator[dict[str, Any]]:
    """Every shape on one engine; a shape over budget is reported and the process restarted after it."""
    names = [str(s) for s in top_shapes(shapes_graph(shapes_dir))] + [ALL]
    index = 0
    while index < len(names):
        cmd = [sys.executable, __file__, "--child", "--engine", engine, "--data-file", str(data),
               "--shapes-dir", str(shapes_dir), "--skip", str(index)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
                                start_new_session=True)
        assert proc.stdout is not None
        # the first shape's budget also covers reading the data
        deadline = time.monotonic() + budget + 60
        while index < len(names):
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                os.killpg(proc.pid, 9)
                proc.wait()
                yield {"shape": names[index], "seconds": None, "over": budget}
                index += 1
                break
            line = proc.stdout.readline()
            if not line:
                proc.wait()
                yield {"shape": names[index], "seconds": None, "error": f"exit {proc.returncode}"}
                index += 1
                break
            if line.startswith("RESULT "):
                row = json.loads(line[7:])
                yield row
                index = row["index"] + 1
                deadline = time.monotonic() + budget
        else:
            proc.wait()


# ---------------------------------------------------------------- datasets


def prepare(name: str, workdir: Path) -> list[tuple[str, Path]]:
    """(label, N-Triples file of the prepared data graph) for one --data item."""
    from rdflib import Graph

    from iscm_kg import graph, validate

    def dump(label: str, kg: Any) -> tuple[str, Path]:
        out = workdir / (label.replace("/", "-") + ".nt")
        data = kg.graph + Graph(bind_namespaces="none").parse(validate.known_terms_file(), format="turtle")
        data.serialize(out, format="nt", encoding="utf-8")
        return label, out

    if name == "shipped":
        return [dump("shipped", graph.load())]
    if name == "fixtures":
        fixtures = sorted((ROOT / "tests" / "fixtures").glob("*.ttl"))
        return [dump("fixture " + f.stem, graph.load([f], include_data=False)) for f in fixtures
                if f.stem != "syntax-error"]
    from generate import parse_size, write

    size = parse_size(name)
    syn = workdir / f"syn-{name}.nt"
    write(syn, size, 1)
    return [dump(f"synthetic {name}", graph.load([syn], include_data=False))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="shipped,fixtures", help="comma list: shipped, fixtures, or a size")
    parser.add_argument("--engines", default="pyshacl,turbo")
    parser.add_argument("--shapes-dir", type=Path, default=ROOT / "shapes")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds per shape and engine")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--data-file", dest="data_file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--skip", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.data = args.data_file
        return child(args)
    os.environ.setdefault("ISCM_KG_NO_CACHE", "1")
    engines = args.engines.split(",")
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="iscm-shapes-bench-") as tmp:
        for item in args.data.split(","):
            for label, path in prepare(item, Path(tmp)):
                per_engine: dict[str, dict[str, dict[str, Any]]] = {}
                for engine in engines:
                    per_engine[engine] = {}
                    for row in run_engine(path, engine, args.shapes_dir, args.budget):
                        row.update(data=label, engine=engine)
                        per_engine[engine][row["shape"]] = row
                        rows.append(row)
                print(f"\n## {label}\n")
                print("| shape | " + " | ".join(engines) + " | same results |")
                print("|---|" + "---|" * (len(engines) + 1))
                for shape in per_engine[engines[0]]:
                    cells = []
                    for engine in engines:
                        row = per_engine[engine].get(shape, {})
                        if row.get("seconds") is None:
                            cells.append(f"over {args.budget:.0f} s" if "over" in row else row.get("error", "-"))
                        else:
                            cells.append(f"{row['seconds']:.3f} s ({row['results']})")
                    digests = {per_engine[e].get(shape, {}).get("digest") for e in engines}
                    same = "yes" if len(digests) == 1 and None not in digests else "no"
                    short = shape.rsplit("#", 1)[-1]
                    print(f"| {short} | " + " | ".join(cells) + f" | {same} |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
