"""The local commands ssh, scp and sftp run through their own shell: ``ProxyCommand`` (to reach
the host), ``KnownHostsCommand`` and ``LocalCommand`` (with ``PermitLocalCommand yes``) given
with ``-o`` or in the ``-F`` file, and a config file's ``Match exec`` (run while the file is
read, even by ``ssh -G``, which prints the configuration and never connects). ``ssh -V`` and
``-Q`` only print. Checked with OpenSSH 9.2. Stdlib only.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Callable

# Options taking a value (ssh's, scp's and sftp's together: a value never is a command).
_VALUES = frozenset("bBcDeEFiIJlLmoOpPQRSsWwX")
_RUN_KEYS = ("proxycommand", "knownhostscommand", "localcommand")


def commands(name: str, args: list[str | None], read: Callable[[str], str | None]) -> list[str | None]:
    """The command lines ``name args`` (ssh, scp, sftp) runs locally; None for one not known."""
    options: list[tuple[str, str | None]] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None:
            return [None]  # an unknown word may be an option
        if arg == "--" or not arg.startswith("-") or arg == "-":
            break
        for k in range(1, len(arg)):
            letter = arg[k]
            if letter in _VALUES:
                value = arg[k + 1 :] or (args[i + 1] if i + 1 < len(args) else "")
                i += 0 if arg[k + 1 :] else 1
                options.append((letter, value))
                break
            options.append((letter, ""))
        i += 1
    letters = {letter for letter, _ in options}
    if name == "ssh" and letters & {"V", "Q"}:
        return []
    settings = [_setting(value) for letter, value in options if letter == "o" and value is not None]
    jumps = "J" in letters or any(key == "proxyjump" for key, _ in settings)  # other hosts' blocks apply too
    host = args[i] if name == "ssh" and i < len(args) and not jumps else None
    found: list[str | None] = []
    configs = [value for letter, value in options if letter == "F"]
    for path in configs:
        text = None if path is None else "" if path in ("/dev/null", "none") else read(path)
        if text is None:
            return [None]
        if host is not None and "proxyjump" in text.lower():
            host = None
        matched, execs = _config(text, host)
        found += execs
        settings += matched
    if "G" in letters and name == "ssh":
        return found  # prints the configuration: Match exec ran, nothing else does
    permitted = any(k == "permitlocalcommand" and (v or "").lower() == "yes" for k, v in settings)
    for key, value in settings:
        if key in _RUN_KEYS and (key != "localcommand" or permitted) and (value or "").lower() != "none":
            found.append(_tokens(value, host))
    return found


def _setting(text: str) -> tuple[str, str | None]:
    """``Key=Value`` or ``Key Value`` (the key in any case)."""
    text = text.strip()
    cut = min((text.find(c) for c in " \t=" if c in text), default=len(text))
    key, value = text[:cut], text[cut:].lstrip(" \t")
    value = value[1:].lstrip(" \t") if value.startswith("=") else value
    return key.lower(), value


def _config(text: str, host: str | None) -> tuple[list[tuple[str, str | None]], list[str | None]]:
    """A config file's settings that may apply to ``host`` (every block when it is not known),
    and the commands of its ``Match exec`` lines; an ``Include`` is not read (unknown)."""
    settings: list[tuple[str, str | None]] = []
    execs: list[str | None] = []
    applies = True
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, value = _setting(line)
        if key == "host":
            applies = host is None or _host_matches(value or "", host)
        elif key == "match":
            applies = True  # its criteria are not evaluated here
            execs += _match_execs(value or "")
        elif key == "include":
            execs.append(None)
        elif applies:
            settings.append((key, value))
    return settings, execs


def _match_execs(criteria: str) -> list[str | None]:
    """The commands of ``exec "CMD"`` criteria on a Match line (quotes as ssh reads them)."""
    found: list[str | None] = []
    words = _words(criteria)
    if words is None:
        return [None]
    for k, word in enumerate(words):
        if word.lower() in ("exec", "!exec"):
            found.append(words[k + 1] if k + 1 < len(words) else None)
    return found


def _words(text: str) -> list[str] | None:
    """ssh's config words: blanks separate, double quotes group; None when a quote is open."""
    words: list[str] = []
    current: list[str] = []
    quoted = started = False
    for c in text:
        if c == '"':
            quoted, started = not quoted, True
        elif c in " \t" and not quoted:
            if started:
                words.append("".join(current))
            current, started = [], False
        else:
            current.append(c)
            started = True
    if quoted:
        return None
    if started:
        words.append("".join(current))
    return words


def _host_matches(patterns: str, host: str) -> bool:
    """Whether a ``Host`` line's patterns (``*``, ``?``, ``!neg``) take in ``host``."""
    from fnmatch import fnmatchcase

    name = host.rsplit("@", 1)[-1].lower()
    hit = False
    for pattern in patterns.split():
        negated = pattern.startswith("!")
        if fnmatchcase(name, pattern.lstrip("!").lower()):
            if negated:
                return False
            hit = True
    return hit


def _tokens(value: str | None, host: str | None) -> str | None:
    """A command with ssh's ``%`` tokens put in (``%h`` the host, ``%%`` a percent sign)."""
    if value is None:
        return None
    name = (host or "host").rsplit("@", 1)[-1]
    out, i = [], 0
    while i < len(value):
        if value[i] == "%" and i + 1 < len(value):
            token = value[i + 1]
            out.append({"%": "%", "h": name, "n": name, "p": "22", "r": "user"}.get(token, "x"))
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)
