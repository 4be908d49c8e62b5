"""Run a renderer as a subprocess: temporary working directory, timeout, no network, no cluster.

Renderers are given an environment in which the things that could reach out or run code from
elsewhere are switched off: Helm's plugin, cache, config and data homes point into the
temporary directory (so no plugin or repository the user installed is seen), `KUBECONFIG`
names a file that does not exist, and HTTP(S) proxies point at a closed local port, so that a
fetch a renderer might still attempt fails at once instead of reaching the network.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

DEFAULT_TIMEOUT = 60.0
_CLOSED_PORT = "http://127.0.0.1:9"


class RenderError(Exception):
    """A chart or overlay could not be rendered; the message names it and says why."""

    def __init__(self, target: str, message: str) -> None:
        super().__init__(f"{target}: {message}")
        self.target = target
        self.reason = message


def sandbox_env(tmp: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a renderer runs in (see the module docstring for why each variable)."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT", "PYTHONPATH", "HELM_C_LIB")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    for name in ("HELM_PLUGINS", "HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"):
        folder = tmp / name.lower()
        folder.mkdir(exist_ok=True)
        env[name] = str(folder)
    env["HELM_REPOSITORY_CONFIG"] = str(tmp / "repositories.yaml")
    env["HELM_REGISTRY_CONFIG"] = str(tmp / "registry.json")
    env["KUBECONFIG"] = str(tmp / "no-kubeconfig")
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        env[proxy] = _CLOSED_PORT
    env["NO_PROXY"] = env["no_proxy"] = ""
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.update(extra or {})
    return env


def run(
    target: str,
    argv: Sequence[str],
    tmp: Path,
    timeout: float,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> bytes:
    """The renderer's stdout; any failure is a `RenderError` carrying its own message."""
    try:
        done = subprocess.run(
            list(argv),
            input=stdin,
            capture_output=True,
            cwd=tmp,
            env=dict(env) if env is not None else sandbox_env(tmp),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(target, f"{Path(argv[0]).name} timed out after {timeout:g} s") from None
    except OSError as exc:
        raise RenderError(target, f"cannot run {argv[0]}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise RenderError(target, message)
    return done.stdout
