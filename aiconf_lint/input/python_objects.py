"""The Kubernetes objects a Python module builds, found call by call.

Which calls count, and the object each becomes:
- Airflow's `KubernetesPodOperator` (and the GKE/EKS variants, and `@task.kubernetes`): a Pod
  whose one container is named `base`, as the operator names it.
- Kubeflow Pipelines task calls: `set_accelerator_type`/`set_accelerator_limit`, the
  deprecated `set_gpu_limit`, `kfp.kubernetes.add_node_selector`/`add_toleration`, grouped by
  the task they act on: a Pod with one container.
- Kubeflow Trainer `CustomTrainer(num_nodes=..., resources_per_node=...)`: a TrainJob.
- Kubernetes client models (`V1Pod`, `V1Job`, `V1PodSpec`, `V1Container`,
  `V1ResourceRequirements`, ...), Pulumi (`k8s.apps.v1.Deployment`, `*Args`) and cdk8s
  (`k8s.KubeDeployment`, `k8s.Container`, ...): the object they are, or the smallest Pod that
  holds them when the code builds a part.
A model call that is part of a larger one already found (followed through a variable) is not
reported twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst
import yaml
from libcst.metadata import MetadataWrapper, PositionProvider

from aiconf_lint.input.python_calls import KFP_CALL, KFP_QUOTE, KFP_TYPE, is_cdk8s_props, model_kind
from aiconf_lint.input.python_values import (
    STR_TAG,
    Converter,
    Positions,
    Scope,
    Value,
    dotted_name,
)

_WORKLOAD_API = {
    "Pod": "v1",
    "Job": "batch/v1",
    "CronJob": "batch/v1",
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "DaemonSet": "apps/v1",
    "ReplicaSet": "apps/v1",
}
_SPEC_OF = {"JobSpec": "Job", "DeploymentSpec": "Deployment", "StatefulSetSpec": "StatefulSet"}
# Smaller parts come later: a part already inside an object found earlier is skipped.
_RANK = {
    **dict.fromkeys(_WORKLOAD_API, 1),
    **dict.fromkeys(_SPEC_OF, 2),
    "PodTemplateSpec": 3,
    "PodSpec": 4,
    "Container": 5,
    "ResourceRequirements": 6,
}
_AIRFLOW_OPERATORS = {"KubernetesPodOperator", "GKEStartPodOperator", "EksPodOperator"}
_PULUMI_RE = re.compile(r"\.(core|apps|batch)\.(v\d\w*)\.([A-Z]\w+)$")
_KFP_ACCELERATOR = {"set_accelerator_type", "set_accelerator_limit", "set_gpu_limit"}
_KFP_CHAIN = re.compile(r"^(set_|add_|after$|ignore_upstream_failure$)")
# KFP v1 (ContainerOp) code; v2 tasks are built from `@dsl.component` functions.
_KFP_V1_RE = re.compile(r"\bContainerOp\b|create_component_from_func|func_to_container_op|kfp\.gcp")
_GPU_VENDORS = {"nvidia": "nvidia.com/gpu", "amd": "amd.com/gpu"}
_TRAINER_GPU = {"gpu": "nvidia.com/gpu"}

# Airflow keyword -> (where in the pod, manifest key). `pod` is spec, `container` the container.
_AIRFLOW_POD = {
    "node_selector": "nodeSelector",
    "affinity": "affinity",
    "tolerations": "tolerations",
    "security_context": "securityContext",
    "volumes": "volumes",
    "hostnetwork": "hostNetwork",
    "service_account_name": "serviceAccountName",
    "priority_class_name": "priorityClassName",
    "schedulername": "schedulerName",
}
_AIRFLOW_CONTAINER = {
    "image": "image",
    "cmds": "command",
    "arguments": "args",
    "container_resources": "resources",
    "container_security_context": "securityContext",
    "volume_mounts": "volumeMounts",
    "ports": "ports",
}


class _Calls(cst.CSTVisitor):
    """Every call with the function scopes around it (innermost first, module last)."""

    def __init__(self) -> None:
        self.calls: list[tuple[cst.Call, tuple[int, ...]]] = []
        self.decorated: dict[int, str] = {}
        self.labels: dict[int, str] = {}
        """A call's name for messages: the variable it is assigned to, else its function."""
        self._scopes: list[int] = [0]
        self._functions: list[str] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        target = node.targets[0].target if len(node.targets) == 1 else None
        if isinstance(node.value, cst.Call) and isinstance(target, cst.Name):
            self.labels[id(node.value)] = target.value

    def visit_Return(self, node: cst.Return) -> None:
        if isinstance(node.value, cst.Call) and self._functions:
            self.labels[id(node.value)] = self._functions[-1]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for decorator in node.decorators:
            if isinstance(decorator.decorator, cst.Call):
                self.decorated[id(decorator.decorator)] = node.name.value
        self._scopes.append(id(node))
        self._functions.append(node.name.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._scopes.pop()
        self._functions.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._scopes.append(id(node))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._scopes.pop()

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append((node, tuple(reversed(self._scopes))))


class _Builder:
    def __init__(self, wrapper: MetadataWrapper, path: str) -> None:
        ranges = wrapper.resolve(PositionProvider)
        self.positions = Positions(ranges, path)
        self.scope = Scope(wrapper.module)
        self.convert = Converter(self.positions, self.scope)
        visitor = _Calls()
        wrapper.module.visit(visitor)
        self.calls = visitor.calls
        self.decorated = visitor.decorated
        code = wrapper.module.code
        self.kfp_v1 = bool(_KFP_V1_RE.search(code))
        self.quote = "'" if code.count("'") > code.count('"') else '"'
        self.labels = visitor.labels

    # -- synthesized parts, placed at the call that implies them --------------------------------

    def _anchor(self, call: cst.Call) -> cst.CSTNode:
        return call.func.attr if isinstance(call.func, cst.Attribute) else call.func

    def _scalar(self, call: cst.Call, text: str) -> Value:
        return self.positions.scalar(self._anchor(call), text, STR_TAG, text)

    def _map(self, call: cst.Call, entries: list[tuple[str, Value]]) -> Value:
        pairs = [(self._scalar(call, key), value) for key, value in entries]
        return self.positions.mapping(call, pairs, {key: value.data for key, value in entries})

    def _object(
        self, call: cst.Call, kind: str, api: str, name: str | None, body: list[tuple[str, Value]]
    ) -> Value:
        entries = [("apiVersion", self._scalar(call, api)), ("kind", self._scalar(call, kind))]
        keys = {key for key, _ in body}
        if "metadata" not in keys:
            meta = [("name", self._scalar(call, name))] if name else []
            entries.append(("metadata", self._map(call, meta)))
        return self._map(call, [*entries, *body])

    def _merge(self, value: Value, extra: list[tuple[str, Value]], call: cst.Call) -> Value:
        """`value` (a mapping the code wrote) with synthesized entries in front of it."""
        assert isinstance(value.node, yaml.MappingNode)
        assert isinstance(value.data, dict)
        pairs = [(self._scalar(call, key).node, item.node) for key, item in extra]
        data = {key: item.data for key, item in extra}
        data.update(value.data)
        node = yaml.MappingNode(
            value.node.tag, [*pairs, *value.node.value], value.node.start_mark, value.node.end_mark
        )
        return Value(data, node)

    # -- the object kinds ------------------------------------------------------------------------

    def objects(self) -> Iterator[Value]:
        models: list[tuple[int, int, cst.Call, tuple[int, ...], str]] = []
        for order, (call, scopes) in enumerate(self.calls):
            name = dotted_name(call.func)
            if name is None:
                continue
            tail = name.rsplit(".", 1)[-1]
            if tail in _AIRFLOW_OPERATORS or name.endswith("task.kubernetes"):
                models.append((0, order, call, scopes, "airflow"))
            elif tail == "CustomTrainer":
                models.append((0, order, call, scopes, "trainer"))
            elif (pulumi := _PULUMI_RE.search(f".{name}")) and pulumi.group(3) in _WORKLOAD_API:
                models.append((1, order, call, scopes, f"pulumi:{pulumi.group(3)}"))
            elif tail.startswith("Kube") and tail[4:] in _WORKLOAD_API:
                models.append((1, order, call, scopes, f"cdk8s:{tail[4:]}"))
            else:
                kind_name = model_kind(tail) or (tail if is_cdk8s_props(name) else None)
                if kind_name in _RANK:
                    models.append((_RANK[kind_name], order, call, scopes, f"model:{kind_name}"))
        models.sort(key=lambda item: (item[0], item[1]))
        found: list[tuple[int, Value]] = []
        for _, order, call, scopes, what in models:
            if id(call) in self.convert.consumed:
                continue
            built = self._build(call, scopes, what)
            if built is not None:
                found.append((order, self._named(built, call)))
        # Whole objects were built first so that their parts are not reported twice; they are
        # reported in source order.
        found.sort(key=lambda item: item[0])
        yield from (value for _, value in found)
        yield from self._kfp_tasks()

    def _named(self, value: Value, call: cst.Call) -> Value:
        """Give an unnamed object the name of its variable (messages say which object)."""
        meta = value.data.get("metadata") if isinstance(value.data, dict) else None
        if not isinstance(meta, dict) or meta.get("name") or call_label(self, call) is None:
            return value
        meta_node = next(
            (v for k, v in _pairs(value.node) if getattr(k, "value", None) == "metadata"), None
        )
        if not isinstance(meta_node, yaml.MappingNode):
            return value
        label = str(call_label(self, call))
        name = self._scalar(call, label)
        meta_node.value.insert(0, (self._scalar(call, "name").node, name.node))
        meta["name"] = label
        return value

    def _build(self, call: cst.Call, scopes: tuple[int, ...], what: str) -> Value | None:
        family, _, kind = what.partition(":")
        if family == "airflow":
            return self._airflow(call, scopes)
        if family == "trainer":
            return self._trainer(call, scopes)
        if family in {"pulumi", "cdk8s"}:
            self.convert.consumed.add(id(call))
            entries, _ = self.convert.keywords(
                call, scopes, 0, only=frozenset({"metadata", "spec"})
            )
            body = [(str(key.data), value) for key, value in entries]
            name = _first_string(call, self.convert, scopes, 1 if family == "cdk8s" else 0)
            return self._object(call, kind, _WORKLOAD_API[kind], name, body)
        value = self.convert.call(call, scopes, 0)
        if value is None or not isinstance(value.data, dict):
            return None
        return self._wrap(call, kind, value)

    def _wrap(self, call: cst.Call, kind: str, value: Value) -> Value:
        """The smallest object that holds a model part the code built on its own."""
        data = value.data if isinstance(value.data, dict) else {}
        if kind in _WORKLOAD_API:
            api = str(data.get("apiVersion") or _WORKLOAD_API[kind])
            extra = [("apiVersion", self._scalar(call, api))] if "apiVersion" not in data else []
            if "kind" not in data:
                extra.append(("kind", self._scalar(call, kind)))
            return self._merge(value, extra, call)
        if kind in _SPEC_OF:
            owner = _SPEC_OF[kind]
            return self._object(call, owner, _WORKLOAD_API[owner], None, [("spec", value)])
        if kind == "PodTemplateSpec":
            extra = [("apiVersion", self._scalar(call, "v1")), ("kind", self._scalar(call, "Pod"))]
            return self._merge(value, extra, call)
        if kind == "PodSpec":
            return self._object(call, "Pod", "v1", None, [("spec", value)])
        if kind == "Container":
            name = data.get("name")
            containers = self.positions.sequence(call, [value])
            spec = self._map(call, [("containers", containers)])
            return self._object(call, "Pod", "v1", str(name) if name else None, [("spec", spec)])
        # ResourceRequirements: a container the code has not written yet.
        container = self._map(
            call, [("name", self._scalar(call, "container")), ("resources", value)]
        )
        spec = self._map(call, [("containers", self.positions.sequence(call, [container]))])
        return self._object(call, "Pod", "v1", None, [("spec", spec)])

    def _airflow(self, call: cst.Call, scopes: tuple[int, ...]) -> Value:
        convert = self.convert
        pod_entries, _ = convert.keywords(
            call, scopes, 0, rename=_AIRFLOW_POD, only=frozenset(_AIRFLOW_POD)
        )
        box_entries, _ = convert.keywords(
            call, scopes, 0, rename=_AIRFLOW_CONTAINER, only=frozenset(_AIRFLOW_CONTAINER)
        )
        container = [("name", self._scalar(call, "base"))]
        container += [(str(key.data), value) for key, value in box_entries]
        env = self._airflow_env(call, scopes)
        if env is not None:
            container.append(("env", env))
        spec = [("containers", self.positions.sequence(call, [self._map(call, container)]))]
        spec += [(str(key.data), value) for key, value in pod_entries]
        meta_entries, _ = convert.keywords(
            call, scopes, 0, only=frozenset({"namespace", "labels", "annotations"})
        )
        name = _keyword_string(call, convert, scopes, "name") or _keyword_string(
            call, convert, scopes, "task_id"
        )
        name = name or self.decorated.get(id(call))
        meta = [("name", self._scalar(call, name))] if name else []
        meta += [(str(key.data), value) for key, value in meta_entries]
        convert.consumed.add(id(call))
        body = [("metadata", self._map(call, meta)), ("spec", self._map(call, spec))]
        return self._object(call, "Pod", "v1", name, body)

    def _airflow_env(self, call: cst.Call, scopes: tuple[int, ...]) -> Value | None:
        """`env_vars` is a dict (name -> value) or a list of `V1EnvVar`: always a list here."""
        for arg in call.args:
            if arg.keyword is None or arg.keyword.value != "env_vars":
                continue
            value = self.convert.convert(arg.value, scopes)
            if value is None:
                return None
            if isinstance(value.node, yaml.MappingNode) and isinstance(value.data, dict):
                items = []
                for key_node, value_node in value.node.value:
                    name = Value(key_node.value, key_node)
                    item_value = Value(value.data.get(key_node.value), value_node)
                    pairs = [
                        (Value("name", key_node), name),
                        (Value("value", key_node), item_value),
                    ]
                    items.append(
                        Value(
                            {"name": name.data, "value": item_value.data},
                            yaml.MappingNode(
                                "tag:yaml.org,2002:map",
                                [(k.node, v.node) for k, v in pairs],
                                key_node.start_mark,
                                value_node.end_mark,
                            ),
                        )
                    )
                return self.positions.sequence(arg.value, items)
            return value
        return None

    def _trainer(self, call: cst.Call, scopes: tuple[int, ...]) -> Value | None:
        convert = self.convert
        trainer: list[tuple[str, Value]] = []
        for arg in call.args:
            if arg.keyword is None:
                continue
            if arg.keyword.value == "num_nodes":
                value = convert.convert(arg.value, scopes)
                if value is not None:
                    trainer.append(("numNodes", value))
            elif arg.keyword.value == "resources_per_node":
                value = convert.convert(arg.value, scopes)
                if value is not None and isinstance(value.node, yaml.MappingNode):
                    trainer.append(("resourcesPerNode", self._trainer_resources(call, value)))
        convert.consumed.add(id(call))
        if not trainer:
            return None
        spec = self._map(call, [("trainer", self._map(call, trainer))])
        return self._object(
            call, "TrainJob", "trainer.kubeflow.org/v1alpha1", None, [("spec", spec)]
        )

    def _trainer_resources(self, call: cst.Call, value: Value) -> Value:
        """The SDK's `{"gpu": 2}` is `nvidia.com/gpu: 2` in the TrainJob it submits."""
        assert isinstance(value.node, yaml.MappingNode)
        assert isinstance(value.data, dict)
        pairs = []
        data: dict[str, object] = {}
        for key_node, value_node in value.node.value:
            name = _TRAINER_GPU.get(str(key_node.value).lower(), str(key_node.value))
            key = yaml.ScalarNode(STR_TAG, name, key_node.start_mark, key_node.end_mark)
            pairs.append((key, value_node))
            data[name] = value.data.get(key_node.value)
        limits = Value(
            data,
            yaml.MappingNode(value.node.tag, pairs, value.node.start_mark, value.node.end_mark),
        )
        return self._map(call, [("limits", limits)])

    # -- Kubeflow Pipelines ----------------------------------------------------------------------

    def _kfp_tasks(self) -> Iterator[Value]:
        tasks: dict[object, dict[str, tuple[cst.Call, tuple[int, ...]]]] = {}
        names: dict[object, str] = {}
        order: list[object] = []
        for call, scopes in self.calls:
            func = call.func
            name = dotted_name(func) or ""
            if isinstance(func, cst.Attribute) and func.attr.value in _KFP_ACCELERATOR:
                key, label = self._task_identity(func.value, scopes)
                slot = func.attr.value
            elif name.endswith(("kubernetes.add_node_selector", "kubernetes.add_toleration")) or (
                name in {"add_node_selector", "add_toleration"}
            ):
                if not call.args or call.args[0].keyword is not None:
                    continue
                key, label = self._task_identity(call.args[0].value, scopes)
                slot = name.rsplit(".", 1)[-1] + f"#{len(tasks.get(key, {}))}"
            else:
                continue
            if key not in tasks:
                tasks[key] = {}
                order.append(key)
            if label and key not in names:
                names[key] = label
            tasks[key][slot] = (call, scopes)
        handed_on = self._handed_on()
        for key in order:
            built = self._kfp_pod(tasks[key], names.get(key), names.get(key) in handed_on)
            if built is not None:
                yield built

    def _handed_on(self) -> set[str]:
        """Names passed as an argument to a call that is not a KFP task method: a helper that
        receives the task may set its accelerator type where this module cannot see it."""
        names: set[str] = set()
        for call, _ in self.calls:
            func = call.func
            if isinstance(func, cst.Attribute) and _KFP_CHAIN.match(func.attr.value):
                continue
            if (dotted_name(func) or "").rsplit(".", 1)[-1] in {
                "add_node_selector",
                "add_toleration",
            }:
                continue
            names.update(arg.value.value for arg in call.args if isinstance(arg.value, cst.Name))
        return names

    def _task_identity(
        self, expr: cst.BaseExpression, scopes: tuple[int, ...]
    ) -> tuple[object, str | None]:
        """Which task a call configures (the component call behind the chain), and its name."""
        label: str | None = None
        for _ in range(4):
            while (
                isinstance(expr, cst.Call)
                and isinstance(expr.func, cst.Attribute)
                and _KFP_CHAIN.match(expr.func.attr.value)
            ):
                expr = expr.func.value
            if isinstance(expr, cst.Name):
                label = label or expr.value
                target = self.scope.lookup(expr.value, scopes)
                if target is None:
                    return ("name", expr.value, scopes[-1] if scopes else 0), label
                expr = target
                continue
            if isinstance(expr, cst.Call):
                component = dotted_name(expr.func)
                label = label or (component.rsplit(".", 1)[-1] if component else None)
            return ("call", id(expr)), label
        return ("expr", id(expr)), label

    def _kfp_pod(
        self,
        slots: dict[str, tuple[cst.Call, tuple[int, ...]]],
        name: str | None,
        handed_on: bool = False,
    ) -> Value | None:
        first_call = next(iter(slots.values()))[0]
        convert = self.convert
        container: list[tuple[str, Value]] = [("name", self._scalar(first_call, "main"))]
        resource = self._kfp_resource(slots)
        if resource is not None:
            limits_call, type_value, limit_value = resource
            limits = self.positions.mapping(
                limits_call, [(type_value, limit_value)], {str(type_value.data): limit_value.data}
            )
            container.append(("resources", self._map(limits_call, [("limits", limits)])))
        spec: list[tuple[str, Value]] = []
        selectors: list[tuple[Value, Value]] = []
        tolerations: list[Value] = []
        for slot, (call, scopes) in slots.items():
            if slot.startswith("add_node_selector"):
                key = _keyword_value(call, convert, scopes, "label_key", 1)
                value = _keyword_value(call, convert, scopes, "label_value", 2)
                if key is not None and value is not None and isinstance(key.data, str):
                    selectors.append((key, value))
            elif slot.startswith("add_toleration"):
                entries, _ = convert.keywords(call, scopes, 0)
                tolerations.append(
                    self.positions.mapping(call, entries, {str(k.data): v.data for k, v in entries})
                )
        spec.append(
            ("containers", self.positions.sequence(first_call, [self._map(first_call, container)]))
        )
        if selectors:
            spec.append(
                (
                    "nodeSelector",
                    self.positions.mapping(
                        first_call,
                        selectors,
                        {str(k.data): v.data for k, v in selectors},
                    ),
                )
            )
        if tolerations:
            spec.append(("tolerations", self.positions.sequence(first_call, tolerations)))
        marks = self._kfp_marks(slots, handed_on)
        if resource is None and not selectors and not tolerations and not marks:
            return None
        spec_value = self._map(first_call, spec)
        meta = [("name", self._scalar(first_call, name))] if name else []
        if marks:
            annotations = self.positions.mapping(
                first_call,
                [(self._scalar(first_call, key), value) for key, value in marks],
                {key: value.data for key, value in marks},
            )
            meta.append(("annotations", annotations))
        body = [("metadata", self._map(first_call, meta)), ("spec", spec_value)]
        return self._object(first_call, "Pod", "v1", name, body)

    def _kfp_marks(
        self, slots: dict[str, tuple[cst.Call, tuple[int, ...]]], handed_on: bool
    ) -> list[tuple[str, Value]]:
        """What ACC008 judges of a KFP task's accelerator calls, as annotations of its pod.

        Placed at the limit call's method name, which is what its fix rewrites.
        """
        if self.kfp_v1:
            return []
        limit_slot = slots.get("set_gpu_limit") or slots.get("set_accelerator_limit")
        if limit_slot is None:
            return []
        call = limit_slot[0]
        if not isinstance(call.func, cst.Attribute):
            return []
        method = call.func.attr
        typed = "set" if "set_accelerator_type" in slots else "unset"
        if typed == "unset" and handed_on:
            return []  # a helper may set the type: not provable from this module
        return [
            (KFP_CALL, self.positions.scalar(method, method.value, STR_TAG, method.value)),
            (KFP_TYPE, self._scalar(call, typed)),
            (KFP_QUOTE, self._scalar(call, self.quote)),
        ]

    def _kfp_resource(
        self, slots: dict[str, tuple[cst.Call, tuple[int, ...]]]
    ) -> tuple[cst.Call, Value, Value] | None:
        convert = self.convert
        limit_slot = slots.get("set_accelerator_limit") or slots.get("set_gpu_limit")
        if limit_slot is None:
            return None
        limit_call, limit_scopes = limit_slot
        limit = _keyword_value(limit_call, convert, limit_scopes, "limit", 1) or _keyword_value(
            limit_call, convert, limit_scopes, "gpu", 1
        )
        if limit is None:
            return None
        if "set_accelerator_type" in slots:
            type_call, type_scopes = slots["set_accelerator_type"]
            accelerator = _keyword_value(type_call, convert, type_scopes, "accelerator", 1)
            if accelerator is None or not isinstance(accelerator.data, str):
                return None
            return limit_call, accelerator, limit
        if "set_gpu_limit" in slots and self.kfp_v1:
            # KFP v1's `ContainerOp.set_gpu_limit(n, vendor="nvidia")` asks for
            # `<vendor>.com/gpu`. In v2 it is `set_accelerator_limit`, and the driver applies a
            # limit only when a type is set (kubeflow/pipelines backend/src/v2/driver).
            vendor = _keyword_value(limit_call, convert, limit_scopes, "vendor", 2)
            vendor_name = str(vendor.data) if vendor is not None else "nvidia"
            resource = _GPU_VENDORS.get(vendor_name, f"{vendor_name}.com/gpu")
            anchor = (
                limit_call.func.attr if isinstance(limit_call.func, cst.Attribute) else limit_call
            )
            return limit_call, self.positions.scalar(anchor, resource, STR_TAG, resource), limit
        return None


def call_label(builder: _Builder, call: cst.Call) -> str | None:
    """The variable or function the object comes from, else where it is built."""
    label = builder.labels.get(id(call))
    if label is None:
        start, _ = builder.positions.marks(call)
        label = f"line-{start.line + 1}"
    return label


def _pairs(node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
    return list(node.value) if isinstance(node, yaml.MappingNode) else []


def _keyword_value(
    call: cst.Call, convert: Converter, scopes: tuple[int, ...], keyword: str, position: int
) -> Value | None:
    """An argument given by keyword or at a 1-based position (positional counted first)."""
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return convert.convert(arg.value, scopes)
    if len(positional) >= position:
        return convert.convert(positional[position - 1].value, scopes)
    return None


def _keyword_string(
    call: cst.Call, convert: Converter, scopes: tuple[int, ...], keyword: str
) -> str | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            value = convert.convert(arg.value, scopes)
            if value is not None and isinstance(value.data, str):
                return value.data
    return None


def _first_string(
    call: cst.Call, convert: Converter, scopes: tuple[int, ...], index: int
) -> str | None:
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    if len(positional) > index:
        value = convert.convert(positional[index].value, scopes)
        if value is not None and isinstance(value.data, str):
            return value.data
    return None


def objects_in_module(module: cst.Module, path: str) -> Iterator[tuple[object, yaml.Node]]:
    """(plain data, positioned node) of every object the module builds, in source order."""
    builder = _Builder(MetadataWrapper(module, unsafe_skip_copy=True), path)
    for value in builder.objects():
        yield value.data, value.node
