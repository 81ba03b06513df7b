"""A YAML reader for files people write by hand: safe, fast, and strict where PyYAML is lax.

- Safe constructors only (no Python objects).
- A key given twice in one mapping is an error (PyYAML keeps the last one silently).
- Anchors and aliases are refused: job files have no use for them, and an alias bomb
  (`a: &a [*b, *b, ...]` nested) would otherwise expand into billions of nodes.
- libyaml's C parser when present: a 10,000-record job parses in a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

try:
    _Base = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Base = yaml.SafeLoader


@dataclass(frozen=True)
class YamlProblem(Exception):
    message: str
    line: int | None


class StrictLoader(_Base):  # type: ignore[misc, valid-type]
    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "YAML aliases (*name) are not allowed in job files", node.start_mark
            )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node, deep=False):
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "YAML merge keys (<<) are not allowed in job files", key_node.start_mark
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be plain text", key_node.start_mark
                )
            # Compared as written (tag and text), before conversion: cheap, and `1` vs "1" differ.
            identity = (key_node.tag, key_node.value)
            if identity in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key_node.value!r} is given twice", key_node.start_mark
                )
            seen.add(identity)
        return super().construct_mapping(node, deep=deep)


def load(text: str) -> tuple[object, yaml.Node | None]:
    """The document and its node tree (for line numbers). Raises YamlProblem."""
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        return loader.construct_document(node), node
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "not valid YAML"
        return _raise(problem, mark.line + 1 if mark else None)
    except yaml.YAMLError as error:
        return _raise(str(error), None)
    except RecursionError:
        return _raise("nested too deeply", None)
    finally:
        loader.dispose()


def _raise(message: str, line: int | None):
    raise YamlProblem(message, line)


def mapping_lines(node: yaml.Node | None) -> dict[str, int]:
    """For a mapping node: each plain key and the line (1-based) it is on."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): key.start_mark.line + 1
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


def items(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []
