"""Fuzzing: whatever arrives, the loader, the rules and the fixes only ever report findings.

Random text almost never forms a Kubernetes object (an earlier alphabet fuzzer produced 0
objects in 300 examples), so it never reached the rules. The structural mutator here starts
from the real fixtures and examples instead and replaces one value of one object with a value
of the wrong shape (a list, a mapping, a number, null, a boolean, a huge or empty string),
which is what half-edited manifests and misplaced Helm values look like. A run passes when
nothing raises and no rule reports an internal error. `AICONF_FUZZ_RUNS` sets how many runs
(default 1000; every path of every fixture with each value is about 140,000).
"""

from __future__ import annotations

import copy
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiconf_lint.engine import lint
from aiconf_lint.fix.apply import Mode
from aiconf_lint.fix.loop import run_fixes
from aiconf_lint.input.load import Limits, load_bytes, load_text
from aiconf_lint.k8s.objects import is_k8s_object
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings

REPO = Path(__file__).parents[1]
CORPORA = ("tests/rules/fixtures", "tests/fix/fixtures", "examples")
RUNS = int(os.environ.get("AICONF_FUZZ_RUNS", "1000"))
FIX_EVERY = 40  # the fix engine (ruamel) is slower: one run in this many also fixes
SUBSTITUTES: tuple[object, ...] = (
    [],
    ["x", 1],
    {},
    {"a": {"b": "c"}},
    0,
    -7,
    2.5,
    None,
    True,
    "x" * 20_000,
    "",
    "nvidia.com/gpu",
)

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Stream:
    name: str
    documents: list[object]
    paths: list[tuple[int, Path_]] = field(default_factory=list)


def _paths(node: object, prefix: Path_ = ()) -> Iterator[Path_]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str):
                yield (*prefix, key)
                yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def _streams() -> list[Stream]:
    found: list[Stream] = []
    for corpus in CORPORA:
        for file in sorted((REPO / corpus).rglob("*.yaml")):
            try:
                documents = list(yaml.safe_load_all(file.read_text(encoding="utf-8")))
            except (yaml.YAMLError, UnicodeDecodeError):
                continue  # fixtures of invalid YAML: the byte fuzzer covers those
            stream = Stream(file.relative_to(REPO).as_posix(), documents)
            for index, doc in enumerate(documents):
                if is_k8s_object(doc):
                    stream.paths.extend((index, path) for path in _paths(doc))
            if stream.paths:
                found.append(stream)
    return found


def _mutate(stream: Stream, index: int, path: Path_, value: object) -> str:
    documents = copy.deepcopy(stream.documents)
    node = documents[index]
    for step in path[:-1]:
        node = node[step]  # type: ignore[index]
    node[path[-1]] = copy.deepcopy(value)  # type: ignore[index]
    return str(yaml.safe_dump_all(documents, sort_keys=False, width=4096))


@dataclass
class Tally:
    runs: int = 0
    with_objects: int = 0
    fixed: int = 0

    @property
    def ratio(self) -> float:
        return self.with_objects / self.runs if self.runs else 0.0


def _crashes(errors: list[object]) -> list[str]:
    return [str(e) for e in errors if "internal error" in str(e)]


@pytest.fixture(scope="module")
def tally() -> Tally:
    return Tally()


def test_rules_and_fixes_survive_values_of_the_wrong_shape(
    tally: Tally, record_property: object
) -> None:
    streams = _streams()
    candidates = [(s, i, p) for s in streams for i, p in s.paths]
    assert len(candidates) > 5_000, "the fixtures should offer thousands of values to mutate"
    rng = random.Random(20261202)
    settings_ = Settings()
    rules = enabled_rules(settings_)
    failures: list[str] = []
    for run in range(RUNS):
        stream, index, path = rng.choice(candidates)
        value = SUBSTITUTES[run % len(SUBSTITUTES)]
        text = _mutate(stream, index, path, value)
        source = load_text(stream.name, text)
        tally.runs += 1
        if any(is_k8s_object(doc.data) for doc in source.documents):
            tally.with_objects += 1
        where = f"{stream.name} doc {index} {path} = {str(value)[:20]!r}"
        try:
            report = lint([source], settings_, rules)
            failures.extend(f"{where}: {crash}" for crash in _crashes(list(report.errors)))
            if run % FIX_EVERY == 0:
                tally.fixed += 1
                fixed = run_fixes({stream.name: text}, settings_, rules, unsafe=True)
                failures.extend(f"{where}: fix: {e}" for e in fixed.errors if "internal" in e)
                stream_mode = run_fixes(
                    {stream.name: text}, settings_, rules, unsafe=True, mode=Mode.STREAM
                )
                failures.extend(f"{where}: fix -: {e}" for e in stream_mode.errors)
        except Exception as exc:  # the point of the test: report every one, not the first
            failures.append(f"{where}: {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures[:20])
    print(  # shown with -s; the numbers the reliability note quotes
        f"fuzz: {tally.runs} runs, {tally.with_objects} with objects "
        f"({tally.ratio:.1%}), {tally.fixed} also fixed"
    )
    assert tally.ratio > 0.9, "mutations should keep reaching the rules"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=300))
def test_loader_never_raises_on_bytes(raw: bytes) -> None:
    source = load_bytes("fuzz.yaml", raw, Limits(max_depth=50, max_alias_expansion=1000))
    for problem in source.problems:
        assert problem.code in {"SYN001", "SYN002", "SYN003"}
        assert problem.line >= 1
