"""aiconf-lint benchmark: throughput against plain libyaml, and one-file wall time.

Run `python3 bench/bench.py` (add `--documents N`, `--repeat N`). It prints documents per
second for a full lint, the ratio to libyaml's `compose_all` on the same input (in-process and
as whole processes), and the wall time of `aiconf-lint check` on one small file, the cost a
pre-commit user feels on every commit. It is a measurement, not a test: nothing asserts on
timings, because shared CI machines are noisy.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

from aiconf_lint.engine import lint
from aiconf_lint.input.gcpause import paused_gc
from aiconf_lint.input.load import load_text
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings

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


def best_of(repeat: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def compose_only(text: str) -> None:
    for _ in yaml.compose_all(text, Loader=yaml.CSafeLoader):
        pass


def full_lint(text: str) -> int:
    settings = Settings()
    with paused_gc():
        source = load_text("bench.yaml", text)
        report = lint([source], settings, enabled_rules(settings))
    return len(report.findings)


def render_times(text: str, repeat: int) -> tuple[int, float, float]:
    """Findings, and the time to render them as concise text and as SARIF (linear in both)."""
    from aiconf_lint.output.sarif import SarifOptions, render_sarif
    from aiconf_lint.output.text import render_concise

    settings = Settings()
    with paused_gc():
        report = lint([load_text("bench.yaml", text)], settings, enabled_rules(settings))
        report.texts = {"bench.yaml": text}
    options = SarifOptions(warn=lambda _message: None)
    concise = best_of(repeat, lambda: render_concise(report))
    sarif = best_of(repeat, lambda: render_sarif(report, options))
    return len(report.findings), concise, sarif


def process_time(args: list[str], repeat: int) -> float:
    # Installed packages run from compiled bytecode; a checkout under PYTHONDONTWRITEBYTECODE
    # would recompile every module on every run and measure the compiler instead.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(args, check=False, capture_output=True, env=env)  # warm the bytecode cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=False, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=12_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    gc.disable()  # as the CLI does for its one-shot run
    text = generate(args.documents)
    documents = text.count("\n---\n") + 1
    compose = best_of(args.repeat, lambda: compose_only(text))
    lint_time = best_of(args.repeat, lambda: full_lint(text))
    findings = full_lint(text)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "bench.yaml"
        big.write_text(text)
        small = Path(tmp) / "small.yaml"
        small.write_text(SMALL)
        python = sys.executable
        compose_code = (
            "import sys, yaml\n"
            "for _ in yaml.compose_all(open(sys.argv[1]).read(), Loader=yaml.CSafeLoader): pass"
        )
        compose_proc = process_time([python, "-c", compose_code, str(big)], args.repeat)
        check = [python, "-m", "aiconf_lint", "check", "--output-format", "concise"]
        lint_proc = process_time([*check, str(big)], args.repeat)
        small_proc = process_time([*check, str(small)], max(5, args.repeat))
    print(f"input: {documents} documents, {len(text) / 1e6:.1f} MB, {findings} findings")
    print(f"libyaml compose_all:  {compose:.2f} s  ({documents / compose:,.0f} docs/s)")
    print(f"aiconf-lint (in-process): {lint_time:.2f} s  ({documents / lint_time:,.0f} docs/s)")
    print(f"ratio in-process lint/compose: {lint_time / compose:.2f}x")
    print(
        f"whole process: compose {compose_proc:.2f} s, check {lint_proc:.2f} s, "
        f"ratio {lint_proc / compose_proc:.2f}x"
    )
    print(f"one small file, whole process (median): {small_proc * 1000:.0f} ms")
    rendered, concise_render, sarif_render = render_times(text, args.repeat)
    print(
        f"render {rendered} findings: concise {concise_render:.2f} s, sarif {sarif_render:.2f} s "
        f"({sarif_render / max(rendered, 1) * 1e6:.0f} us per finding)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
