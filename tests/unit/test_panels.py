"""Selectors are data; names match loosely but never partially."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from flows.panels import Panel, loose, selectors_dir


@pytest.mark.parametrize(
    "name", ["Member ID", "* Member ID", "Member ID:", "member id", "Member  ID *", "Member ID (required)"]
)
def test_a_label_matches_with_asterisks_colons_and_case_aside(name):
    assert loose("Member ID").search(name)


@pytest.mark.parametrize("name", ["Member ID Number", "New Member ID", "MemberID"])
def test_a_label_with_other_words_is_not_the_same_label(name):
    assert not loose("Member ID").search(name)


def test_a_slash_in_a_name_is_escaped_for_playwrights_selector_syntax():
    assert "\\/" in loose("Enroll/Disenroll One Care Members").pattern


def test_selectors_folder_is_data_only():
    folder = selectors_dir()
    assert not (folder / "__init__.py").exists()
    assert {p.suffix for p in folder.iterdir() if p.is_file()} == {".yaml"}


def test_every_selector_file_names_its_panel_and_each_control_says_how_to_find_it():
    kinds = {"role", "label", "text", "css", "any_of"}
    for path in Path(selectors_dir()).glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        assert data["panel"], path
        panel = Panel.load(path.stem)
        for key, spec in panel.controls.items():
            assert kinds & spec.keys(), f"{path.name}: {key}"
