"""The hooks each git verb really runs (git 2.39), and whether an automatic gc would start.

Measured by running each verb with ``core.hooksPath`` at a directory holding every hook, each
writing its name to a log (tests/cases/*/forms/gitcfg__*hookspath*): any ref update runs
``reference-transaction`` (branch, tag, update-ref, reset, stash, notes, replace, pack-refs and
gc, checkout -b, switch -c/--detach, worktree add, clone, a fetch that moves a ref); a verb that
writes the index runs ``post-index-change`` (status too, as it refreshes the index);
checkout, switch, restore, worktree add and clone run ``post-checkout``; ``pre-auto-gc`` runs
only when an automatic gc really starts (``need_to_gc``: more loose objects in ``objects/17``
than ``gc.auto``/256, or more packs than ``gc.autoPackLimit``). Listing (``git branch``, ``git
tag -l``, ``git stash list``), ``symbolic-ref``, ``bisect``, ``remote rename`` ran none.
Standard library only.
"""

from __future__ import annotations

REF = "reference-transaction"
INDEX = "post-index-change"
CHECKOUT = "post-checkout"
AUTO_GC = "pre-auto-gc"

# Verbs that always may update a ref and write the index.
_REF_AND_INDEX = frozenset({"reset", "merge", "cherry-pick", "revert", "am", "rebase", "commit", "pull"})
_INDEX_ONLY = frozenset({"status", "add", "stage", "rm", "mv", "read-tree", "update-index", "sparse-checkout"})
_REF_ONLY = frozenset({"update-ref", "pack-refs", "replace", "fast-import", "filter-branch", "push"})
_LISTING = frozenset({"list", "show", "-l", "--list"})
# git branch options that only list or set configuration.
_BRANCH_LIST = frozenset(
    {"-l", "--list", "-a", "--all", "-r", "--remotes", "-v", "-vv", "--verbose", "--show-current"}
    | {"--contains", "--no-contains", "--merged", "--no-merged", "--points-at", "--edit-description"}
    | {"-u", "--set-upstream-to", "--unset-upstream"}
)
_BRANCH_CHANGE = frozenset({"-d", "-D", "--delete", "-m", "-M", "--move", "-c", "-C", "--copy", "-f", "--force"})
_TAG_LIST = frozenset(
    {"-l", "--list", "-v", "--verify", "-n", "--contains", "--no-contains", "--points-at", "--merged", "--no-merged"}
)
# Verbs that start ``git maintenance run --auto`` (or ``gc --auto``) when they finish.
AUTO_GC_VERBS = frozenset({"fetch", "pull", "commit", "merge", "am", "rebase", "cherry-pick", "revert"})


def hooks(verb: str, args: list[str | None]) -> tuple[str, ...]:
    """The hooks ``git VERB ARGS`` may run (the forbidden verbs' own hooks aside: they are refused)."""
    plain = [a for a in args if a is None or not a.startswith("-")]
    if None in args and verb in ("branch", "tag", "stash", "notes", "worktree", "gc", "maintenance"):
        return (REF, INDEX, CHECKOUT, AUTO_GC)
    if verb in _REF_AND_INDEX:
        return (REF, INDEX, CHECKOUT) if verb in ("merge", "rebase", "pull") else (REF, INDEX)
    if verb == "sparse-checkout" and plain[:1] == ["list"]:
        return ()
    if verb in _INDEX_ONLY or (verb == "apply" and any(a in ("--index", "--cached", "-3") for a in args)):
        return (INDEX,)
    if verb in _REF_ONLY:
        return (REF,)
    if verb in ("checkout", "switch", "restore"):
        return (REF, INDEX, CHECKOUT)
    if verb in ("clone", "worktree"):
        if verb == "worktree" and plain[:1] != ["add"]:
            return (REF,) if plain[:1] in (["remove"], ["prune"], [None]) else ()
        no_checkout = any(a in ("-n", "--no-checkout") for a in args)
        return (REF, INDEX) if no_checkout else (REF, INDEX, CHECKOUT)
    return _ref_verbs(verb, args, plain)


def _ref_verbs(verb: str, args: list[str | None], plain: list[str | None]) -> tuple[str, ...]:
    """The verbs that update refs only with some arguments, and those with hooks of their own."""
    if verb == "branch":
        changes = any(a in _BRANCH_CHANGE for a in args) or (plain and not any(a in _BRANCH_LIST for a in args))
        return (REF,) if changes else ()
    if verb == "tag":
        return (REF,) if plain and not any(a in _TAG_LIST for a in args) else ()
    if verb == "stash":
        return () if plain[:1] and plain[0] in _LISTING else (REF, INDEX)
    if verb == "notes":
        return () if plain[:1] in (["list"], ["show"], ["get-ref"]) or not plain else (REF,)
    if verb == "fetch":
        return (REF, AUTO_GC)
    if verb == "gc":
        return (REF, AUTO_GC) if "--auto" in args else (REF,)
    if verb == "maintenance":
        return (REF, AUTO_GC) if plain[:1] == ["run"] else ()
    if verb == "hook":
        return tuple(a for a in plain[1:2] if a) if plain[:1] == ["run"] else ()
    if verb == "send-email":
        return ("sendemail-validate",)
    if verb == "receive-pack":
        return ("pre-receive", "update", "post-receive", "post-update", REF, "proc-receive", "push-to-checkout")
    return ()


def auto_gc_starts(config: dict[str, str | None], loose: int | None, packs: int | None) -> bool:
    """git's need_to_gc: ``loose`` objects in ``objects/17``, ``packs`` local packs (None: not known)."""
    limit = _number(config.get("gc.auto", "6700"))
    pack_limit = _number(config.get("gc.autopacklimit", "50"))
    if limit is None:
        return True
    if limit <= 0 or config.get("maintenance.auto", "true") in ("false", "no", "off", "0"):
        return False
    if loose is None or packs is None or pack_limit is None:
        return True
    return loose > (limit + 255) // 256 or (pack_limit > 0 and packs > pack_limit)


def _number(text: str | None) -> int | None:
    """A git integer (``1k``, ``2m`` allowed); None when it is not one."""
    if text is None:
        return None
    text = text.strip().lower()
    scale = {"k": 1024, "m": 1024**2, "g": 1024**3}.get(text[-1:], 1)
    digits = text[:-1] if scale > 1 else text
    try:
        return int(digits) * scale
    except ValueError:
        return None
