"""Which containers run a known model server, and where each one serves its metrics.

The table is data, like the workload table: a server is recognised by its entry point in
`command`/`args` (the most reliable signal, since one image can run several programs) or, failing
that, by its image repository. Ports and paths are each project's documented defaults: vLLM and
NIM serve on their API port (8000, NIM at `/v1/metrics`), Triton on a separate port (8002),
SGLang only when started with `--enable-metrics`. Ray Serve and KServe predictors are recognised
by their object kind, since their pods are built by an operator.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from aiconf_lint.k8s.objects import as_list
from aiconf_lint.records import record


@record(frozen=True)
class InferenceServer:
    name: str
    metrics_port: int | None
    """The default port of `/metrics`; None when it is whatever HTTP port the server binds."""
    metrics_path: str
    port_flags: tuple[str, ...] = ()
    """Command-line flags that move the metrics port (the API port where they coincide)."""
    commands: tuple[str, ...] = ()
    """Regexes searched in the container's `command` and `args` joined by spaces."""
    images: tuple[str, ...] = ()
    """Regexes searched in the image reference without its tag or digest."""
    metrics_flag: str | None = None
    """A flag without which the server exposes no metrics at all."""
    port_env: str | None = None
    """An environment variable that sets the port when no flag does."""


VLLM = InferenceServer(
    "vLLM",
    8000,
    "/metrics",
    ("--port",),
    (r"(^|\s|/)vllm\s+serve\b", r"\bvllm\.entrypoints\.(openai\.)?api_server\b"),
    (r"(^|/)vllm/vllm-[a-z]+$", r"(^|/)vllm(-openai|-tpu)?$", r"[-_]vllm(\d|[-_]|$)"),
)
TRITON = InferenceServer(
    "Triton Inference Server",
    8002,
    "/metrics",
    ("--metrics-port",),
    (r"(^|\s|/)tritonserver(\s|$)",),
    (r"(^|/)tritonserver$",),
)
TGI = InferenceServer(
    "Text Generation Inference",
    None,
    "/metrics",
    ("--port",),
    (r"(^|\s|/)text-generation-launcher(\s|$)",),
    (r"text-generation-inference",),
    port_env="PORT",
)
SGLANG = InferenceServer(
    "SGLang",
    30000,
    "/metrics",
    ("--port",),
    (r"\bsglang\.launch_server\b", r"(^|\s|/)sglang\s+serve\b"),
    (r"(^|/)sglang$",),
    metrics_flag="--enable-metrics",
)
NIM = InferenceServer(
    "NVIDIA NIM",
    8000,
    "/v1/metrics",
    (),
    (),
    (r"^nvcr\.io/nim/",),
)
KSERVE_MODEL_SERVER = InferenceServer(
    "KServe model server",
    8080,
    "/metrics",
    ("--http_port",),
    (),
    (
        r"(^|/)kserve/(sklearnserver|xgbserver|lgbserver|pmmlserver|paddleserver)$",
        r"(^|/)kserve/huggingfaceserver$",
    ),
)
TORCHSERVE_KFS = InferenceServer(
    "TorchServe (KServe runtime)",
    8082,
    "/metrics",
    (),
    (),
    (r"(^|/)(kserve|pytorch)/torchserve-kfs$",),
)
MLSERVER = InferenceServer(
    "MLServer",
    8082,
    "/metrics",
    (),
    (),
    (r"(^|/)seldonio/mlserver$",),
)
RAY_SERVE = InferenceServer("Ray Serve", 8080, "/metrics")
"""KubeRay gives every Ray container a `metrics` port, 8080 by default."""
KSERVE_PREDICTOR = InferenceServer("a KServe predictor", None, "/metrics")

SERVERS: tuple[InferenceServer, ...] = (
    VLLM,
    TRITON,
    TGI,
    SGLANG,
    NIM,
    KSERVE_MODEL_SERVER,
    TORCHSERVE_KFS,
    MLSERVER,
)


_PROXIES = ("router", "sidecar", "proxy", "gateway")
"""Images of routers and sidecars in front of a server, which are not the server itself."""


def image_repository(image: str) -> str:
    """`ghcr.io/x/y:1.2@sha256:...` -> `ghcr.io/x/y` (a registry port is not a tag)."""
    ref = image.split("@", 1)[0]
    slash = ref.rfind("/")
    colon = ref.rfind(":")
    return ref[:colon] if colon > slash else ref


def command_line(container: Mapping[str, object]) -> str:
    parts = [str(p) for p in as_list(container.get("command")) + as_list(container.get("args"))]
    return " ".join(parts)


def _joined(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


# One compiled alternation per server: `recognise` runs for every container of every run.
_COMMAND_RES = {id(server): _joined(server.commands) for server in SERVERS}
_IMAGE_RES = {id(server): _joined(server.images) for server in SERVERS}


def _search(table: dict[int, re.Pattern[str] | None], server: InferenceServer, text: str) -> bool:
    pattern = table.get(id(server))
    if pattern is None and id(server) not in table:
        pattern = _joined(server.commands if table is _COMMAND_RES else server.images)
    return pattern is not None and pattern.search(text) is not None


def recognise(container: Mapping[str, object]) -> InferenceServer | None:
    """The server a container runs, by entry point first, then by image."""
    return _recognise(command_line(container), str(container.get("image") or ""))


@functools.lru_cache(maxsize=4096)
def _recognise(line: str, image: str) -> InferenceServer | None:
    """Pure in its two strings, which fleets of manifests repeat: cached across containers."""
    if line:
        for server in SERVERS:
            if _search(_COMMAND_RES, server, line):
                return server
    repository = image_repository(image).lower()
    if not repository or any(word in repository for word in _PROXIES):
        return None
    for server in SERVERS:
        if _search(_IMAGE_RES, server, repository):
            return server
    return None


def runs_entry_point(container: Mapping[str, object], server: InferenceServer) -> bool:
    """Whether the command line names the server's own entry point (not just its image)."""
    return _search(_COMMAND_RES, server, command_line(container))


def flag_value(container: Mapping[str, object], flags: tuple[str, ...]) -> str | None:
    """The value of the last of `flags` on the command line (`--port 80`, `--port=80`)."""
    tokens = command_line(container).split()
    found: str | None = None
    for i, token in enumerate(tokens):
        name, eq, value = token.partition("=")
        if name in flags:
            if eq:
                found = value
            elif i + 1 < len(tokens):
                found = tokens[i + 1]
    return found


def _env(container: Mapping[str, object], name: str) -> str | None:
    for item in as_list(container.get("env")):
        if isinstance(item, Mapping) and item.get("name") == name:
            value = item.get("value")
            return None if value is None else str(value)
    return None


def metrics_port(container: Mapping[str, object], server: InferenceServer) -> int | None:
    """The port `/metrics` is on: a flag or variable when set, else the server's default.

    Unknown (None) when the container replaces the image's entry point with something that
    is not the server's own (a wrapper script may pass any port).
    """
    value = flag_value(container, server.port_flags) if server.port_flags else None
    if value is None and server.port_env:
        value = _env(container, server.port_env)
    if value is not None:
        return int(value) if value.isdigit() else None
    line = " ".join(str(p) for p in as_list(container.get("command")))
    if line and not any(re.search(pattern, line) for pattern in server.commands):
        return None
    return server.metrics_port


def metrics_enabled(container: Mapping[str, object], server: InferenceServer) -> bool:
    if server.metrics_flag is None:
        return True
    return server.metrics_flag in command_line(container).split()
