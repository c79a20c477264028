"""The Obsidian vault: note format, file layout, atomic writes and scanning."""
