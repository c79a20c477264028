"""The MCP server: the user's memory for every agent they run (Claude Desktop, Claude Code,
Cursor…), through the official ``mcp`` SDK.

Each tool is a thin adapter over the action layer (:class:`assistant.actions.Actions`) with an
``Origin("agent", "mcp", <client name>)``: what an agent writes passes the chat's policy
(secrets redacted, instructions refused), the learner's dedup and corrections, and lands in the
vault as a note with its provenance. An agent cannot purge, and cannot take an identity fact's
important flag away.

Importing this package imports the SDK (about a second): only ``assistant mcp`` does.
"""

from assistant.agent_server.server import build_server, run_http, run_stdio

__all__ = ["build_server", "run_http", "run_stdio"]
