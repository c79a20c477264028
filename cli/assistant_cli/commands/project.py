"""``assistant project new|list|show|use|archive|reopen``: the projects, memory spaces for
the things the user works on (folders of the vault, ``Assistant/Projects/<Name>/``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from assistant_cli import render
from assistant_cli.context import state

if TYPE_CHECKING:
    from assistant.projects import Project


def register(app: typer.Typer) -> None:
    """Add the ``project`` group to ``app``."""
    group = typer.Typer(help="Projects: memory spaces for the things you work on.")
    group.command("new")(new)
    group.command("list")(list_projects)
    group.command("show")(show)
    group.command("use")(use)
    group.command("archive")(archive)
    group.command("reopen")(reopen)
    app.add_typer(group, name="project")


_JSON = typer.Option(False, "--json", help="Machine-readable output.")


def new(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The project's name (its folder in the vault)."),
    goal: str = typer.Option("", "--goal", help="What the project is for."),
    use_it: bool = typer.Option(False, "--use", help="Work in it from now on."),
    as_json: bool = _JSON,
) -> None:
    """Start a project: its folder and note in the vault."""
    projects = state(ctx).open().projects
    project = projects.new(name, goal=goal)
    if use_it:
        projects.use(project.name)
    if as_json:
        render.emit_json(_as_dict(project, project.name if use_it else "", 0))
        return
    where = project.path.as_posix() if project.path else project.name
    render.out.print(f"Started {escape(project.name)} ({escape(where)}).", highlight=False)


def list_projects(
    ctx: typer.Context,
    archived: bool = typer.Option(False, "--archived", help="List archived projects too."),
    as_json: bool = _JSON,
) -> None:
    """The projects, with how many memories each holds; the one in use is starred."""
    assistant = state(ctx).open()
    counts = assistant.projects.counts(assistant.memories.index.project_counts())
    current = assistant.projects.current_name()
    listed = assistant.projects.all(archived=archived)
    if as_json:
        render.emit_json([_as_dict(p, current, counts.get(p.name, 0)) for p in listed])
        return
    if not listed:
        render.out.print("No projects yet. Start one with `assistant project new NAME`.")
        return
    for p in listed:
        mark = "*" if p.name == current else " "
        state_ = " (archived)" if p.archived else ""
        goal = f"  {p.goal}" if p.goal else ""
        held = render.counted(counts.get(p.name, 0), "memory", "memories")
        line = f"{mark} {p.name}{state_}  {held}{goal}"
        render.out.print(escape(line), highlight=False)
    held = render.counted(counts.get("", 0), "memory", "memories")
    render.out.print(f"  global  {held}", highlight=False)


def show(
    ctx: typer.Context,
    name: str = typer.Argument("", help="A project (default: the one in use)."),
    limit: int = typer.Option(20, "--limit", min=1, help="Memories to list."),
    as_json: bool = _JSON,
) -> None:
    """A project's note and its memories."""
    from assistant.errors import InvalidInputError
    from assistant.memory_types import MemoryFilter

    assistant = state(ctx).open()
    projects = assistant.projects
    if not name:
        name = projects.current_name()
        if not name:
            raise InvalidInputError("no project in use; name one: assistant project show NAME")
    project = projects.get(name)
    found = assistant.memories.list(where=MemoryFilter(projects=(project.name,)), limit=limit)
    counts = projects.counts(assistant.memories.index.project_counts())
    if as_json:
        data = _as_dict(project, projects.current_name(), counts.get(project.name, 0))
        render.emit_json({**data, "memories": [m.to_dict() for m in found]})
        return
    render.out.print(escape(project.summary()), highlight=False)
    held = render.counted(counts.get(project.name, 0), "memory", "memories")
    render.out.print(held, highlight=False)
    render.memories(found)


def use(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="A project, or `none` to work in none."),
) -> None:
    """Work in a project: what you say goes into it and searches look there first."""
    chosen = state(ctx).open().projects.use(name)
    if chosen is None:
        render.out.print("No project in use.")
    else:
        render.out.print(f"Working in {escape(chosen.name)}.", highlight=False)


def archive(ctx: typer.Context, name: str = typer.Argument(..., help="A project.")) -> None:
    """Archive a project: its memories stay in its folder and stay searchable."""
    from assistant.projects import left_notice

    projects = state(ctx).open().projects
    in_use = projects.current_name()
    done = projects.archive(name)
    render.out.print(f"Archived {escape(done.name)}.", highlight=False)
    if in_use == done.name:
        render.out.print(escape(left_notice(done.name)), highlight=False)


def reopen(ctx: typer.Context, name: str = typer.Argument(..., help="A project.")) -> None:
    """Make an archived project active again."""
    projects = state(ctx).open().projects
    if not projects.get(name).archived:
        shown = projects.get(name).name
        render.out.print(f"{escape(shown)} is already active.", highlight=False)
        return
    done = projects.reopen(name)
    render.out.print(f"Reopened {escape(done.name)}.", highlight=False)


def _as_dict(project: Project, current: str, memories: int) -> dict[str, Any]:
    return {
        "name": project.name,
        "id": project.id,
        "status": project.status,
        "goal": project.goal,
        "people": list(project.people),
        "created": project.created.isoformat() if project.created else None,
        "path": project.path.as_posix() if project.path else None,
        "in_use": project.name == current,
        "memories": memories,
    }
