"""Which model names a vLLM container answers to, when its command line settles it.

vLLM serves the names given by `--served-model-name` (one or more), else the model it loads
(`vllm serve <model>` or `--model <model>`). LoRA adapters add names at start-up
(`--lora-modules`) or at run time (`--enable-lora` with runtime updating), so a container
that enables LoRA may answer to any name and is never judged; neither is one whose command
line is not vLLM's own entry point or holds unrendered values.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiconf_lint.k8s.inference_servers import VLLM, command_line, recognise, runs_entry_point
from aiconf_lint.k8s.objects import as_list
from aiconf_lint.k8s.quantity import is_unresolved

_LORA_FLAGS = frozenset({"--enable-lora", "--lora-modules"})
_RUNTIME_LORA = "VLLM_ALLOW_RUNTIME_LORA_UPDATING"


def _runtime_lora(container: Mapping[str, object]) -> bool:
    for item in as_list(container.get("env")):
        if isinstance(item, Mapping) and item.get("name") == _RUNTIME_LORA:
            return str(item.get("value", "")).lower() in ("true", "1")
    return False


def _positional_model(tokens: list[str], i: int) -> bool:
    """Whether `tokens[i]` is `serve` after `vllm` and a model name follows it."""
    return (
        tokens[i] == "serve"
        and i > 0
        and tokens[i - 1].endswith("vllm")
        and i + 1 < len(tokens)
        and not tokens[i + 1].startswith("-")
    )


def served_names(container: Mapping[str, object]) -> frozenset[str] | None:
    """The model names the container serves; None when they cannot be known."""
    if recognise(container) is not VLLM or not runs_entry_point(container, VLLM):
        return None
    tokens = command_line(container).split()
    if any(is_unresolved(t) for t in tokens) or _runtime_lora(container):
        return None
    served: list[str] = []
    model: str | None = None
    i = 0
    while i < len(tokens):
        name, eq, value = tokens[i].partition("=")
        if name in _LORA_FLAGS:
            return None
        if name == "--served-model-name":
            if eq:
                served.append(value)
            else:
                while i + 1 < len(tokens) and not tokens[i + 1].startswith("-"):
                    i += 1
                    served.append(tokens[i])
        elif name == "--model":
            if eq:
                model = value
            elif i + 1 < len(tokens):
                i += 1
                model = tokens[i]
        elif _positional_model(tokens, i):
            i += 1
            model = tokens[i]
        i += 1
    if served:
        return frozenset(served)
    return frozenset({model}) if model else None
