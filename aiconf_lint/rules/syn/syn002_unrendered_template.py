"""SYN002."""

from __future__ import annotations

from aiconf_lint.model import Severity
from aiconf_lint.rule import Rule


class UnrenderedTemplate(Rule):
    """## What it does
    Reports a file that fails to parse because it still holds Helm or Go template syntax
    (`{{ .Values.x }}`, `{{- if ... }}`), such as a chart's `templates/*.yaml` passed directly.
    Template syntax inside a string that parses (an Argo `{{inputs.parameters.x}}`) is data,
    not a finding.

    ## Why is this bad?
    A template is not a manifest: what reaches the cluster is what `helm template` renders.
    Linting the raw template would check the wrong thing, so aiconf-lint says so instead of
    reporting a confusing syntax error.

    ## Example
    ```yaml
    # templates/job.yaml, passed as a file
    metadata:
      name: {{ include "trainer.fullname" . }}
    ```

    Use instead: lint the rendered output, for example
    `helm template my-release ./chart | aiconf-lint check -`.
    """

    code = "SYN002"
    name = "unrendered-template"
    summary = "File holds unrendered template syntax"
    severity = Severity.ERROR
    source_level = True
