"""Allow `python -m aiconf_lint`, which pre-commit and CI jobs use when no script is on PATH."""

from __future__ import annotations

from aiconf_lint.entry import main

raise SystemExit(main())
