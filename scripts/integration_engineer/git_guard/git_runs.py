"""What git starts on a verb's behalf: its settings' commands, its hooks, its transports.

The settings come from the repository's configuration files (``repo_config``), ``git config``
earlier in the command, ``GIT_CONFIG_COUNT``/``GIT_CONFIG_PARAMETERS``, ``-c`` and the files
``include.path`` names, later ones winning; ``git_settings`` says which a verb runs,
``git_hooks`` which hooks, ``git_transports`` which remotes it contacts and how. The table of
settings and verbs is in docs/hooks.md ("git's own command-running settings").
"""

from __future__ import annotations

import os

from integration_engineer.bash import script_files
from integration_engineer.bash.expand import Argv
from integration_engineer.bash.lexer import ShellSyntaxError
from integration_engineer.bash.parser import SimpleCommand
from integration_engineer.bash.resolve import basename
from integration_engineer.bash.triggers import git_like
from integration_engineer.git_guard.known_files import norm
from integration_engineer.git_guard.search_path import SearchPath

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from integration_engineer.git_guard.repo_config import Repo


class GitRuns(SearchPath):
    """The commands, hooks and transport programs a git verb starts."""

    # The setting values and hook files being followed: one that runs git again (``git-lfs`` as
    # a filter, a hook that updates a ref) is not followed into itself (each level would fork
    # into every driver again).
    _following: set[str] | None = None
    git_elsewhere = False  # the git command names another git directory or work tree (git_verbs)

    def _follow_once(self, key: str) -> bool:
        if self._following is None:
            self._following = set()
        if key in self._following:
            return False
        self._following.add(key)
        return True

    def _unfollow(self, key: str) -> None:
        if self._following is not None:
            self._following.discard(key)

    def verb_settings(
        self,
        verb: str,
        args: Argv,
        config: dict[str, str | None],
        where: list[str],
        route: tuple[str, ...],
        pager: bool = True,
    ) -> None:
        """Follow what ``git VERB ARGS`` starts from its settings, options, hooks and URLs
        (``pager``: False under ``git --no-pager``/``-P``)."""
        from integration_engineer.git_guard import git_settings  # only once git runs (hot path)

        repo = self._repo(where)
        merged = self._settings(repo, {**config, **_clone_config(verb, args)})
        tty = pager and any(step.split(" ", 1)[0] in git_settings.PTY_WRAPPERS for step in route)
        transports = self._transports(verb, args, merged, repo, route)
        # core.ignoreCase makes attribute patterns match in any case: not followed here
        limited = None if _ignores_case(merged) else self._limited_paths(verb, args, repo)
        from integration_engineer.git_guard import attribute_paths

        elsewhere = attribute_paths.other_tree(verb, list(args))
        facts = git_settings.Facts(
            transports,
            lambda attr, name: (
                (attr == "filter" and elsewhere) or self._attribute_named(attr, name, repo, merged, limited)
            ),
        )
        facts.signed = lambda: bool(route) or self.depth != 1 or self._may_be_signed(verb, args, repo)
        facts.conflicted = lambda: bool(route) or self.depth != 1 or self._may_conflict(repo)
        found = git_settings.commands(verb, args, merged, self.env.lookup, tty, facts)
        for label, value in found + git_settings.option_commands(verb, args):
            if value is None:
                if git_like(self.root_text) or self._mentions_verb(self.root_text):
                    self.flag("unresolved", None, (*route, label), "the command git would start is not known")
                continue
            if self._follow_once(f"{label}={value}"):
                try:
                    self.source(git_settings.as_run(label, value), (*route, label))
                finally:
                    self._unfollow(f"{label}={value}")
        self._hooks(verb, args, merged, repo, route)

    # ---------------------------------------------------------------- where the settings come from

    def _repo(self, where: list[str]) -> Repo | None:
        from integration_engineer.git_guard import repo_config

        directory = self.cwd or os.getcwd()
        for step in where:
            directory = os.path.join(directory, step)
        return repo_config.locate(directory, self.text_of)

    def _settings(self, repo: Repo | None, config: dict[str, str | None]) -> dict[str, str | None]:
        """The repository's settings, then ``git config`` earlier in the command, then the
        command's own (``-c``, environment), with the files their ``include.path`` names."""
        from integration_engineer.git_guard import repo_config

        merged: dict[str, str | None] = {}
        for path in self._global_files():
            if path is None:
                merged["?"] = None
            else:
                repo_config.read_file(path, self.text_of, merged, 0)
        merged.update(repo_config.read(repo, self.text_of) if repo is not None else {})
        merged.update(self.git_config_set)
        for name in ("include.path", *(k for k in config if k.startswith("includeif.") and k.endswith(".path"))):
            if name in config:
                value = config[name]
                if value is None:
                    merged["?"] = None
                elif os.path.isabs(os.path.expanduser(value)):  # git refuses a relative one given with -c
                    repo_config.read_file(os.path.expanduser(value), self.text_of, merged, 1)
        merged.update(config)
        return merged

    def _global_files(self) -> list[str | None]:
        """The global and system files a variable set in this command points git at
        (``GIT_CONFIG_GLOBAL``, ``GIT_CONFIG_SYSTEM``, ``HOME``, ``XDG_CONFIG_HOME``); the user's
        own are theirs, not the command's. None: a value not known."""
        cwd = self.cwd or os.getcwd()
        found: list[str | None] = []
        for name, tail in _GLOBAL_VARS:
            for value in self.env.lookup(name) or []:
                if value is None and tail:
                    found.extend(self._unknown_home(tail, cwd))
                elif value is None:
                    found.append(None)
                elif value and value != "/dev/null":
                    found.append(os.path.join(cwd, os.path.expanduser(value), *tail))
        return found

    def _unknown_home(self, tail: tuple[str, ...], cwd: str) -> list[str | None]:
        """``HOME=$PWD``, ``HOME=$(mktemp -d)``: a file there matters only if the command wrote
        one of that name, or one is in the command's directory (read as the one git would read)."""
        name = "/".join(tail)
        if any(k == name or k.endswith("/" + name) for k in self.files):
            return [None]
        return [os.path.join(cwd, *tail)]

    def text_of(self, path: str) -> str | bool | None:
        """A file's text: as this command wrote it (False when its content is not known), else on
        disk (None when missing, False when it cannot be read as text)."""
        for key in _keys(path, self.cwd or os.getcwd()):
            if key in self.links:  # ln/cp/install made it: the text of what it names
                target = self._link_target(key)
                text = self.text_of(target) if target is not None and target != path else None
                return False if text is None or text is False else text
            if key in self.files:
                content = self.files[key]
                return False if content is None else content
        if not script_files.is_file(path):
            return None
        text = self.files.disk_text(path)
        return False if text is None else text

    # ---------------------------------------------------------------- remotes and transports

    def _transports(
        self, verb: str, args: Argv, config: dict[str, str | None], repo: Repo | None, route: tuple[str, ...]
    ) -> frozenset[str] | None:
        """The transports of the URLs the verb contacts (None: none); ``ext::`` commands and
        ``git-remote-NAME`` helpers are followed here."""
        from integration_engineer.git_guard import git_transports as gt

        top = repo.top if repo is not None else (self.cwd or os.getcwd())
        gitmodules = self.text_of(os.path.join(top, ".gitmodules")) is not None
        names = gt.remote_names(verb, list(args), gitmodules)
        if names is None:
            return None
        push = verb in ("push", "send-pack")
        kinds: set[str] = set()
        ext_ok = gt.ext_allowed(config, self.env.lookup("GIT_ALLOW_PROTOCOL"))
        for url in gt.urls(names, config, push):
            kind, helper = gt.kind(url)
            kinds.add(kind)
            here = (*route, f"git {verb} {url}")
            if kind == gt.EXT and ext_ok and url is not None:
                service = "git-receive-pack" if push else "git-upload-pack"
                self.run(list(gt.ext_argv(url, service)), SimpleCommand(0), here, 1)
            elif kind == gt.HELPER:
                self._remote_helper(helper, url or "", here)
            elif not kind and ext_ok and git_like(self.root_text):
                self.flag("unresolved", None, here, "the URL is not known and ext:: URLs may run commands")
        return frozenset(kinds)

    def _remote_helper(self, helper: str, url: str, route: tuple[str, ...]) -> None:
        """``NAME::address`` (or ``NAME://``) runs ``git-remote-NAME REMOTE URL`` found as git finds
        its programs: one the command wrote or put on a path it set is read as the script it is;
        git's own (``git-remote-http``) or none at all runs nothing of the command's."""
        program = f"git-remote-{helper}"
        for kind, where in self.git_program(program):
            here = (*route, f"{program} -> {where or program}")
            if kind == "unknown":
                self.flag("unresolved", None, here, f"{program} is looked up on a path that is not known")
            elif kind != "system":
                self.run_program_file(kind, where, [program, url, url], SimpleCommand(0), here, 0)

    # ---------------------------------------------------------------- signatures

    def _may_be_signed(self, verb: str, args: Argv, repo: Repo | None) -> bool:
        """Whether an object ``git VERB ARGS`` verifies may carry a signature (``git_objects``):
        read from the repository only for a git command of the command line itself (not one an
        alias, a hook or a script runs) when nothing else in the command may change it first (it
        is the only git command, the others plain readers) and no variable points git at other
        objects; True whenever it is not known."""
        from integration_engineer.git_guard import git_objects, revisions

        if repo is None or not self._repository_unchanged():
            return True
        if any(script_files.inherited(name) for name in _OBJECT_VARS):
            return True
        picked = revisions.picked(verb, list(args))
        if picked is None:
            return True
        words, walk = picked
        store = git_objects.Store(repo.gitdir, repo.common)
        if not store.plain():
            return True
        starts: list[str] = []
        for word in words:
            found = store.resolve(word)
            if found is False:
                return True
            starts += found if isinstance(found, list) else []
        return git_objects.signed(store, starts, walk) is not False

    def _may_conflict(self, repo: Repo | None) -> bool:
        """Whether the index mergetool reads may hold a conflict: read from the repository when
        nothing else in the command may change it first (``_repository_unchanged``) and no
        variable points git at another index."""
        from integration_engineer.git_guard import git_index

        if repo is None or not self._repository_unchanged():
            return True
        if any(script_files.inherited(name) or name in self.env.vars for name in ("GIT_INDEX_FILE", *_OBJECT_VARS)):
            return True
        return git_index.unmerged(repo.gitdir) is not False

    def _repository_unchanged(self) -> bool:
        """The command runs one git command and, besides it, only programs that read (``echo``,
        ``cat``...), with no substitution and no output redirection into another directory: nothing
        can change the refs or objects before the git command reads them."""
        from integration_engineer.bash.commands import simple_commands
        from integration_engineer.bash.parser import parse

        try:
            found = simple_commands(parse(self.root_text))
        except ShellSyntaxError:
            return False
        gits = 0
        for resolved in found:
            cmd = resolved.command
            words = [w.raw for w in cmd.words]
            if any(t in w.raw for w in [*cmd.words, *cmd.assignments] for t in ("$(", "`", "<(", ">(")):
                return False
            if any(w.raw.startswith("GIT_") for w in cmd.assignments) or not words:
                return False
            if any(not _reads_only(r.op, r.target.raw, self.cwd) for r in cmd.redirects):
                return False
            if words[0] == "git":
                gits += 1
            elif words[0] not in _READERS:
                return False
        return gits == 1

    # ---------------------------------------------------------------- attributes and hooks

    def _limited_paths(self, verb: str, args: Argv, repo: Repo | None) -> list[str] | None:
        """The files (relative to the top of the work tree) a verb limited by a pathspec reads or
        writes (``attribute_paths.pathspec``), each surely a file: not a directory on disk, nor
        in the index, nor under a name this command writes; None when not known (then any)."""
        from integration_engineer.git_guard import attribute_paths, git_index

        indexed = self._index_paths(attribute_paths.index_pathspec(verb, list(args)), repo)
        words = attribute_paths.pathspec(verb, list(args))
        if indexed is not None or words is None:
            return indexed
        if repo is None or self.unknown_writes or self.git_elsewhere or not self._repository_unchanged():
            return None
        names = git_index.names(repo.gitdir)
        if names is None:
            return None
        cwd = self.cwd or os.getcwd()
        found: list[str] = []
        for word in words:
            rel = os.path.normpath(os.path.relpath(os.path.join(cwd, word), repo.top))
            inside = rel + "/"
            if rel.startswith("..") or rel == "." or script_files.is_dir(os.path.join(repo.top, rel)):
                return None
            if any(n.startswith(inside) for n in names) or any(norm(k).startswith(inside) for k in self.files):
                return None
            found.append(rel)
        return found

    def _index_paths(self, spec: list[str] | None, repo: Repo | None) -> list[str] | None:
        """The paths of the index under ``spec`` (``attribute_paths.index_pathspec``; [] for all),
        relative to the top; None when not known: nothing else in the command may change the
        index first (``_repository_unchanged``), no variable points git at another index."""
        from integration_engineer.git_guard import git_index

        if spec is None or repo is None or self.unknown_writes or self.git_elsewhere:
            return None
        if any(script_files.inherited(n) or n in self.env.vars for n in ("GIT_INDEX_FILE", *_OBJECT_VARS)):
            return None
        if not self._repository_unchanged():
            return None
        names = git_index.names(repo.gitdir)
        if names is None or any(n.endswith("/") for n in names) or git_index.has_gitlink(repo.gitdir) is not False:
            return None  # a sparse index's directory entry stands for files; status runs git in a submodule
        cwd = self.cwd or os.getcwd()
        tops = [os.path.normpath(os.path.relpath(os.path.join(cwd, w), repo.top)) for w in spec]
        if any(t.startswith("..") for t in tops):
            return None
        return [n for n in names if not tops or any(t == "." or n == t or n.startswith(t + "/") for t in tops)]

    def _attribute_named(
        self, attr: str, name: str, repo: Repo | None, config: dict[str, str | None], limited: list[str] | None = None
    ) -> bool:
        """Whether an attributes file (in the work tree, ``info/attributes``, ``core.attributesFile``,
        one this command wrote) may give ``attr=name`` to some path (of ``limited``, when the verb
        is limited to those)."""
        needle = f"{attr}={name}"
        cwd = self.cwd or os.getcwd()
        written = [
            (k, v) for k, v in self.files.items() if basename(k) == ".gitattributes" or k.endswith("info/attributes")
        ]
        if any(text is None or _gives(text, needle, os.path.join(cwd, k), repo, limited) for k, text in written):
            return True
        if "core.attributesfile" in config and config["core.attributesfile"] is None:
            return True
        top = repo.top if repo is not None else (self.cwd or os.getcwd())
        # git opens a relative core.attributesFile from the top of the work tree (checked: from a
        # subdirectory, ./attrs names the one at the top)
        paths = [os.path.join(top, os.path.expanduser(v)) for v in (config.get("core.attributesfile", ""),) if v]
        user = self._user_attributes()
        if user is None:
            return True
        paths += user
        if repo is not None:
            paths.append(os.path.join(repo.common, "info", "attributes"))
            found = _attribute_files(repo.top)
            if found is None or _indexed_attributes_gone(repo):
                return True  # too large a tree to look through, or git reads one from the index
            paths += found
        for path in paths:
            text = self.text_of(path)
            if text is False or (isinstance(text, str) and _gives(text, needle, path, repo, limited)):
                return True
        return False

    def _user_attributes(self) -> list[str] | None:
        """The user's attributes files: ``$XDG_CONFIG_HOME/git/attributes``, else
        ``$HOME/.config/git/attributes``, with the values this command gives them (None: one not known)."""
        cwd = self.cwd or os.getcwd()
        xdgs = self.env.lookup("XDG_CONFIG_HOME") or [""]
        homes = self.env.lookup("HOME") or [os.path.expanduser("~")]
        found: list[str] = []
        for xdg in xdgs:
            if xdg:
                found.append(os.path.join(cwd, os.path.expanduser(xdg), "git", "attributes"))
                continue
            for home in homes:
                if home is None or xdg is None:
                    return None
                found.append(os.path.join(cwd, home, ".config", "git", "attributes"))
        return found

    def _hooks(
        self, verb: str, args: Argv, config: dict[str, str | None], repo: Repo | None, route: tuple[str, ...]
    ) -> None:
        """The hooks the verb runs, read where they are (``core.hooksPath`` or the repository's
        ``hooks`` directory): a hook file that is there is analysed as the program it is."""
        from integration_engineer.git_guard import git_hooks

        names = git_hooks.hooks(verb, list(args))
        if not names:
            return
        if "core.hookspath" in config:
            value = config["core.hookspath"]
            if value is None:
                self.flag("unresolved", None, route, "core.hooksPath is not known statically")
                return
            value = os.path.expanduser(value)
            base = value if os.path.isabs(value) else os.path.join(repo.top if repo else (self.cwd or "."), value)
        elif verb in ("clone", "init"):
            template = self._template_hooks(args, config)
            if template is None:
                self.flag("unresolved", None, route, "the template directory (its hooks) is not known statically")
                return
            base = template
        elif repo is not None:
            base = os.path.join(repo.common, "hooks")
        else:
            return
        if not base:
            return
        for name in names:
            path = os.path.join(base, name)
            text = self.text_of(path)
            if text is None or (name == git_hooks.AUTO_GC and not self._auto_gc(config, repo)):
                continue
            if isinstance(text, str) and not self._may_be_executable(path, text):
                continue  # git runs only an executable hook
            if self._follow_once(path):
                try:
                    self._run_hook(path, (*route, f"{name} hook ({path})"))
                finally:
                    self._unfollow(path)

    def _may_be_executable(self, path: str, text: str) -> bool:
        """A hook file may be executable: on disk with execute bits (or a script), or written by
        this command unless only by ``>``/``tee`` (bash creates files 0666 minus umask, checked
        with git 2.39: such a hook is skipped) with no chmod or copying program in the command."""
        keys = _keys(path, self.cwd or os.getcwd())
        if script_files.program_file(path)[1] or any(k in self.executable for k in keys):
            return True
        if any(k in self.redirected for k in keys):
            movers = ("chmod", "install", "setfacl", "rsync", "tar", "unzip", "cpio", "cp ", "mv ", "ln ")
            return any(m in self.root_text for m in movers)
        return text.startswith("#!")

    def _link_target(self, key: str) -> str | None:
        target = self.links[key][0]
        return None if target is None else os.path.join(self.cwd or os.getcwd(), target)

    def _run_hook(self, path: str, route: tuple[str, ...]) -> None:
        link = next((k for k in _keys(path, self.cwd or os.getcwd()) if k in self.links), None)
        if link is not None:
            target = self._link_target(link)
            if target is None or target == path:
                self.flag("unresolved", None, route, "the hook is a copy or link of a file that is not known")
                return
            path = target
        written = next((k for k in _keys(path, self.cwd or os.getcwd()) if k in self.files), None)
        if written is not None:
            self.run_file(written, SimpleCommand(0), route, [])
        else:
            self.disk_file(path, SimpleCommand(0), route, [], as_program=True)

    def _template_hooks(self, args: Argv, config: dict[str, str | None]) -> str | None:
        """The hooks a new repository gets from its template (``--template``, ``init.templateDir``):
        git's own template has only ``*.sample`` ones."""
        template = config.get("init.templatedir", "")
        for i, arg in enumerate(args):
            if arg == "--template" and i + 1 < len(args):
                template = args[i + 1]
            elif arg is not None and arg.startswith("--template="):
                template = arg.split("=", 1)[1]
        if template is None:
            return None
        return os.path.join(self.cwd or os.getcwd(), os.path.expanduser(template), "hooks") if template else ""

    def _auto_gc(self, config: dict[str, str | None], repo: Repo | None) -> bool:
        """Whether ``gc --auto`` would start here (git's need_to_gc, from the object directory)."""
        from integration_engineer.git_guard import git_hooks

        if repo is None:
            return False
        objects = os.path.join(repo.common, "objects")
        loose = sum(1 for n in script_files.list_dir(os.path.join(objects, "17")) if len(n) == 38)
        names = script_files.list_dir(os.path.join(objects, "pack"))
        packs = sum(1 for n in names if n.endswith(".pack") and n[:-5] + ".keep" not in names)
        return git_hooks.auto_gc_starts(config, loose, packs)


def _ignores_case(config: dict[str, str | None]) -> bool:
    value = config.get("core.ignorecase", "false")
    return "?" in config or value is None or value.lower() not in ("false", "no", "off", "0")


def _clone_config(verb: str, args: Argv) -> dict[str, str | None]:
    """``git clone -c KEY=VALUE`` (``--config``): settings of the new repository, in effect for
    the clone itself (its fetch, its checkout)."""
    from integration_engineer.git_guard.repo_config import key

    found: dict[str, str | None] = {}
    if verb != "clone":
        return found
    for i, arg in enumerate(args):
        value: str | None = ""
        if arg in ("-c", "--config"):
            value = args[i + 1] if i + 1 < len(args) else ""
        elif arg is not None and arg.startswith("--config="):
            value = arg[9:]
        if value is None:
            found["?"] = None
        elif value:
            name, _, setting = value.partition("=")
            found[key(name)] = setting
    return found


# Variables that give git other objects or refs than the repository's own.
_OBJECT_VARS: tuple[str, ...] = ("GIT_DIR", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_WORK_TREE")
_OBJECT_VARS += ("GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_REPLACE_REF_BASE", "GIT_NAMESPACE")
# Programs that change no file (but through a redirection).
_READERS = frozenset({"echo", "printf", "cat", "ls", "pwd", "true", "false", ":", "head", "tail", "wc", "grep"})
_READERS |= {"test", "[", "date"}


def _reads_only(op: str, target: str, cwd: str) -> bool:
    """A redirection that writes nothing in the repository: input, a descriptor, /dev/null, or
    a plain file name of the working directory (no cd is in the command) when that directory is
    not inside a git directory (the Bash tool's shell keeps an earlier cd: a name there may be a
    ref). ``>& WORD`` duplicates a descriptor only when WORD is a number or ``-``; otherwise it
    writes the file WORD (``>& .git/HEAD``)."""
    if op in ("<", "<<", "<<-", "<<<", "<&") or target == "/dev/null":
        return True
    if op == ">&" and (target.isdigit() or target == "-"):
        return True
    in_git_dir = "/.git/" in (cwd or os.getcwd()).replace("\\", "/") + "/"
    return "/" not in target and not target.startswith(".") and "$" not in target and not in_git_dir


_GLOBAL_VARS = (
    ("GIT_CONFIG_SYSTEM", ()),
    ("GIT_CONFIG_GLOBAL", ()),
    ("HOME", (".gitconfig",)),
    ("XDG_CONFIG_HOME", ("git", "config")),
)


def _keys(path: str, cwd: str) -> list[str]:
    """The names a file written by the command may be known by (as written, relative to its directory)."""
    keys = [norm(path)]
    if os.path.isabs(path):
        rel = os.path.relpath(path, cwd)
        if not rel.startswith(".."):
            keys.append(norm(rel))
    return keys


_MAX_DIRS = 2000


def _gives(text: str, needle: str, path: str = "", repo: Repo | None = None, limited: list[str] | None = None) -> bool:
    """An attributes file gives ``needle`` (``diff=tc``) on some line, a macro's (``[attr]NAME``)
    included: as a whole word after the pattern, not in a comment (``diff=tc2`` is another driver);
    with ``limited``, to one of those paths (a work-tree ``.gitattributes`` speaks for its own
    directory, the other files for the whole tree)."""
    if limited is None or repo is None:
        for line in text.splitlines():
            words = line.split()
            if words and not words[0].startswith("#") and needle in words[1:]:
                return True
        return False
    from integration_engineer.git_guard import attribute_paths

    base = ""
    if basename(path) == ".gitattributes" and path.startswith(repo.top.rstrip("/") + "/"):
        base = os.path.relpath(os.path.dirname(path), repo.top)
        base = "" if base == "." else base
    patterns = attribute_paths.giving(text, needle)
    return any(attribute_paths.matches(p, base, f) for p in patterns for f in limited)


def _indexed_attributes_gone(repo: Repo) -> bool:
    """The index holds a .gitattributes missing from the work tree: git reads the index's (or the
    index cannot be read)."""
    from integration_engineer.git_guard import git_index

    names = git_index.names(repo.gitdir)
    if names is None:
        return True
    return any(basename(n) == ".gitattributes" and not script_files.is_file(os.path.join(repo.top, n)) for n in names)


def _attribute_files(top: str) -> list[str] | None:
    """Every ``.gitattributes`` in the work tree (None when it has more than ``_MAX_DIRS`` directories)."""
    found: list[str] = []
    todo, seen = [top], 0
    while todo:
        directory = todo.pop()
        seen += 1
        if seen > _MAX_DIRS:
            return None
        for name in script_files.list_dir(directory):
            if name == ".git":
                continue
            path = os.path.join(directory, name)
            if name == ".gitattributes":
                found.append(path)
            elif script_files.signature(path)[:1] == (2,):
                todo.append(path)
    return found
