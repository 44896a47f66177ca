"""git itself: its options, the verb it runs, the settings that start commands, aliases, git-NAME programs."""

from __future__ import annotations

import os

from integration_engineer.bash import script_files
from integration_engineer.bash.commands import simple_commands
from integration_engineer.bash.expand import Argv, Field
from integration_engineer.bash.lexer import ShellSyntaxError
from integration_engineer.bash.parser import Script, SimpleCommand, parse
from integration_engineer.bash.resolve import basename
from integration_engineer.git_guard.git_runs import GitRuns
from integration_engineer.git_guard.known_files import norm
from integration_engineer.git_guard.repo_config import key as config_key
from integration_engineer.git_guard.search_path import SearchPath
from integration_engineer.repository import git_options

# Variables that make git read configuration (and aliases) from elsewhere.
_CONFIG_VARS = (
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG",
    "GIT_DIR",
    "HOME",
    "XDG_CONFIG_HOME",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_PARAMETERS",
)


class GitVerbs(GitRuns, SearchPath):
    """A git command line: forbidden verbs, and what git starts on its behalf."""

    def as_invoked(self, argv: Argv, invoked: Field, route: tuple[str, ...]) -> list[Argv]:
        """How git reads ``argv`` when run with ``invoked`` as its argv[0] (a link or copy of
        git, ``hash -p``, ``exec -a``): it dispatches on that name's base, so ``git-add`` (exactly
        ``git-``, case and all) runs the builtin add, any other name the words as given. A git
        program that is not git itself (``git-commit`` of the exec path) is read both ways."""
        program = basename(argv[0] or "")
        if invoked == argv[0] or program.lower() == "hub":
            return [argv]
        if invoked is None:
            self.flag("unresolved", None, route, "git is run with an argv[0] that is not known (exec -a)")
            return []
        shown = basename(invoked)
        if shown == program:
            return [argv]
        readings = [] if program.lower() in ("git", "git.exe") else [argv]
        verb = shown[4:] if shown.startswith("git-") else None
        if verb is None:
            readings.append(["git", *argv[1:]])
        elif verb and not verb.startswith("-"):  # git-VERB takes no options before VERB
            readings.append(["git", verb, *argv[1:]])
        self.note(
            f"git run as {shown}: read as {' '.join(str(a) for a in readings[-1][:2]) if readings else 'nothing'}"
        )
        return readings

    def git(self, argv: Argv, route: tuple[str, ...], depth: int) -> None:
        base = basename(argv[0] or "").lower()
        config: dict[str, str | None] = self._env_config()
        where: list[str] = []
        verb: str | None = None
        pager = True
        gitdirs: list[str | None] = []  # --git-dir values (None: one, or a -C, not known)
        elsewhere = False  # --work-tree given
        if base.startswith("git-") and base != "git-":
            if self.found_nowhere(argv[0] or ""):
                self.not_found(argv, route)
                return
            verb = base[4:]
            args = argv[1:]
        else:
            refused = git_options.refused_option(argv[1:])
            if refused is not None:
                self.note(f"git refuses the option {refused} and runs no subcommand")
                return
            read = git_options.parse(argv[1:])
            i = read.verb_at + 1
            if i < len(argv) and argv[i] is None:
                self.flag("unresolved", None, route, "a git option or subcommand is not known statically")
                return
            for option, value in read.options:
                self._git_option(option, value, config, where)
                if option == "--git-dir" or (option == "-C" and value is None):
                    gitdirs.append(value if option == "--git-dir" else None)
            pager = not any(option in ("--no-pager", "-P") for option, _ in read.options)
            elsewhere = any(option == "--work-tree" for option, _ in read.options)
            verb = argv[i] if i < len(argv) else None
            if verb is None or any(a in ("--help", "-h", "--version", "-v") for a in argv[1:i]):
                return  # git --help VERB only shows help; git --version VERB runs `git version VERB`
            args = argv[i + 1 :]
        if verb is not None:
            self._other_repository(verb.lower(), args, where, gitdirs, route)
            # another git directory or work tree: its index is not the one read from ``where``
            self.git_elsewhere = bool(gitdirs) or elsewhere
            self.verb_settings(verb.lower(), args, config, where, route, pager)
            self.git_verb(verb, args, config, where, route, depth)

    def _git_option(self, opt: str, value: str | None, config: dict[str, str | None], where: list[str]) -> None:
        if opt == "-c" and value is not None:
            key, _, val = value.partition("=")
            config[config_key(key)] = val  # include.path: read by git_runs (aliases: unresolved)
        elif opt == "-c":
            config["?"] = None
        elif opt == "--config-env":
            key, _, var = (value or "").partition("=")
            values = self.env.lookup(var) or [None]
            config[config_key(key)] = values[0] if len(values) == 1 else None
        elif opt == "-C":
            where.append(value or "")
        elif opt == "--git-dir":
            self._gitdir_config(value, where, config)
        elif opt.startswith("--exec-path="):
            self.exec_paths.append(opt.split("=", 1)[1])

    def _other_repository(
        self, verb: str, args: Argv, where: list[str], gitdirs: list[str | None], route: tuple[str, ...]
    ) -> None:
        """A verb that moves refs, run in another repository than the command's own (``-C``,
        ``--git-dir``, ``GIT_DIR``, a ``cd``), or one not known: it may be the remote, whose refs
        it moves as a push does; ``send-pack`` pushes to the repository it names."""
        from integration_engineer.git_guard import other_repos

        if "push" not in self.forbidden:
            return
        if other_repos.pushes(verb, args):
            self.flag("forbidden", "push", (*route, f"git {verb}"), f"{verb} moves the refs of the repository it names")
            return
        if not other_repos.moves_refs(verb, args):
            return
        own = other_repos.repository_at(self.cwd or os.getcwd(), self.text_of)
        for target in self._repositories(where, gitdirs):
            if target is False or (target != own and target is not None):
                detail = "it moves the refs of another repository (maybe the remote), as push does"
                self.flag("forbidden", "push", (*route, f"git {verb} in another repository"), detail)
                return

    def _repositories(self, where: list[str], gitdirs: list[str | None]) -> list[str | bool | None]:
        """The repositories (common directories) the git command may run in; False: not known."""
        from integration_engineer.git_guard import other_repos

        if None in gitdirs or self.cd_unknown:
            return [False]
        found: list[str | bool | None] = []
        for base in dict.fromkeys([self.cwd or os.getcwd(), *self.cd_dirs]):
            directory = os.path.join(base, *where)
            names = gitdirs[-1:] or self.env.lookup("GIT_DIR")
            if names is None:
                found.append(self._missing(directory, other_repos.repository_at(directory, self.text_of)))
                continue
            for name in names:
                path = os.path.join(directory, name or "")
                found.append(False if name is None else self._missing(path, other_repos.gitdir_at(path, self.text_of)))
        return found

    def _missing(self, directory: str, found: str | bool | None) -> str | bool | None:
        """A directory that is not there: git stops, when it is in the work tree and the command
        makes no link there; one outside (``../origin.git``) may be the remote (not known here)."""
        top = (self.cwd or os.getcwd()).rstrip("/") + "/"
        inside = (os.path.normpath(directory) + "/").startswith(top)
        return None if found is False and inside and not self.links and not self.unknown_writes else found

    def _gitdir_config(self, value: str | None, where: list[str], config: dict[str, str | None]) -> None:
        """``--git-dir=DIR``: git reads DIR's configuration (and aliases) instead of the work
        tree's; read here with the command's own settings (more settings can only refuse more).
        A directory that is not there stops git, unless the command may make it first."""
        from integration_engineer.git_guard import repo_config

        if value is None:
            config["?"] = None
            return
        directory = os.path.join(self.cwd or os.getcwd(), *where, value)
        text = self.text_of(os.path.join(directory, "config"))
        if isinstance(text, str):
            found: dict[str, str | None] = {}
            repo_config.read_file(os.path.join(directory, "config"), self.text_of, found, 0)
            config.update({k: v for k, v in found.items() if k not in config})
        elif text is False or not (script_files.is_dir(directory) or not self._may_make(directory)):
            config["?"] = None
        hooks = script_files.list_dir(os.path.join(directory, "hooks"))
        if any(not name.endswith(".sample") for name in hooks):
            config["?"] = None  # its hooks run, not the work tree's (read where the work tree's are)

    def _may_make(self, directory: str) -> bool:
        """Whether the command may make ``directory`` (a repository there) before git runs."""
        top = (self.cwd or os.getcwd()).rstrip("/") + "/"
        key = norm(directory[len(top) :] if directory.startswith(top) else directory)
        if self.links or self.unknown_writes or any(norm(k).startswith(key + "/") for k in self.files):
            return True
        return any(w in self.root_text for w in _MAKERS)

    def _env_config(self) -> dict[str, str | None]:
        """Config passed through GIT_CONFIG_COUNT/KEY/VALUE or GIT_CONFIG_PARAMETERS."""
        config: dict[str, str | None] = {}
        for count in self.env.lookup("GIT_CONFIG_COUNT") or []:
            number = _config_count(count)
            if number is None:
                config["?"] = None
                continue
            for i in range(number):  # git reads keys 0..COUNT-1 only (and dies on a missing one)
                keys = self.env.lookup(f"GIT_CONFIG_KEY_{i}") or [None]
                for key in keys:
                    vals = self.env.lookup(f"GIT_CONFIG_VALUE_{i}") or [None]
                    if key is None or len(keys) > 1:
                        config["?" if key is None else config_key(key)] = None
                    else:
                        config[config_key(key)] = vals[0] if len(vals) == 1 else None
        for gitdir in self.env.lookup("GIT_DIR") or []:
            self._gitdir_config(gitdir, [], config)  # its settings and hooks, as with --git-dir
        for params in self.env.lookup("GIT_CONFIG_PARAMETERS") or []:
            if params is None:
                config["?"] = None
                continue
            for item in params.split("' '"):
                # 'key'='value' (git 2.31 on), or the older 'key=value' git still reads
                key, sep, val = item.strip("'").partition("'='")
                if not sep:
                    key, _, val = key.partition("=")
                config[config_key(key)] = val
        return config

    def git_verb(
        self, verb: str, args: Argv, config: dict[str, str | None], where: list[str], route: tuple[str, ...], depth: int
    ) -> None:
        low = verb.lower()
        if any(c in verb for c in "*?["):
            self._glob_verb(verb, route)
        if low in self.forbidden and verb == low:
            # `git VERB --help` becomes `git help VERB`; `git VERB -h` starts the verb itself,
            # which prints its usage (GIT_TRACE: built-in: git commit -h): it is the verb run.
            if args[:1] == ["--help"]:
                self.note(f"git {verb} --help only shows help")
                return
            self.flag("forbidden", low, route)
        if verb != low:
            # git runs a built-in only when spelled in lower case; any other spelling is looked up
            # as an alias, case-insensitively (`git STATUS` with alias.status set runs the alias).
            self._alias(verb, args, config, where, route, depth)
            return
        if low == "submodule":
            self._submodule(args, where, route)
            self._submodule_verbs(args, config, where, route)
        elif low == "bisect" and args[:1] == ["run"]:
            self.run(args[1:], SimpleCommand(0), (*route, "git bisect run"), 1)
        elif low == "rebase":
            self._rebase_exec(args, route)
        elif low == "config":
            self._git_config(args, route)
        elif low == "stash" and "add" in self.forbidden:
            pathspec = stash_pathspec(args)
            if pathspec is not False:
                detail = "" if pathspec else "its arguments are not known statically"
                self.flag(
                    "forbidden" if pathspec else "unresolved",
                    "add" if pathspec else None,
                    (*route, "git stash push PATHSPEC runs git add"),
                    detail,
                )
        elif low == "subtree":
            action = next((a for a in args if a is None or not a.startswith("-")), "")
            if action is None or action.lower() in self.forbidden:
                self.flag("forbidden", f"subtree {action or '?'}", route)
        elif low not in _known_git():
            self._alias(verb, args, config, where, route, depth)

    def _glob_verb(self, verb: str, route: tuple[str, ...]) -> None:
        """``git pus[h]``: bash puts the names of the files the pattern matches in its place, and
        leaves it as written when none does (git then finds no such verb)."""
        from fnmatch import fnmatchcase

        if len(verb) > MAX_GLOB:
            self.flag("unresolved", None, (*route, "glob"), "a glob too long to match may name a forbidden verb")
            return
        names = self._glob_matches(verb)
        for name in sorted(self.forbidden):
            if fnmatchcase(name, verb.lower()) if names is None else name in names:
                self.flag("forbidden", name, (*route, f"glob {verb}"))
                return

    def _glob_matches(self, pattern: str) -> list[str] | None:
        """The names in the command's directory that ``pattern`` matches; None when they cannot be
        known: a path in it, a directory changed by cd, shell options or GLOBIGNORE that change
        matching, or a command that may create files before it runs."""
        from fnmatch import fnmatchcase

        text = self.root_text
        settings = any(w in text for w in _GLOB_SETTINGS + _SHELL_SETTINGS)
        if "/" in pattern or self.cd_dirs or settings or _may_create(text):
            return None
        names = script_files.list_dir(self.cwd or os.getcwd())
        return [n for n in names if fnmatchcase(n, pattern) and (pattern[:1] == "." or n[:1] != ".")]

    def _submodule(self, args: Argv, where: list[str], route: tuple[str, ...]) -> None:
        repo = self._repo(where)
        top = repo.top if repo is not None else os.path.join(self.cwd or os.getcwd(), *where)
        if "add" in args or None in args:  # git submodule add writes it: foreach then has one to run in
            self.files[os.path.join(top, ".gitmodules")] = None
        if "foreach" not in args:
            return
        if self.text_of(os.path.join(top, ".gitmodules")) is None:
            self.note("git submodule foreach: no .gitmodules here, so no submodule to run it in")
            return
        rest = args[args.index("foreach") + 1 :]
        while rest and rest[0] in ("--recursive", "--quiet", "-q"):
            rest = rest[1:]
        if any(a is None for a in rest):
            self.flag(
                "unresolved", None, (*route, "git submodule foreach"), "the command it runs is not known statically"
            )
            return
        self.source(" ".join(a or "" for a in rest), (*route, "git submodule foreach"))

    def _submodule_verbs(
        self, args: Argv, config: dict[str, str | None], where: list[str], route: tuple[str, ...]
    ) -> None:
        """The git verbs ``git submodule`` starts itself: ``add`` stages the submodule with ``git
        add`` (GIT_TRACE: run_command: git add); ``update`` runs ``git merge``/``git rebase`` (or a
        ``submodule.NAME.update`` ``!command``) in each submodule with ``--merge``/``--rebase`` or
        that setting, when there is a .gitmodules to update from."""
        words = [a for a in args if a is None or not a.startswith("-")]
        sub = words[0] if words else ""
        here = (*route, f"git submodule {sub or '?'}")
        if sub is None or sub == "add":
            if "add" in self.forbidden:
                self.flag("forbidden", "add", here)
            if sub == "add":
                return
        if sub not in (None, "update"):
            return
        repo = self._repo(where)
        top = repo.top if repo is not None else os.path.join(self.cwd or os.getcwd(), *where)
        if self.text_of(os.path.join(top, ".gitmodules")) is None:
            return
        modes = ["merge" for a in args if a in ("-m", "--merge")] + ["rebase" for a in args if a in ("-r", "--rebase")]
        merged = self._settings(repo, config)
        for key, value in merged.items():
            if key.startswith("submodule.") and key.endswith(".update"):
                modes.append("?" if value is None else value)
        for mode in dict.fromkeys(modes):
            if mode.startswith("!"):
                self.source(mode[1:], (*here, "submodule.NAME.update"))
            elif mode == "?":
                self.flag("unresolved", None, here, "submodule.NAME.update is not known statically")
            elif mode in self.forbidden:
                self.flag("forbidden", mode, here)

    def _rebase_exec(self, args: Argv, route: tuple[str, ...]) -> None:
        for i, arg in enumerate(args):
            if arg in ("-x", "--exec") and i + 1 < len(args) and args[i + 1] is not None:
                self.source(args[i + 1] or "", (*route, "git rebase --exec"))
            elif arg is not None and arg.startswith("--exec="):
                self.source(arg[7:], (*route, "git rebase --exec"))

    def _git_config(self, args: Argv, route: tuple[str, ...]) -> None:
        """``git config [--scope] [set|--add] alias.X VALUE`` defines an alias for what follows."""
        plain = [a for a in args if a is None or not a.startswith("-")]
        if plain[:1] == ["set"]:
            plain = plain[1:]
        if len(plain) < 2 or plain[0] is None or plain[1] is None:
            return
        key, value = config_key(plain[0]), plain[1]
        if key.startswith("alias."):
            self.git_aliases[key[6:]] = value
        else:
            self.git_config_set[key] = value  # used by the verbs that read it (git_settings)

    def _alias(
        self, verb: str, args: Argv, config: dict[str, str | None], where: list[str], route: tuple[str, ...], depth: int
    ) -> None:
        key = "alias." + verb.lower()
        value: str | None
        included = self._included_alias(key, config)
        if isinstance(included, str) and (key not in config or config[key] == included):
            value, origin = included, f"alias {verb} (from a file include.path names)"
        elif key in config and included is None:
            value, origin = config[key], f"alias {verb} (given with -c)"
        elif verb.lower() in self.git_aliases and included is None:
            value, origin = self.git_aliases[verb.lower()], f"alias {verb} (set earlier)"
        elif "?" in config or included is not None or (named := self._named_alias(verb, where)) is False:
            self.flag(
                "unresolved", None, route, f"git {verb} may be an alias from configuration that is not known statically"
            )
            return
        else:
            found = named if isinstance(named, str) else self._repo_alias(verb, where)
            if found is False:
                self.flag("unresolved", None, route, f"git {verb}: the repository's aliases could not be read")
                return
            if found is None or found is True:
                if self._external(verb, args, route):
                    return
                if self._autocorrects(config, where):
                    detail = f"help.autocorrect may be on: git would run the command nearest to {verb!r}"
                    self.flag("unresolved", None, (*route, f"git {verb}"), detail)
                else:
                    self.note(f"git {verb}: not a git command nor an alias here")
                return
            value, origin = found, f"alias {verb} (repository configuration)"
        options = [o for k, v in config.items() if v is not None and k != "?" for o in ("-c", f"{k}={v}")]
        options += [o for w in where for o in ("-C", w)]
        self.expand_alias(value, [*options, "\0", *args], (*route, f"git {origin}"), depth)

    def _autocorrects(self, config: dict[str, str | None], where: list[str]) -> bool:
        """Whether git may run the known command nearest to a mistyped one (``help.autocorrect``
        set, in any of the settings git reads here, to anything but its default ``0``/``never``;
        ``prompt`` asks on a terminal, which the agent's shell may have)."""
        merged = self._settings(self._repo(where), config)
        if "?" in merged:
            return True
        value = merged.get("help.autocorrect", "0")
        return value is None or value.strip().lower() not in ("0", "never", "")

    def _external(self, verb: str, args: Argv, route: tuple[str, ...]) -> bool:
        """``git NAME`` runs the first program git-NAME on git's exec path (``--exec-path``,
        ``GIT_EXEC_PATH``, else its own directory), then PATH: one this command wrote, one on disk
        where the agent may have put it (followed as the script it is), or a system one (noted).
        A path that is not known fails closed; False when git finds none."""
        program = f"git-{verb}"
        ran = False
        for kind, where in self.git_program(program):
            here = (*route, f"git {verb} -> {where or program}")
            if kind == "unknown":
                self.flag("unresolved", None, here, f"git {verb} runs {program} from a path that is not known")
                ran = True
            elif kind != "system":
                self.run_program_file(kind, where, [program, *args], SimpleCommand(0), here, 0)
                ran = True
        return ran

    def expand_alias(self, value: str | None, args: Argv, route: tuple[str, ...], depth: int) -> None:
        if value is None or depth > 8:
            self.flag("unresolved", None, route, "the alias's value is not known statically")
            return
        split = args.index("\0") if "\0" in args else 0
        options, args = args[:split], args[split + 1 :] if "\0" in args else args
        rest = " ".join("'" + a.replace("'", "'\\''") + "'" if a is not None else '"$UNKNOWN"' for a in args)
        if value.startswith("!"):
            self._shell_alias(f"{value[1:]} {rest}", options, route)
            return
        try:
            script = parse(value)
        except ShellSyntaxError:
            self.flag("unresolved", None, route, "the alias's value cannot be read")
            return
        words = next((c.words for c in walk_commands(script)), [])
        fields = [f for fields in self._expand(words)[:1] for f in fields]
        self.git(["git", *options, *fields, *args], route, depth + 1)

    def _shell_alias(self, text: str, options: Argv, route: tuple[str, ...]) -> None:
        """A ``!`` alias runs its shell with git's ``-c`` settings exported in
        GIT_CONFIG_PARAMETERS (checked: ``git -c alias.v='!git zz' -c alias.zz=push v`` pushes),
        so every git the shell starts has them too."""
        pairs = [options[i + 1] for i, o in enumerate(options[:-1]) if o == "-c"]
        if not pairs:
            self.source(text, route)
            return
        quoted = [
            None if p is None or "'" in p else "'{}'='{}'".format(*p.split("=", 1))
            for p in pairs
            if p is None or "=" in p
        ]
        params: str | None = None if None in quoted else " ".join(q for q in quoted if q)
        saved = self.env.vars.get("GIT_CONFIG_PARAMETERS")
        before = saved or [""]
        self.env.vars["GIT_CONFIG_PARAMETERS"] = [
            None if params is None or b is None else f"{b} {params}".strip() for b in before
        ]
        try:
            self.source(text, route)
        finally:
            if saved is None:
                self.env.vars.pop("GIT_CONFIG_PARAMETERS", None)
            else:
                self.env.vars["GIT_CONFIG_PARAMETERS"] = saved

    def _included_alias(self, key: str, config: dict[str, str | None]) -> str | bool | None:
        """The alias ``key`` in the files ``-c include.path`` names (read like the repository's own
        files, with what they include): its value; None when there is no such option or no file
        sets it (git refuses a relative path given with -c: it then runs nothing); False when a
        file cannot be known or ``includeIf`` may or may not hold."""
        from integration_engineer.git_guard import repo_config

        names = [k for k in config if k == "include.path" or (k.startswith("includeif.") and k.endswith(".path"))]
        if not names:
            return None
        found: dict[str, str | None] = {}
        for name in names:
            value = config[name]
            if value is None:
                return False
            path = os.path.expanduser(value)
            if os.path.isabs(path):
                repo_config.read_file(path, self.text_of, found, 1)
        if repo_config.UNKNOWN in found or (key in found and any(n != "include.path" for n in names)):
            return False
        return found.get(key)

    def _named_alias(self, verb: str, where: list[str]) -> str | bool:
        """``verb``'s alias in the configuration files the command names (``GIT_CONFIG_GLOBAL``,
        ``GIT_CONFIG_SYSTEM``, ``$XDG_CONFIG_HOME/git/config``, ``$HOME/.gitconfig``), read with
        git; True when none has one; False when they cannot be known (a value not known, a file
        this command writes, another variable, two different values, one unlike the repository's)."""
        if not any(v in self.env.vars for v in _CONFIG_VARS):
            return True
        files = self._env_config_files(where)
        if files is None:
            return False
        found: set[str] = set()
        for path in files:
            aliases = _read_aliases(os.path.dirname(path) or ".", path)
            if aliases is None:
                return False
            if verb.lower() in aliases:
                found.add(aliases[verb.lower()])
        if len(found) > 1:
            return False
        if found:
            repo = self._repo_alias(verb, where)
            if repo is False or (isinstance(repo, str) and repo not in found):
                return False
            return found.pop()
        return True

    def _env_config_files(self, where: list[str]) -> list[str] | None:
        directory = self.cwd or os.getcwd()
        for step in where:
            directory = os.path.join(directory, step)
        # GIT_CONFIG_COUNT and GIT_CONFIG_PARAMETERS give settings, not files: read by _env_config.
        if any(v in self.env.vars for v in ("GIT_CONFIG", "GIT_DIR")):
            return None
        files: list[str] = []
        names = [("GIT_CONFIG_SYSTEM", ""), ("GIT_CONFIG_GLOBAL", ""), ("XDG_CONFIG_HOME", "git/config")]
        names += [("HOME", ".gitconfig"), ("HOME", ".config/git/config")]
        for var, rel in names:
            if var not in self.env.vars:
                continue
            values = self.env.lookup(var) or [None]
            if len(values) != 1 or values[0] is None:
                return None
            path = (
                os.path.join(directory, os.path.expanduser(values[0]), rel)
                if rel
                else os.path.join(directory, values[0])
            )
            top = self.cwd or os.getcwd()
            if not os.path.normpath(path).startswith(top.rstrip("/") + "/"):
                return None  # only files in the tree are read (another HOME may change meanwhile)
            if any(norm(k) in self.files for k in (path, os.path.relpath(path, top))):
                return None
            files.append(path)
        return files

    def _repo_alias(self, verb: str, where: list[str]) -> str | bool | None:
        """The repository's alias for ``verb`` (git asked once per directory); False on failure."""
        directory = self.cwd or os.getcwd()
        for step in where:
            directory = os.path.join(directory, step)
        if directory not in self.repo_aliases:
            self.repo_aliases[directory] = _read_aliases(directory)
        aliases = self.repo_aliases[directory]
        if aliases is None:
            return False
        return aliases.get(verb.lower())


def _read_aliases(directory: str, file: str = "") -> dict[str, str] | None:
    from integration_engineer.repository import git_runner

    script_files.unrecordable("git was asked for the repository's aliases")
    # Exit 1 is "no alias" (or no such file); git that cannot run (or hangs) leaves them unknown.
    where = ("--file", file, "--includes") if file else ()
    code, out = git_runner.run(directory, ("config", *where, "--get-regexp", r"^alias\."), timeout=3)
    if code == git_runner.FAILED:
        return None if os.path.isdir(directory) else {}
    aliases = {}
    for line in out.splitlines():
        key, _, value = line.partition(" ")
        aliases[key[6:].lower()] = value
    return aliases


# Shell options and variables that change what a pattern matches (or that it stays as written).
_GLOB_SETTINGS = ("nullglob", "failglob", "caseglob", "dotglob", "extglob", "globstar", "noglob", "GLOBIGNORE")
_SHELL_SETTINGS = ("shopt", "set -", "set +", "BASHOPTS", "SHELLOPTS")
# Redirections and expansions that create nothing.
_NO_FILE = (">/dev/null", "> /dev/null", ">&1", ">&2", ">/dev/stderr", ">/dev/stdout", "$?", "$#")


def _may_create(text: str) -> bool:
    """Whether the command may create a file (a redirection, a program that writes, anything run
    from elsewhere): then a pattern may match a name made before it is expanded."""
    from integration_engineer.bash.triggers import GIT_WRITING_WORDS, WRITING_WORDS

    for harmless in _NO_FILE:
        text = text.replace(harmless, " ")
    if ">" in text or "$" in text or "`" in text or "<(" in text:
        return True
    words = {w.rsplit("/", 1)[-1] for w in text.replace(";", " ").replace("&", " ").replace("|", " ").split()}
    if not GIT_WRITING_WORDS.isdisjoint(words):
        return True  # git checkout, restore, stash...: files of the tree written
    return not WRITING_WORDS.isdisjoint(words - {"git"}) or not words.isdisjoint(_CREATORS)


# Programs that create files or run other commands that may (beyond triggers.WRITING_WORDS).
_CREATORS = frozenset({"eval", "source", ".", "python", "python3", "node", "perl", "ruby", "make", "npm", "go"})


_MAX_ENV_KEYS = 64
# Programs and verbs that may make a directory (a repository) where there was none.
_MAKERS = ("mkdir", "init", "clone", "cp ", "mv ", "ln ", "tar ", "unzip", "rsync", "install ", "bundle")


def _config_count(value: str | None) -> int | None:
    """How many GIT_CONFIG_KEY_n git reads for this GIT_CONFIG_COUNT (``strtoul``: leading blanks
    and a sign; anything after the digits is an error, as is a negative count: then git reads
    none and stops); None when not known or too many to follow."""
    if value is None:
        return None
    text = value.lstrip(" \t\n\v\f\r")
    sign = text[:1] if text[:1] in "+-" else ""
    digits = text[len(sign) :]
    if digits == "":
        return 0  # "" reads none; a lone sign is bogus: git stops
    if not digits.isdigit() or not digits.isascii():
        return 0
    number = int(digits)
    if sign == "-" and number:
        return 0  # wraps to a huge count: "too many entries"
    return number if number <= _MAX_ENV_KEYS else None


def stash_pathspec(args: Argv) -> bool | None:
    """Whether ``git stash ARGS`` saves only some paths, which git 2.39 does by running ``git add
    -u -- PATHSPEC`` (GIT_TRACE: run_command: git add; not with ``--patch`` or ``--staged``, which
    take another way); None when the arguments are not known."""
    words = list(args)
    if words[:1] == ["push"]:
        words = words[1:]
    elif words and (words[0] is None or not words[0].startswith("-")):
        return None if words[0] is None else False  # list, show, save MESSAGE, pop...: no pathspec
    i = 0
    while i < len(words):
        word = words[i]
        if word is None:
            return None
        if word == "--":
            return i + 1 < len(words)
        if word.startswith("--pathspec-from-file"):
            return True
        if word in ("-p", "--patch", "-S", "--staged") or word.startswith(("--pat", "--sta")):
            return False
        if word in ("-m", "--message"):
            i += 2
            continue
        if word.startswith("-") and not word.startswith("--") and len(word) > 2:
            if "p" in word[1:] or "S" in word[1:]:
                return False
            if "m" in word[1:]:
                i += 1 if word.index("m") < len(word) - 1 else 2
                continue
        if not word.startswith("-"):
            return True
        i += 1
    return False


def walk_commands(script: Script) -> list[SimpleCommand]:
    return [found.command for found in simple_commands(script)]


def _known_git() -> frozenset[str]:
    from integration_engineer.git_guard.known_git import KNOWN_GIT  # only once git runs (hot path)

    return KNOWN_GIT


MAX_GLOB = 512  # longer patterns are not matched (fnmatch's translation is quadratic in "[")


def is_git(base: str) -> bool:
    low = base.lower()
    if low in ("git", "hub", "git.exe") or (low.startswith("git-") and len(low) > 4):
        return base == low or case_blind()  # GIT finds no program where names keep their case
    if any(c in base for c in "*?["):
        from fnmatch import fnmatchcase

        if len(low) > MAX_GLOB:
            return True  # fnmatch's translation is quadratic in brackets: too long to try, may be git
        return fnmatchcase("git", low) or any(fnmatchcase(f"git-{v}", low) for v in ("push", "commit", "add", "merge"))
    return False


def case_blind() -> bool:
    """Whether names here may be found in another case (macOS's default file system: ``GIT``
    runs git): a directory of PATH holding git also answers to ``GIT`` (noted reads)."""
    dirs = [d for d in (script_files.inherited("PATH") or "/usr/bin:/bin").split(":") if d.startswith("/")]
    return any(
        script_files.program_file(os.path.join(d, "GIT"))[0]
        for d in dirs
        if script_files.program_file(os.path.join(d, "git"))[0]
    )
