"""``/project`` in chat, and the project a message's place works in."""

from __future__ import annotations

from assistant.actions import Origin
from assistant.conversation.commands import Commands
from assistant.conversation.reply import InboundMessage
from assistant.projects.projects import HOME, Projects, place_of

PROJECT_HELP = "/project [NAME|none]  show the projects, work in one, or in none"


def project_for(projects: Projects, message: InboundMessage) -> str | None:
    """The project what ``message`` teaches goes into: its place's (a linked channel's) when
    the place is not the home, else None (the home's own, whatever it is by then)."""
    place = place_of(message.channel, message.thread)
    return None if place == HOME else projects.current_name(place)


def add_project_commands(commands: Commands, projects: Projects) -> None:
    """Register ``/project`` with ``commands``."""

    def project(rest: str, origin: Origin) -> str:
        place = place_of(origin.channel)
        if not rest:
            return describe(projects, place)
        chosen = projects.use(rest, place)
        if chosen is None:
            return "No project now: what you tell me is kept for everything."
        return (
            f"Working in {chosen.name}: what you tell me about it goes into the project, and "
            "I look there first. /project none to leave."
        )

    commands.add("project", project, PROJECT_HELP)


def describe(projects: Projects, place: str = HOME) -> str:
    """The projects in a few lines, the one in use marked."""
    current = projects.current(place)
    listed = projects.all(archived=False)
    if not listed:
        return "No projects yet. Start one with `assistant project new NAME`."
    lines = [
        f"{'*' if current is not None and p.id == current.id else '-'} {p.name}"
        + (f": {p.goal}" if p.goal else "")
        for p in listed
    ]
    now = f"Working in {current.name}." if current is not None else "No project in use."
    return now + "\n" + "\n".join(lines)
