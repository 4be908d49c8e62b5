"""SYN001."""

from __future__ import annotations

from aiconf_lint.model import Severity
from aiconf_lint.rule import Rule


class InvalidYaml(Rule):
    """## What it does
    Reports a file that is not valid YAML text: a syntax error, a tab used for indentation,
    bytes that are not UTF-8, or a binary file. The finding sits on the line and column where
    the parser stopped. Documents before the error are still checked, and so are all other
    files.

    ## Why is this bad?
    `kubectl apply` rejects the whole file, so nothing in it reaches the cluster; in a Helm
    chart the render fails. Catching it before the cluster does saves a deploy round trip.

    ## Example
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata:
        name: trainer   # a tab: YAML forbids tabs for indentation
    ```

    Use instead:
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata:
      name: trainer
    ```
    """

    code = "SYN001"
    name = "invalid-yaml"
    summary = "File is not valid YAML"
    severity = Severity.ERROR
    source_level = True
