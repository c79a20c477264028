"""The Textual memory browser."""
