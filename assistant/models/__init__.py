"""Models: the embedding interface and its implementations."""
