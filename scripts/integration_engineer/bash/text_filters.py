"""What the usual line filters print for a known input: ``paste``, ``cut`` and ``jq`` reading
a path (``.verb``, ``.steps[0]``, ``.[]``) out of a JSON file. Their output may be fed to a
shell or used as a word, so only forms whose output is certain are known; anything else (an
option not read here, a jq filter that is not a plain path, a float) is None. Stdlib only.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Callable

    Reader = Callable[[list[str]], str | None]  # the text of these files, or stdin when none


def paste(args: list[str], read: Reader, unescape: Callable[[str], str]) -> str | None:
    """``paste [-s] [-d LIST] [FILE...]``: lines joined across files, or each file's lines
    joined (-s), the delimiters of LIST used in turn (default a tab)."""
    serial, delims, paths = False, "\t", list[str]()
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-s", "--serial"):
            serial = True
        elif arg.startswith("--delimiters="):
            delims = arg.split("=", 1)[1]
        elif arg.startswith("-") and arg != "-" and not arg.startswith("--"):
            for k, letter in enumerate(arg[1:], 1):
                if letter == "s":
                    serial = True
                elif letter == "d":
                    value = arg[k + 1 :] or (args[i + 1] if i + 1 < len(args) else None)
                    if value is None:
                        return None
                    i += 0 if arg[k + 1 :] else 1
                    delims = value
                    break
                else:
                    return None  # -z, or an option not read here
        elif arg.startswith("--"):
            return None
        else:
            paths.append(arg)
        i += 1
    if "\\" in delims.replace("\\n", "").replace("\\t", "").replace("\\\\", ""):
        return None  # \0 (no delimiter) and other escapes: not read here
    delims = unescape(delims)
    texts = [read([p] if p != "-" else []) for p in paths or ["-"]]
    if any(t is None for t in texts):
        return None
    columns = [(t or "").splitlines() for t in texts]
    if serial:
        return "".join(_joined(lines, delims) + "\n" for lines in columns)
    rows = max((len(c) for c in columns), default=0)
    return "".join(_joined([c[r] if r < len(c) else "" for c in columns], delims) + "\n" for r in range(rows))


def _joined(fields: list[str], delims: str) -> str:
    out = fields[:1]
    for k, field in enumerate(fields[1:]):
        out.append((delims[k % len(delims)] if delims else "") + field)
    return "".join(out)


def cut(args: list[str], read: Reader) -> str | None:
    """``cut -f LIST [-d C] [-s]`` and ``cut -c LIST`` / ``-b LIST`` on ASCII text."""
    mode, spec, delim, only, paths = "", "", "\t", False, list[str]()
    i = 0
    while i < len(args):
        arg = args[i]
        letter = arg[1:2] if arg.startswith("-") and not arg.startswith("--") and len(arg) > 1 else ""
        if letter in ("f", "c", "b", "d"):
            value = arg[2:] or (args[i + 1] if i + 1 < len(args) else None)
            if value is None:
                return None
            i += 0 if arg[2:] else 1
            if letter == "d":
                delim = value
            else:
                mode, spec = letter, value
        elif arg in ("-s", "--only-delimited"):
            only = True
        elif arg.startswith("-") and arg != "-":
            return None
        else:
            paths.append(arg)
        i += 1
    ranges = _ranges(spec)
    text = read(paths)
    if not mode or ranges is None or len(delim) != 1 or text is None or not text.isascii():
        return None
    out = []
    for line in text.splitlines():
        if mode in ("c", "b"):
            out.append("".join(c for n, c in enumerate(line, 1) if _picked(n, ranges)) + "\n")
        elif delim in line:
            fields = line.split(delim)
            out.append(delim.join(f for n, f in enumerate(fields, 1) if _picked(n, ranges)) + "\n")
        elif not only:
            out.append(line + "\n")
    return "".join(out)


def _ranges(spec: str) -> list[tuple[int, int]] | None:
    """cut's LIST (``2``, ``2-``, ``-3``, ``1,3-4``) as inclusive ranges; None when malformed."""
    found = []
    for part in spec.split(","):
        low, dash, high = part.partition("-")
        if not (low or high) or not (low.isdigit() or not low) or not (high.isdigit() or not high):
            return None
        start = int(low) if low else 1
        end = int(high) if high else (1 << 30) if dash else start
        if start < 1 or end < start:
            return None
        found.append((start, end))
    return found or None


def _picked(n: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= n <= end for start, end in ranges)


_JQ_FLAGS = frozenset({"-r", "--raw-output", "-c", "--compact-output", "-j", "--join-output", "-e", "-M", "-S"})


def jq(args: list[str], read: Reader) -> str | None:
    """``jq [-r] [-c] [-j] PATH [FILE...]`` where PATH is a plain path (``.``, ``.a.b``,
    ``.a[0]``, ``.["k"]``, ``.[]``), or such paths and plain strings joined by commas: each
    value it reaches, printed as jq prints it."""
    options, rest = set[str](), list[str]()
    for arg in args:
        if rest or not arg.startswith("-") or arg == "-":
            rest.append(arg)
        elif arg in _JQ_FLAGS:
            options.add(arg)
        elif not arg.startswith("--") and set(arg[1:]) <= set("rcjeMS"):
            options.update("-" + c for c in arg[1:])
        else:
            return None  # --arg, --slurp, -n, --tab...: not read here
    if not rest:
        return None
    terms = _jq_terms(rest[0])
    text = read(rest[1:])
    if terms is None or text is None:
        return None
    import json

    decoder, values, at = json.JSONDecoder(), list[object](), 0
    try:
        while text[at:].strip():
            at = len(text) - len(text[at:].lstrip())
            value, at = decoder.raw_decode(text, at)
            for term in terms:  # ``.a, " ", .b``: each term's values in turn, for each input
                values.extend([term] if isinstance(term, str) else _jq_walk(value, term))
    except (ValueError, LookupError, TypeError):
        return None
    raw = bool(options & {"-r", "--raw-output", "-j", "--join-output"})
    joined = bool(options & {"-j", "--join-output"})
    out = [_jq_print(v, raw, bool(options & {"-c", "--compact-output"}), "-S" in options) for v in values]
    if None in out:
        return None
    return "".join(f"{o}" if joined else f"{o}\n" for o in out)


def _jq_terms(text: str) -> list[str | list[object]] | None:
    """A filter of plain paths and plain string literals joined by commas (``.a, " ", .b``): a
    literal as its string, a path as its steps; None for anything else."""
    terms: list[str | list[object]] = []
    for piece in _top_level_commas(text):
        piece = piece.strip()
        if len(piece) >= 2 and piece[0] == piece[-1] == '"' and not set(piece[1:-1]) & set('"\\'):
            terms.append(piece[1:-1])
            continue
        steps = _jq_path(piece)
        if steps is None:
            return None
        terms.append(steps)
    return terms or None


def _top_level_commas(text: str) -> list[str]:
    """``text`` split at the commas outside strings and brackets."""
    pieces, depth, quoted, start = [], 0, False, 0
    for i, c in enumerate(text):
        if c == '"':
            quoted = not quoted
        elif not quoted and c in "[(":
            depth += 1
        elif not quoted and c in "])":
            depth -= 1
        elif not quoted and depth == 0 and c == ",":
            pieces.append(text[start:i])
            start = i + 1
    return [*pieces, text[start:]]


def _jq_path(text: str) -> list[object] | None:
    """A plain jq path as steps: a key (str), an index (int) or every value (None)."""
    text = text.strip()
    if not text.startswith(".") or ".." in text:
        return None  # .. descends into every value
    steps: list[object] = []
    i = 1
    while i < len(text):
        if text[i] == "[":
            end = text.find("]", i)
            inner = text[i + 1 : end] if end > 0 else None
            if inner is None:
                return None
            if inner == "":
                steps.append(None)
            elif inner.lstrip("-").isdigit():
                steps.append(int(inner))
            elif len(inner) >= 2 and inner[0] == inner[-1] == '"' and '"' not in inner[1:-1] and "\\" not in inner:
                steps.append(inner[1:-1])
            else:
                return None
            i = end + 1
        elif text[i] == ".":
            i += 1
        else:
            end = i
            while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                end += 1
            if end == i or text[i].isdigit():
                return None
            steps.append(text[i:end])
            i = end
    return steps


def _jq_walk(value: object, steps: list[object]) -> list[object]:
    """The values a path reaches (a missing key is null); a wrong type raises TypeError."""
    values = [value]
    for step in steps:
        reached: list[object] = []
        for v in values:
            if step is None:
                if not isinstance(v, (list, dict)):
                    raise TypeError
                reached.extend(v.values() if isinstance(v, dict) else v)
            elif isinstance(step, str):
                if v is not None and not isinstance(v, dict):
                    raise TypeError
                reached.append(v.get(step) if isinstance(v, dict) else None)
            elif isinstance(step, int):
                if v is not None and not isinstance(v, list):
                    raise TypeError
                reached.append(v[step] if isinstance(v, list) and -len(v) <= step < len(v) else None)
        values = reached
    return values


def _jq_print(value: object, raw: bool, compact: bool, sort: bool) -> str | None:
    """jq's text for a value; None for one whose text may differ (floats, large numbers)."""
    import json

    if raw and isinstance(value, str):
        return value
    if _has_inexact_number(value):
        return None
    if compact:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort)
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=sort)


def _has_inexact_number(value: object) -> bool:
    if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1 << 53):
        return True
    if isinstance(value, dict):
        return any(_has_inexact_number(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_inexact_number(v) for v in value)
    return False
