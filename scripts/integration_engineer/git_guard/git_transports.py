"""Which remotes a git verb contacts, and by which transport: ssh runs ``core.sshCommand``, http
asks credential helpers, ``ext::`` runs its command, a local path runs none of those.

Checked with git 2.39 under GIT_TRACE (tests/cases/*/forms/gitcfg__*): ``git -c core.sshCommand=X
fetch origin`` with a local-path origin never starts X; ``url.<base>.insteadOf`` rewrites the
URL first (so a local path can become ``host:path``); ``ext::`` is refused unless
``protocol.ext.allow`` (or ``protocol.allow``, ``GIT_ALLOW_PROTOCOL``) lets it; ``fd::`` runs
nothing; ``NAME::address`` and ``NAME://`` for an unknown NAME run the program
``git-remote-NAME``. Standard library only.
"""

from __future__ import annotations

# Options of fetch/pull/ls-remote/clone that take the next word as their value.
_VALUED = frozenset(
    {
        "--depth",
        "--deepen",
        "--shallow-since",
        "--shallow-exclude",
        "-j",
        "--jobs",
        "--upload-pack",
        "--refmap",
        "-o",
        "--server-option",
        "--negotiation-tip",
        "--filter",
        "-s",
        "--strategy",
        "-X",
        "--strategy-option",
        "--sort",
        "-b",
        "--branch",
        "--origin",
        "-u",
        "--reference",
        "--reference-if-able",
        "--separate-git-dir",
        "--template",
        "-c",
        "--config",
        "--bundle-uri",
        "--receive-pack",
        "--exec",
        "--repo",
        "--push-option",
    }
)
SSH = "ssh"
HTTP = "http"
LOCAL = "local"
GIT = "git"
EXT = "ext"
FD = "fd"
HELPER = "helper"  # git-remote-NAME
_HTTP_SCHEMES = ("http", "https", "ftp", "ftps")
_SSH_SCHEMES = ("ssh", "git+ssh", "ssh+git")


def positionals(args: list[str | None]) -> list[str | None]:
    """The words that are not options nor their values (None: unknown)."""
    out: list[str | None] = []
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg is None:
            out.append(None)
        elif arg == "--":
            out.extend(args[i + 1 :])
            break
        elif arg.startswith("-"):
            skip = arg in _VALUED
        else:
            out.append(arg)
    return out


def remote_names(verb: str, args: list[str | None], gitmodules: bool) -> list[str | None] | None:
    """The remotes (names or URLs) ``git VERB ARGS`` contacts: None when it contacts none, ``[""]``
    for the default remote, ``["*"]`` for all of them, None in the list for one not known."""
    words = positionals(args)
    if any(a is None for a in args if a is None or a.startswith("--all") or a == "--multiple"):
        return ["*"]
    if verb in ("fetch", "pull"):
        if "--all" in args:
            return ["*"]
        if "--multiple" in args:
            return words or [""]
        return words[:1] or [""]
    if verb in ("ls-remote", "push", "fetch-pack", "send-pack"):
        if verb == "ls-remote" and any(a in ("--get-url",) for a in args):
            return None
        return words[:1] or [""]
    if verb == "clone":
        return words[:1] or [None]
    if verb == "remote":
        return _remote_subcommand(args, words)
    if verb == "archive":
        return _option_value(args, "--remote")
    if verb == "request-pull":
        return words[1:2] or [None]
    if verb == "submodule":
        sub = words[:1]
        if sub == ["add"]:
            return words[1:2] or [None]
        if sub == [None] or (sub == ["update"] and gitmodules):
            return [None]  # the submodules' URLs (from .gitmodules) are not read here
        return None
    if verb == "maintenance":
        return ["*"] if any(a is None or "prefetch" in a for a in args) else None
    return None


def _remote_subcommand(args: list[str | None], words: list[str | None]) -> list[str | None] | None:
    sub = words[:1]
    rest = words[1:]
    if sub == [None]:
        return [None]
    if sub in (["show"], ["prune"]) and "-n" not in args:
        return rest or [None]
    if sub == ["update"]:
        return rest or ["*"]
    if sub == ["set-head"] and any(a in ("-a", "--auto") for a in args):
        return rest[:1] or [None]
    if sub == ["add"] and any(a in ("-f", "--fetch") for a in args):
        return rest[1:2] or [None]
    return None


def _option_value(args: list[str | None], option: str) -> list[str | None] | None:
    for i, arg in enumerate(args):
        if arg is None:
            return [None]
        if arg == option:
            return [args[i + 1] if i + 1 < len(args) else None]
        if arg.startswith(option + "="):
            return [arg[len(option) + 1 :]]
    return None


def urls(names: list[str | None], config: dict[str, str | None], push: bool) -> list[str | None]:
    """The URLs the remotes named go to, after ``url.<base>.insteadOf`` (None: not known)."""
    if "?" in config:
        return [None]
    remotes = sorted({k.split(".")[1] for k in config if k.startswith("remote.") and k.endswith(".url")})
    found: list[str | None] = []
    for name in names:
        if name == "*":
            chosen: list[str | None] = list(remotes)
        elif name == "":
            chosen = [v for k, v in config.items() if k.startswith("branch.") and k.endswith(".remote")]
            chosen += [config.get("remote.pushdefault")] if push and "remote.pushdefault" in config else []
            chosen = chosen or ["origin"]
        else:
            chosen = [name]
        for remote in chosen:
            found.extend(_remote_urls(remote, config, push))
    return [rewrite(u, config, push) for u in found]


def _remote_urls(name: str | None, config: dict[str, str | None], push: bool) -> list[str | None]:
    if name is None:
        return [None]
    group = config.get(f"remotes.{name}")
    if group:
        return [u for member in group.split() for u in _remote_urls(member, config, push)]
    pushurl = config.get(f"remote.{name}.pushurl") if push else None
    url = pushurl or config.get(f"remote.{name}.url")
    if f"remote.{name}.url" in config or pushurl:
        return [url]
    return [name]  # not a configured remote: the word is the URL itself


def rewrite(url: str | None, config: dict[str, str | None], push: bool) -> str | None:
    """``url.<base>.insteadOf`` (and ``pushInsteadOf`` for a push): the longest prefix wins."""
    if url is None:
        return None
    best, base = "", ""
    kinds = (".insteadof", ".pushinsteadof") if push else (".insteadof",)
    for k, v in config.items():
        if k.startswith("url.") and k.endswith(kinds):
            if v is None:
                return None
            if url.startswith(v) and len(v) > len(best):
                best, base = v, k[4 : k.rfind(".")]
    return base + url[len(best) :] if best else url


def kind(url: str | None) -> tuple[str, str]:
    """The transport of a URL and, for a helper, its name (``("", "")`` when not known)."""
    if url is None:
        return "", ""
    scheme_end = 0
    while scheme_end < len(url) and (url[scheme_end].isalnum() or (scheme_end and url[scheme_end] in "+-.")):
        scheme_end += 1
    scheme = url[:scheme_end].lower()
    if scheme and url[scheme_end : scheme_end + 2] == "::":
        return (EXT, "") if scheme == "ext" else (FD, "") if scheme == "fd" else (HELPER, scheme)
    if scheme and url[scheme_end : scheme_end + 3] == "://":
        if scheme in _SSH_SCHEMES:
            return SSH, ""
        if scheme in _HTTP_SCHEMES:
            return HTTP, ""
        if scheme == "git":
            return GIT, ""
        if scheme == "file":
            return LOCAL, ""
        return HELPER, scheme
    colon, slash = url.find(":"), url.find("/")
    if colon < 0 or (0 <= slash < colon):
        return LOCAL, ""
    return SSH, ""  # host:path, as git reads it


def ext_allowed(config: dict[str, str | None], allow_env: list[str | None] | None) -> bool:
    """Whether git lets an ``ext::`` URL run (its default is never)."""
    if allow_env is not None:
        return any(v is None or "ext" in v.split(":") for v in allow_env)
    if "?" in config:
        return True
    value: str | None = "never"
    for name in ("protocol.allow", "protocol.ext.allow"):  # the specific one wins
        if name in config:
            value = config[name]
    return value is None or value.lower() in ("always", "user")


def ext_argv(url: str, service: str) -> list[str]:
    """The argv an ``ext::`` URL runs: split at unescaped spaces; ``% `` is a space, ``%%`` a
    percent, ``%s`` the service (``git-upload-pack``), ``%S`` it without ``git-``."""
    words: list[str] = []
    word: list[str] = []
    text = url[5:]
    i = 0
    while i < len(text):
        c = text[i]
        if c == "%" and i + 1 < len(text):
            nxt = text[i + 1]
            word.append({" ": " ", "%": "%", "s": service, "S": service[4:]}.get(nxt, ""))
            i += 2
            continue
        if c == " ":
            words.append("".join(word))
            word = []
        else:
            word.append(c)
        i += 1
    words.append("".join(word))
    return [w for w in words if w]
