"""Learning from conversations: extraction, dedup, corrections, sensitive data, injection."""
