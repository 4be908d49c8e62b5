"""Render one chart with helm-python-sdk in its own process (`python -I` runs this file).

Reads a JSON request on stdin ({chart, values_files, set, release_name, namespace,
kube_version, api_versions}) and writes what `helm template` would: each manifest as a
`---` document headed by `# Source: <chart>/templates/<file>`. Running in a child process keeps
the Go runtime, its memory and any crash out of aiconf-lint, and lets the caller time it out.
Nothing here contacts a cluster (`lookup` renders empty) or fetches anything.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)


def merge(into: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Helm's merge of several `-f` files: maps merge key by key, anything else replaces."""
    out = dict(into)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _values(request: dict[str, Any], helm: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for path in request.get("values_files", []):
        with open(path, encoding="utf-8") as handle:
            import yaml

            loaded = yaml.safe_load(handle)
        if loaded is None:
            continue
        if not isinstance(loaded, dict):
            raise ValueError(f"{path}: a values file must be a YAML mapping")
        values = merge(values, loaded)
    for expression in request.get("set", []):
        values = merge(values, helm.parse_set_string(expression))
    return values


def render(request: dict[str, Any]) -> str:
    import helm_python as helm
    from helm_python import _native

    values = _values(request, helm)
    opts: dict[str, Any] = {"name": request["release_name"], "namespace": request["namespace"]}
    if request.get("kube_version"):
        opts["kube_version"] = request["kube_version"]
    if request.get("api_versions"):
        opts["api_versions"] = request["api_versions"]
    opts["is_install"] = True
    with helm.Chart.load(request["chart"]) as chart:
        # Chart.render does not expose kube_version/api_versions; the native call takes them.
        raw = _native.call_string("helm_render", chart._raw(), json.dumps(values), json.dumps(opts))
    manifests: dict[str, str] = json.loads(raw)
    parts: list[str] = []
    for name in sorted(manifests):
        body = manifests[name]
        if name.endswith("NOTES.txt"):
            continue
        # As `helm template` does: every document of a template gets its own `# Source:`.
        parts.extend(
            f"---\n# Source: {name}\n{doc.strip(chr(10)).rstrip()}\n"
            for doc in _SEPARATOR.split(body)
            if doc.strip()
        )
    return "".join(parts)


def main() -> int:
    try:
        request = json.loads(sys.stdin.read())
        # `-I` left out the working directory (the checked repository) and PYTHONPATH; the
        # caller names the folders it imports from itself, so both processes see one library.
        sys.path.extend(p for p in request.get("import_path", []) if p not in sys.path)
        sys.stdout.write(render(request))
    except Exception as exc:  # every failure is the renderer's message, never a traceback
        detail = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
        sys.stderr.write(f"{detail}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
