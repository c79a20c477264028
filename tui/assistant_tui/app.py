"""The memory browser: search as you type, see why a memory was found, fix or forget it.

Every read and write goes through the core (``Assistant.memories``) in thread workers, so the
interface never waits on an index or a note; each change lands in the vault note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Static

from assistant import Assistant
from assistant.consolidation import Consolidator, IdleScheduler, consolidate_when_idle
from assistant.errors import AssistantError
from assistant.memories import Memories
from assistant.memory import Hit, Memory, Status
from assistant_tui.panels import DashboardScreen, ReviewScreen
from assistant_tui.screens import Confirm, EditText, Help
from assistant_tui.text import plain

LIMIT = 50
"""Rows shown for a search; an empty search lists the newest ``LIST_LIMIT`` memories."""
LIST_LIMIT = 500


_LIST_ACTIONS = {"focus_search", "forget", "restore", "important", "edit", "archived", "review",
                 "dashboard"}  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One listed memory, with its search hit when it came from a search."""

    memory: Memory
    hit: Hit | None = None


class MemoryBrowser(App[None]):
    """Browse, search and fix the memories of one home."""

    TITLE = "Memories"
    CSS = """
    #search { dock: top; margin: 0 1; }
    #body { height: 1fr; }
    #list { width: 3fr; }
    #detail-box { width: 2fr; border-left: tall $primary; padding: 0 1; }
    """
    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("f", "forget", "Forget"),
        Binding("r", "restore", "Restore"),
        Binding("i", "important", "Important"),
        Binding("e", "edit", "Edit"),
        Binding("a", "archived", "Archived"),
        Binding("v", "review", "Review"),
        Binding("d", "dashboard", "Dashboard"),
        Binding("t", "theme", "Light/dark"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, assistant: Assistant, *, watch: bool = False) -> None:
        """``watch``: catch up with vault edits made while nothing ran, then keep watching
        the vault (in the background, after the first paint)."""
        super().__init__()
        self.assistant = assistant
        self._watch = watch
        self._rows: dict[str, Row] = {}
        self._query = ""
        self.show_archived = False
        self.scheduler: IdleScheduler | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search memories…  (/ to search, ? for help)", id="search")
        with Horizontal(id="body"):
            yield DataTable(id="list", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail-box"):
                yield Static("Select a memory to see it here.", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#list", DataTable)
        table.add_columns("type", "imp", "memory", "created")
        self.load("")
        if self._watch:
            self.catch_up()

    @work(thread=True, group="vault")
    def catch_up(self) -> None:
        """Index vault edits made while nothing ran, then watch the vault until exit."""
        try:
            report = self.assistant.sync_vault()
        except AssistantError as exc:
            self.call_from_thread(self.notify, str(exc), title=exc.title, severity="error")
            return
        self.assistant.watch_vault(
            lambda problem: self.call_from_thread(self.notify, problem, severity="warning")
        )
        self.scheduler = consolidate_when_idle(
            lambda: Consolidator(self.assistant), self.assistant.settings.consolidation.idle_minutes
        )
        if report.pending:
            self.call_from_thread(self.notify, f"Picked up {report.pending} vault changes.")
            self.call_from_thread(self.load, self._query)

    # -- search -------------------------------------------------------------------------------

    def on_key(self) -> None:
        if self.scheduler is not None:
            self.scheduler.activity()  # background consolidation yields to the user

    def on_unmount(self) -> None:
        if self.scheduler is not None:
            self.scheduler.close()

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self._query = event.value
        self.load(event.value)

    @work(thread=True, exclusive=True, group="search")
    def load(self, query: str) -> None:
        """List or search in a thread; a newer call cancels an older one's display."""
        memories = self.assistant.memories
        statuses = [Status.ACTIVE, Status.SUPERSEDED] + (
            [Status.ARCHIVED] if self.show_archived else []
        )
        try:
            if query.strip():
                hits = memories.search(
                    query,
                    LIMIT,
                    include_superseded=True,
                    include_archived=self.show_archived,
                    touch=False,
                )
                rows = [Row(h.memory, h) for h in hits]
            else:
                rows = [Row(m) for m in memories.list(statuses=statuses, limit=LIST_LIMIT)]
        except AssistantError as exc:
            self.call_from_thread(self.notify, str(exc), title=exc.title, severity="error")
            return
        self.call_from_thread(self._show, query, rows)

    def _show(self, query: str, rows: list[Row]) -> None:
        if query != self._query:
            return  # a newer search is on its way
        table = self.query_one("#list", DataTable)
        table.clear()
        self._rows = {row.memory.id: row for row in rows}
        for row in rows:
            m = row.memory
            mark = {Status.SUPERSEDED: " (replaced)", Status.ARCHIVED: " (forgotten)"}
            text = plain(m.text, 80) + mark.get(m.status, "")
            table.add_row(
                m.type.value,
                f"{'★' if m.important else ''}{m.importance:.0f}",
                Text(text, style="dim" if m.status is not Status.ACTIVE else ""),
                m.created.astimezone().strftime("%Y-%m-%d"),
                key=m.id,
            )
        if query.strip():
            self.sub_title = f"{len(rows)} found"
        else:
            newest = " newest — type to search them all" if len(rows) == LIST_LIMIT else ""
            self.sub_title = f"{len(rows)}{newest or ' memories'}"
        if not rows:
            self.query_one("#detail", Static).update(
                "Nothing found." if query.strip() else "No memories yet."
            )

    # -- detail -------------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#list")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self._rows.get(str(event.row_key.value))
        if row is not None:
            self.query_one("#detail", Static).update(self._detail(row))

    def _detail(self, row: Row) -> Text:
        m = row.memory
        out = Text()
        out.append(plain(m.text[:5000]) + ("…" if len(m.text) > 5000 else "") + "\n\n")
        props = [
            ("id", m.id),
            ("type", m.type.value),
            ("status", m.status.value),
            ("importance", f"{m.importance:g}" + (" (marked important)" if m.important else "")),
            ("tags", ", ".join(f"#{t}" for t in m.tags) or "—"),
            ("people", ", ".join(str(p).strip("[]") for p in m.metadata.get("people", [])) or "—"),
            ("created", m.created.astimezone().strftime("%Y-%m-%d %H:%M")),
            ("source", m.source),
            ("note", m.path.as_posix() if m.path else "—"),
        ]
        for key, value in props:
            out.append(f"{key:<11}", style="bold")
            out.append(plain(str(value)) + "\n")
        if row.hit is not None:
            out.append("\nwhy it was found\n", style="bold")
            out.append(row.hit.breakdown.explain() + "\n")
            if row.hit.via:
                out.append(f"linked from {row.hit.via[-6:]}\n")
        if m.supersedes or m.metadata.get("superseded_by"):
            out.append("\nhistory\n", style="bold")
            for old in m.supersedes:
                out.append(f"replaces {old[-6:]}\n")
            if m.metadata.get("superseded_by"):
                out.append(f"replaced by {plain(str(m.metadata['superseded_by']))}\n")
        conversation = m.metadata.get("conversation")
        if conversation:
            out.append("\nlearned from\n", style="bold")
            out.append(
                f"conversation {str(conversation)[-8:]}, turn {m.metadata.get('turn', '?')}\n"
            )
        return out

    def _current(self) -> Row | None:
        table = self.query_one("#list", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self._rows.get(str(key.value))

    # -- actions ------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The list's keys only work (and show) on the list's screen."""
        return action not in _LIST_ACTIONS or len(self.screen_stack) == 1

    def action_review(self) -> None:
        self.push_screen(ReviewScreen(self.assistant))

    def action_dashboard(self) -> None:
        self.push_screen(DashboardScreen(self.assistant))

    def action_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_help(self) -> None:
        self.push_screen(Help(self.BINDINGS))

    def action_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.notify("Showing forgotten memories too." if self.show_archived else
                    "Hiding forgotten memories.")  # fmt: skip
        self.load(self._query)

    def action_forget(self) -> None:
        row = self._current()
        if row is None:
            return
        text = plain(row.memory.text, 60)

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(lambda m: m.forget(row.memory.id), f"Forgot: {text} (r restores it)")

        self.push_screen(Confirm(f"Forget “{text}”?\nIts note moves to the archive."), answered)

    def action_restore(self) -> None:
        row = self._current()
        if row is not None and row.memory.status is Status.ARCHIVED:
            memory_id = row.memory.id
            self.change(lambda m: m.restore(memory_id), f"Restored: {plain(row.memory.text, 60)}")

    def action_important(self) -> None:
        row = self._current()
        if row is not None:
            memory_id, flag = row.memory.id, not row.memory.important
            self.change(lambda m: m.update(memory_id, important=flag),
                        "Marked important." if flag else "No longer marked important.")  # fmt: skip

    def action_edit(self) -> None:
        row = self._current()
        if row is None:
            return

        def edited(text: str | None) -> None:
            if text is not None and text.strip() and text != row.memory.text:
                memory_id = row.memory.id
                self.change(lambda m: m.update(memory_id, text=text), "Saved to the note.")

        self.push_screen(EditText(row.memory.text), edited)

    @work(thread=True, group="change")
    def change(self, apply: Callable[[Memories], object], done: str) -> None:
        """Apply one change through the core, then refresh the pages and the list."""
        try:
            apply(self.assistant.memories)
            self.assistant.refresh_pages()
        except AssistantError as exc:
            self.call_from_thread(self.notify, str(exc), title=exc.title, severity="error")
            return
        self.call_from_thread(self.notify, done)
        self.call_from_thread(self.load, self._query)
