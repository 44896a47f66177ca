"""cc-safety-net 2.4.5, the guard users would pick instead, installed and configured for our policy.

It is installed with npm into a cache directory outside the repository (reused when present) and
given a user-scope rulebook (``rulebook_version`` 2, one rule per verb) that forbids the same git
verbs as our policy. The format comes from its own guide (``cc-safety-net rule doc``): rules live in
``$CC_SAFETY_NET_HOME/rules/rule.json`` listing local rulebooks, each in
``rules/<name>/rulebook.json``. It runs as its Claude Code hook, ``cc-safety-net hook --coding-cli``.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from integration_engineer.config import Settings

VERSION = "2.4.5"
PACKAGE = "cc-safety-net"
RULEBOOK = "ie-git-policy"


class Unavailable(RuntimeError):
    """cc-safety-net cannot be run here; the message says why."""


@dataclass(frozen=True)
class SafetyNet:
    node: str
    entry: Path
    home: Path
    version: str

    def shell_command(self) -> str:
        """What a hooks.json entry for it would run."""
        return f"{shlex.quote(self.node)} {shlex.quote(str(self.entry))} hook --coding-cli"

    def env(self, base: dict[str, str]) -> dict[str, str]:
        return {**base, "CC_SAFETY_NET_HOME": str(self.home)}


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "integration-engineer" / "bench" / PACKAGE


def prepare(cache: Path | None = None) -> SafetyNet:
    """Install (once) and configure cc-safety-net; Unavailable when that is not possible."""
    cache = cache or cache_dir()
    node = shutil.which("node")
    if node is None:
        raise Unavailable("node is not on PATH")
    package = cache / "node_modules" / PACKAGE
    if _installed_version(package) != VERSION:
        _install(cache)
    version = _installed_version(package)
    if version != VERSION:
        raise Unavailable(f"npm installed {PACKAGE} {version or '(nothing)'}, expected {VERSION}")
    home = cache / "home"
    write_rules(home, Settings().forbidden_git_verbs)
    return SafetyNet(node, package / "dist" / "bin" / "cc-safety-net.js", home, version)


def _installed_version(package: Path) -> str:
    try:
        data = json.loads((package / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(data.get("version", ""))


def _install(cache: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise Unavailable("npm is not on PATH")
    cache.mkdir(parents=True, exist_ok=True)
    argv = [npm, "install", "--prefix", str(cache), "--no-audit", "--no-fund", f"{PACKAGE}@{VERSION}"]
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"npm install {PACKAGE}@{VERSION} failed: {exc}") from None
    if proc.returncode != 0:
        tail = " ".join(proc.stderr.strip().splitlines()[-3:])
        raise Unavailable(f"npm install {PACKAGE}@{VERSION} exited {proc.returncode}: {tail}")


def write_rules(home: Path, verbs: tuple[str, ...]) -> None:
    """The user-scope rule config and one rulebook forbidding ``git <verb>`` for each verb."""
    book = home / "rules" / RULEBOOK
    book.mkdir(parents=True, exist_ok=True)
    rules = [
        {
            "name": f"block-git-{verb}",
            "command": "git",
            "match": {"command_path": [verb]},
            "reason": f"git {verb} is reserved to the orchestrator",
            "intent": "hard_stop",
        }
        for verb in verbs
    ]
    rulebook = {
        "rulebook_version": 2,
        "name": RULEBOOK,
        "version": "1.0.0",
        "description": "integration-engineer git policy",
        "allowed_commands": ["git"],
        "rules": rules,
    }
    _write_json(book / "rulebook.json", rulebook)
    _write_json(home / "rules" / "rule.json", {"version": 1, "rules": [RULEBOOK]})


def _write_json(path: Path, data: object) -> None:
    text = json.dumps(data, indent=2) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
