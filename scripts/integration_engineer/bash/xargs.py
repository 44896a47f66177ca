"""What xargs runs, given the text it reads: its command lines, as GNU xargs (findutils 4.9) builds
them. Standard library only (hot path).

Items are split at blanks and newlines with quotes and backslashes honoured, or at a delimiter
(``-0``, ``-d``), up to an end-of-file string (``-E``); then grouped: one run per line with ``-I``
(the line replacing the string in the arguments), ``-L N`` lines or ``-n N`` items per run (the
last of the two given wins), else all in one run. With no item at all the command runs once, unless
``-r`` or ``-I``. Whatever cannot be known (an option's value, an unmatched quote, how ``-s``
splits) leaves an unknown item (None) in a run, so a reader refuses what it must.
"""

from __future__ import annotations

from integration_engineer.bash.expand import Argv, Field

# Short options taking a value, those whose value is optional (attached only), and flags.
_VALUED = frozenset("aEILnPsd")
_OPTIONAL = frozenset("eil")
_FLAGS = frozenset("0hoprtx")
_LONG = {
    "null": "-0",
    "arg-file": "-a",
    "delimiter": "-d",
    "eof": "-e",
    "replace": "-i",
    "max-lines": "-l",
    "max-args": "-n",
    "max-procs": "-P",
    "max-chars": "-s",
    "interactive": "-p",
    "no-run-if-empty": "-r",
    "verbose": "-t",
    "exit": "-x",
    "open-tty": "-o",
    "show-limits": "",
    "process-slot-var": "",
    "help": "-h",
    "version": "-h",
}
_LONG_VALUED = frozenset({"arg-file", "delimiter", "max-args", "max-procs", "max-chars", "process-slot-var"})
MAX_RUNS = 32
# xargs starts a new run when a command line would pass its size limit (128 KiB by default, less
# with a large environment; POSIX allows 4096): a run longer than this may be split, and the
# item starting the next run becomes the command's first argument (``git status ... push``).
MAX_LINE_BYTES = 4096
_BLANKS = " \t"


class XargsCommand:
    """One xargs command line: its options (``options``: (letter, value) in order), the command
    it runs (``argv``, echo by default), and whether the options could be read (``known``)."""

    def __init__(self, args: Argv) -> None:
        self.options: list[tuple[str, Field]] = []
        self.known = True
        i = 0
        while i < len(args):
            arg = args[i]
            if arg is None:
                self.known = False  # an unknown word: an option or the command, not known which
                break
            if arg == "--":
                i += 1
                break
            if not arg.startswith("-") or arg == "-":
                break
            i += self._long(arg, args[i + 1 : i + 2]) if arg.startswith("--") else self._short(arg, args[i + 1 : i + 2])
        self.argv: Argv = list(args[i:]) or ["echo"]

    def _long(self, arg: str, following: Argv) -> int:
        name, eq, value = arg[2:].partition("=")
        matches = [n for n in _LONG if n == name] or [n for n in _LONG if n.startswith(name)]
        if len(matches) != 1:
            self.known = False  # unrecognised or ambiguous: xargs refuses it, but stay unknowing
            return 1
        full = matches[0]
        letter = _LONG[full]
        if full in _LONG_VALUED and not eq:
            self.options.append((letter, following[0] if following else None))
            return 2
        self.options.append((letter, value if eq else ("" if letter in ("-e", "-i", "-l") else None)))
        return 1

    def _short(self, arg: str, following: Argv) -> int:
        j = 1
        while j < len(arg):
            letter = arg[j]
            rest = arg[j + 1 :]
            if letter in _FLAGS:
                self.options.append(("-" + letter, ""))
                j += 1
                continue
            if letter in _OPTIONAL:
                self.options.append(("-" + letter, rest))
                return 1
            if letter in _VALUED:
                if rest:
                    self.options.append(("-" + letter, rest))
                    return 1
                self.options.append(("-" + letter, following[0] if following else None))
                return 2
            self.known = False
            return 1
        return 1

    def value(self, *letters: str) -> tuple[str, Field] | None:
        """The last of these options given, with its value."""
        return next(((k, v) for k, v in reversed(self.options) if k in letters), None)

    def arg_file(self) -> tuple[bool, Field]:
        """Whether -a is given, and its file."""
        found = self.value("-a")
        return (found is not None, found[1] if found else None)

    def runs(self, data: str | None) -> list[Argv]:
        """The command lines run when xargs reads ``data`` (None: not known)."""
        if self.value("-h") is not None:
            return []  # --help, --version (-h): xargs prints and exits as it reads them
        known, replace = self.replace()
        lines = self._lines(data, replace is not None) if self.known and known and data is not None else None
        groups = None if lines is None else [line[:1] for line in lines if line] if replace else self._groups(lines)
        if groups is None:
            return [[*self.argv, None]]
        if not groups and replace is None and self.value("-r") is None:
            groups = [[]]
        runs = [self._argv(group, replace) for group in groups[:MAX_RUNS]]
        if len(groups) > MAX_RUNS or any(_size(run) > MAX_LINE_BYTES for run in runs):
            runs.append([*self.argv, None])
        return runs

    def replace(self) -> tuple[bool, str | None]:
        """Whether it is known, and -I's string (``{}`` for a bare -i; None without -I)."""
        found = self.value("-I", "-i")
        if found is None:
            return True, None
        letter, value = found
        value = value or ("{}" if letter == "-i" else None)
        return value is not None, value

    def _argv(self, group: list[str], replace: str | None) -> Argv:
        if replace is None:
            return [*self.argv, *group]
        item = group[0]
        return [a if a is None else a.replace(replace, item) for a in self.argv]

    def _groups(self, lines: list[list[str]]) -> list[list[str]] | None:
        """Items per run: -L N lines or -n N items (the last given), else all of them."""
        found = self.value("-L", "-l", "-n")
        items = [item for line in lines for item in line]
        sized = self.value("-s")
        if sized is not None and len(items) > 1:
            return None  # how -s splits the items depends on the environment's size
        if found is None:
            return [items] if items else []
        letter, value = found
        count = 1 if letter == "-l" and value == "" else _count(value)
        if count is None:
            return None
        if letter == "-n":
            return [items[i : i + count] for i in range(0, len(items), count)]
        full = [line for line in lines if line]
        return [[item for line in full[i : i + count] for item in line] for i in range(0, len(full), count)]

    def _lines(self, data: str, whole_lines: bool) -> list[list[str]] | None:
        """The items of the input, per line (per item with a delimiter); None when not known."""
        known, delimiter = self._delimiter()
        if not known:
            return None
        if delimiter is not None:
            items = data.split(delimiter)
            if items and items[-1] == "":
                items.pop()
            return [[item] for item in items]
        eof = self.value("-E", "-e")
        if eof is not None and eof[1] is None:
            return None
        return _quoted_lines(data, (eof[1] or "") if eof else "", whole_lines)

    def _delimiter(self) -> tuple[bool, str | None]:
        """Whether it is known, and the delimiter of -0/-d (None: blanks and newlines, quoted)."""
        found = self.value("-0", "-d")
        if found is None:
            return True, None
        letter, value = found
        if letter == "-0":
            return True, "\0"
        if value is not None and len(value) == 1:
            return True, value
        named = {"\\n": "\n", "\\t": "\t", "\\0": "\0", "\\\\": "\\", "\\r": "\r", "\\a": "\a", "\\b": "\b"}
        return (True, named[value]) if value in named else (False, None)


def _size(argv: Argv) -> int:
    """The bytes a command line takes as xargs counts them (each argument and its NUL)."""
    return sum(len(a.encode("utf-8", "surrogateescape")) + 1 for a in argv if a is not None)


def _count(value: Field) -> int | None:
    return int(value) if value is not None and value.isdigit() and int(value) > 0 else None


def _quoted_lines(data: str, eof: str, whole_lines: bool) -> list[list[str]] | None:
    """Items split at blanks and newlines (with ``whole_lines``, -I: at newlines only, leading
    blanks dropped), quotes and backslashes honoured; a line ending in a blank goes on (-L)."""
    lines: list[list[str]] = []
    line: list[str] = []
    buf: list[str] = []
    started = False
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c in "'\"":
            end = data.find(c, i + 1)
            if end < 0 or "\n" in data[i + 1 : end]:
                return None  # an unmatched quote: xargs stops there (having run what it had)
            buf.append(data[i + 1 : end])
            started, i = True, end + 1
            continue
        if c == "\\" and i + 1 < n:
            buf.append(data[i + 1])
            started, i = True, i + 2
            continue
        if c == "\n" or (c in _BLANKS and not whole_lines):
            if started:
                item = "".join(buf)
                if item == eof and eof and not whole_lines:
                    return lines + ([line] if line else [])
                line.append(item)
            buf, started = [], False
            if c == "\n" and not (whole_lines is False and i > 0 and data[i - 1] in _BLANKS):
                lines.append(line)
                line = []
            i += 1
            continue
        if c in _BLANKS and not started:
            i += 1  # leading blanks of an -I line
            continue
        buf.append(c)
        started, i = True, i + 1
    if started:
        line.append("".join(buf))
    if line:
        lines.append(line)
    return lines
