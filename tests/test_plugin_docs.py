"""Every hook is documented and exercised by a test, and the docs show the real contracts."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from ktj_logistics._plugins import hookspecs
from ktj_logistics._plugins.doc import hook_names, reference
from ktj_logistics._plugins.host import build_host
from ktj_logistics._shape import shape
from tests.plugin_fixtures import build, household, scenario_data

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs" / "plugins.md"


def test_there_are_hooks_to_check() -> None:
    assert len(hook_names()) >= 8


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_docstring_saying_how_answers_combine(hook: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs.KtjHookSpecs, hook)) or ""
    assert doc.startswith("Return"), "say what to return"
    assert "Combined:" in doc, "say how answers of several plugins combine"


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_is_implemented_by_some_test_plugin(hook: str) -> None:
    """A hook no test implements is a contract no one has checked."""
    me = Path(__file__).name
    pattern = re.compile(rf"def\s+{hook}\s*\(")
    users = [
        p.name
        for p in (ROOT / "tests").glob("test_*.py")
        if p.name != me and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert users, f"no test implements {hook}"


def test_the_docs_show_the_hook_contracts_as_in_hookspecs() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert reference() in text, "run: python -m ktj_logistics._plugins.doc docs/plugins.md"


@pytest.mark.parametrize("hook", hook_names())
def test_the_docs_name_every_hook(hook: str) -> None:
    assert f"### `{hook}(" in DOCS.read_text(encoding="utf-8")


def test_the_readme_links_the_plugin_docs() -> None:
    assert "docs/plugins.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_twenty_line_example_in_the_docs_works_as_described(tmp_path: Path) -> None:
    text = DOCS.read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", text, re.S)
    assert example is not None
    assert len(example.group(1).strip().splitlines()) <= 25
    (tmp_path / "nakes.py").write_text(example.group(1), encoding="utf-8")
    sc = build(
        scenario_data(
            [household("H1", 0, 0), household("H2", 0, 0, tags={"nakes": "ya"})],
            plugins={"nakes": {"points": 50}},
        )
    )
    s = shape(sc, build_host(sc.plugins, [tmp_path / "nakes.py"]))
    assert s.households["H2"].priority == 50 and s.households["H1"].priority == 0


@pytest.mark.parametrize(
    "name", ["dense_settlement", "apartment", "luxury_housing", "zone_colour", "vulnerability"]
)
def test_every_built_in_plugin_documents_its_rules_and_settings(name: str) -> None:
    source = (ROOT / "plugins" / f"{name}.py").read_text(encoding="utf-8")
    doc = source.split('"""')[1]
    assert len(doc.splitlines()) >= 4, "the module docstring states the rules"
    assert f"`{name}`" in DOCS.read_text(encoding="utf-8")
