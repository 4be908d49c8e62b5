"""Python sources that build pods: the objects they describe, as documents every rule reads.

ML teams often never write a manifest: an Airflow `KubernetesPodOperator`, a Kubeflow Pipelines
task, a Kubeflow Trainer job, the Kubernetes client's `V1Pod`, a cdk8s or Pulumi program. Each
call is turned into the Kubernetes object it produces (a Pod, a Job, a TrainJob, ...) whose
node marks are the Python positions (`python_values`), so the YAML rules judge it unchanged and
point at the Python literal.

Cost: a file is parsed by libcst only when it imports one of the known libraries and contains
a trigger string (an accelerator resource or provider label, or a KFP accelerator call); a run
without Python files never imports libcst.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from aiconf_lint.input.load import Limits, load_bytes
from aiconf_lint.input.positions import Positions
from aiconf_lint.input.python_calls import is_candidate_call
from aiconf_lint.input.source import Document, SourceFile, SourceProblem
from aiconf_lint.records import record

# A module that imports one of these may build pods.
_LIBRARY_RE = re.compile(
    r"^\s*(?:from|import)\s+(?:kubernetes|airflow\.providers\.cncf\.kubernetes"
    r"|airflow\.providers\.google\.cloud\.operators\.kubernetes_engine"
    r"|airflow\.providers\.amazon\.aws\.operators\.eks|kfp|kubeflow|cdk8s|imports|pulumi_kubernetes)\b",
    re.MULTILINE,
)
# Without one of these, no accelerator rule can fire: the file is not parsed at all. They are
# the accelerator resources and provider label prefixes of `k8s/accelerators.py` and
# `k8s/providers.py`, and the SDK calls that ask for accelerators without naming a resource.
_TRIGGER_RE = re.compile(
    r"nvidia\.com/|amd\.com/|intel\.com/|google\.com/tpu|aws\.amazon\.com/|habana\.ai/"
    r"|xilinx\.com/|cloud\.google\.com/|\.amazonaws\.com/|kubernetes\.azure\.com/|karpenter\."
    r"|instance-type|set_accelerator_|set_gpu_limit|resources_per_node|VISIBLE_DEVICES"
)


@record(frozen=True)
class PythonInterest:
    """Why a Python file was (not) read: for `-v` and for the speed claim in the README."""

    imports_library: bool
    has_trigger: bool

    @property
    def worth_parsing(self) -> bool:
        return self.imports_library and self.has_trigger


def interest(text: str) -> PythonInterest:
    return PythonInterest(bool(_LIBRARY_RE.search(text)), bool(_TRIGGER_RE.search(text)))


def load_python_bytes(path: str, raw: bytes, limits: Limits) -> SourceFile:
    """Decode within the same bounds as YAML (size, binary, encoding), then `load_python`."""
    return load_bytes(path, raw, limits, load_python)


def load_python(path: str, text: str) -> SourceFile:
    """A SourceFile whose documents are the objects the module builds (none when it builds none)."""
    source = SourceFile(path, text)
    if not interest(text).worth_parsing or not _builds_objects(text):
        return source
    from aiconf_lint.input.python_objects import objects_in_module

    try:
        import libcst as cst

        module = cst.parse_module(text)
    except Exception as exc:  # libcst's ParserSyntaxError, and RecursionError on deep nesting
        line, column = _error_position(exc)
        detail = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        message = str(detail).splitlines()[0].rstrip(".")
        source.problems.append(SourceProblem("SYN001", f"invalid Python: {message}", line, column))
        return source
    for index, (data, node) in enumerate(objects_in_module(module, path)):
        # The Python positions in the same compact table as YAML's; no YAML text to compose
        # again (the fix engine never edits a Python file as YAML).
        source.documents.append(Document(path, index, Positions.of(node), data, None))
    return source


def _builds_objects(text: str) -> bool:
    """Whether any call could build an object: the standard parser answers in a tenth of the
    time libcst takes, and most files that mention a GPU only pass it around as a string.

    A file the standard parser rejects goes on to libcst, which names the syntax error.
    """
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if isinstance(name, str) and is_candidate_call(name):
                return True
    return False


def _error_position(exc: Exception) -> tuple[int, int]:
    line = getattr(exc, "raw_line", None) or getattr(exc, "line", None)
    column = getattr(exc, "raw_column", None) or getattr(exc, "column", None)
    if isinstance(line, int) and isinstance(column, int):
        return max(line, 1), column + 1
    return 1, 1


def node_pairs(node: yaml.Node) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    """Entries of a synthesized mapping node (for tests that inspect positions)."""
    if isinstance(node, yaml.MappingNode):
        yield from node.value
