"""A plugin that fails to load: the assistant must report it and carry on."""

raise RuntimeError("this plugin is broken on purpose")
