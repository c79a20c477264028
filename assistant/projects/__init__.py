"""Projects: memory spaces for the things the user works on (see :mod:`.projects`)."""

from assistant.projects.names import check_name
from assistant.projects.note import Project
from assistant.projects.placement import stays_global
from assistant.projects.projects import HOME, Projects, left_notice, place_of

__all__ = [
    "HOME",
    "Project",
    "Projects",
    "check_name",
    "left_notice",
    "place_of",
    "stays_global",
]
