"""``integration-engineer audit``: the CI check of saved answers and transcripts (engine side)."""
