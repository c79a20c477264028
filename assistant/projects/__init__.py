"""Projects: memory spaces for the things the user works on (see :mod:`.projects`)."""

from assistant.projects.names import check_name
from assistant.projects.note import Project
from assistant.projects.placement import stays_global
from assistant.projects.projects import HOME, Projects, place_of

__all__ = ["HOME", "Project", "Projects", "check_name", "place_of", "stays_global"]
