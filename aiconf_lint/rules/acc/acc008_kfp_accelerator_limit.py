"""ACC008: a Kubeflow Pipelines task's accelerator limit that requests nothing, or uses the
deprecated `set_gpu_limit`."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.input.python_calls import KFP_CALL, KFP_QUOTE, KFP_TYPE
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Applicability, Fix, FixAvailability, Severity, TextEdit, Violation
from aiconf_lint.rule import Context, Rule

_GPU = "nvidia.com/gpu"


class KfpAcceleratorLimit(Rule):
    """Finds Kubeflow Pipelines v2 tasks whose accelerator limit has no accelerator type.

    ## What it does
    Reads Python pipelines (KFP v2 SDK) and reports a task that calls
    `set_accelerator_limit(n)`, or the deprecated `set_gpu_limit(n)`, without
    `set_accelerator_type(...)` (an error), and a task that still uses `set_gpu_limit` next to
    an accelerator type (information: the call is a deprecated alias).

    ## Why is this bad?
    The KFP v2 driver adds the accelerator limit to the pod only when the task also names the
    accelerator type: without it, the task is scheduled with no accelerator at all and runs on
    CPU, or fails much later, with no warning at compile time. KFP v1's `set_gpu_limit` did
    ask for `nvidia.com/gpu`, so code ported from v1 silently lost its GPUs.

    ## Example
    ```python
    from kfp import dsl


    @dsl.pipeline
    def pipeline() -> None:
        train_op().set_gpu_limit(1)
    ```

    Use instead:
    ```python
    from kfp import dsl


    @dsl.pipeline
    def pipeline() -> None:
        train_op().set_accelerator_type("nvidia.com/gpu").set_accelerator_limit(1)
    ```

    ## How to fix
    Name the accelerator (`set_accelerator_type("nvidia.com/gpu")`, or the resource your
    cluster serves) before the limit, and call `set_accelerator_limit`. KFP v1 code
    (`ContainerOp`) is not reported: there `set_gpu_limit` asks for the GPU itself.

    ## Fix safety
    `aiconf-lint fix` renames a deprecated `set_gpu_limit` that follows a type: safe, it is the
    same call. With `--unsafe-fixes` it adds `set_accelerator_type("nvidia.com/gpu")` (in the
    module's quote style) where the type is missing: unsafe, because the task then asks for a
    GPU it did not get before, and the cluster may serve another accelerator. Only the method
    name is rewritten; every other byte of the file stays.
    """

    code = "ACC008"
    name = "kfp-accelerator-limit"
    summary = (
        "A Kubeflow Pipelines task sets an accelerator limit without a type, or with the "
        "deprecated `set_gpu_limit`"
    )
    severity = Severity.ERROR
    fix_availability = FixAvailability.ALWAYS
    requirements = ("dra_support",)
    kinds = frozenset({"Pod"})

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        method = obj.annotations.get(KFP_CALL)
        if method is None:
            return
        typed = obj.annotations.get(KFP_TYPE) == "set"
        quote = obj.annotations.get(KFP_QUOTE, '"')
        path = ("metadata", "annotations", KFP_CALL)
        span, _ = obj.doc.span((*obj.base, *path))
        here = (span.line, span.column, span.end_line, span.end_column)
        if typed:
            if method != "set_gpu_limit":
                return
            yield Violation(
                f"{obj.display()} calls the deprecated `set_gpu_limit`; "
                "`set_accelerator_limit` is the same call",
                path,
                severity=Severity.INFO,
                fix=Fix(
                    "Call `set_accelerator_limit`",
                    (),
                    Applicability.SAFE,
                    (TextEdit(*here, "set_accelerator_limit"),),
                ),
            )
            return
        add_type = f"set_accelerator_type({quote}{_GPU}{quote})."
        if method == "set_gpu_limit":
            edit = TextEdit(*here, add_type + "set_accelerator_limit")
        else:
            edit = TextEdit(here[0], here[1], here[0], here[1], add_type)
        yield Violation(
            f"{obj.display()} sets an accelerator limit with `{method}` but no "
            "`set_accelerator_type`: KFP v2 then requests no accelerator at all",
            path,
            fix=Fix(
                f"Ask for `{_GPU}` with `set_accelerator_type`", (), Applicability.UNSAFE, (edit,)
            ),
        )
