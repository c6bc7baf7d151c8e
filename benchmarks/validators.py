"""The validate step measured side by side, and checked to agree (issue 17): one run prints every figure.

    .venv/bin/python benchmarks/validators.py --sizes 10k,100k,1M --profiles dense,realistic --budget 300

Validators, each in a process of its own on the same graph (ontology + synthetic data + derived triples + the
known-terms list, written once as N-Triples) and the same shapes:
- `shipped`: what `iscm-kg validate` runs on Oxigraph: every constraint as one SELECT on pyoxigraph, the
  SHACL-SPARQL ones (iscm_kg/engines/sparql_constraints.py) and the SHACL Core ones (core_constraints.py), with
  pyshacl-turbo only for a shape neither translates (none of shapes/);
- `turbo`: pyshacl-turbo on the full shapes (the SPARQL targets answered on pyoxigraph first, as before);
- `jena`: Apache Jena SHACL (Debian's libapache-jena-java), whole process (JVM start and parsing included);
- `pyshacl`: pySHACL, the reference, up to --reference-max.
The Python validators time the validate step alone (the graph is read first, untimed) and report CPU seconds
beside wall seconds (CPU time is steadier on a shared machine). Reports are compared as sets of (severity, focus
node, path, constraint component, source shape), a blank node written `_:`; the Python validators also on
sh:value and the message. These are scripts that print figures, not tests.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

VALIDATORS = ("shipped", "turbo", "jena", "pyshacl")
REFERENCE = {"pyshacl"}
FIELDS = ("resultSeverity", "focusNode", "resultPath", "sourceConstraintComponent", "sourceShape")
FULL = (*FIELDS, "value", "resultMessage")


def report_rows(report: Any) -> dict[str, list[list[str]]]:
    """The report's results as sorted rows: `key` (the five fields) and `full` (with value and message)."""
    from rdflib import BNode, Literal, URIRef

    sh = "http://www.w3.org/ns/shacl#"

    def text(node: Any) -> str:
        if node is None:
            return ""
        return "_:" if isinstance(node, BNode) else str(node.n3())

    key, full = set(), set()
    for result in report.objects(None, URIRef(sh + "result")):
        values = {f: text(report.value(result, URIRef(sh + f))) for f in FULL}
        if isinstance(report.value(result, URIRef(sh + "resultMessage")), Literal):  # language tags differ
            values["resultMessage"] = str(report.value(result, URIRef(sh + "resultMessage")))
        key.add(tuple(values[f] for f in FIELDS))
        full.add(tuple(values[f] for f in FULL))
    return {"key": sorted(map(list, key)), "full": sorted(map(list, full))}


# ---------------------------------------------------------------- one validator, in its own process


def child(args: argparse.Namespace) -> int:
    from rdflib import Graph

    if args.child == "jena":  # the whole java process is the figure: JVM start and parsing included
        import subprocess

        import jena

        command = jena.shacl_command(args.rows.parent, args.shapes, args.data)
        start = time.perf_counter()
        with open(args.rows.with_suffix(".ttl"), "wb") as out:
            done = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, check=False)
        seconds = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr.decode("utf-8", "replace")[-500:])
        rows = report_rows(Graph().parse(args.rows.with_suffix(".ttl"), format="turtle"))
        args.rows.write_text(json.dumps(rows), encoding="utf-8")
        print("RESULT " + json.dumps({"seconds": seconds, "results": len(rows["key"])}), flush=True)
        return 0
    shapes = Graph(bind_namespaces="none").parse(args.shapes, format="turtle")
    if args.child == "pyshacl":
        from pyshacl import validate as run

        data: Any = Graph(bind_namespaces="none").parse(args.data, format="nt")
        start, cpu = time.perf_counter(), time.process_time()
        _c, report, _t = run(data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=True)
    else:
        from iscm_kg.engines.oxigraph_engine import OxigraphEngine

        engine = OxigraphEngine()
        engine.load_ntriples(args.data)
        start, cpu = time.perf_counter(), time.process_time()
        if args.child == "shipped":
            report = engine.shacl(shapes, [], False)
        else:
            from pyshacl_turbo import validate as run

            _c, report, _t = run(engine.store, shacl_graph=engine.targets_resolved(shapes), inference="none",
                                 allow_warnings=True, advanced=True)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    rows = report_rows(report)
    args.rows.write_text(json.dumps(rows), encoding="utf-8")
    print("RESULT " + json.dumps({"seconds": seconds, "cpu": cpu_seconds, "results": len(rows["key"])}), flush=True)
    return 0


# ---------------------------------------------------------------- the run


def prepare(workdir: Path, profile: str, label: str, seed: int) -> tuple[Path, Path, int]:
    """(validation input N-Triples, shapes Turtle, triples) for one profile and size; built once."""
    from generate import parse_size, write
    from run import spawn

    from iscm_kg import validate

    data = workdir / f"syn-{profile}-{label}-seed{seed}.nt"
    if not data.is_file():
        write(data, parse_size(label), seed, profile)
    inferred = workdir / f"inferred-{profile}-{label}-seed{seed}.nt"
    if not inferred.is_file():
        outcome = spawn([sys.executable, str(HERE / "tasks.py"), "prepare", "--data", str(data), "--output",
                         str(inferred)], {}, 3600)
        if outcome.code != 0:
            raise SystemExit(f"preparing {inferred} failed:\n{outcome.stderr}")
    known = validate.known_terms_file()
    given = workdir / f"validate-{profile}-{label}-seed{seed}.nt"
    if not given.is_file():
        import pyoxigraph as ox

        store = ox.Store()
        store.load(path=str(inferred), format=ox.RdfFormat.N_TRIPLES)
        store.load(path=str(known), format=ox.RdfFormat.TURTLE, base_iri=known.as_uri())
        store.dump(str(given), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    shapes = workdir / "shapes.ttl"
    validate.shapes_graph().serialize(shapes, format="turtle")
    return given, shapes, sum(1 for _ in open(given, "rb"))


def measure(workdir: Path, profile: str, label: str, validators: Sequence[str], budget: float,
            reference_max: int, seed: int = 1, log: Any = print) -> dict[str, Any]:
    """Every validator on one profile and size: seconds, peak memory, results and agreement."""
    import os

    import jena
    from generate import parse_size
    from run import spawn

    workdir.mkdir(parents=True, exist_ok=True)
    given, shapes, triples = prepare(workdir, profile, label, seed)
    env = dict(os.environ)
    env.setdefault("ISCM_KG_NO_CACHE", "1")
    out: dict[str, Any] = {"profile": profile, "size": label, "triples": triples, "validators": {}}
    rows: dict[str, dict[str, list[list[str]]]] = {}
    for name in validators:
        cell: dict[str, Any] = {}
        out["validators"][name] = cell
        if name in REFERENCE and parse_size(label) > reference_max:
            cell["skipped"] = "reference engines run only on the smaller sizes"
            continue
        if name == "jena" and not jena.available():
            cell["skipped"] = "Jena not installed (apt-get install libapache-jena-java)"
            continue
        target = workdir / f"rows-{name}-{profile}-{label}.json"
        outcome = spawn([sys.executable, __file__, "--child", name, "--data", str(given), "--shapes", str(shapes),
                         "--rows", str(target)], env, budget)
        cell.update(wall=outcome.wall, peak_mb=outcome.peak_mb, over=outcome.over)
        if outcome.result is not None:
            cell.update({k: v for k, v in outcome.result.items() if k in ("seconds", "cpu")})
            rows[name] = json.loads(target.read_text(encoding="utf-8"))
        elif not outcome.over:
            cell["error"] = outcome.stderr.strip().splitlines()[-1] if outcome.stderr.strip() else "failed"
        if name in rows:
            cell["results"] = len(rows[name]["key"])
        log(f"  validate / {name} @ {profile} {label}: {brief(cell)}")
    base = next((n for n in ("pyshacl", "turbo", "shipped") if n in rows), None)
    for name, found in rows.items():
        if base is None:
            break
        cell = out["validators"][name]
        cell["compared_with"] = base
        cell["same_key"] = found["key"] == rows[base]["key"]
        cell["differ_key"] = len(set(map(tuple, found["key"])) ^ set(map(tuple, rows[base]["key"])))
        if name != "jena" and base != "jena":
            cell["same_full"] = found["full"] == rows[base]["full"]
    return out


def brief(cell: dict[str, Any]) -> str:
    if cell.get("skipped"):
        return f"not run ({cell['skipped']})"
    if cell.get("over"):
        return "over budget"
    if cell.get("error"):
        return f"error: {cell['error']}"
    cpu = f", cpu {cell['cpu']:.2f} s" if "cpu" in cell else ""
    return f"{cell.get('seconds', 0):.2f} s{cpu}, {cell.get('peak_mb', 0):,.0f} MB, {cell.get('results', '?')} results"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--profiles", default="dense,realistic")
    parser.add_argument("--validators", default=",".join(VALIDATORS))
    parser.add_argument("--budget", type=float, default=300.0)
    parser.add_argument("--reference-max", default="10k")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/iscm-kg-bench-validators"))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", choices=VALIDATORS, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--shapes", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    from generate import parse_size

    found = []
    for profile in args.profiles.split(","):
        for label in args.sizes.split(","):
            found.append(measure(args.workdir, profile, label, args.validators.split(","), args.budget,
                                 parse_size(args.reference_max), args.seed))
    print("\n| profile | size | " + " | ".join(args.validators.split(",")) + " |")
    print("|---|---|" + "---|" * len(args.validators.split(",")))
    for item in found:
        cells = []
        for name in args.validators.split(","):
            cell = item["validators"][name]
            same = "" if "same_key" not in cell else (" (same)" if cell["same_key"] else
                                                        f" ({cell['differ_key']} differ)")
            cells.append(brief(cell) + same)
        print(f"| {item['profile']} | {item['size']} ({item['triples']:,}) | " + " | ".join(cells) + " |")
    if args.json:
        args.json.write_text(json.dumps(found, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
