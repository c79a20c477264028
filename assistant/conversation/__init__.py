"""The conversation pipeline: a message in, events out (routing, context, the model and its
tools, slash commands, sessions per channel and sender, spending, after-turn work)."""
