"""Per-program handlers: the words of a command that name what it writes (``cp`` destinations,
``rm`` operands, ``sed -i`` files, ``curl -o``...). Standard library only (hot path)."""

from __future__ import annotations

import os

from integration_engineer.bash import commands
from integration_engineer.bash.parser import Word
from integration_engineer.isolation.write_words import Found, literal_word, option_word, split_operands, suffix_word

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Callable  # collections costs ~2 ms to import


def _copy_like(op: str, takes: frozenset[str], short: str, move: bool = False) -> Callable[[list[Word]], Found]:
    def handler(words: list[Word]) -> Found:
        operands, options = split_operands(words, takes, short)
        explicit = option_word(words, ("-t", "--target-directory"))
        found: Found = [(w, f"{op} destination", "write", False) for w in explicit]
        if "-d" in options and op == "install":
            return [(w, "install -d", "write", False) for w in operands]
        if not explicit and len(operands) >= 2:
            found.append((operands[-1], f"{op} destination", "write", False))
            sources = operands[:-1]
        else:
            sources = operands
        if move:
            found += [(w, f"{op} source (moved away)", "delete", True) for w in sources]
        return found

    return handler


def _all_operands(
    op: str, kind: str, takes: frozenset[str] = frozenset(), short: str = ""
) -> Callable[[list[Word]], Found]:
    def handler(words: list[Word]) -> Found:
        operands, options = split_operands(words, takes, short)
        whole = any(k in options for k in ("-r", "-R", "--recursive"))
        return [(w, op, kind, whole or (kind == "delete" and op == "rmdir")) for w in operands]

    return handler


def _chmod_like(op: str) -> Callable[[list[Word]], Found]:
    """chmod/chown/chgrp: the first word that is not one of their flags is the mode or owner
    (a mode may start with '-': ``chmod -x f``), unless --reference gives it."""
    flags = frozenset(
        {
            "-R",
            "-v",
            "-c",
            "-f",
            "-h",
            "-H",
            "-L",
            "-P",
            "--recursive",
            "--verbose",
            "--changes",
            "--silent",
            "--quiet",
            "--dereference",
            "--no-dereference",
            "--preserve-root",
            "--no-preserve-root",
        }
    )

    def handler(words: list[Word]) -> Found:
        args = [w for w in words[1:] if w.value != "--"]
        has_reference = any((w.value or "").startswith("--reference") for w in args)
        rest = [w for w in args if w.value not in flags and not (w.value or "").startswith("--reference")]
        operands = rest if has_reference else rest[1:]
        whole = any(w.value in ("-R", "--recursive") for w in args)
        return [(w, op, "write", whole) for w in operands]

    return handler


def _ln(words: list[Word]) -> Found:
    operands, _ = split_operands(words, frozenset({"-S", "--suffix", "-t", "--target-directory"}))
    explicit = option_word(words, ("-t", "--target-directory"))
    if explicit:
        return [(w, "ln target directory", "write", False) for w in explicit]
    if len(operands) >= 2:
        return [(operands[-1], "ln link name", "write", False)]
    if operands and operands[0].value is not None:
        return [(literal_word(os.path.basename(operands[0].value.rstrip("/")) or "."), "ln link name", "write", False)]
    return []


def _rsync(words: list[Word]) -> Found:
    takes = frozenset(
        {
            "-e",
            "--rsh",
            "-f",
            "--filter",
            "-T",
            "--temp-dir",
            "--exclude",
            "--include",
            "--exclude-from",
            "--include-from",
            "--files-from",
            "--rsync-path",
            "--log-file",
            "--password-file",
            "-B",
            "--block-size",
            "--chmod",
            "--chown",
            "--compare-dest",
            "--copy-dest",
            "--link-dest",
        }
    )
    operands, _ = split_operands(words, takes, "efTB")
    if len(operands) < 2:
        return []
    dest = operands[-1]
    value = dest.value or ""
    if ":" in value.split("/", 1)[0]:
        return []  # a remote destination
    return [(dest, "rsync destination", "write", True)]


def _tee(words: list[Word]) -> Found:
    operands, _ = split_operands(words)
    return [(w, "tee", "write", False) for w in operands]


def _sed(words: list[Word]) -> Found:
    operands, options = split_operands(
        words, frozenset({"-e", "--expression", "-f", "--file", "-l", "--line-length"}), "efl"
    )
    if not any(k in options for k in ("-i", "--in-place")):
        return []
    if not any(k in options for k in ("-e", "--expression", "-f", "--file")):
        operands = operands[1:]
    return [(w, "sed -i", "write", False) for w in operands]


def _perl(words: list[Word]) -> Found:
    operands, options = split_operands(words, frozenset({"-e", "-E", "-M", "-I"}), "eEMIil0")
    if "-i" not in options:
        return []
    if not any(k in options for k in ("-e", "-E")):
        operands = operands[1:]
    return [(w, "perl -i", "write", False) for w in operands]


def _dd(words: list[Word]) -> Found:
    return [(suffix_word(w, 3), "dd of=", "write", False) for w in words[1:] if (w.value or "").startswith("of=")]


def _curl(words: list[Word]) -> Found:
    found: Found = [(w, "curl -o", "write", False) for w in option_word(words, ("-o", "--output"))]
    values = [w.value for w in words]
    if any(v in ("-O", "--remote-name", "--remote-name-all") for v in values):
        dirs = option_word(words, ("--output-dir",)) or [literal_word(".")]
        found += [(w, "curl -O into", "write", False) for w in dirs]
    return found


def _wget(words: list[Word]) -> Found:
    named = option_word(words, ("-O", "--output-document", "-o", "--output-file"))
    found: Found = [(w, "wget output", "write", False) for w in named]
    prefix = option_word(words, ("-P", "--directory-prefix"))
    if not any(
        (w.value or "") in ("-O", "--output-document") or (w.value or "").startswith("--output-document=")
        for w in words
    ):
        found += [(w, "wget into", "write", False) for w in prefix or [literal_word(".")]]
    return found


def _tar(words: list[Word]) -> Found:
    args = words[1:]
    modes, file_word, into = "", None, None
    for i, w in enumerate(args):
        value = w.value or ""
        if i == 0 and not value.startswith("-"):
            value = "-" + value  # old style: tar czf out.tgz
        if value.startswith("--"):
            modes += {"--extract": "x", "--get": "x", "--create": "c", "--append": "r", "--update": "u"}.get(
                value.split("=")[0], ""
            )
            if value.startswith("--file="):
                file_word = suffix_word(w, 7)
            if value.startswith("--directory="):
                into = suffix_word(w, 12)
            if value in ("--file", "--directory") and i + 1 < len(args):
                file_word, into = (args[i + 1], into) if value == "--file" else (file_word, args[i + 1])
        elif value.startswith("-"):
            modes += value[1:]
            if "f" in value and i + 1 < len(args):
                file_word = args[i + 1]
            if value == "-C" and i + 1 < len(args):
                into = args[i + 1]
    if "x" in modes:
        return [(into or literal_word("."), "tar extract into", "write", True)]
    if any(m in modes for m in "cru") and file_word is not None:
        return [(file_word, "tar archive", "write", False)]
    return []


def _output_option(op: str, short: str, long: str) -> Callable[[list[Word]], Found]:
    """A program writing where an option says (``sort -o OUT``, ``-oOUT``, ``--output=OUT``)."""

    def handler(words: list[Word]) -> Found:
        found: Found = [(w, op, "write", False) for w in option_word(words[1:], (short, long))]
        for w in words[1:]:
            value = w.value or ""
            if value.startswith(short) and len(value) > len(short):
                found.append((suffix_word(w, len(short)), op, "write", False))
        return found

    return handler


def _patch(words: list[Word]) -> Found:
    """``patch -o OUT``, and ``patch -d DIR``: the files it patches are under DIR."""
    found = _output_option("patch -o", "-o", "--output")(words)
    found += [(w, "patch -d", "write", True) for w in option_word(words[1:], ("-d", "--directory"))]
    return found


def _split(words: list[Word]) -> Found:
    """``split [OPTION] [INPUT [PREFIX]]``: pieces PREFIXaa, PREFIXab... (default ``x`` here)."""
    takes = frozenset(
        {
            "-a",
            "--suffix-length",
            "-b",
            "--bytes",
            "-C",
            "--line-bytes",
            "-l",
            "--lines",
            "-n",
            "--number",
            "-t",
            "--separator",
            "--additional-suffix",
            "--filter",
        }
    )
    operands, _ = commands.split_options(words[1:], takes, "abClnt")
    return [(operands[1], "split output prefix", "write", False)] if len(operands) > 1 else []


def _zip(words: list[Word]) -> Found:
    """``zip [OPTIONS] ARCHIVE FILES``: the archive (or ``-O OUT``) is written."""
    takes = frozenset({"-b", "-n", "-t", "-tt", "-TT", "-x", "-i", "-O", "--output-file", "-P", "-Z", "-s"})
    operands, options = commands.split_options(words[1:], takes, "")
    outputs = [w for w in option_word(words[1:], ("-O", "--output-file"))]
    found: Found = [(w, "zip -O", "write", False) for w in outputs]
    if operands and not options.get("-O") and not options.get("--output-file"):
        found.append((operands[0], "zip archive", "write", False))
    return found


def _sqlite3(words: list[Word]) -> Found:
    """``sqlite3 DB ...``: the database file is created or changed (not ``:memory:``, not -readonly)."""
    takes = frozenset({"-cmd", "-init", "-separator", "-newline", "-nullvalue", "-vfs", "-maxsize"})
    operands, options = commands.split_options(words[1:], takes, "")
    found: Found = [] if not operands else _sqlite_dot_writes([*operands[1:], *option_word(words[1:], ("-cmd",))])
    if not operands or "-readonly" in options or operands[0].value in (":memory:", ""):
        return found
    return [(operands[0], "sqlite3 database", "write", False), *found]


# sqlite3's dot-commands that write the file they name (the last word): .once/.output send
# results there, .save/.backup/.clone write a database, .log/.trace a log.
_SQLITE_WRITES = frozenset({".once", ".output", ".save", ".backup", ".clone", ".log", ".trace"})


def _sqlite_dot_writes(words: list[Word]) -> Found:
    found: Found = []
    for word in words:
        if word.value is None:
            found.append((word, "sqlite3 command (only known at run time)", "write", False))
            continue
        for line in word.value.splitlines():
            parts = line.split()
            if len(parts) > 1 and parts[0] in _SQLITE_WRITES and parts[-1] not in ("stdout", "stderr", "off", "on"):
                name = parts[-1].strip("'\"")
                if not name.startswith("|"):  # a pipe runs a command: the git guard's shell escapes
                    found.append((literal_word(name), f"sqlite3 {parts[0]}", "write", False))
    return found


def _uniq(words: list[Word]) -> Found:
    """``uniq [OPTION] [INPUT [OUTPUT]]``: the second operand is written."""
    takes = frozenset({"-f", "--skip-fields", "-s", "--skip-chars", "-w", "--check-chars"})
    operands, _ = commands.split_options(words[1:], takes, "fsw")
    return [(operands[1], "uniq output", "write", False)] if len(operands) > 1 else []


_COMPILE_OUTPUT = _output_option("compiler -o", "-o", "--output")
HANDLERS: dict[str, Callable[[list[Word]], Found]] = {
    "uniq": _uniq,
    "sort": _output_option("sort -o", "-o", "--output"),
    "shuf": _output_option("shuf -o", "-o", "--output"),
    "unzip": _output_option("unzip -d", "-d", "--extract-dir"),
    "patch": _patch,
    "split": _split,
    "zip": _zip,
    "sqlite3": _sqlite3,
    **{cc: _COMPILE_OUTPUT for cc in ("gcc", "cc", "clang", "g++", "c++", "clang++")},
    "tee": _tee,
    "cp": _copy_like("cp", frozenset({"-S", "--suffix", "-t", "--target-directory"}), "St"),
    "mv": _copy_like("mv", frozenset({"-S", "--suffix", "-t", "--target-directory"}), "St", move=True),
    "install": _copy_like(
        "install",
        frozenset({"-m", "--mode", "-o", "--owner", "-g", "--group", "-S", "--suffix", "-t", "--target-directory"}),
        "mogSt",
    ),
    "ln": _ln,
    "rsync": _rsync,
    "rm": _all_operands("rm", "delete"),
    "rmdir": _all_operands("rmdir", "delete"),
    "unlink": _all_operands("unlink", "delete"),
    "shred": _all_operands("shred", "delete", frozenset({"-n", "--iterations", "-s", "--size"}), "ns"),
    "touch": _all_operands("touch", "write", frozenset({"-r", "--reference", "-d", "--date", "-t"}), "rdt"),
    "mkdir": _all_operands("mkdir", "write", frozenset({"-m", "--mode"}), "m"),
    "truncate": _all_operands("truncate", "write", frozenset({"-s", "--size", "-r", "--reference"}), "sr"),
    "mkfifo": _all_operands("mkfifo", "write", frozenset({"-m", "--mode"}), "m"),
    "chmod": _chmod_like("chmod"),
    "chown": _chmod_like("chown"),
    "chgrp": _chmod_like("chgrp"),
    "sed": _sed,
    "perl": _perl,
    "dd": _dd,
    "curl": _curl,
    "wget": _wget,
    "tar": _tar,
}
