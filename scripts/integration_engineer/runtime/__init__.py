"""The hook runtime: payload in, hook answer out, the decision log, and the small stdlib-only
pieces every layer uses."""
