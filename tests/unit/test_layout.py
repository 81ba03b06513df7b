"""The rooms of the code and the one direction of their imports, read from the source: a
change that makes the engine name a flow, or the vocabulary lean on the engine, fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

VOCABULARY = {"robots.errors", "robots.records", "robots.fields", "robots.credentials", "robots.one_time_codes",
              "robots.masking", "robots.failpoints"}
# What the flows may use of the robot: the vocabulary and the engine's contract for a flow.
FLOW_CONTRACT = {"robots.engine.flow", "robots.engine.page_status"}


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.split(".")[0] in ("robots", "flows", "mock_portal")}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def known(names: set[str]) -> set[str]:
    """Only names that are modules or packages of ours (`from robots import fields` names
    `robots.fields`; `from robots.errors import Rejection` names `robots.errors`)."""
    return {name for name in names if (ROOT / Path(*name.split("."))).with_suffix(".py").exists()
            or (ROOT / Path(*name.split("."))).is_dir()}


@pytest.mark.parametrize("path", [ROOT / "robots" / f"{name.split('.')[1]}.py" for name in sorted(VOCABULARY)],
                         ids=sorted(VOCABULARY))
def test_the_vocabulary_imports_nothing_but_itself(path):
    assert known(imported(path)) - {"robots"} <= VOCABULARY


@pytest.mark.parametrize("folder", ["robots/engine", "robots/ledger", "robots/jobfile", "robots/reports",
                                    "robots/run_folder"])
def test_the_engine_and_what_it_stands_on_never_name_a_flow_or_the_qa_kit(folder):
    for path in modules(folder):
        wrong = {name for name in imported(path) if name.startswith(("flows", "robots.qa", "robots.cli",
                                                                       "robots.demo"))}
        assert not wrong, f"{module_name(path)} imports {sorted(wrong)}"


@pytest.mark.parametrize("folder", ["robots/ledger", "robots/jobfile", "robots/run_folder"])
def test_the_lower_rooms_never_import_the_engine(folder):
    for path in modules(folder):
        wrong = {name for name in imported(path) if name.startswith(("robots.engine", "robots.reports"))}
        assert not wrong, f"{module_name(path)} imports {sorted(wrong)}"


def test_flows_use_only_the_vocabulary_and_the_engines_contract():
    for path in modules("flows"):
        robot = {name for name in known(imported(path)) if name.startswith("robots")} - {"robots", "robots.engine"}
        assert robot <= VOCABULARY | FLOW_CONTRACT, f"{module_name(path)} imports {sorted(robot)}"


def test_the_mock_portal_knows_nothing_of_the_robot():
    for path in modules("mock_portal"):
        wrong = {name for name in imported(path) if name.startswith(("robots", "flows"))}
        assert not wrong, f"{module_name(path)} imports {sorted(wrong)}"


def test_selectors_is_never_a_package():
    # A package named `selectors` would shadow the standard library module asyncio imports.
    assert not (ROOT / "selectors" / "__init__.py").exists()


def test_every_room_says_what_it_owns():
    for init in [ROOT / "robots" / "__init__.py", *sorted((ROOT / "robots").glob("*/__init__.py"))]:
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring and "import" in docstring.lower(), f"{init.relative_to(ROOT)} has no docstring on its imports"


def test_the_projects_docs_and_code_stand_on_their_own():
    # A user's clone has only this repository: nothing may send a reader to a design file
    # that lives beside it.
    outside = ("DESIGN.md", "STYLE.md", "../shared")
    for path in [*ROOT.glob("*.md"), *(ROOT / "docs").glob("*.md"), *(ROOT / "jobs").glob("*"),
                 *(path for folder in ("robots", "flows", "mock_portal", "selectors", "scripts", "benchmarks")
                   for path in (ROOT / folder).rglob("*") if path.suffix in (".py", ".yaml", ".md", ".sh", ".html"))]:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not any(name in text for name in outside), f"{path.relative_to(ROOT)} points outside the project"
