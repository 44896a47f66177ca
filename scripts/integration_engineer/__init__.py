"""integration-engineer: hooks that keep the integration-engineer subagent in its lane.

Hot-path modules (everything reachable from ``dispatch``) import only the standard library.
"""

import os

__version__ = "0.1.0"
# The plugin's directory (the repository root): schemas, hooks and requirements are found from it.
PLUGIN_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
PLUGIN_NAME = "integration-engineer"
AGENT_TYPE = "integration-engineer:integration-engineer"
