"""``@record``: frozen dataclasses for the hot path, without importing ``dataclasses``.

``dataclasses`` imports ``inspect`` (and with it ``ast``, ``dis``, ``tokenize``...): about 10 ms
on every hook process, a third of the budget of a guard decision. Type checkers see
``dataclass_transform`` declarations (so mypy checks every use as a dataclass); at run time
this small stand-in does what the hot path needs: keyword/positional construction,
defaults, ``field(default_factory=)``, immutability, equality, hashing, repr, ``fields()``,
``asdict()`` and ``replace()``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same

if TYPE_CHECKING:
    from dataclasses import asdict, field, fields, replace
    from typing import Any, TypeVar

    from typing_extensions import dataclass_transform

    _T = TypeVar("_T")

    @dataclass_transform(frozen_default=True, field_specifiers=(field,))
    def record(cls: type[_T]) -> type[_T]: ...

    @dataclass_transform(field_specifiers=(field,))
    def mutable_record(cls: type[_T]) -> type[_T]: ...
else:
    _MISSING = object()

    class FrozenInstanceError(AttributeError):
        """Assignment to a field of a frozen record."""

    class _Field:
        __slots__ = ("default", "default_factory", "name")

        def __init__(self, default: Any = _MISSING, default_factory: Any = _MISSING) -> None:
            self.name = ""
            self.default = default
            self.default_factory = default_factory

    def field(*, default: Any = _MISSING, default_factory: Any = _MISSING) -> Any:
        return _Field(default, default_factory)

    def record(cls: type) -> type:
        cls = mutable_record(cls)
        cls.__setattr__ = _frozen_setattr
        cls.__delattr__ = _frozen_setattr
        cls.__hash__ = _hash
        return cls

    def mutable_record(cls: type) -> type:
        specs = _collect(cls)
        cls.__record_fields__ = specs
        cls.__init__ = _make_init(cls.__name__, specs)
        cls.__eq__ = _eq
        cls.__hash__ = None  # mutable and comparable by value: unhashable, as dataclasses do
        cls.__repr__ = _repr
        return cls

    def _collect(cls: type) -> tuple[_Field, ...]:
        specs: list[_Field] = []
        for base in reversed(cls.__mro__[1:]):
            specs.extend(getattr(base, "__record_fields__", ()))
        for name in cls.__dict__.get("__annotations__", {}):  # noqa: RUF063 - inspect is what we avoid
            value = cls.__dict__.get(name, _MISSING)
            spec = value if isinstance(value, _Field) else _Field(default=value)
            spec.name = name
            if isinstance(value, _Field):
                delattr(cls, name)
            specs = [s for s in specs if s.name != name] + [spec]
        return tuple(specs)

    def _make_init(owner: str, specs: tuple[_Field, ...]) -> Any:
        names = [s.name for s in specs]

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            if len(args) > len(specs):
                raise TypeError(f"{owner}() takes {len(specs)} positional arguments")
            unknown = set(kwargs) - set(names)
            if unknown:
                raise TypeError(f"{owner}() got unexpected keyword argument(s) {sorted(unknown)}")
            for i, spec in enumerate(specs):
                if i < len(args):
                    if spec.name in kwargs:
                        raise TypeError(f"{owner}() got multiple values for {spec.name!r}")
                    value = args[i]
                elif spec.name in kwargs:
                    value = kwargs[spec.name]
                elif spec.default_factory is not _MISSING:
                    value = spec.default_factory()
                elif spec.default is not _MISSING:
                    value = spec.default
                else:
                    raise TypeError(f"{owner}() missing required argument {spec.name!r}")
                object.__setattr__(self, spec.name, value)
            post_init = getattr(self, "__post_init__", None)
            if post_init is not None:
                post_init()

        return __init__

    def _values(obj: Any) -> tuple[Any, ...]:
        return tuple(getattr(obj, s.name) for s in obj.__record_fields__)

    def _frozen_setattr(self: Any, name: str, *value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def _eq(self: Any, other: Any) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _values(self) == _values(other)

    def _hash(self: Any) -> int:
        return hash(_values(self))

    def _repr(self: Any) -> str:
        inner = ", ".join(f"{s.name}={getattr(self, s.name)!r}" for s in self.__record_fields__)
        return f"{self.__class__.__qualname__}({inner})"

    def fields(obj: Any) -> tuple[_Field, ...]:
        return tuple(obj.__record_fields__)

    def asdict(obj: Any) -> Any:
        if hasattr(obj, "__record_fields__") and not isinstance(obj, type):
            return {s.name: asdict(getattr(obj, s.name)) for s in obj.__record_fields__}
        if isinstance(obj, (list, tuple)):
            return type(obj)(asdict(v) for v in obj)
        if isinstance(obj, dict):
            return {k: asdict(v) for k, v in obj.items()}
        return obj

    def replace(obj: Any, **changes: Any) -> Any:
        values = {s.name: getattr(obj, s.name) for s in obj.__record_fields__}
        return obj.__class__(**{**values, **changes})


__all__ = ["asdict", "field", "fields", "mutable_record", "record", "replace"]
