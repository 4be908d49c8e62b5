"""ACC005."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.accelerator_use import describe, node_terms
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

PRODUCT_LABEL = "nvidia.com/gpu.product"


class ExactGpuProductSelector(Rule):
    """## What it does
    Reports pod templates that select nodes by an exact value of the GPU Feature Discovery
    label `nvidia.com/gpu.product`, in `nodeSelector` or in an `In` term of required or
    preferred node affinity.

    ## Why is this bad?
    The label's value is not the product alone. With time-slicing and `renameByDefault: false`
    GFD appends `-SHARED` (`Tesla-T4-SHARED`), with the MIG `single` strategy it appends the
    profile (`A100-SXM4-40GB-MIG-1g.5gb`), and the same GPU is named differently by form
    factor and memory size. The day the platform turns on GPU sharing or MIG, the selector
    matches no node and the pods stay Pending. The family, memory and compute-capability
    labels express the real need and survive those changes; a DRA CEL selector on device
    attributes selects the device itself rather than the node.

    ## Example
    ```yaml
    nodeSelector:
      nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB
    ```

    Use instead:
    ```yaml
    affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
            - matchExpressions:
                - key: nvidia.com/gpu.family
                  operator: In
                  values: [ampere, hopper]
                - key: nvidia.com/gpu.memory
                  operator: Gt
                  values: ["40000"]
    ```

    ## References
    - https://github.com/NVIDIA/k8s-device-plugin/blob/main/docs/gpu-feature-discovery/README.md
    - https://github.com/NVIDIA/k8s-device-plugin#shared-access-to-gpus
    """

    code = "ACC005"
    name = "exact-gpu-product-selector"
    summary = "Node selection by an exact `nvidia.com/gpu.product` value"
    severity = Severity.INFO
    requirements = ("gpu_sharing",)

    def check_pod_template(self, ctx: Context, template: PodTemplate) -> Iterator[Violation]:
        for term in node_terms(template):
            if term.key != PRODUCT_LABEL or term.operator != "In" or not term.values:
                continue
            values = ", ".join(f"`{v}`" for v in term.values)
            if len(term.values) > 1:
                values = f"one of {values}"
            yield Violation(
                f"{describe(template)} requires `{PRODUCT_LABEL}` to be exactly {values} in its "
                f"{term.source}, which no longer matches once GPU sharing or MIG renames the "
                "product; select by `nvidia.com/gpu.family` or `nvidia.com/gpu.memory`, or use a "
                "DRA selector",
                term.path,
                key_only=term.key_only,
            )
