"""The end of a run: cleanup, the answer checked against the contract and git, re-prompts, hand-off."""
