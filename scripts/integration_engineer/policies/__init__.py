"""One module per policy. Each exposes ``check(event, settings) -> Outcome`` and imports only the
standard library: policies run on the hot path."""
