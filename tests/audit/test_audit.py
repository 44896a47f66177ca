"""``integration-engineer audit``: golden reports per format (parsed back), exit codes,
transcripts, claims against a real git repository, GitHub annotation limits and escaping."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from integration_engineer import __version__
from integration_engineer.audit.report_ci import escape_data, escape_property
from integration_engineer.cli import group as main
from tests.helpers import git, make_repo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = "tests/audit/corpus"
EXPECTED = HERE / "expected"
TRANSCRIPTS = "tests/audit/transcripts"
GOOD = {
    "task_id": "PROJ-9",
    "worktree_path": "./trees/PROJ-9",
    "work_completed": "Webhooks",
    "files_modified": ["src/hook.py"],
    "unfinished": [],
}


def audit(*args: str, cwd: Path = ROOT, stdin: str = "", env: dict[str, str] | None = None) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["audit", *args], input=stdin, env=env)
    finally:
        os.chdir(old)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit", "sarif"])
def test_golden_report(fmt: str) -> None:
    code, out = audit(CORPUS, "--format", fmt, env={"GITHUB_STEP_SUMMARY": ""})
    assert code == 1
    out = out.replace(__version__, "VERSION")
    golden = EXPECTED / f"report.{fmt}"
    if os.environ.get("IE_UPDATE_GOLDEN"):
        golden.write_text(out)
    assert out == golden.read_text()


def test_json_report_parsed_back() -> None:
    _code, out = audit(CORPUS, "--format", "json")
    body = json.loads(out)
    assert body["summary"] == {"answers": 4, "failed": 3, "findings": body["summary"]["findings"], "unreadable": 0}
    by_file = {a["file"]: a["findings"] for a in body["answers"]}
    assert by_file[f"{CORPUS}/good.json"] == []
    coverage = next(f for f in by_file[f"{CORPUS}/extra-keys.json"] if f["path"] == "$.coverage")
    assert (coverage["rule"], coverage["line"], coverage["column"]) == ("reported-elsewhere", 6, 3)
    assert by_file[f"{CORPUS}/broken.json"][0]["rule"] == "json-syntax"


def test_junit_parsed_back() -> None:
    _code, out = audit(CORPUS, "--format", "junit")
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == 4 == int(suite.get("tests", ""))
    failures = {c.get("name"): [f.get("type") for f in c.findall("failure")] for c in cases}
    assert failures[f"{CORPUS}/good.json"] == []
    assert all(len(kinds) <= 1 for kinds in failures.values()), failures  # the JUnit schema allows one
    extra = next(c for c in cases if c.get("name") == f"{CORPUS}/extra-keys.json").find("failure")
    assert extra is not None and "path-escapes-worktree" in extra.get("type", "")
    assert "findings; first:" in extra.get("message", "") and "[path-escapes-worktree]" in (extra.text or "")
    assert int(suite.get("failures", "")) == 3


def test_sarif_parsed_back() -> None:
    _code, out = audit(CORPUS, "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    timestamp = next(r for r in run["results"] if "timestamp" in r["message"]["text"])
    assert timestamp["locations"][0]["physicalLocation"]["region"] == {"startLine": 7, "startColumn": 3}


def test_exit_0_when_clean(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(GOOD))
    assert audit(str(tmp_path / "a.json"))[0] == 0


def test_exit_1_for_invalid_json_with_position(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{\n  "task_id": "x",,\n}')
    code, out = audit(str(tmp_path / "a.json"))
    assert code == 1
    assert ":2:18: json-syntax" in out


def test_exit_2_for_usage_errors() -> None:
    assert audit(CORPUS, "--format", "xml")[0] == 2
    assert audit()[0] == 2
    assert audit(CORPUS, "--base", "main")[0] == 2


@pytest.mark.parametrize("make", ["missing", "empty-dir", "transcript-without-answers"])
def test_exit_3_for_inputs_that_cannot_be_checked(tmp_path: Path, make: str) -> None:
    target = tmp_path / "input"
    if make == "empty-dir":
        target.mkdir()
        (target / "notes.txt").write_text("not an answer")
    elif make == "transcript-without-answers":
        target = tmp_path / "session.jsonl"
        target.write_text('{"type": "user", "message": {"role": "user", "content": "hi"}}\n')
    code, out = audit(str(target), CORPUS)
    assert code == 3
    assert "cannot check" in out


def test_stdin_and_exit_codes_through_the_real_command() -> None:
    command = [str(Path(sys.executable).parent / "integration-engineer"), "audit", "-"]
    proc = subprocess.run(command, input=json.dumps(GOOD), capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run(command, input="Done!", capture_output=True, text=True, cwd=ROOT, check=False)
    assert (proc.returncode, proc.stdout.split(":")[0]) == (1, "<stdin>")


def test_text_colour_follows_the_flag_and_no_color(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("[]")
    assert "\033[" in audit(str(tmp_path / "a.json"), "--color", "always")[1]
    assert "\033[" not in audit(str(tmp_path / "a.json"))[1]


def test_transcripts_main_and_subagent_point_into_the_jsonl_line() -> None:
    code, out = audit(TRANSCRIPTS, "--format", "json")
    assert code == 1
    body = json.loads(out)
    # One answer per session: the subagent transcript's, not again the main transcript's copy.
    assert body["summary"]["answers"] == 2
    assert all("/subagents/agent-" in a["file"] for a in body["answers"])
    bad = [a for a in body["answers"] if a["findings"]]
    assert len(bad) == 1 and all("foreground-bad" in a["file"] for a in bad)
    for answer in bad:
        finding = next(f for f in answer["findings"] if f["path"] == "$.test_results")
        line = (ROOT / answer["file"]).read_text().splitlines()[finding["line"] - 1]
        assert line[finding["column"] - 1 :].startswith('\\"test_results\\"')


def test_a_main_transcript_alone_is_checked_and_with_its_subagent_once() -> None:
    session = next(Path(TRANSCRIPTS, "foreground-bad").glob("*.jsonl"))
    subagent = next(session.with_suffix("").glob("subagents/agent-*.jsonl"))
    for inputs, expected_file in (
        ([session], session),
        ([session, subagent], subagent),
        ([subagent, session], subagent),
    ):
        code, out = audit(*map(str, inputs), "--format", "json")
        answers = json.loads(out)["answers"]
        assert code == 1 and len(answers) == 1, inputs
        assert answers[0]["file"] == str(expected_file), inputs
        assert any(f["path"] == "$.test_results" for f in answers[0]["findings"])


def test_subagent_transcript_of_another_agent_type_is_not_checked(tmp_path: Path) -> None:
    transcript = tmp_path / "agent-abc.jsonl"
    transcript.write_text(
        json.dumps(
            {"type": "assistant", "message": {"role": "assistant", "content": [{"type": "text", "text": "prose"}]}}
        )
        + "\n"
    )
    (tmp_path / "agent-abc.meta.json").write_text('{"agentType": "code-reviewer"}')
    assert audit(str(transcript))[0] == 3
    assert audit(str(transcript), "--agent-type", "code-reviewer")[0] == 1


def test_github_annotations_are_capped_and_escaped(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"a{i:02}.json").write_text("Done, 100% ok")
    summary = tmp_path / "summary.md"
    code, out = audit(str(tmp_path), "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    lines = out.splitlines()
    assert code == 1
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert "first 10 of 12" in lines[-1]
    assert summary.read_text().count("| not-json |") == 12
    assert escape_data("50%\r\nx") == "50%25%0D%0Ax"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


def _answer(files: list[str], **extra: Any) -> str:
    return json.dumps({**GOOD, "files_modified": files, **extra})


def test_claims_against_git(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", worktrees=("PROJ-9",))
    tree = repo / "trees" / "PROJ-9"
    (tree / "src").mkdir()
    (tree / "src" / "hook.py").write_text("x = 1\n")
    git(tree, "add", "src/hook.py")
    git(tree, "commit", "-q", "-m", "hook")
    (tree / "README.md").write_text("changed, not committed\n")
    (tmp_path / "a.json").write_text(_answer(["src/hook.py", "src/other.py"], task_id="PROJ-8"))
    code, out = audit(
        str(tmp_path / "a.json"),
        "--task-id",
        "PROJ-9",
        "--worktree",
        str(tree),
        "--repo",
        str(repo),
        "--format",
        "json",
    )
    findings = {(f["rule"], f["path"]) for f in json.loads(out)["answers"][0]["findings"]}
    assert code == 1
    assert findings == {
        ("task-id-mismatch", "$.task_id"),
        ("file-not-changed", "$.files_modified[1]"),
        ("file-not-claimed", "$.files_modified"),
    }
    (tmp_path / "b.json").write_text(_answer(["./src/hook.py", "README.md"]))
    assert audit(str(tmp_path / "b.json"), "--task-id", "PROJ-9", "--worktree", str(tree), "--repo", str(repo))[0] == 0


def test_worktree_claim_and_unknown_base(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", worktrees=("PROJ-9",))
    (tmp_path / "a.json").write_text(json.dumps({**GOOD, "files_modified": [], "worktree_path": "./trees/OTHER"}))
    code, out = audit(str(tmp_path / "a.json"), "--worktree", str(repo / "trees" / "PROJ-9"), "--repo", str(repo))
    assert code == 1 and "worktree-mismatch" in out
    assert audit(str(tmp_path / "a.json"), "--repo", str(repo), "--base", "nope")[0] == 2
