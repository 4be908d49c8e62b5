"""aiconf-lint benchmark: whole processes on real (or generated) manifests against bare libyaml.

Real data (the figures that matter):

    python3 bench/bench.py --tree path/to/manifests --copies 40           # a repository tree
    python3 bench/bench.py --tree path/to/manifests --copies 40 --stream  # one long stream

`--tree` copies every YAML file under the given directory `--copies` times, unrenamed, into
`env-NN/` folders of a temporary repository (the overlay case: one set of manifests per
environment, the same names and labels in each); `--stream` concatenates the same documents
into one file instead. Without `--tree`, generated manifests are used (`bench/generate.py`):
generic labels shared across components, objects without a namespace, and every kind some
rule reads, so that the cross-document rules have real work to do.

For each copy count (5, 10, 20 and 40 by default; `--counts`), it runs libyaml's
`compose_all` over the same files and `aiconf-lint check --output-format json` (all rules) as
whole processes, and reports their CPU time (user + system, from the operating system's
accounting of the finished child), the ratio, lint time per document and the lint process's
peak memory. Time per document is also given net of the fixed start-up cost (a check of an
empty directory, run in turn with the others), so that the linearity figure is not flattered
by start-up at small counts.
Last, the wall time of a check of one small file: what a pre-commit user waits for.

Processes run with bytecode caching on (`PYTHONDONTWRITEBYTECODE` removed), as an installed
package does. `--code DIR` runs another checkout of aiconf-lint (for before/after figures on the
same machine in the same session). It is a measurement, not a test: nothing asserts on timings.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_repository

REPO = Path(__file__).resolve().parent.parent
YAML_SUFFIXES = (".yaml", ".yml")

SMALL = """\
apiVersion: batch/v1
kind: Job
metadata: {name: trainer}
spec:
  template:
    spec:
      containers:
        - name: trainer
          image: pytorch/pytorch:2.4.0
          resources:
            limits: {nvidia.com/gpu: 1}
"""

COMPOSE = """\
import os, sys, yaml
target = sys.argv[1]
if os.path.isdir(target):
    files = []
    for folder, dirs, names in os.walk(target):
        dirs.sort()
        files += [os.path.join(folder, n) for n in sorted(names) if n.endswith(('.yaml', '.yml'))]
else:
    files = [target]
for path in files:
    with open(path, encoding='utf-8') as handle:
        for _ in yaml.compose_all(handle.read(), Loader=yaml.CSafeLoader):
            pass
"""


@dataclass(frozen=True, slots=True)
class Run:
    cpu: float
    wall: float
    peak_mb: float
    status: int


def run_once(args: list[str], env: dict[str, str], cwd: Path, out: Path | None = None) -> Run:
    """One whole process; CPU time and peak memory from the kernel's accounting of the child."""
    stdout = open(out, "wb") if out else subprocess.DEVNULL  # noqa: SIM115
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=stdout, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if out:
            stdout.close()  # type: ignore[union-attr]
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, proc.returncode)


def measure(args: list[str], env: dict[str, str], cwd: Path, repeat: int) -> Run:
    """The median of `repeat` runs after one warm-up run (which also fills the bytecode cache)."""
    run_once(args, env, cwd)
    runs = [run_once(args, env, cwd) for _ in range(repeat)]
    return Run(
        statistics.median(r.cpu for r in runs),
        statistics.median(r.wall for r in runs),
        max(r.peak_mb for r in runs),
        max(r.status for r in runs),
    )


def source_files(root: Path) -> dict[str, str]:
    """Every YAML file under `root`, by relative path, in a stable order."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name.endswith(YAML_SUFFIXES):
            found[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return found


def as_stream_part(text: str) -> str:
    """One file's documents, ready to follow others in a stream."""
    body = text if text.endswith("\n") else text + "\n"
    return body if body.startswith("---") else "---\n" + body


def lay_out(copies: list[dict[str, str]], dest: Path, stream: bool) -> Path:
    """The copies as a repository tree (`env-NN/<path>`) or as one stream; returns the target."""
    if stream:
        target = dest / "stream.yaml"
        with open(target, "w", encoding="utf-8") as handle:
            for files in copies:
                for text in files.values():
                    handle.write(as_stream_part(text))
        return target
    target = dest / "repo"
    for i, files in enumerate(copies):
        for rel, text in files.items():
            path = target / f"env-{i:02d}" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return target


def count_documents(copies: list[dict[str, str]]) -> int:
    return sum(
        1
        for files in copies
        for text in files.values()
        for node in yaml.compose_all(text, Loader=yaml.CSafeLoader)
        if node is not None
    )


def size_mb(target: Path) -> float:
    paths = [target] if target.is_file() else [p for p in target.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in paths) / 1e6


@dataclass(frozen=True, slots=True)
class Setup:
    tree: Path | None
    stream: bool
    repeat: int
    python: str
    env: dict[str, str]
    check: list[str]
    tmp: Path


def copies_of(setup: Setup, count: int) -> list[dict[str, str]]:
    if setup.tree:
        return [source_files(setup.tree)] * count
    return [generate_repository(i) for i in range(count)]


def one_count(setup: Setup, count: int, empty: Path) -> float:
    """Print the table row for `count` copies; returns net lint ms per document.

    compose, lint and a check of an empty directory run in turn, repetition by repetition, and
    the ratio and the net time (lint minus the empty check) are taken within each repetition
    before the median, so that a machine whose speed drifts moves both sides alike.
    """
    copies = copies_of(setup, count)
    where = setup.tmp / f"layout-{count}"
    where.mkdir()
    target = lay_out(copies, where, setup.stream)
    documents = count_documents(copies)
    env, tmp = setup.env, setup.tmp
    commands = (
        [setup.python, "-c", COMPOSE, str(target)],
        [*setup.check, str(target)],
        [*setup.check, str(empty)],
    )
    for command in commands:
        run_once(command, env, tmp)  # warm-up
    rounds = [[run_once(c, env, tmp) for c in commands] for _ in range(setup.repeat)]
    compose = statistics.median(r[0].cpu for r in rounds)
    lint = statistics.median(r[1].cpu for r in rounds)
    ratio = statistics.median(r[1].cpu / r[0].cpu for r in rounds)
    net = statistics.median((r[1].cpu - r[2].cpu) / documents * 1000 for r in rounds)
    peak = max(r[1].peak_mb for r in rounds)
    report = where / "report.json"
    run_once([*setup.check, str(target)], env, tmp, report)
    findings = len(json.loads(report.read_text())["findings"])
    print(
        f"| {count} | {documents:,} | {size_mb(target):.1f} | {compose:.2f} "
        f"| {lint:.2f} | {ratio:.1f}x | {lint / documents * 1000:.2f} | {net:.2f} "
        f"| {peak:.0f} | {findings:,} |",
        flush=True,
    )
    shutil.rmtree(where)
    return net


def render_line(setup: Setup, count: int) -> None:
    """Whole-process CPU of the same check printed as concise text and as SARIF.

    SARIF rendering was once quadratic in the findings (each finding split its file's text
    again); the two figures side by side show it stays a constant factor of concise output.
    """
    where = setup.tmp / f"render-{count}"
    where.mkdir()
    target = lay_out(copies_of(setup, count), where, setup.stream)
    base = [a for a in setup.check if a not in ("--output-format", "json")]
    formats = {}
    for name in ("concise", "sarif"):
        command = [*base, "--output-format", name, str(target)]
        run_once(command, setup.env, setup.tmp)  # warm-up
        formats[name] = statistics.median(
            run_once(command, setup.env, setup.tmp).cpu for _ in range(setup.repeat)
        )
    report = where / "report.json"
    run_once([*setup.check, str(target)], setup.env, setup.tmp, report)
    findings = len(json.loads(report.read_text())["findings"])
    print(
        f"render {findings:,} findings ({count} copies), whole process CPU: concise "
        f"{formats['concise']:.2f} s, sarif {formats['sarif']:.2f} s"
    )
    shutil.rmtree(where)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--tree", type=Path, help="directory of real manifests to copy")
    parser.add_argument("--copies", type=int, default=40, help="largest copy count")
    parser.add_argument("--counts", help="copy counts, comma-separated (default 5,10,20,40)")
    parser.add_argument("--stream", action="store_true", help="one file instead of a tree")
    parser.add_argument("--repeat", type=int, default=3, help="counted runs per measure")
    parser.add_argument("--small-repeat", type=int, default=11, help="runs for one small file")
    parser.add_argument("--code", type=Path, default=REPO, help="aiconf-lint checkout to run")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    counts = (
        [int(c) for c in args.counts.split(",")]
        if args.counts
        else [c for c in (5, 10, 20, 40) if c <= args.copies] or [args.copies]
    )
    code = args.code.resolve()
    python = sys.executable
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(code)
    subprocess.run(
        [python, "-m", "compileall", "-q", str(code / "aiconf_lint")], check=True, env=env
    )
    check = [python, "-m", "aiconf_lint", "check", "--output-format", "json", "--exit-zero"]
    mode = "stream" if args.stream else "tree"
    data = f"{args.tree} (real)" if args.tree else "generated"
    print(f"data: {data}; layout: {mode}; code: {code}; median of {args.repeat} runs")
    print(f"python {sys.version.split()[0]}, libyaml {yaml.__with_libyaml__}")

    with tempfile.TemporaryDirectory(prefix="aiconf-bench-") as tmp_name:
        tmp = Path(tmp_name)
        setup = Setup(args.tree, args.stream, args.repeat, python, env, check, tmp)
        empty = tmp / "empty"
        empty.mkdir()
        startup = measure([*check, str(empty)], env, tmp, args.repeat)
        print(f"start-up (check of an empty directory): {startup.cpu * 1000:.0f} ms CPU")
        print("lint/compose and net ms/doc: medians of per-repetition figures (runs in turn)")
        print()
        print(
            "| copies | documents | MB | compose CPU s | lint CPU s | lint/compose "
            "| lint ms/doc | net ms/doc | lint peak MB | findings |"
        )
        print("|---" * 10 + "|")
        nets = [(count, one_count(setup, count, empty)) for count in counts]
        if len(nets) > 1:
            (low, low_net), (high, high_net) = nets[0], nets[-1]
            print()
            print(
                f"linearity: net lint time per document at {high} copies is "
                f"{high_net / low_net:.2f}x that at {low}"
            )
        render_line(setup, counts[-1])
        small = tmp / "small.yaml"
        small.write_text(SMALL)
        one = measure([*check, str(small)], env, tmp, args.small_repeat)
        print(
            f"one small file, whole process: {one.wall * 1000:.0f} ms wall (median of "
            f"{args.small_repeat}), {one.cpu * 1000:.0f} ms CPU, {one.peak_mb:.0f} MB peak"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
