"""Write targets of Bash commands, with the working directory followed through cd."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from integration_engineer.isolation.bash_writes import targets

CWD = "/p"


def _summary(command: str) -> list[tuple[str, str]]:
    return [(t.op, t.path or f"?{t.unknown[:20]}") for t in targets(command, CWD)]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("echo x > a", [("redirection >", "/p/a")]),
        ("echo x 2>> log", [("redirection 2>>", "/p/log")]),
        ("ls >&2 2>&1 3>&-", []),
        ("cmd >& out", [("redirection >&", "/p/out")]),
        ("cat < in; cat <<< s", []),
        ("a | tee -a x y", [("tee", "/p/x"), ("tee", "/p/y")]),
        ("cp -r a b dst", [("cp destination", "/p/dst")]),
        ("cp -t dst a b", [("cp destination", "/p/dst")]),
        ("mv a b", [("mv destination", "/p/b"), ("mv source (moved away)", "/p/a")]),
        ("rm -rf x", [("rm", "/p/x")]),
        ("touch -d now f; mkdir -p -m 700 d", [("touch", "/p/f"), ("mkdir", "/p/d")]),
        ("chmod -x f", [("chmod", "/p/f")]),
        ("chmod --reference=r f", [("chmod", "/p/f")]),
        ("sed -i 's/a/b/' f", [("sed -i", "/p/f")]),
        ("sed -n -e p f", []),
        ("perl -pi -e 's/a/b/' f", [("perl -i", "/p/f")]),
        ("dd if=a of=b", [("dd of=", "/p/b")]),
        ("curl -o out.json http://x", [("curl -o", "/p/out.json")]),
        ("tar -xzf a.tgz -C dir", [("tar extract into", "/p/dir")]),
        ("tar czf out.tgz src", [("tar archive", "/p/out.tgz")]),
        ("ln -s target", [("ln link name", "/p/target")]),
        ("rsync -a src/ host:/x", []),
        ("cd sub && echo > a", [("redirection >", "/p/sub/a")]),
        ("cd sub || echo > a", [("redirection >", "/p/a")]),
        ("cd sub; echo > a", [("redirection >", "/p/a"), ("redirection >", "/p/sub/a")]),
        ("(cd sub && true) && echo > a", [("redirection >", "/p/a")]),
        ("{ cd sub; } && echo > a", [("redirection >", "/p/sub/a")]),
        ("{ cd sub; }; echo > a", [("redirection >", "/p/a"), ("redirection >", "/p/sub/a")]),
        ("cd sub | true; echo > a", [("redirection >", "/p/a")]),
        ("cd -P /abs && touch a", [("touch", "/abs/a")]),
        ("env -C /abs touch a", [("touch", "/abs/a")]),
        ("echo $(touch /x)", [("touch", "/x")]),
        ("sh -c 'touch /x'", [("touch", "/x")]),
        ("eval 'touch /x'", [("touch", "/x")]),
        ("xargs rm -f /x < list", [("rm", "/x")]),
        ("find d -delete", [("find (deletes or changes files below)", "/p/d")]),
        ("find d -exec rm {} +", [("find (deletes or changes files below)", "/p/d")]),
        ("find d -name x -print", []),
        ("git -C /q checkout -- f", [("git checkout in", "/q")]),
        ("git status; git diff > /dev/null", [("redirection >", "/dev/null")]),
        ("nohup timeout 5 touch a", [("touch", "/p/a")]),
        # One wrapper table with the git guard (issue 14/18): these wrappers were not followed.
        ("setsid cp a /etc/x", [("cp destination", "/etc/x")]),
        ("busybox cp a /etc/x", [("cp destination", "/etc/x")]),
        ("unshare -r cp a /etc/x", [("cp destination", "/etc/x")]),
        ("chrt 10 touch /etc/x", [("touch", "/etc/x")]),
        ("setarch x86_64 touch /etc/x", [("touch", "/etc/x")]),
        ("fakeroot touch /etc/x", [("touch", "/etc/x")]),
        ("prlimit --nofile=10 touch /etc/x", [("touch", "/etc/x")]),
        ("flock /tmp/l touch /etc/x", [("touch", "/etc/x")]),
        # Output options (issue 18).
        ("sort -o /etc/x a", [("sort -o", "/etc/x")]),
        ("sort a --output=/etc/x", [("sort -o", "/etc/x")]),
        ("shuf -o/etc/x a", [("shuf -o", "/etc/x")]),
        ("unzip a.zip -d /etc", [("unzip -d", "/etc")]),
        ("patch -o /etc/x < p", [("patch -o", "/etc/x")]),
        ("gcc -c a.c -o /etc/a.o", [("compiler -o", "/etc/a.o")]),
        ("sort -r a", []),
        ("uniq -c a /etc/x", [("uniq output", "/etc/x")]),
        ("uniq -f 2 a", []),
        ("!", []),  # a bare `!` parses to an empty pipeline (found by the trigger equivalence fuzzer)
        ("! ; touch b", [("touch", "/p/b")]),
    ],
)
def test_targets(command: str, expected: list[tuple[str, str]]) -> None:
    assert _summary(command) == expected


@pytest.mark.parametrize(
    "command",
    [
        'echo > "$OUT"',
        'cd "$D" && touch a',
        "for d in a b; do cd $d; done; touch z",
        'sh -c "$S"',
        "echo > {a,b}",
        "echo 'unterminated",
    ],
)
def test_unknown_targets(command: str) -> None:
    assert any(t.unknown for t in targets(command, CWD)), targets(command, CWD)


def test_handled_names_every_program_with_a_handler() -> None:
    """bash_writes imports program_writes only for a program in HANDLED: a handler missing there
    would never run (its writes unseen), one too many would only cost the import."""
    from integration_engineer.isolation.bash_writes import HANDLED
    from integration_engineer.isolation.program_writes import HANDLERS

    assert set(HANDLERS) == HANDLED


# Variables the command fixes (isolation/write_vars): each value a write may see, or unknown.
@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ('for p in a b; do mkdir "src/$p"; done', [("mkdir", "/p/src/a"), ("mkdir", "/p/src/b")]),
        ('d=out; mkdir -p "$d" && cp f "$d/"', [("mkdir", "/p/out"), ("cp destination", "/p/out")]),
        ('xs=(a b); for x in "${xs[@]}"; do touch "$x"; done', [("touch", "/p/a"), ("touch", "/p/b")]),
        ('b=gen; o=$b/x; touch "$o"', [("touch", "/p/gen/x")]),
        ('echo x > "log-$$.txt"', [("redirection >", "/p/log-0.txt")]),
        ("mkdir -p out/$(date +%Y-%m-%d)", [("mkdir", "/p/out/0-0-0")]),
        ('touch "$(date +..)/x"', [("touch", "/x")]),  # the text around the fields is kept
        ('t=$(mktemp -d); touch "$t/f"', [("touch", "/tmp/tmp.XXXXXXXXXX/f")]),
        # Every value counts, wherever it is assigned: a later round, a subshell, a function, a branch.
        ('d=a; for i in 1 2; do touch "$d"; d=/e; done', [("touch", "/p/a"), ("touch", "/e")]),
        ('d=a; (d=/e); touch "$d"', [("touch", "/p/a"), ("touch", "/e")]),
        ('d=a; f() { d=/e; }; f; touch "$d"', [("touch", "/p/a"), ("touch", "/e")]),
        ('d=a; echo "$(d=/e; touch "$d")"', [("touch", "/p/a"), ("touch", "/e")]),
        ('d=a; cat <<EOF\n$(d=/e; touch "$d")\nEOF', [("touch", "/p/a"), ("touch", "/e")]),
    ],
)
def test_known_variables(command: str, expected: list[tuple[str, str]]) -> None:
    assert _summary(command) == expected


@pytest.mark.parametrize(
    "command",
    [
        'touch "$d"; d=a',  # used before it is assigned: the environment's value
        'true && d=a; touch "$d"',  # the assignment may not run
        'd=a & touch "$d"',  # in the background: another process
        'for d in a; do :; done; touch "$d"',  # after a loop that may run no round
        'd=a; read d; touch "$d"',
        'd=a; builtin read d; touch "$d"',
        'd=a; eval d=/e; touch "$d"',
        'd=a; unset d; touch "$d"',
        'd=a; declare -n d=HOME; touch "$d"',
        "d=a; trap 'd=/e' DEBUG; touch \"$d\"",
        "d=a; alias x='d=/e'\nx; touch \"$d\"",
        'd=a; printf -v d /e; touch "$d"',
        'd=a; : "${d:=/e}"; touch "$d"',
        'd=a; (( d = 1 )); touch "$d"',
        'd=a; exec {d}>log; touch "$d"',
        "d=a; IFS=/; touch $d",
        'd=a; "$cmd" d; touch "$d"',
        'd="a b"; touch $d',  # split into two fields
        'x=(a); x[0]=/e; touch "${x[@]}"',
        'PWD=a; cd /e; touch "$PWD/f"',  # bash sets PWD itself
        'd=a; echo $(for d in /e; do touch "$d"; done)',  # a loop the walk does not list
        'd=a; [[ ${d:=/e} ]]; touch "$d"',  # an assignment outside any simple command
        'd=a; cat <<EOF\n${d=/e}\nEOF\ntouch "$d"',
        'export TMPDIR=/e; t=$(mktemp); touch "$t"',
        't=$(mktemp x.XXXX); touch "$t"',  # a template without -t: the current directory
        'touch "a-$(date +%a).txt"',  # a day name: not digits
        'mkdir -p "src/${name:-x}"',
    ],
)
def test_variables_not_fixed_by_the_command_are_unknown(command: str) -> None:
    assert targets(command, CWD)[-1].unknown, _summary(command)  # the last write, the one using it


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("gosu root rm -rf /e/x", [("rm", "/e/x")]),
        ("perf stat -e cycles touch /e/t", [("touch", "/e/t")]),
        ("mise exec -- cp a /e/b", [("cp destination", "/e/b")]),
        ("bundle exec rm ../x", [("rm", "/x")]),
        ("hyperfine 'touch /e/h'", [("touch", "/e/h")]),
        ("start-stop-daemon --start --exec /bin/touch -- /e/s", [("touch", "/e/s")]),
        ("capsh -- -c 'touch /e/c'", [("touch", "/e/c")]),
        ('gosu "$U" touch /e/q', [("touch", "/e/q")]),  # "$U" as the program: its own writes are not seen
        ("perf report", []),  # perf runs no command here
        ("bundle install", []),
    ],
)
def test_runners_are_followed(command: str, expected: list[tuple[str, str]]) -> None:
    """The programs bash/runners knows run their command: the write guard reads it too."""
    assert _summary(command) == expected


def test_hyperfine_with_a_command_not_known_is_unknown() -> None:
    assert targets('hyperfine "$X"', CWD)[-1].unknown


@pytest.mark.parametrize(
    "command",
    [
        "perf stat -x, touch {out}",
        "capsh -- -c 'touch {out}'",
        "start-stop-daemon --start --exec /usr/bin/touch -- {out}",
    ],
)
def test_runner_writes_for_real(command: str, tmp_path: Path) -> None:
    """The runner really writes the file the guard names (where the program is installed)."""
    program = command.split()[0]
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed")
    out = tmp_path / "outside" / "made"
    out.parent.mkdir()
    text = command.format(out=out)
    subprocess.run(["bash", "-c", text], cwd=tmp_path, capture_output=True, timeout=30, check=False)
    if not out.exists():
        pytest.skip(f"{program} could not run its command here")
    assert str(out) in [t.path for t in targets(text, str(tmp_path))]
