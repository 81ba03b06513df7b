"""A YAML reader for files people write by hand: safe, fast, and strict where PyYAML is lax.

- Every plain scalar stays text, exactly as written; only an empty value, `~` or `null` is None.
  YAML 1.1's implicit types corrupt what a job file holds: `012345670123` is read as an octal
  number, `100_000_000_001` loses its underscores, a last name `NO` becomes false, and
  `2026-02-29` crashes PyYAML's date constructor. The job file's parsers decide what is valid.
- Tags are refused (`!!python/object`, `!!int`, `!foo`): job files have no use for them, and
  PyYAML's own constructors raise bare ValueError or KeyError on `!!int abc` or `!!bool x`.
- A key given twice in one mapping is an error (PyYAML keeps the last one silently).
- Anchors and aliases are refused: job files have no use for them, and an alias bomb
  (`a: &a [*b, *b, ...]` nested) would otherwise expand into billions of nodes.
- Merge keys (`<<`) are refused: they hide where a record's fields come from.
- libyaml's C parser when present, and the document is built from the node tree by the small
  walk below rather than by PyYAML's constructor, which took most of the time of a large job.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

try:
    _Parser = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Parser = yaml.SafeLoader

STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# A job file is three levels deep (document, records, record); anything far deeper is hostile.
MAX_DEPTH = 20


@dataclass(frozen=True)
class YamlProblem(Exception):
    message: str
    line: int | None


class TextLoader(_Parser):  # type: ignore[misc, valid-type]
    """Composes the node tree only; a plain scalar resolves to text, or null when empty."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return NULL if implicit[0] and value in _NULLS else STR
        return SEQ if kind is yaml.SequenceNode else MAP


def load(text: str) -> tuple[object, yaml.Node | None]:
    """The document and its node tree (for line numbers). Raises YamlProblem."""
    try:
        return _load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlProblem(_message(error, text, mark), mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as error:
        # Its own message gives a character offset; people look for a line.
        line = text.count("\n", 0, max(error.position, 0)) + 1
        character = error.character if isinstance(error.character, int) else 0
        raise YamlProblem(f"contains a character YAML does not allow (#x{character:04x})", line) from None
    except yaml.YAMLError as error:
        raise YamlProblem(str(error), None) from None
    except RecursionError:
        raise YamlProblem("nested too deeply", None) from None


def _load(text: str) -> tuple[object, yaml.Node | None]:
    # Inside load's handlers: PyYAML's pure-Python reader already refuses characters here.
    loader = TextLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        return _build(node, set(), 0), node
    finally:
        loader.dispose()


def _message(error: yaml.MarkedYAMLError, text: str, mark) -> str:
    problem = error.problem or error.context or "not valid YAML"
    # "expected a single document, but found another document" needs both halves; the
    # "while parsing a block mapping" kind of context only names YAML's grammar.
    if error.context and error.problem and not error.context.startswith("while"):
        problem = f"{error.context}, {error.problem}"
    lines = text.split("\n")
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\t" in line[: len(line) - len(line.lstrip())]:
        problem += " (a tab indents this line: YAML indents with spaces only)"
    return problem


def _build(node: yaml.Node, seen: set[int], depth: int) -> object:
    # The composer hands an alias back as the very node its anchor named: a node met twice
    # is an alias, refused before anything is expanded.
    if id(node) in seen:
        raise _problem("YAML aliases (*name) are not allowed in job files", node)
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _problem("nested too deeply", node)
    if isinstance(node, yaml.ScalarNode) and node.tag in (STR, NULL):
        return node.value if node.tag == STR else None
    if isinstance(node, yaml.SequenceNode) and node.tag == SEQ:
        return [_build(item, seen, depth + 1) for item in node.value]
    if isinstance(node, yaml.MappingNode) and node.tag == MAP:
        return _build_mapping(node, seen, depth)
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    tag = tag if len(tag) <= 40 else tag[:40] + "…"
    raise _problem(f"YAML tags ({tag}) are not allowed in job files", node)


def _build_mapping(node: yaml.MappingNode, seen: set[int], depth: int) -> dict[str, object]:
    mapping: dict[str, object] = {}
    for key_node, value_node in node.value:
        key = _build(key_node, seen, depth + 1)
        if not isinstance(key, str):
            raise _problem("a mapping key must be plain text" if key is not None else "a key is empty", key_node)
        if key == "<<":
            raise _problem("YAML merge keys (<<) are not allowed in job files", key_node)
        if key in mapping:
            raise _problem(f"the key {key!r} is given twice", key_node)
        mapping[key] = _build(value_node, seen, depth + 1)
    return mapping


def _problem(message: str, node: yaml.Node) -> YamlProblem:
    return YamlProblem(message, node.start_mark.line + 1)


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
