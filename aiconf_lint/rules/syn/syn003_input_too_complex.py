"""SYN003."""

from __future__ import annotations

from aiconf_lint.model import Severity
from aiconf_lint.rule import Rule


class InputTooComplex(Rule):
    """## What it does
    Reports input beyond aiconf-lint's bounds: a file larger than `max-file-size-mib`
    (20 MiB by default), a document whose aliases expand to more than 100,000 extra nodes
    (the "billion laughs" pattern), or nesting deeper than 200 levels. The rest of the run goes
    on.

    ## Why is this bad?
    No real manifest comes near these bounds, while a hostile or generated file past them
    could hang the linter, or the API server and every tool that expands it after it.

    ## Example
    ```yaml
    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    # ... nine levels later: a billion strings
    ```

    Use instead: write the values out, or generate the manifest with a tool that does.
    """

    code = "SYN003"
    name = "input-too-complex"
    summary = "Input exceeds the size, alias or nesting bounds"
    severity = Severity.ERROR
    source_level = True
