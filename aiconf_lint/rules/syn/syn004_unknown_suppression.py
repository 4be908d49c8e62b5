"""SYN004."""

from __future__ import annotations

from aiconf_lint.model import Severity
from aiconf_lint.rule import Rule


class UnknownSuppression(Rule):
    """## What it does
    Reports a suppression comment (`# aiconf-lint: ignore[CODE]`) or object annotation
    (`aiconf-lint.io/ignore: "CODE"`) that names a code aiconf-lint does not know, and a bare
    `# aiconf-lint: ignore` that names no code at all (it suppresses nothing: a blanket
    suppression would also hide every rule added later; write `ignore[ALL]` to mean that).

    ## Why is this bad?
    A misspelt code suppresses nothing, so the finding the author meant to silence still
    fires, or worse, a later rule that takes the code is silenced by accident.

    ## Example
    ```yaml
    resources:
      limits:
        nvidia.com/gpu: 1  # aiconf-lint: ignore[ACC01] migrating next quarter
    ```

    Use instead:
    ```yaml
    resources:
      limits:
        nvidia.com/gpu: 1  # aiconf-lint: ignore[ACC001] migrating next quarter
    ```
    """

    code = "SYN004"
    name = "unknown-suppression"
    summary = "Suppression names an unknown rule code"
    severity = Severity.WARNING
    source_level = True
