"""Which interpreter code can start a process, and which shells read BASH_ENV (one rule at a time;
the golden forms tests/cases/*/forms/startup__*, plain__node_* hold the labels seen with real bash)."""

from __future__ import annotations

from integration_engineer.bash import code, startup


def test_node_code_touching_only_plain_process_fields_starts_nothing() -> None:
    assert not code.spawns("console.log(process.argv.slice(1))", "node")
    assert not code.spawns("process.stdout.write('x'); process.exit(0)", "node")
    assert code.spawns("process.binding('spawn_sync')", "node")
    assert code.spawns("const m = require(process.argv[1]); m[process.argv[2]]()", "node")
    assert code.spawns("print(process.argv)", "python")


def test_bash_env_only_for_bash_not_named_sh() -> None:
    def lookup(name: str) -> list[str | None] | None:
        return ["be.sh"] if name == "BASH_ENV" else None

    assert startup.shell_files(["bash", "-c", ":"], lookup) == [[("BASH_ENV", "be.sh")]]
    assert startup.shell_files(["/bin/rbash", "-c", ":"], lookup) == [[("BASH_ENV", "be.sh")]]
    assert startup.shell_files(["sh", "-c", ":"], lookup) == []
    assert startup.shell_files(["dash", "-c", ":"], lookup) == []
    assert startup.shell_files(["bash", "--posix", "-c", ":"], lookup) == []


def test_awk_pipe_to_a_variable_starts_a_process() -> None:
    assert code.spawns('BEGIN{c="sh"; print "x" | c}', "awk")
    assert code.spawns('{print | "sort"}', "awk")
    assert not code.spawns("$1 || $2 {print}", "awk")
