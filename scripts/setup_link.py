"""Print the one-time link that creates the first administrator, before the server starts.

scripts/run.sh runs this with the arguments it passes to Streamlit (for the port), so the link
is in the server's terminal as soon as it starts, not only after a first browser visit. It
prints nothing once the workspace has an administrator.
"""

from __future__ import annotations

import os
import sys

from cpwb_stats.demo.startup import open_workspace
from cpwb_stats.workspace import accounts
from cpwb_ui.account import configured_url, setup_message


def _port(arguments: list[str]) -> str:
    for number, argument in enumerate(arguments):
        if argument.startswith("--server.port="):
            return argument.split("=", 1)[1]
        if argument == "--server.port" and number + 1 < len(arguments):
            return arguments[number + 1]
    return "8501"


def main(arguments: list[str]) -> None:
    workspace = open_workspace(configured_url())
    token = accounts.first_admin_token(workspace)
    if token is not None:
        base = os.environ.get("CPWB_PUBLIC_URL", "").rstrip("/")
        print(setup_message(base or f"http://localhost:{_port(arguments)}", token),
              file=sys.stderr, flush=True)
    workspace.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
