"""The registry contract: every rule listed, unique codes and names, complete docs."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import aiconf_lint.rules
from aiconf_lint.model import FixAvailability
from aiconf_lint.output.rule_docs import REQUIRED_SECTIONS, sections
from aiconf_lint.rule import CODE_RE, NAME_RE, Rule
from aiconf_lint.rules import ALL_RULES, CATALOG


def _defined_rules() -> set[type[Rule]]:
    found: set[type[Rule]] = set()
    for module in pkgutil.walk_packages(aiconf_lint.rules.__path__, "aiconf_lint.rules."):
        loaded = importlib.import_module(module.name)
        for _, value in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(value, Rule) and value is not Rule:
                found.add(value)
    return found


def test_every_rule_subclass_is_registered() -> None:
    assert _defined_rules() == set(ALL_RULES)


def test_static_table_matches_the_rule_classes() -> None:
    """The table selection reads without importing rules says what the classes say."""
    defined = {rule.code: rule for rule in _defined_rules()}
    assert [entry.code for entry in CATALOG] == [rule.code for rule in ALL_RULES]
    assert set(defined) == {entry.code for entry in CATALOG}
    for entry in CATALOG:
        rule = defined[entry.code]
        assert (entry.name, entry.class_name, entry.module) == (
            rule.name,
            rule.__name__,
            rule.__module__,
        )
        assert entry.load() is rule


def test_selecting_one_rule_imports_only_its_family() -> None:
    script = (
        "import sys\n"
        "from aiconf_lint.runner import enabled_rules\n"
        "from aiconf_lint.settings import Settings\n"
        "enabled_rules(Settings(select=('SEC001',)))\n"
        "loaded = [m for m in sys.modules if m.startswith('aiconf_lint.rules.')]\n"
        "print(sorted({m.split('.')[2] for m in loaded}))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['sec']"


def test_kinds_narrow_object_rules_only() -> None:
    for rule in ALL_RULES:
        if rule.kinds is not None:
            assert rule.hook() == "check_object", rule.code
            assert rule.kinds, rule.code
            assert all(isinstance(kind, str) for kind in rule.kinds), rule.code


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [r.code for r in ALL_RULES]
    names = [r.name for r in ALL_RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for rule in ALL_RULES:
        assert CODE_RE.match(rule.code)
        assert NAME_RE.match(rule.name)
        assert not rule.summary.endswith(".")


def test_module_names_follow_code_and_name() -> None:
    for rule in ALL_RULES:
        module = rule.__module__.rsplit(".", 1)[-1]
        assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}"


PYTHON_ONLY = {"ACC008"}


def test_docs_have_required_sections() -> None:
    for rule in ALL_RULES:
        found = sections(rule)
        for title in REQUIRED_SECTIONS:
            assert found.get(title), f"{rule.code} lacks ## {title}"
        # A rule about Python sources only (ACC008) shows Python; every other rule shows YAML.
        language = "```python" if rule.code in PYTHON_ONLY else "```yaml"
        assert language in found["Example"], f"{rule.code}: example needs a {language} block"
        assert "Use instead" in found["Example"], f"{rule.code}: example needs a passing form"
        if rule.fix_availability is not FixAvailability.NONE:
            assert found.get("Fix safety"), f"{rule.code} has a fix but no ## Fix safety"


def test_requirements_are_known_ids() -> None:
    from aiconf_lint.profiles import ALL_REQUIREMENT_IDS

    for rule in ALL_RULES:
        assert set(rule.requirements) <= ALL_REQUIREMENT_IDS, rule.code


def test_rule_pages_are_current() -> None:
    from aiconf_lint.docs import pages
    from tests.conftest import REPO

    for name, text in pages().items():
        page = REPO / "rules" / name
        assert page.is_file(), f"run python -m aiconf_lint.docs --write rules/ ({name})"
        assert page.read_text(encoding="utf-8") == text, f"rules/{name} is stale"
