"""integration-engineer: hooks that keep the integration-engineer subagent in its lane.

Hot-path modules (everything reachable from ``dispatch``) import only the standard library.
"""

__version__ = "0.1.0"
PLUGIN_NAME = "integration-engineer"
AGENT_TYPE = "integration-engineer:integration-engineer"
