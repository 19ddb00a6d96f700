"""jsonschema-rs answers "no error" for most records; jsonschema stays the judge of everything else.

schema_check.py trusts the Rust validator only where it finds a record valid, so the one thing that may never
happen is the Rust validator accepting what jsonschema rejects: a record with an error would then publish.
These tests put both to every schema the demo declares, on the demo's records and on values editors get
wrong (types, dates written otherwise, numbers at and past their bounds, strings against every pattern).
"""
from __future__ import annotations

import random
from decimal import Decimal

import jsonschema
import jsonschema_rs
import pytest

from generator.contenttypes import load_base_schema, load_categories, thaw
from generator.load import load_records
from generator.problems import Problems
from generator.schema_check import surely_valid, check_against
from tests.locality import DEMO

ODD_VALUES = [
    None, True, False, 0, 1, -1, 1.0, 1.5, Decimal("12.30"), Decimal("-0.01"), Decimal("1E+3"), 10 ** 20,
    "", " ", "文字", "2024-01-01", "2024-01-01\n", "２０２４-０１-０１", "2024-1-1", "2024-02-30", "2024-Q5",
    "2024", "٢٠٢٤", "x" * 300, "a\u200bb", "<script>", [], [""], [1, 1], {}, {"x": 1},
]


def _demo():
    problems = Problems()
    base = load_base_schema(DEMO, problems)
    categories = load_categories(DEMO, base, problems)
    raws = load_records(DEMO, set(categories), problems).records
    return {cat_id: thaw(c.schema) for cat_id, c in categories.items()}, raws


def _subschemas(node, root):
    """Every subschema with a pattern, minimum or maximum, its $ref filled in (what editors' values meet)."""
    if isinstance(node, dict):
        if any(k in node for k in ("pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")):
            yield {**node, "$defs": root.get("$defs", {})}
        for value in node.values():
            yield from _subschemas(value, root)
    elif isinstance(node, list):
        for value in node:
            yield from _subschemas(value, root)


def _mutations(data: dict, rng: random.Random):
    """The record with each field (and each field of a table's first row) given each odd value."""
    for key in data:
        for value in ODD_VALUES:
            yield {**data, key: value}
        rows = data[key]
        if isinstance(rows, list) and rows and isinstance(rows[0], dict):
            for column in rows[0]:
                for value in rng.sample(ODD_VALUES, 8):
                    yield {**data, key: [{**rows[0], column: value}, *rows[1:]]}
    for key in list(data)[:3]:
        yield {k: v for k, v in data.items() if k != key}
    yield {**data, "unknown_field": "x"}


_COMPILED: dict[int, tuple] = {}


def _agree(schema: dict, instance) -> None:
    """What the fast path accepts (schema_check.surely_valid), jsonschema accepts."""
    if id(schema) not in _COMPILED:
        _COMPILED[id(schema)] = (schema, jsonschema_rs.Draft202012Validator(schema, validate_formats=False),
                                 jsonschema.Draft202012Validator(schema))
    _, fast, judge = _COMPILED[id(schema)]
    if surely_valid(fast, instance):
        assert judge.is_valid(instance), (schema, instance)


def test_the_rust_validator_never_accepts_a_record_jsonschema_rejects():
    schemas, raws = _demo()
    rng = random.Random(16)
    checked, per_category = 0, {}
    for raw in raws:
        per_category[raw.category_id] = per_category.get(raw.category_id, 0) + 1
        if per_category[raw.category_id] > 4:
            continue
        for instance in _mutations(raw.front.data, rng):
            _agree(schemas[raw.category_id], instance)
            checked += 1
    assert checked > 3000


def test_patterns_and_bounds_agree_on_many_strings_and_numbers():
    schemas, _ = _demo()
    rng = random.Random(633)
    pool = "0123456789０１２３٣-Q_ab zA中文\n\t\u3000.@<>\"'"
    strings = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 14))) for _ in range(400)]
    strings += ["2024-01-01", "2024-Q1", "2024-13", "2024-12", "2024-01-01 ", "12888800MB1C00011A", "gov",
                "a_1", "A", "x{seq:04d}", "{seq}", "zhang@example.cn", "a@b@c"]
    numbers = [Decimal(n) for n in ("-0.001", "0", "0.005", "1999", "2000", "2019", "2100", "2100.0001",
                                    "99999999999999999999.99")] + [1999, 2000, 2100, 2101, 0.0, -0.0, 1e300]
    seen = 0
    for schema in schemas.values():
        for sub in _subschemas(schema, schema):
            seen += 1
            for value in strings + numbers:
                _agree(sub, value)
    assert seen > 20


@pytest.mark.parametrize("change, said", [
    (lambda d: {**d, "title": True}, "类型错误"),
    (lambda d: {**d, "published_on": "2024-1-1"}, "格式不正确"),
    (lambda d: {**d, "budget": {**d["budget"], "year": 1800}}, "数值超出范围"),
    (lambda d: {**d, "budget": {**d["budget"], "year": Decimal("2024.0")}}, "类型错误"),
])
def test_an_error_is_still_said_in_chinese(change, said):
    schemas, raws = _demo()
    raw = next(r for r in raws if r.category_id == "budgets" and "budget" in r.front.data)
    problems = Problems()
    assert check_against(schemas["budgets"], change(raw.front.data), raw.front, raw.shown, problems) == 1
    assert problems.errors[0].message == said

def test_a_whole_number_written_with_a_fraction_is_no_integer_for_either():
    """3.0 for a count: jsonschema-rs takes it as an integer, jsonschema (the judge) does not."""
    schema = {"type": "object", "properties": {"persons": {"type": "integer"}}}
    fast = jsonschema_rs.Draft202012Validator(schema)
    assert fast.is_valid({"persons": Decimal("3.0")})         # why surely_valid looks first
    assert not surely_valid(fast, {"persons": Decimal("3.0")})
    assert surely_valid(fast, {"persons": 3})


def _nodes(node, path=()):
    """Every dict in a schema with its path."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _nodes(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _nodes(value, path + (i,))


def _replaced(schema, path, key, value):
    if not path:
        return {**schema, key: value}
    head, *rest = path
    copy = list(schema) if isinstance(schema, list) else dict(schema)
    copy[head] = _replaced(schema[head], tuple(rest), key, value)
    return copy


def test_the_rust_meta_schema_check_never_accepts_a_schema_jsonschema_rejects():
    """schema_files.check_schema asks jsonschema-rs first: a broken _schema.yml must still be caught."""
    from generator.schema_files import _META

    schemas, _ = _demo()
    rng = random.Random(2020)
    odd = ODD_VALUES + ["strng", ["string", "nul"], {"type": 1}, [{"type": "string"}], "^[", Decimal("3.0"), -5]
    checked = 0
    for schema in schemas.values():
        nodes = list(_nodes(schema))
        for path, node in rng.sample(nodes, min(3, len(nodes))):
            for key in [k for k in node if isinstance(k, str)][:4] + ["type", "required", "minLength", "items"]:
                for value in rng.sample(odd, 3):
                    broken = _replaced(schema, path, key, value)
                    if surely_valid(jsonschema_rs.meta, broken):
                        assert _META.is_valid(broken), (path, key, value)
                    checked += 1
    assert checked > 800
