"""The hot path's stand-in for frozen dataclasses behaves like one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from integration_engineer.runtime.record import asdict, field, fields, mutable_record, record, replace


@record
class Point:
    x: int
    label: str = "p"
    tags: list[str] = field(default_factory=list)


@mutable_record
class Counter:
    n: int = 0


def test_construction_defaults_and_factories() -> None:
    a, b = Point(1), Point(x=2, label="q")
    assert (a.x, a.label, a.tags, b.x, b.label) == (1, "p", [], 2, "q")
    assert a.tags is not Point(1).tags, "each instance gets its own list"


def test_equality_hash_repr() -> None:
    assert Point(1) == Point(1, "p", [])
    assert Point(1) != Point(2)
    assert hash(Point(1, tags=())) == hash(Point(1, tags=()))  # type: ignore[arg-type]
    assert repr(Point(1)) == "Point(x=1, label='p', tags=[])"


def test_frozen_and_mutable() -> None:
    point = Point(1)
    with pytest.raises(AttributeError):
        point.x = 2  # type: ignore[misc]
    counter = Counter()
    counter.n += 1
    assert counter == Counter(1)


def test_wrong_arguments_are_refused() -> None:
    with pytest.raises(TypeError, match="missing required argument 'x'"):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword"):
        Point(1, colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple values"):
        Point(1, x=2)  # type: ignore[misc]


def test_fields_asdict_replace() -> None:
    point = Point(1, tags=["a"])
    assert [f.name for f in fields(point)] == ["x", "label", "tags"]
    assert asdict(point) == {"x": 1, "label": "p", "tags": ["a"]}
    assert replace(point, x=5) == Point(5, tags=["a"])


def test_the_hot_path_does_not_import_dataclasses() -> None:
    probe = (
        "import sys; sys.path.insert(0, 'scripts'); import integration_engineer.events.dispatch, "
        "integration_engineer.events.pre_tool_use, integration_engineer.task.validation; "
        "print('dataclasses' in sys.modules, 'inspect' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
