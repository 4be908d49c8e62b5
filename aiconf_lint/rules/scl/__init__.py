"""SCL rules; see the catalog in the README's rule index."""

from __future__ import annotations

from aiconf_lint.rule import Rule

SCL_RULES: tuple[type[Rule], ...] = ()
