"""Errors that end a run with exit code 2.

Problems inside a checked file are findings (SYN001...), not exceptions: one bad file must never
stop the others. A path that cannot be read is reported under the report's `errors` and the
other paths are still checked; a fix that cannot be verified is reported by the fix summary.
What is left for exceptions makes the whole run meaningless::

    AiconfError
    └── ConfigError   unknown key, selector or profile; unreadable config file
"""

from __future__ import annotations


class AiconfError(Exception):
    """Base of every error the CLI turns into `error: ...` and exit code 2."""


class ConfigError(AiconfError):
    """The configuration or the command line asks for something that does not exist."""
