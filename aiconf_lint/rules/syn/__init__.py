"""SYN: problems with the input itself, found by the loader rather than by a hook."""

from __future__ import annotations

from aiconf_lint.rules.syn.syn001_invalid_yaml import InvalidYaml
from aiconf_lint.rules.syn.syn002_unrendered_template import UnrenderedTemplate
from aiconf_lint.rules.syn.syn003_input_too_complex import InputTooComplex
from aiconf_lint.rules.syn.syn004_unknown_suppression import UnknownSuppression

SYN_RULES = (
    InvalidYaml,
    UnrenderedTemplate,
    InputTooComplex,
    UnknownSuppression,
)
