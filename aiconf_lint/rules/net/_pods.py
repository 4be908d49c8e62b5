"""The pods behind pools and Services, through the label index the MET rules already build.

Pod selection (controller-injected labels, namespaces, operator kinds) lives with the
monitoring helpers; the NET rules reuse it, and its `monitoring:pods` index, through this one
module so that moving it to `k8s/` later touches a single import.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.inference_servers import InferenceServer, flag_value, recognise
from aiconf_lint.k8s.monitoring import (
    container_ports,
    definite,
    is_pod_kind,
    ports_reliable,
    select_workloads,
    service_workloads,
    template_labels,
)
from aiconf_lint.k8s.objects import K8sObject

__all__ = [
    "definite",
    "is_pod_kind",
    "picker_pool",
    "pickers_of",
    "pod_label_sets",
    "select_workloads",
    "server_of",
    "service_workloads",
    "workload_ports",
]

_PICKER_FLAGS = ("--pool-name", "-poolName", "--poolName", "--inference-pool")
"""Arguments of the GAIE endpoint picker (and llm-d's scheduler built on it)."""


def pod_label_sets(bundle: Bundle, obj: K8sObject) -> list[dict[str, str]]:
    return [template_labels(obj, t) for t in bundle.templates(obj)]


def server_of(bundle: Bundle, obj: K8sObject) -> InferenceServer | None:
    """The model server a workload runs, if any of its containers is one we recognise.

    Recognised once per workload and run: every Service, route and pool that reaches the
    workload asks again."""
    return bundle.per_object("net:server-of", obj, partial(_recognise_server, bundle))


def _recognise_server(bundle: Bundle, obj: K8sObject) -> InferenceServer | None:
    for template in bundle.templates(obj):
        for container in template.containers:
            server = recognise(container.data)
            if server is not None:
                return server
    return None


def picker_pool(bundle: Bundle, obj: K8sObject) -> str | None:
    """The pool an endpoint-picker workload serves, from its `--pool-name` argument (read once
    per workload and run: every pool that selects the workload asks)."""
    return bundle.per_object("net:picker-pool", obj, partial(_read_picker_pool, bundle))


def _read_picker_pool(bundle: Bundle, obj: K8sObject) -> str | None:
    for template in bundle.templates(obj):
        for container in template.containers:
            value = flag_value(container.data, _PICKER_FLAGS)
            if value:
                return value
    return None


def pickers_of(bundle: Bundle, pool_name: str) -> list[K8sObject]:
    """Workloads started as the endpoint picker of a pool of that name, indexed once."""
    index = bundle.cached("net:pickers", lambda: _pickers(bundle))
    return index.get(pool_name, [])


def _pickers(bundle: Bundle) -> dict[str, list[K8sObject]]:
    index: dict[str, list[K8sObject]] = {}
    for obj in bundle.objects:
        if is_pod_kind(obj):
            name = picker_pool(bundle, obj)
            if name:
                index.setdefault(name, []).append(obj)
    return index


def workload_ports(bundle: Bundle, objs: Iterable[K8sObject]) -> dict[int, set[int]] | None:
    """Per workload (`id`), the ports its pods declare or its model server listens on.

    None when an operator may add ports we cannot see. A server's `--port` flag counts as a
    port although it is not declared, since declaring container ports is optional.
    """
    found: dict[int, set[int]] = {}
    for obj in objs:
        ports = bundle.per_object("net:workload-ports", obj, partial(_ports_of, bundle))
        if ports is None:
            return None
        found[id(obj)] = ports
    return found


def _ports_of(bundle: Bundle, obj: K8sObject) -> set[int] | None:
    if not ports_reliable(obj):
        return None
    ports: set[int] = set()
    for template in bundle.templates(obj):
        ports.update(p.number for p in container_ports(template) if p.number is not None)
        for container in template.containers:
            server = recognise(container.data)
            if server is not None and server.port_flags:
                value = flag_value(container.data, server.port_flags)
                if value is not None and value.isdigit():
                    ports.add(int(value))
    return ports
