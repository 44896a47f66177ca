"""Every rule a finding can name: stable ids (SARIF, JUnit and docs use them), one line each."""

from __future__ import annotations

RULES: dict[str, str] = {
    # The answer text: exactly one JSON object.
    "empty-answer": "The answer is empty.",
    "not-json": "The answer is prose, not JSON.",
    "prose-around-json": "Text before or after the JSON: the answer must be only the JSON object.",
    "fence-language": "The fenced block is marked with a language other than json.",
    "unclosed-fence": "The ```json fence is never closed.",
    "multiple-fences": "More than one fenced block.",
    "json-syntax": "The JSON is broken.",
    "multiple-values": "More than one JSON value.",
    "not-an-object": "The JSON is not an object (an array, a string...).",
    "duplicate-key": "A key appears twice in one object.",
    "not-utf8": "The file is not UTF-8.",
    # The contract.
    "missing-key": "A required key is missing.",
    "unexpected-key": "A key the contract does not have.",
    "reported-elsewhere": "Test results, coverage, quality, gate status or metadata: others report those.",
    "wrong-type": "A value of the wrong JSON type.",
    "blank-value": "An empty or whitespace-only string.",
    "absolute-path": "An absolute path in files_modified.",
    "backslash-in-path": "A backslash in a path in files_modified.",
    "control-character": "A control character in a path in files_modified.",
    "path-escapes-worktree": "A path in files_modified that leaves the worktree with '..'.",
    "duplicate-path": "A path listed twice in files_modified.",
    "invalid-value": "A value the contract refuses.",
    # Claims checked against the task and git (audit --task-id/--worktree/--repo).
    "task-id-mismatch": "task_id is not the task's.",
    "worktree-mismatch": "worktree_path is not the task's worktree.",
    "file-not-changed": "A listed file that git shows unchanged.",
    "file-not-claimed": "A file git shows changed that is not listed.",
}
