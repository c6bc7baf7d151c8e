"""One benchmark task, run by benchmarks/run.py in a process of its own.

    python benchmarks/tasks.py TASK [options]

The task times only its measured step (the input it needs is read first, untimed) and prints one line
`RESULT {json}` with the seconds and facts to check across engines (triples, rows, findings). run.py
reads the peak memory of the whole process from the kernel (wait4), so it includes that input.

The `queries` task loads the graph once and then answers each canned query in a fresh process forked from
that loaded state: every run starts from the same memory, no state of one query or run reaches another, and
the load is paid once rather than once per query and run. The fork happens after the engine has answered
`ASK {}`, so that module imports and parser set-up are not counted as the query's time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import select
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rules import rule_texts

# Parameters of the canned queries for synthetic data: their examples (KEN, RCM, UNHCR...) name real
# entities, so each parameter of these types is bound to a synthetic entity of the same kind instead.
# Themes, regions, statuses and types keep their examples: those concepts are the shipped ones.
SYNTHETIC_PARAMETERS = {
    "mechanism": ("SYN-000000", "SYN-000001"),
    "state": ("AAX",),
    "organisation": ("SYN-ORG-0000",),  # the hub organisation, which plays IOM's part
    "participant": ("AAX",),
}


def parameters(query: Any, synthetic: bool) -> dict[str, str]:
    """The example parameters of a canned query, or their synthetic equivalents."""
    values: dict[str, str] = {}
    used: dict[str, int] = {}
    for param in query.parameters:
        pool = SYNTHETIC_PARAMETERS.get(param.type) if synthetic else None
        if pool:
            values[param.name] = pool[used.get(param.type, 0) % len(pool)]
            used[param.type] = used.get(param.type, 0) + 1
        else:
            values[param.name] = param.example
    return values


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(result: dict[str, Any]) -> None:
    print("RESULT " + json.dumps(result, sort_keys=True), flush=True)


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = step()
    return time.perf_counter() - start, value


# ---------------------------------------------------------------- building graphs


def ontology_and(data: Path) -> list[Path]:
    from iscm_kg import resources

    return [*resources.ontology_files(), data]


def build_store(files: Sequence[Path], rewritten: bool) -> Any:
    """What graph.load does with the oxigraph engine and no cache, with a choice of rule 10."""
    from iscm_kg.engines.oxigraph_engine import OxigraphEngine
    from iscm_kg.graph import stamp_version

    engine = OxigraphEngine()
    for path in files:
        engine.parse(path)
    stamp_version(engine)
    engine.derive(rule_texts(rewritten))
    return engine.store


def read_store(path: Path) -> Any:
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return store


def read_graph(path: Path) -> Any:
    from iscm_kg.namespaces import new_graph

    graph = new_graph()
    graph.parse(path, format="nt")
    return graph


# ---------------------------------------------------------------- tasks


def task_prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Untimed set-up: ontology + data + derived triples as one N-Triples file, for the query and
    validation tasks. Built with the rewritten rule 10; with --verify, checked against the shipped rules."""
    import pyoxigraph as ox

    store = build_store(ontology_and(args.data), rewritten=True)
    result: dict[str, Any] = {"triples": len(store)}
    if args.verify:
        from iscm_kg import graph

        shipped = graph.load([args.data], include_data=False, engine="oxigraph").engine.store
        result["identical_to_shipped_rules"] = same_triples(shipped, store)
    store.dump(str(args.output), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return result


def same_triples(first: Any, second: Any) -> bool:
    """Same size and the same triples; triples with blank nodes (the ontology's one owl:members list,
    labelled afresh by each parse) are compared by count only."""
    import pyoxigraph as ox

    def labelled(quad: Any) -> bool:
        return not any(isinstance(term, ox.BlankNode) for term in (quad.subject, quad.object))

    if len(first) != len(second):
        return False
    return all(quad in second for quad in first if labelled(quad))


def task_load(args: argparse.Namespace) -> dict[str, Any]:
    from iscm_kg import graph

    seconds, kg = timed(lambda: graph.load([args.data], include_data=False, inferred=False, engine=args.engine))
    return {"seconds": seconds, "triples": len(kg)}


def task_derive(args: argparse.Namespace) -> dict[str, Any]:
    from iscm_kg import graph

    engine = args.engine
    kg = graph.load([args.data], include_data=False, inferred=False,
                    engine="rdflib" if engine in ("rdflib", "owlrl") else "oxigraph")
    if engine == "rdflib":
        seconds, added = timed(lambda: len(graph.derive(kg.graph)))
    elif engine == "owlrl":
        import owlrl

        g = kg.graph
        before = len(g)
        seconds, _ = timed(lambda: owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g))
        added = len(g) - before
    else:
        texts = rule_texts(rewritten=engine == "oxigraph-rewritten")
        seconds, added = timed(lambda: kg.engine.derive(texts))
    return {"seconds": seconds, "added": added}


def task_validate(args: argparse.Namespace) -> dict[str, Any]:
    from iscm_kg import validate
    from iscm_kg.engines.oxigraph_engine import OxigraphEngine
    from iscm_kg.engines.rdflib_engine import RdflibEngine
    from iscm_kg.graph import KnowledgeGraph

    if args.engine == "turbo":
        kg = KnowledgeGraph([args.inferred], OxigraphEngine(read_store(args.inferred)))
    else:
        kg = KnowledgeGraph([args.inferred], RdflibEngine(read_graph(args.inferred)))
    seconds, report = timed(lambda: validate.validate(kg))
    return {"seconds": seconds, "conforms": report.conforms, "violations": report.count("Violation"),
            "warnings": report.count("Warning"), "infos": report.count("Info")}


def task_export(args: argparse.Namespace) -> dict[str, Any]:
    from iscm_kg import graph
    from iscm_kg.publish import export

    kg = graph.load([args.data], include_data=False, inferred=False, engine=args.engine)
    if args.engine == "rdflib":
        g = kg.graph
        seconds, text = timed(lambda: export.serialise(g, args.format).encode("utf-8"))
    else:
        import pyoxigraph as ox

        from iscm_kg.namespaces import PREFIXES

        fmt = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[args.format]
        store = kg.engine.store  # type: ignore[attr-defined]
        seconds, text = timed(lambda: store.dump(format=fmt, from_graph=ox.DefaultGraph(), prefixes=PREFIXES))
    return {"seconds": seconds, "bytes": len(text)}


def task_target(args: argparse.Namespace) -> dict[str, Any]:
    """The issue's 1M target in one process: load (build, no cache), validate, answer every canned query."""
    start = time.perf_counter()
    from iscm_kg import graph, query, validate
    from iscm_kg.engines.oxigraph_engine import OxigraphEngine
    from iscm_kg.graph import KnowledgeGraph
    from iscm_kg.query import catalogue

    imported = time.perf_counter()
    if args.rewritten:
        files = ontology_and(args.data)
        kg = KnowledgeGraph(files, OxigraphEngine(build_store(files, rewritten=True)))
    else:
        kg = graph.load([args.data], include_data=False)
    loaded = time.perf_counter()
    report = validate.validate(kg)
    validated = time.perf_counter()
    rows = 0
    for canned in catalogue.all_queries():
        rows += len(query.run(canned.name, parameters(canned, synthetic=True), kg).rows)
    done = time.perf_counter()
    return {"seconds": done - start, "imports": imported - start, "load": loaded - imported,
            "validate": validated - loaded, "queries": done - validated, "rows": rows,
            "conforms": report.conforms, "triples": len(kg)}


# ---------------------------------------------------------------- queries, one forked process per run


def task_queries(args: argparse.Namespace) -> dict[str, Any]:
    from iscm_kg import query
    from iscm_kg.engines.oxigraph_engine import OxigraphEngine
    from iscm_kg.graph import KnowledgeGraph
    from iscm_kg.query import catalogue

    load_seconds, target = timed(lambda: (
        read_graph(args.inferred) if args.engine == "rdflib"
        else KnowledgeGraph([args.inferred], OxigraphEngine(read_store(args.inferred)))))
    # Imports and parser set-up, before any fork.
    query.run_local("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", target, args.engine)
    wanted = args.only.split(",") if args.only else None
    results: dict[str, Any] = {}
    for canned in catalogue.all_queries():
        if wanted is not None and canned.name not in wanted:
            continue
        params = parameters(canned, synthetic=not args.shipped)

        def answer(name: str = canned.name, given: dict[str, str] = params) -> int:
            return len(query.run(name, given, target, engine=args.engine).rows)

        results[canned.name] = run_forked(answer, args.runs, args.budget, args.slow)
    return {"load_seconds": load_seconds, "template_peak_mb": peak_mb(), "queries": results}


def run_forked(step: Callable[[], int], runs: int, budget: float, slow: float) -> dict[str, Any]:
    """Up to `runs` runs of step, each in a forked child; stop after a run over budget or slower than slow."""
    out: dict[str, Any] = {"seconds": [], "peak_mb": [], "rows": None, "over": False, "error": None}
    for _ in range(runs):
        run = fork_once(step, budget)
        if run.get("over"):
            out["over"] = True
            break
        if run.get("error"):
            out["error"] = run["error"]
            break
        out["seconds"].append(run["seconds"])
        out["peak_mb"].append(run["peak_mb"])
        out["rows"] = run["rows"]
        if run["seconds"] > slow:
            break
    return out


def fork_once(step: Callable[[], int], budget: float) -> dict[str, Any]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, report through the pipe, leave without running the parent's clean-up
        os.close(read_end)
        try:
            seconds, rows = timed(step)
            message = {"seconds": seconds, "rows": rows}
        except BaseException as exc:  # noqa: BLE001 - any failure is reported, never hangs the parent
            message = {"error": f"{type(exc).__name__}: {exc}"}
        os.write(write_end, json.dumps(message).encode())
        os._exit(0)
    os.close(write_end)
    deadline = time.monotonic() + budget
    chunks: list[bytes] = []
    while True:
        # Read while waiting, so that a large message never blocks the child on a full pipe.
        ready, _, _ = select.select([read_end], [], [], 0.01)
        if ready:
            chunk = os.read(read_end, 65536)
            if chunk:
                chunks.append(chunk)
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.wait4(pid, 0)
            os.close(read_end)
            return {"over": True}
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    if not chunks:
        return {"error": f"the child exited with status {status} and no result"}
    result: dict[str, Any] = json.loads(b"".join(chunks))
    result["peak_mb"] = usage.ru_maxrss / 1024
    return result


# ---------------------------------------------------------------- command line

TASKS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "prepare": task_prepare, "load": task_load, "derive": task_derive, "validate": task_validate,
    "export": task_export, "target": task_target, "queries": task_queries,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one benchmark task (see benchmarks/run.py).")
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--data", type=Path, help="synthetic data (N-Triples), read with the ontology")
    parser.add_argument("--inferred", type=Path, help="ontology + data + derived triples (from prepare)")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--engine", default="oxigraph")
    parser.add_argument("--format", default="turtle")
    parser.add_argument("--verify", action="store_true")
    parser.add_argument("--rewritten", action="store_true")
    parser.add_argument("--shipped", action="store_true", help="queries: the examples' own parameters")
    parser.add_argument("--only", default="", help="queries: comma-separated names (default: all)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--budget", type=float, default=300.0)
    parser.add_argument("--slow", type=float, default=10.0)
    args = parser.parse_args(argv)
    emit(TASKS[args.task](args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
