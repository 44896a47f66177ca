"""The git commands that write files: in a working tree (checkout, reset...) or where an option
says (archive -o, format-patch -o, bundle create). Standard library only (hot path)."""

from __future__ import annotations

from integration_engineer.bash.parser import Word
from integration_engineer.bash.triggers import GIT_WRITING_WORDS
from integration_engineer.isolation.write_words import option_word, suffix_word

# git subcommands that write files their options name (archive -o, format-patch -o, bundle create).
GIT_OUTPUT_VERBS = frozenset({"archive", "format-patch", "bundle"})
# git subcommands that write to the working tree: the pre-filter's words, less config (its own
# policy) and the output verbs.
GIT_WRITING_VERBS = GIT_WRITING_WORDS - {"config"} - GIT_OUTPUT_VERBS


def git_outputs(verb: str, args: list[Word]) -> list[tuple[Word, str]]:
    if verb == "bundle":
        operands = [w for w in args if not (w.value or "").startswith("-")]
        if len(operands) >= 2 and operands[0].value == "create":
            return [(operands[1], "git bundle create")]
        return []
    short, long = ("-o", "--output") if verb == "archive" else ("-o", "--output-directory")
    found = [(w, f"git {verb} {short}") for w in option_word(args, (short, long))]
    if verb == "format-patch":  # --output=FILE: the one file all patches go to
        found += [(w, "git format-patch --output") for w in option_word(args, ("--output",))]
    found += [
        (suffix_word(w, 2), f"git {verb} {short}")
        for w in args
        if (w.value or "").startswith(short) and len(w.value or "") > 2
    ]
    return found
