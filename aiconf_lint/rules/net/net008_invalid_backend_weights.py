"""NET008."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.quantity import parse_int
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.net._gateway import Ref, backend_rules, routes


def _label(ref: Ref) -> str:
    port = f":{ref.port}" if ref.port is not None else ""
    return f"{ref.kind} `{ref.name}{port}`"


class InvalidBackendWeights(Rule):
    """## What it does
    Checks the `backendRefs` of each route rule: reported when every backend has
    `weight: 0` (the weights sum to zero), and when the same backend (group, kind, name,
    namespace and port) is listed twice in one rule.

    ## Why is this bad?
    Weighted splitting is how the `ai_inference` requirement rolls out a new model: with all
    weights at zero the Gateway API says the rule must answer 500 to every request, which is
    an outage rather than a paused rollout. A backend listed twice takes the sum of its
    weights, so the split is not the one written; it usually means one line was meant to name
    the new version.

    ## Example
    ```yaml
    rules:
      - backendRefs:
          - {name: llama-v1, port: 8000, weight: 90}
          - {name: llama-v1, port: 8000, weight: 10}   # meant llama-v2
    ```

    Use instead:
    ```yaml
    rules:
      - backendRefs:
          - {name: llama-v1, port: 8000, weight: 90}
          - {name: llama-v2, port: 8000, weight: 10}
    ```

    ## References
    - https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref
    - https://gateway-api.sigs.k8s.io/guides/traffic-splitting/
    """

    code = "NET008"
    name = "invalid-backend-weights"
    summary = "A route rule's backend weights sum to zero, or it lists a backend twice"
    severity = Severity.WARNING
    requirements = ("ai_inference",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        for route in routes(ctx.bundle):
            for path, refs in backend_rules(route):
                if not refs:
                    continue
                weights = [parse_int(r.weight) if r.weight is not None else 1 for r in refs]
                if all(w == 0 for w in weights):
                    yield (
                        route,
                        Violation(
                            f"Every backend of a rule of {route.kind} `{route.name}` has weight 0, "
                            "so the rule answers every request with an error; give the serving "
                            "backend a positive weight",
                            path,
                            key_only=True,
                        ),
                    )
                seen: dict[tuple[str, str, str, str | None, int | str | None], Ref] = {}
                for ref in refs:
                    first = seen.setdefault(ref.identity(), ref)
                    if first is not ref:
                        yield (
                            route,
                            Violation(
                                f"A rule of {route.kind} `{route.name}` lists {_label(ref)} twice; "
                                "its weights add up, so the split is not the one written",
                                (*ref.path, "name"),
                                related=((first.path, "the first entry"),),
                            ),
                        )
