"""aiconf-lint: check Kubernetes AI workloads against the CNCF AI Conformance profiles.

The public API is deliberately small: `lint_paths` for programs that embed the linter,
and the data types it returns. Everything else may change between minor versions.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
