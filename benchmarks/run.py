"""Benchmark harness for issue #9 ("Speed and scale"): prints figures and writes docs/benchmarks.md.

    .venv/bin/python benchmarks/run.py --sizes 10k,100k,1M --runs 3 --budget 300 --output docs/benchmarks.md \
        --readme README.md

Both data profiles of benchmarks/generate.py are measured (--profiles dense,realistic): a realistic size is
labelled "1M realistic". The validators group runs benchmarks/validators.py (the validate step on pyshacl-turbo,
Jena SHACL and pySHACL beside the shipped path, with the reports compared). With --readme, the figures block of
the README (between its `benchmarks:begin` and `benchmarks:end` markers) is rewritten from the same results.

For each size it generates seeded synthetic data (benchmarks/generate.py) and measures, per engine, each
task in processes of its own (benchmarks/tasks.py): load, inference, every canned query, validation and
export; then the whole 1M target in one process, and the command line's own cost on the shipped data.
Timings are medians of --runs runs (a run slower than --slow seconds is not repeated); peak memory is the
kernel's high-water mark of the measuring process (wait4 ru_maxrss), the largest over the runs. A run over
its budget is killed and reported as "over N s"; a task whose previous size was over budget, or whose time
at the previous size scaled linearly to this size already exceeds the budget, is not run and is reported
as over the budget with the estimate. These are scripts that print figures, not tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from generate import parse_size, write
from results import EXPORT_FORMATS, Cell, cell_text, seconds_text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TASKS = HERE / "tasks.py"

REFERENCE = {"rdflib", "owlrl", "pyshacl"}
ENGINES: dict[str, list[str]] = {
    "load": ["rdflib", "oxigraph"],
    "derive": ["rdflib", "owlrl", "oxigraph", "oxigraph-rewritten"],
    "query": ["rdflib", "oxigraph"],
    "validate": ["pyshacl", "turbo"],
    "export": ["rdflib", "oxigraph"],
    "target": ["oxigraph", "oxigraph-rewritten"],
}
GROUPS = ("cli", "load", "derive", "query", "validate", "validators", "export", "target")
PROFILES = ("dense", "realistic")
LIBRARIES = ("iscm-kg", "rdflib", "pyoxigraph", "pyshacl", "pyshacl-turbo", "owlrl")


# ---------------------------------------------------------------- one measured process


@dataclass
class Outcome:
    wall: float
    peak_mb: float
    over: bool
    code: int
    result: dict[str, Any] | None
    stderr: str
    cpu: float = 0.0  # user + system seconds of the process (wait4): steadier than wall time on a shared machine


def spawn(cmd: Sequence[str], env: dict[str, str], budget: float) -> Outcome:
    """Run cmd in its own process group; kill the group at the budget; read its peak memory from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, env=env, start_new_session=True, cwd=ROOT)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(budget, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)  # not proc.wait(): wait4 also gives this child's rusage
        wall = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines = out.read().decode("utf-8", "replace").splitlines()
        stderr = err.read().decode("utf-8", "replace")
    result = next((json.loads(line[7:]) for line in reversed(lines) if line.startswith("RESULT ")), None)
    return Outcome(wall, usage.ru_maxrss / 1024, killed.is_set(), proc.returncode, result, stderr[-2000:],
                   usage.ru_utime + usage.ru_stime)


# ---------------------------------------------------------------- the harness


class Harness:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.workdir: Path = args.workdir
        self.cells: dict[tuple[str, str, str], Cell] = {}
        self.sizes: list[tuple[str, int]] = []  # (label, actual triples); a realistic label ends in " realistic"
        self.meta: dict[str, Any] = {}
        self.env = dict(os.environ)
        self.env["ISCM_KG_CACHE_DIR"] = str(self.workdir / "cache")  # never the user's cache
        self.env["ISCM_KG_NO_CACHE"] = "1"  # builds are measured, not read back

    def log(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def runs_at(self, label: str) -> int:
        for item in self.args.runs_at:
            size, _, runs = item.partition("=")
            if size.lower() == label.lower():
                return int(runs)
        return int(self.args.runs)

    # -------------------------------------------------------- deciding what to run

    def skip_reason(self, task: str, engine: str, index: int, budget: float) -> tuple[str, float | None]:
        """Why this task is not run at this size ('' to run it), with a linear estimate of its seconds."""
        triples = self.sizes[index][1]
        before = self.previous_index(index)
        previous = self.cells.get((task, engine, self.sizes[before][0])) if before is not None else None
        known: float | None = None
        estimate: float | None = None
        if previous is not None:
            known = previous.budget if previous.over else previous.median if previous.done else previous.floor
            assert before is not None
            estimate = known * triples / self.sizes[before][1] if known is not None else None
        reference_max = parse_size(self.args.reference_max) * 1.5  # sizes overshoot their label a little
        if engine in REFERENCE and not task.startswith("load") and triples > reference_max:
            return f"reference engines run up to {self.args.reference_max}", estimate
        if task == "target":  # the target contains the derivation: over budget if that alone was
            derive = self.cells.get(("derive", engine, self.sizes[index][0]))
            if derive is not None and (derive.over or derive.skipped):
                return "its derivation alone was over budget at this size", estimate
        if previous is None:
            return "", None
        if previous.over:
            return f"over at {previous.size}", estimate
        if previous.skipped:
            return previous.skipped, estimate
        if estimate is not None and estimate > budget:
            return f"{seconds_text(known or 0)} at {previous.size}, scaled linearly", estimate
        return "", None

    def previous_index(self, index: int) -> int | None:
        """The next smaller size of the same profile."""
        profile = profile_of(self.sizes[index][0])
        earlier = [i for i in range(index) if profile_of(self.sizes[i][0]) == profile]
        return earlier[-1] if earlier else None

    # -------------------------------------------------------- running

    def python_task(self, task: str, engine: str, index: int, argv: list[str], budget: float | None = None,
                    whole_process: bool = False) -> Cell:
        label = self.sizes[index][0]
        budget = budget or self.args.budget
        cell = Cell(task, engine, label, budget=budget)
        self.cells[(task, engine, label)] = cell
        cell.skipped, cell.floor = self.skip_reason(task, engine, index, budget)
        if cell.skipped:
            self.log(f"  {task} / {engine} @ {label}: not run ({cell.skipped})")
            return cell
        for _ in range(self.runs_at(label)):
            outcome = spawn([sys.executable, str(TASKS), *argv], self.env, budget)
            seconds = outcome.result["seconds"] if outcome.result else None
            if whole_process and seconds is not None:  # interpreter start and imports included
                seconds = outcome.wall
            if not self.record(cell, outcome, seconds):
                break
        self.log(f"  {task} / {engine} @ {label}: {cell_text(cell)}  {self.brief(cell)}")
        return cell

    def record(self, cell: Cell, outcome: Outcome, seconds: float | None) -> bool:
        """Add one run to the cell; False when no further run should follow."""
        if outcome.over:
            cell.over = True
            cell.info["peak_when_killed"] = outcome.peak_mb  # a lower bound of what it would have needed
            return False
        if outcome.code != 0 or seconds is None:
            cell.error = outcome.stderr.strip().splitlines()[-1] if outcome.stderr.strip() else f"exit {outcome.code}"
            self.log(f"    error: {outcome.stderr[-800:]}")
            return False
        cell.seconds.append(seconds)
        cell.peaks.append(outcome.peak_mb)
        cpu_runs = cell.info.get("cpu_runs", [])
        cell.info = {k: v for k, v in (outcome.result or {}).items() if k != "seconds"}
        cell.info["wall"] = outcome.wall
        cell.info["cpu_runs"] = [*cpu_runs, round(outcome.cpu, 3)]
        return bool(seconds <= self.args.slow)

    @staticmethod
    def brief(cell: Cell) -> str:
        return " ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in cell.info.items())

    # -------------------------------------------------------- the groups

    def prepare(self, label: str, target: int) -> tuple[Path, Path, int]:
        """The synthetic data and, untimed, the prepared graph (ontology + data + derived) of one size."""
        stem = label.replace(" ", "-")
        data = self.workdir / f"syn-{stem}-seed{self.args.seed}.nt"
        if not data.is_file():
            self.log(f"generating {data}")
            write(data, target, self.args.seed, profile_of(label))
        inferred = self.workdir / f"inferred-{stem}-seed{self.args.seed}.nt"
        facts: dict[str, Any] = self.meta.setdefault("data", {}).setdefault(label, {})
        if not inferred.is_file():
            verify = ["--verify"] if target <= parse_size(self.args.verify_max) else []
            self.log(f"preparing {inferred}")
            outcome = spawn([sys.executable, str(TASKS), "prepare", "--data", str(data), "--output", str(inferred),
                             *verify], self.env, 3600)
            if outcome.code != 0 or outcome.result is None:
                raise SystemExit(f"preparing {inferred} failed:\n{outcome.stderr}")
            facts.update(outcome.result)
        facts.update(count_entities(data))
        facts["inferred_triples"] = sum(1 for _ in open(inferred, "rb"))
        return data, inferred, int(facts["triples"])

    def run_size(self, index: int, data: Path, inferred: Path) -> None:
        label = self.sizes[index][0]
        groups = self.args.groups
        self.log(f"== {label}: {self.sizes[index][1]:,} triples")
        if "load" in groups:
            for engine in ENGINES["load"]:
                self.python_task("load", engine, index, ["load", "--data", str(data), "--engine", engine])
        if "derive" in groups:
            for engine in ENGINES["derive"]:
                self.python_task("derive", engine, index, ["derive", "--data", str(data), "--engine", engine])
        if "query" in groups:
            for engine in ENGINES["query"]:
                self.queries(engine, index, inferred)
        if "validate" in groups:
            for engine in ENGINES["validate"]:
                self.python_task("validate", engine, index,
                                 ["validate", "--inferred", str(inferred), "--engine", engine])
        if "validators" in groups:
            import validators

            size, profile = label.split(" ")[0], profile_of(label)
            self.meta.setdefault("validators", {})[label] = validators.measure(
                self.workdir / "validators", profile, size, validators.VALIDATORS, self.args.budget,
                parse_size(self.args.reference_max), self.args.seed, log=self.log)
        if "export" in groups:
            for fmt in EXPORT_FORMATS:
                for engine in ENGINES["export"]:
                    self.python_task(f"export {fmt}", engine, index,
                                     ["export", "--data", str(data), "--engine", engine, "--format", fmt])
        if "target" in groups:
            for engine in ENGINES["target"]:
                rewritten = ["--rewritten"] if engine == "oxigraph-rewritten" else []
                self.python_task("target", engine, index, ["target", "--data", str(data), *rewritten],
                                 whole_process=True)

    def queries(self, engine: str, index: int, inferred: Path) -> None:
        """All canned queries with one engine at one size: one template process, one fork per run."""
        from_names = self.query_names()
        label = self.sizes[index][0]
        budget = self.args.query_budget or self.args.budget
        wanted = []
        for name in from_names:
            cell = Cell(f"query {name}", engine, label, budget=budget)
            self.cells[(cell.task, engine, label)] = cell
            cell.skipped, cell.floor = self.skip_reason(cell.task, engine, index, budget)
            if not cell.skipped:
                wanted.append(name)
        if not wanted:
            self.log(f"  queries / {engine} @ {label}: none run")
            return
        runs = self.runs_at(label)
        argv = [sys.executable, str(TASKS), "queries", "--inferred", str(inferred), "--engine", engine,
                "--only", ",".join(wanted), "--runs", str(runs), "--budget", str(budget),
                "--slow", str(self.args.slow)]
        outcome = spawn(argv, self.env, self.args.budget + len(wanted) * runs * (budget + 5))
        if outcome.result is None:
            raise SystemExit(f"the query template failed:\n{outcome.stderr}")
        self.meta.setdefault("query_templates", {})[f"{engine}@{label}"] = {
            "load_seconds": outcome.result["load_seconds"], "peak_mb": outcome.peak_mb}
        for name, found in outcome.result["queries"].items():
            cell = self.cells[(f"query {name}", engine, label)]
            cell.seconds, cell.peaks, cell.over = found["seconds"], found["peak_mb"], found["over"]
            cell.error = found["error"] or ""
            cell.info = {"rows": found["rows"]}
            self.log(f"  query {name} / {engine} @ {label}: {cell_text(cell)}  rows={found['rows']}")

    @staticmethod
    def query_names() -> list[str]:
        from iscm_kg.query import catalogue

        return [q.name for q in catalogue.all_queries()]

    def cli(self) -> None:
        """The command line's own cost on the shipped data, each call a cold process."""
        exe = str(Path(sys.executable).with_name("iscm-kg"))
        warm = dict(self.env)
        warm.pop("ISCM_KG_NO_CACHE")
        warm["ISCM_KG_CACHE_DIR"] = str(self.workdir / "cli-cache")
        cold = dict(self.env)
        commands = {"iscm-kg --help": [exe, "--help"],
                    "iscm-kg query iom-secretariat": [exe, "query", "iom-secretariat"],
                    "iscm-kg validate": [exe, "validate"]}
        self.log("== the command line on the shipped data")
        self.cli_task("python -c pass", "bare interpreter", [sys.executable, "-c", "pass"], cold)
        for task, cmd in commands.items():
            for mode, env in (("warm cache", warm), ("no cache", cold)):
                self.cli_task(task, mode, cmd, env)
        # The whole website (issue 14: under 10 s), rebuilt over the previous one as a user would.
        site = [exe, "site", "--output", str(self.workdir / "site"), "--force"]
        self.cli_task("iscm-kg site", "warm cache", site, warm)
        if self.args.cli_all:
            from iscm_kg.query import catalogue

            for canned in catalogue.all_queries():
                params = [f"--param={p.name}={p.example}" for p in canned.parameters]
                # Named with its parameters: `iscm-kg query iom-secretariat` alone (its default, IOM) is above.
                self.cli_task(shlex.join(["iscm-kg", "query", canned.name, *params]), "warm cache",
                              [exe, "query", canned.name, *params], warm)

    def cli_task(self, task: str, mode: str, cmd: list[str], env: dict[str, str]) -> None:
        cell = Cell(task, mode, "shipped", budget=self.args.budget)
        self.cells[(task, mode, "shipped")] = cell
        spawn(cmd, env, self.args.budget)  # fills the cache (warm) or the OS file cache (no cache); not counted
        for _ in range(max(3, self.runs_at("shipped"))):
            outcome = spawn(cmd, env, self.args.budget)
            if outcome.code == 1 and task.endswith("validate"):  # violations found: still a finished run
                outcome.code = 0
            if not self.record(cell, outcome, outcome.wall):
                break
        self.log(f"  {task} / {mode}: {cell_text(cell)}")

    # -------------------------------------------------------- everything

    def run(self) -> dict[str, Any]:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.meta.update(machine_facts())
        self.meta["load_before"] = load_average()
        started = time.perf_counter()
        if "cli" in self.args.groups:
            self.cli()
        prepared = []
        for profile in self.args.profiles:
            for size in self.args.sizes:
                label = size if profile == "dense" else f"{size} {profile}"
                data, inferred, triples = self.prepare(label, parse_size(size))
                self.sizes.append((label, triples))
                prepared.append((data, inferred))
        for index, (data, inferred) in enumerate(prepared):
            self.run_size(index, data, inferred)
        self.meta["load_after"] = load_average()
        self.meta["wall_minutes"] = (time.perf_counter() - started) / 60
        return {"meta": self.meta, "sizes": self.sizes, "cells": [asdict(c) for c in self.cells.values()],
                "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(self.args).items()}}


def profile_of(label: str) -> str:
    """The data profile of a size label: "1M" is dense, "1M realistic" realistic."""
    return label.split(" ", 1)[1] if " " in label else "dense"


def merge(earlier: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    """Earlier results with the cells of the groups measured later put in their place (a partial re-run)."""
    groups = set(later["args"]["groups"])

    def group_of(cell: dict[str, Any]) -> str:
        return "cli" if cell["size"] == "shipped" else cell["task"].split(" ")[0]

    kept = [c for c in earlier["cells"] if group_of(c) not in groups]
    earlier["cells"] = kept + [c for c in later["cells"] if group_of(c) in groups]
    earlier.setdefault("reruns", []).append({"command": later["command"], "groups": sorted(groups),
                                             "date": later["meta"]["date"], "load_before": later["meta"]["load_before"],
                                             "load_after": later["meta"]["load_after"]})
    return earlier


# ---------------------------------------------------------------- facts about the data and the machine

TYPE_PREFIX = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/iscm-kg/ontology#"


def count_entities(data: Path) -> dict[str, int]:
    """Triples and instances per class of a generated file (it writes one rdf:type per entity)."""
    counts: dict[str, int] = {"triples": 0}
    with open(data, "rb") as handle:
        for line in handle:
            counts["triples"] += 1
            at = line.find(TYPE_PREFIX)
            if at > 0:
                name = line[at + len(TYPE_PREFIX):].split(b">", 1)[0].decode()
                counts[name] = counts.get(name, 0) + 1
    return counts



def machine_facts() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
                 platform.processor() or "unknown")
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").is_file() else ""
    total = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal")), 0)
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "cpu_model": model, "ram_gb": total / 1024 / 1024,
            "python": platform.python_version(), "platform": platform.platform(), "versions": versions,
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit}


def load_average() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


# ---------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
                        default=["10k", "100k", "1M"], help="comma-separated sizes in triples (default 10k,100k,1M)")
    parser.add_argument("--profiles", type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
                        default=list(PROFILES), help="data profiles of generate.py (default dense,realistic)")
    parser.add_argument("--readme", type=Path, help="rewrite the figures block of this README from the results")
    parser.add_argument("--runs", type=int, default=3, help="runs per task, each in a fresh process (default 3)")
    parser.add_argument("--runs-at", action="append", default=[], metavar="SIZE=N",
                        help="fewer (or more) runs at one size, e.g. 1M=1")
    parser.add_argument("--budget", type=float, default=300.0, help="seconds a task may take (default 300)")
    parser.add_argument("--query-budget", type=float, default=0.0,
                        help="seconds one canned query may take (default: --budget)")
    parser.add_argument("--slow", type=float, default=10.0, help="a run slower than this is not repeated (default 10)")
    parser.add_argument("--reference-max", default="100k",
                        help="largest size at which reference engines run, except for load (default 100k)")
    parser.add_argument("--verify-max", default="100k",
                        help="largest size at which the prepared graph is checked against the shipped rules")
    parser.add_argument("--groups", type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
                        default=list(GROUPS), help=f"what to measure (default {','.join(GROUPS)})")
    parser.add_argument("--no-cli-all", dest="cli_all", action="store_false",
                        help="skip running every canned query through the command line")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "iscm-kg-bench",
                        help="data, prepared graphs and caches (default: $TMPDIR/iscm-kg-bench)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--json", type=Path, help="also write the raw results here (default: WORKDIR/results.json)")
    parser.add_argument("--from-json", type=Path, help="only rewrite the document from earlier raw results")
    parser.add_argument("--merge", type=Path, metavar="RESULTS",
                        help="measure again only the groups given and put them in place of those of earlier results")
    parser.add_argument("--note", action="append", default=[], help="a sentence about the run (repeatable)")
    parser.add_argument("--finding", action="append", default=[],
                        help="a sentence for the notes on the causes, e.g. from a one-off check (repeatable)")
    args = parser.parse_args(argv)

    from report import render

    if args.from_json:
        results = json.loads(args.from_json.read_text())
        results["args"]["note"] = args.note or results["args"].get("note", [])
        results["args"]["finding"] = args.finding or results["args"].get("finding", [])
    else:
        unknown = sorted(set(args.groups) - set(GROUPS)) + sorted(set(args.profiles) - set(PROFILES))
        if unknown:
            parser.error(f"unknown groups {unknown}; the groups are {', '.join(GROUPS)}")
        results = Harness(args).run()
        results["command"] = shlex.join(["python", "benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
        if args.merge:
            results = merge(json.loads(args.merge.read_text()), results)
        raw = args.json or args.workdir / "results.json"
        raw.write_text(json.dumps(results, indent=1))
        print(f"raw results: {raw}", file=sys.stderr)
    args.output.write_text(render(results), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    if args.readme:
        from report import readme_block, replace_block

        args.readme.write_text(replace_block(args.readme.read_text(encoding="utf-8"), readme_block(results)),
                               encoding="utf-8")
        print(f"rewrote the figures block of {args.readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
