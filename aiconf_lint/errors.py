"""Errors that end a run with exit code 2.

Problems inside a checked file are findings (SYN001...), not exceptions: one bad file must never
stop the others. These exceptions are for what makes the whole run meaningless or impossible::

    AiconfError
    ├── ConfigError   unknown key or selector, unreadable config file
    ├── InputError    a path that does not exist or cannot be read
    └── FixError      the fix engine could not write a result it can vouch for
"""

from __future__ import annotations


class AiconfError(Exception):
    """Base of every error the CLI turns into `error: ...` and exit code 2."""


class ConfigError(AiconfError):
    """The configuration or the command line asks for something that does not exist."""


class InputError(AiconfError):
    """A path named on the command line cannot be read at all."""


class FixError(AiconfError):
    """A fix could not be applied without risking the user's file."""
