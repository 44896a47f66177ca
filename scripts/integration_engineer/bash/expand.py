"""Static expansion of words: brace expansion, parameter expansion with what the command itself
assigned (defaults included), quote removal and field splitting. Unknown pieces become None.

Variables may hold several possible values (``x=a`` in one branch, ``x=b`` in another, or a
``for`` loop): expansion returns every alternative argv, up to ``CAP``; beyond that a field is
unknown. A process substitution expands to a marker naming it (``psub_marker``), so callers can
find the script behind ``source <(...)``.
"""

from __future__ import annotations

from integration_engineer.bash.lexer import Arith, ArrayLit, Lit, Param, Sub, Word, _ansi_escape

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same

if TYPE_CHECKING:
    from collections.abc import Callable

    from integration_engineer.bash.nodes import Part
    from integration_engineer.bash.parser import Script

CAP = 16
BRACE_CAP = CAP * 4  # the fields of one brace expansion followed; past them, an unknown word
PSUB = "\x00psub:"
DEFAULT_IFS = " \t\n"

Field = str | None
Argv = list[Field]


class Env:
    """What the analysed command assigned: name -> possible values (None: unknown value).

    A name never assigned is unknown (it comes from the environment). ``positional`` is the
    argument list of the script being analysed (``bash -c '...' a b``, a function call), None
    when unknown. ``stdout`` gives the static output of a substitution's script, or None.
    """

    def __init__(self, stdout: Callable[[Script], str | None] | None = None) -> None:
        self.vars: dict[str, list[Field]] = {}
        self.positional: list[Field] | None = None
        self.arg0: Field = None  # $0 of the shell running the text, when known (bash -c TEXT NAME)
        self.stdout = stdout
        self.psubs: list[Sub] = []
        self.arrays: dict[str, list[Field]] = {}
        # Subscript -> value per array (None: some subscript is not known); ``assoc``: the names
        # declared ``-A``, whose subscripts are strings, not arithmetic.
        self.keyed: dict[str, dict[str, Field] | None] = {}
        self.assoc: set[str] = {"BASH_CMDS", "BASH_ALIASES"}
        self.refs: dict[str, str] = {}  # declare -n NAME=OTHER: NAME stands for OTHER
        self.integers: set[str] = set()  # declare -i NAME: every value given NAME is evaluated
        self.ifs = DEFAULT_IFS
        # Names surely unset where the command reads them: ``unset NAME`` run for sure (``unset``),
        # or (``absent``) missing from the environment the shell starts with.
        self.unset: set[str] = set()
        self.absent: Callable[[str], bool] = _nothing_absent
        self.nocase = False  # nocasematch may be on: ``${x/pat/rep}`` then ignores case (not followed)

    def is_unset(self, name: str) -> bool:
        """Whether ``name``, never assigned here, is surely unset."""
        return name not in self.vars and (name in self.unset or self.absent(name))

    def assign(self, name: str, values: list[Field]) -> None:
        self.unset.discard(name)
        known = self.vars.setdefault(name, [])
        for value in values:
            if value not in known:
                known.append(value)
        if len(known) > CAP:
            self.vars[name] = [None]
        if name == "IFS":
            chars = "".join(v if v is not None else " \t\n,:;/|.-_=" for v in known)
            self.ifs = "".join(dict.fromkeys(" \t\n" + chars))

    def settle(self, name: str, value: str) -> None:
        """``name=value`` certainly run (no branch, loop or subshell around it): the one value it
        holds from here on; IFS then splits on exactly its characters."""
        self.vars[name] = [value]
        if name == "IFS":
            self.ifs = value

    def unset_ifs(self) -> None:
        """``unset IFS``: words split as with the default (maybe: the unset may not run)."""
        self.ifs = "".join(dict.fromkeys(DEFAULT_IFS + self.ifs))

    def assign_array(self, name: str, items: list[Field], append: bool = False) -> None:
        """``name=(items)`` (``+=`` when ``append``); an item ``[KEY]=VALUE`` sets that element."""
        keyed: dict[str, Field] | None = dict(self.keyed.get(name) or {}) if append else {}
        if append and self.keyed.get(name, {}) is None:
            keyed = None
        at = max((int(k) for k in keyed or {} if k.isdigit()), default=-1) + 1
        for item in items:
            key, value = self._item_key(name, item)
            if key is None and value is None:
                keyed = None
                continue
            if key is None:
                key, at = str(at), at + 1
            elif key.isdigit():
                at = int(key) + 1
            if keyed is not None:
                keyed[key] = value
        self._set_keyed(name, keyed)

    def _item_key(self, name: str, item: Field) -> tuple[str | None, Field]:
        """(subscript, value) of one compound-assignment item; (None, None) when not known."""
        if item is None:
            return None, None
        if not (item.startswith("[") and "]=" in item):
            return None, item
        key, _, value = item[1:].partition("]=")
        index = self.index(name, key)
        return (None, None) if index is None else (index, value)

    def index(self, name: str, key: str) -> str | None:
        """The subscript bash uses: the string itself for an associative array, else the
        arithmetic value of a number or of a variable holding one (unset: 0)."""
        if name in self.assoc:
            return key
        key = key.strip()
        if key.isdigit():
            return str(int(key))
        if key[:1] == "-" and key[1:].isdigit():  # from the end: a[-1] is the highest index
            keyed = self.keyed.get(name)
            if keyed is None or not keyed or not all(k.isdigit() for k in keyed):
                return None
            at = max(int(k) for k in keyed) + 1 - int(key[1:])
            return str(at) if at >= 0 else None
        if key.isidentifier():
            values = self.vars.get(key)
            if values is None:
                return None  # from the environment: not known
            if len(values) == 1 and values[0] is not None and (values[0] or "0").isdigit():
                return str(int(values[0] or "0"))
        return None

    def saved(self, name: str) -> tuple[object, ...]:
        """What ``name`` holds now, to put back (``restore``) when a function's local one ends."""
        values, items, keyed = self.vars.get(name), self.arrays.get(name), self.keyed.get(name, ())
        copies = [None if v is None else list(v) for v in (values, items)]
        return (*copies, dict(keyed) if isinstance(keyed, dict) else keyed, name in self.unset)

    def restore(self, name: str, saved: tuple[object, ...], merge: bool = False) -> None:
        """Put back what ``saved`` holds; ``merge``: either that or what it holds now."""
        values, items, keyed, unset = saved
        if merge:
            self.assign(name, list(values) if isinstance(values, list) else [None])
            return
        for table, value in ((self.vars, values), (self.arrays, items)):
            if value is None:
                table.pop(name, None)
            else:
                table[name] = value  # type: ignore[assignment]
        if keyed == ():
            self.keyed.pop(name, None)
        else:
            self.keyed[name] = keyed  # type: ignore[assignment]
        if unset:
            self.unset.add(name)
        else:
            self.unset.discard(name)

    def snapshot(self) -> object:
        """The variables as they are now, to put back when a subshell ends (``put_back``)."""
        keyed = {k: None if v is None else dict(v) for k, v in self.keyed.items()}
        vars_ = {k: list(v) for k, v in self.vars.items()}
        arrays = {k: list(v) for k, v in self.arrays.items()}
        positional = None if self.positional is None else list(self.positional)
        return (vars_, arrays, keyed, set(self.unset), self.ifs, positional, dict(self.refs), set(self.integers))

    def put_back(self, snapshot: object) -> None:
        assert isinstance(snapshot, tuple)
        self.vars, self.arrays, self.keyed, self.unset, self.ifs, self.positional, self.refs, self.integers = snapshot

    def forget(self, name: str) -> None:
        """``unset NAME`` surely run: unset from here on (an array too)."""
        for table in (self.vars, self.arrays, self.keyed):
            table.pop(name, None)
        self.unset.add(name)

    def unset_element(self, name: str, key: str, surely: bool) -> None:
        """``unset 'NAME[KEY]'``: that element is gone (an array keeps its other indexes); one
        maybe unset, or a subscript not known, leaves the array not known."""
        keyed = self.keyed.get(name)
        index = self.index(name, key)
        if keyed is None or index is None or not surely:
            if name in self.vars or name in self.arrays:
                self._set_keyed(name, None)
            return
        self._set_keyed(name, {k: v for k, v in keyed.items() if k != index})

    def set_element(self, name: str, key: str, values: list[Field]) -> None:
        """``name[key]=value``."""
        keyed = self.keyed.get(name, {})
        index = self.index(name, key)
        if keyed is None or index is None or len(values) != 1:
            self._set_keyed(name, None)
            return
        self._set_keyed(name, {**keyed, index: values[0]})

    def _set_keyed(self, name: str, keyed: dict[str, Field] | None) -> None:
        self.keyed[name] = keyed
        if keyed is None:
            self.arrays[name] = [None]
            self.assign(name, [None])
            return
        order = sorted(keyed, key=int) if name not in self.assoc and all(k.isdigit() for k in keyed) else list(keyed)
        self.arrays[name] = [keyed[k] for k in order]
        self.assign(name, [keyed.get("0", "")])

    def deref(self, name: str) -> str:
        """The variable a nameref stands for (``declare -n r=x``: ``r`` is ``x``)."""
        for _ in range(8):
            if name not in self.refs:
                return name
            name = self.refs[name]
        return name

    def lookup(self, name: str) -> list[Field] | None:
        """Possible values; None when never assigned here (an environment variable)."""
        if name.isdigit():
            if int(name) == 0:
                return [self.arg0]
            if self.positional is None:
                return [None]
            i = int(name)
            return [self.positional[i - 1] if i <= len(self.positional) else ""]
        if name == "#":
            return [None] if self.positional is None else [str(len(self.positional))]
        base, _, index = name.partition("[")
        for _ in range(8):  # a nameref chain (declare -n), followed a few steps
            if base not in self.refs:
                break
            target = self.refs[base]
            base, _, inner = target.partition("[")
            index = index or inner
        else:
            return [None]
        if base in self.keyed and index:
            keyed = self.keyed[base]
            key = self.index(base, index[:-1] if index.endswith("]") else index)
            if keyed is None or key is None:
                return [None]
            return [keyed.get(key, "")]
        if index and base in self.vars:
            return [None]
        return self.vars.get(base)


def _nothing_absent(name: str) -> bool:
    return False


def expand_argv(words: list[Word], env: Env) -> list[Argv]:
    """Alternative argvs for a list of words."""
    alternatives: list[Argv] = [[]]
    for word in words:
        options = expand_word(word, env)
        if len(alternatives) == 1 and len(options) == 1:
            alternatives[0].extend(options[0])  # one argv: grown in place (copying it is quadratic)
            continue
        alternatives = [argv + fields for argv in alternatives for fields in options]
        if len(alternatives) > CAP:
            alternatives = [_merge(alternatives)]
    return alternatives


def _merge(alternatives: list[Argv]) -> Argv:
    """One argv standing for many: fields that differ become unknown."""
    width = max(len(a) for a in alternatives)
    merged: Argv = []
    for i in range(width):
        values = {a[i] if i < len(a) else None for a in alternatives}
        merged.append(values.pop() if len(values) == 1 else None)
    return merged


def expand_word(word: Word, env: Env) -> list[list[Field]]:
    """Alternative field lists for one word (brace expansion may make several fields)."""
    if word.value is not None and not _has_brace(word.parts):
        return [[word.value]]
    pieces = brace_expand(word.parts) if _has_brace(word.parts) else [word.parts]
    results: list[list[Field]] = [[]]
    for parts in pieces[:BRACE_CAP]:
        options = _fields(parts, env)
        results = [done + fields for done in results for fields in options]
        if len(results) > CAP:
            return [[None]]
    if len(pieces) > BRACE_CAP:  # the fields past the cap are not followed: they are unknown words
        results = [[*done, None] for done in results]
    return results


def value_of(word: Word, env: Env) -> list[Field]:
    """Alternative values of a word taken as one string (no splitting): assignments, heredocs."""
    if word.value is not None:
        return [word.value]
    return _joined(word.parts, env)


def _joined(parts: list[Part], env: Env) -> list[Field]:
    out: list[Field] = [""]
    for part in parts:
        values = _part_values(part, env)
        out = [None if a is None or b is None else a + b for a in out for b in values]
        out = list(dict.fromkeys(out))
        if len(out) > CAP:
            return [None]
    return out


def _fields(parts: list[Part], env: Env) -> list[list[Field]]:
    """Fields of one brace-expanded word: unquoted expansions split on blanks."""
    alternatives: list[tuple[list[Field], Field, bool]] = [([], "", False)]
    for part in parts:
        split = not isinstance(part, Lit) and not getattr(part, "quoted", True)
        is_lit = isinstance(part, Lit)
        quoted = is_lit and part.quoted  # type: ignore[union-attr]
        if isinstance(part, Param) and _is_list(part):
            items = _list_fields(part, env)
            alternatives = [_positional(state, items) for state in alternatives]
            continue
        new_alts = []
        for fields, current, solid in alternatives:
            for value in _part_values(part, env):
                new_alts.append(
                    _append(fields, current, solid or (is_lit and not split) or quoted, value, env.ifs if split else "")
                )
        alternatives = new_alts[: CAP * 2]
    out = []
    for fields, current, solid in alternatives:
        done = list(fields)
        if current is None or current or solid:
            done.append(current)
        out.append(done)
    return out or [[]]


# Operators applied to each element of ``$@`` / ``${a[@]}`` (``:`` slices the list instead).
_EACH = frozenset({"#", "##", "%", "%%", "/", "//", "/#", "/%", "^^", ",,", "^", ",", "~~", "~", "@"})


def _is_list(part: Param) -> bool:
    """``$@``, ``$*``, ``${a[@]}``, ``${a[*]}``, plain or with an operator bash applies to each
    element (``${@/commit/status}``, ``${a[@]^^}``) or a slice (``${@:2}``, ``${a[@]:1:2}``)."""
    listed = part.name in ("@", "*") or part.name.endswith(("[@]", "[*]"))
    return listed and (part.op in ("", ":") or part.op in _EACH)


def _list_fields(part: Param, env: Env) -> list[Field] | None:
    """The fields a list expansion gives: its elements (sliced, each changed by the operator),
    split on IFS when unquoted; quoted ``*`` joins them with IFS's first character. None: not
    known."""
    items = _list_items(part, env)
    if items is None:
        return None
    arg = _joined(part.arg, env) if part.arg is not None else [""]
    if part.op in _EACH:
        if len(arg) != 1 or arg[0] is None or (env.nocase and part.op.startswith("/")):
            return None
        op, text, globs = part.op, arg[0], _globbing(part)
        items = [
            None if i is None else (transform(text, i) if op == "@" else _operate(op, i, text, globs)) for i in items
        ]
    if part.name.endswith("*") and part.quoted:
        sep = _ifs_first(env)
        if sep is None or None in items:
            return None
        return [sep.join(i or "" for i in items)]
    if part.quoted:
        return items
    return [f for i in items for f in ([None] if i is None else ifs_split(i, env.ifs))]


def _list_items(part: Param, env: Env) -> list[Field] | None:
    """The elements of ``$@`` or of an array, sliced by ``:OFFSET:LENGTH`` (an array's offset is
    an index: the elements from the first index at or past it; ``$@``'s counts from ``$0``)."""
    if part.name in ("@", "*"):
        items = env.positional
        keys: list[int] | None = list(range(1, len(items) + 1)) if items is not None else None
        if part.op == ":" and items is not None:
            items, keys = [env.arg0, *items], [0, *(keys or [])]
    else:
        name = env.deref(part.name[:-3])
        if name in env.unset and name not in env.arrays:
            return []  # unset by the command: no elements
        keyed = env.keyed.get(name)
        if name in env.assoc or keyed is None or not all(k.isdigit() for k in keyed):
            items, keys = env.arrays.get(name), None
            if part.op != ":":
                return items
            return None if items is not None or name in env.keyed else items
        keys = sorted(int(k) for k in keyed)
        items = [keyed[str(k)] for k in keys]
    if part.op != ":" or items is None or keys is None:
        return items
    return _slice(items, keys, part, env)


def _slice(items: list[Field], keys: list[int], part: Param, env: Env) -> list[Field] | None:
    arg = _joined(part.arg, env) if part.arg is not None else [""]
    if len(arg) != 1 or arg[0] is None:
        return None
    offset, _, length = arg[0].partition(":")
    try:
        start = int(offset.strip() or "0")
        count = int(length.strip()) if length.strip() else None
    except ValueError:
        return None
    if start < 0:
        start += (keys[-1] + 1) if keys else 0
    if count is not None and count < 0:
        return None  # bash: a negative length of a list is an error
    chosen = [item for key, item in zip(keys, items, strict=True) if key >= start]
    return chosen if count is None else chosen[:count]


def _ifs_first(env: Env) -> str | None:
    """The character ``"$*"`` joins with: IFS's first (a space when IFS was never set)."""
    values = env.vars.get("IFS")
    if values is None:
        return " "
    return values[0][:1] if len(values) == 1 and values[0] is not None else None


def _positional(state: tuple[list[Field], Field, bool], args: list[Field] | None) -> tuple[list[Field], Field, bool]:
    """``$@``: one field per argument (unknown arguments: one unknown field)."""
    fields, current, solid = state
    if args is None:
        return fields, None, True
    if not args:
        return fields, current, solid
    fields = list(fields)
    first = None if current is None or args[0] is None else current + args[0]
    if len(args) == 1:
        return fields, first, True
    fields.append(first)
    fields.extend(args[1:-1])
    return fields, args[-1], True


def _append(
    fields: list[Field], current: Field, solid: bool, value: Field, ifs: str
) -> tuple[list[Field], Field, bool]:
    """Add an expansion's value to the word; ``ifs`` (unquoted expansions) splits it: IFS white
    space around a field is trimmed, each other IFS character ends a field (``a,,b``: three)."""
    if value is None:
        return fields, None, True
    if not ifs or not any(c in value for c in ifs):
        return fields, None if current is None else current + value, solid or bool(value)
    white = "".join(c for c in ifs if c in " \t\n")
    pieces = ifs_split(value, ifs)
    fields = list(fields)
    if value[:1] in white:  # a blank ends the word so far
        if current or solid:
            fields.append(current)
        current, solid = "", False
    if not pieces:
        return fields, current, solid
    current = None if current is None else current + pieces[0]
    for piece in pieces[1:]:
        fields.append(current)
        current = piece
    if value[-1] in ifs:  # a trailing separator ends the last field
        fields.append(current)
        return fields, "", False
    return fields, current, True


def _part_values(part: Part, env: Env) -> list[Field]:
    if isinstance(part, Lit):
        return [part.text]
    if isinstance(part, Param):
        return _param(part, env)
    if isinstance(part, Sub):
        if part.kind in ("<(", ">("):
            env.psubs.append(part)
            return [f"{PSUB}{len(env.psubs) - 1}"]
        out = env.stdout(part.script) if env.stdout else None
        return [None if out is None else out.rstrip("\n")]
    if isinstance(part, Arith):
        return [None]
    if isinstance(part, ArrayLit):
        return [None]
    return [None]  # pragma: no cover


def _param(part: Param, env: Env) -> list[Field]:
    op = part.op
    if op.startswith("!"):
        names = env.lookup(part.name) or [None]
        return [None] if None in names else [v for n in names for v in (env.lookup(n or "") or [None])]
    values = env.lookup(part.name)
    arg: list[Field] = _joined(part.arg, env) if part.arg is not None else [""]
    if values is None and op in _DEFAULTING and part.name.isidentifier() and env.is_unset(part.name):
        if "=" in op:  # ${x:=d} assigns d (where it runs: the name may stay unset elsewhere)
            env.assign(part.name, [*arg, ""])
        nothing: list[Field] = [""]
        return nothing if "+" in op else arg  # ${x:-d} / ${x:=d}: the default; ${x:+a}: nothing
    if values is None and op == "" and part.name in env.unset:
        return [""]  # unset by the command itself: nothing
    if op in ("", ":?", "?"):
        return values or [None]
    if op in (":-", "-", ":=", "="):
        if values is None:
            return [None, *arg]
        return [v for val in values for v in ([val] if val is None else (arg if (val == "" and ":" in op) else [val]))]
    if op in (":+", "+"):
        if values is None:
            return ["", *arg]
        return [v for val in values for v in ([None] if val is None else (arg if val or op == "+" else [""]))]
    if values is None or None in values or None in arg or (env.nocase and op.startswith("/")):
        return [None]
    if op == "@":
        return [transform(a or "", v or "", part.name) for v in values for a in arg]
    globs = _globbing(part)
    return [_operate(op, v or "", a or "", globs) for v in values for a in arg]


def _globbing(part: Param) -> str:
    """How the operator's pattern reads: "glob" written out unquoted (``${v%-*}``, ``"${v%-*}"``:
    ``* ? [`` match as bash's patterns), "literal" quoted whole inside the braces (``${v%'*'}``),
    "" not known (partly quoted, from an expansion; inside double quotes the lexer marks every
    piece quoted and keeps the inner quotes as text)."""
    lits = [p for p in part.arg or [] if isinstance(p, Lit)]
    if len(lits) != len(part.arg or []):
        return ""
    if part.quoted:
        return "" if any(c in p.text for p in lits for c in "\"'\\") else "glob"
    if all(p.quoted for p in lits) and not part.op.startswith("/"):
        return "literal"  # (a replacement's own quoting is not told apart from the pattern's)
    return "glob" if not any(p.quoted for p in lits) else ""


_DEFAULTING = frozenset({":-", "-", ":=", "=", ":+", "+"})


def _operate(op: str, value: str, arg: str, globs: str = "") -> Field:
    if op == "len":
        return str(len(value))
    if op in ("^^", ",,", "^", ",", "~~", "~"):
        if arg:
            return None
        if op == "^^":
            return value.upper()
        if op == ",,":
            return value.lower()
        if op == "~~":
            return value.swapcase()
        if op == "~":
            return value[:1].swapcase() + value[1:]
        return (value[:1].upper() if op == "^" else value[:1].lower()) + value[1:]
    if any(c in arg for c in "*?[") and globs != "literal":
        return _matched(op, value, arg) if globs == "glob" else None
    if op in ("#", "##"):
        return value.removeprefix(arg)
    if op in ("%", "%%"):
        return value.removesuffix(arg)
    if op in ("/", "//", "/#", "/%"):
        pattern, _, repl = arg.partition("/")
        if op == "/#":
            return repl + value[len(pattern) :] if value.startswith(pattern) else value
        if op == "/%":
            return value[: -len(pattern)] + repl if pattern and value.endswith(pattern) else value
        return value.replace(pattern, repl, -1 if op == "//" else 1) if pattern else value
    if op == ":":
        return _substring(value, arg)
    return None


def _matched(op: str, value: str, arg: str) -> Field:
    """``# ## % %% / // /# /%`` with a pattern (``*``, ``?``, ``[...]``): shortest or longest
    match, as bash 5.2 (extended patterns, classes and escapes: not known)."""
    pattern, _, repl = arg.partition("/") if op.startswith("/") else (arg, "", "")
    if "\\" in pattern or "[:" in pattern or "(" in pattern or not pattern:
        return None
    import fnmatch
    import re

    match = re.compile(fnmatch.translate(pattern.replace("[^", "[!"))).match
    n = len(value)
    if op in ("#", "##"):
        ends = range(n + 1) if op == "#" else range(n, -1, -1)
        return next((value[i:] for i in ends if match(value[:i])), value)
    if op in ("%", "%%"):
        starts = range(n, -1, -1) if op == "%" else range(n + 1)
        return next((value[:i] for i in starts if match(value[i:])), value)
    if op == "/#":
        return next((repl + value[i:] for i in range(n, -1, -1) if match(value[:i])), value)
    if op == "/%":
        return next((value[:i] + repl for i in range(n + 1) if match(value[i:])), value)
    out, at = [], 0
    while at <= n:
        end = next((j for j in range(n, at - 1, -1) if match(value[at:j])), None)
        if end is None:
            out.append(value[at : at + 1])
            at += 1
            continue
        out.append(repl)
        if op == "/":
            return "".join(out) + value[end:]
        out.append(value[end : end + 1] if end == at else "")
        at = end + 1 if end == at else end
    return "".join(out)


def _substring(value: str, arg: str) -> Field:
    offset, _, length = arg.partition(":")
    try:
        start = int(offset.strip() or "0")
        if not length:
            return value[start:]
        count = int(length.strip())
    except ValueError:
        return None
    end = len(value) + count if count < 0 else (start if start >= 0 else len(value) + start) + count
    return value[start:end]


def transform(letter: str, value: str, name: str = "") -> Field:
    """``${x@OP}`` (bash 5.2): Q quotes the value, E decodes ``$'...'`` escapes, P expands it as a
    prompt (known only when it holds no escape nor expansion: what those give is not known here;
    the commands such a value runs are followed where it is assigned), U/u/L change case, A gives
    the assignment; a/k/K are not followed."""
    if letter == "Q":
        return "'" + value.replace("'", "'\\''") + "'"
    if letter == "E":
        return decode_escapes(value)
    if letter == "P":
        return None if any(c in value for c in "\\$`") else value
    if letter == "U":
        return value.upper()
    if letter == "u":
        return value[:1].upper() + value[1:]
    if letter == "L":
        return value.lower()
    if letter == "A" and name.isidentifier():
        return f"{name}={transform('Q', value)}"
    return None


def decode_escapes(text: str, echo_octal: bool = False) -> str:
    """The backslash escapes of ``$'...'`` decoded (``\\x67it`` -> ``git``); with ``echo_octal``, also
    echo -e's and printf's ``\\0nnn`` (up to three digits after the 0)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            if echo_octal and text[i + 1] == "0":
                j = i + 2
                while j < i + 5 and j < len(text) and text[j] in "01234567":
                    j += 1
                out.append(chr(int(text[i + 2 : j] or "0", 8) & 0xFF))
                i = j
                continue
            piece, i = _ansi_escape(text, i + 1)
            out.append(piece)
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def ifs_split(text: str, ifs: str, count: int = 0) -> list[str]:
    """Split one line on ``ifs`` as ``read`` does: IFS white space is trimmed and runs of it are one
    separator, each other IFS character ends a field (``a::b`` has an empty one, a trailing one
    ends the last). With ``count`` names the last keeps the rest of the line (``read a b``)."""
    white = "".join(c for c in ifs if c in " \t\n")
    fields: list[str] = []
    i, n = _skip(text, 0, white), len(text)
    while i < n:
        if count > 0 and len(fields) == count - 1:
            fields.append(_rest(text[i:], ifs, white))
            return fields
        j = i
        while j < n and text[j] not in ifs:
            j += 1
        fields.append(text[i:j])
        if j >= n:
            break
        k = _skip(text, j, white)
        if k < n and text[k] in ifs and text[k] not in white and (k == j or text[j] in white):
            k = _skip(text, k + 1, white)
        i = k
    return fields


def _skip(text: str, i: int, white: str) -> int:
    while i < len(text) and text[i] in white:
        i += 1
    return i


def _rest(rest: str, ifs: str, white: str) -> str:
    """What the last name of ``read`` gets: the rest, trailing IFS white space removed, and one
    trailing separator when the rest is a single field."""
    rest = rest.rstrip(white) if white else rest
    if rest and rest[-1] in ifs and rest[-1] not in white and len(ifs_split(rest, ifs)) == 1:
        rest = rest[:-1].rstrip(white) if white else rest[:-1]
    return rest


# -- brace expansion -------------------------------------------------------------------------


def _has_brace(parts: list[Part]) -> bool:
    return (
        any(isinstance(p, Lit) and not p.quoted and "{" in p.text and "}" in p.text for p in parts)
        or sum(isinstance(p, Lit) and not p.quoted and ("{" in p.text or "}" in p.text) for p in parts) > 1
    )


def brace_expand(parts: list[Part]) -> list[list[Part]]:
    """Bash brace expansion over a word's parts; only unquoted braces count."""
    atoms: list[Part | str] = []
    for part in parts:
        if isinstance(part, Lit) and not part.quoted:
            atoms.extend(part.text)
        else:
            atoms.append(part)
    out = []
    for expanded in _expand_atoms(atoms, 0)[: BRACE_CAP + 1]:  # one past the cap: it was cut
        new: list[Part] = []
        for atom in expanded:
            if isinstance(atom, str):
                if new and isinstance(new[-1], Lit) and not new[-1].quoted:
                    new[-1] = Lit(new[-1].text + atom, False)
                else:
                    new.append(Lit(atom, False))
            else:
                new.append(atom)
        out.append(new)
    return out


def _expand_atoms(atoms: list[Part | str], depth: int) -> list[list[Part | str]]:
    if depth > 10:
        return [atoms]
    for start, atom in enumerate(atoms):
        if atom != "{":
            continue
        found = _brace_body(atoms, start)
        if found is None:
            continue
        end, alternatives = found
        prefix, suffix = atoms[:start], atoms[end + 1 :]
        results: list[list[Part | str]] = []
        for alt in alternatives:
            for tail in _expand_atoms(alt + suffix, depth + 1):
                results.append(prefix + tail)
                if len(results) > BRACE_CAP:
                    return results
        return results
    return [atoms]


def _brace_body(atoms: list[Part | str], start: int) -> tuple[int, list[list[Part | str]]] | None:
    depth, pieces, current = 0, [], []  # type: ignore[var-annotated]
    for i in range(start + 1, len(atoms)):
        atom = atoms[i]
        if atom == "{":
            depth += 1
        elif atom == "}":
            if depth == 0:
                pieces.append(current)
                if len(pieces) > 1:
                    return i, pieces
                return _sequence(current, i)
            depth -= 1
        elif atom == "," and depth == 0:
            pieces.append(current)
            current = []
            continue
        current.append(atom)
    return None


def _sequence(body: list[Part | str], end: int) -> tuple[int, list[list[Part | str]]] | None:
    if not all(isinstance(a, str) for a in body):
        return None
    text = "".join(a for a in body if isinstance(a, str))
    bits = text.split("..")
    if len(bits) not in (2, 3):
        return None
    try:
        lo, hi = int(bits[0]), int(bits[1])
        step = abs(int(bits[2])) if len(bits) == 3 else 1
        values = range(lo, hi + (1 if hi >= lo else -1), (step or 1) * (1 if hi >= lo else -1))
        seq = [str(v) for v in values[: BRACE_CAP + 1]]  # a range is sliced lazily: {1..10000000000}
    except ValueError:
        if not (len(bits[0]) == 1 == len(bits[1])):
            return None
        a, b = ord(bits[0]), ord(bits[1])
        seq = [chr(c) for c in range(a, b + (1 if b >= a else -1), 1 if b >= a else -1)]
    return end, [list(s) for s in seq[: BRACE_CAP + 1]]
