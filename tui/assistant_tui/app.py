"""The memory browser: search as you type, filter and sort, see why a memory was found, fix
or forget it (and undo), follow its links, review contradictions, chat.

Every read and write goes through the core (``Assistant.memories``) in thread workers, so the
interface never waits on an index or a note; each change lands in the vault note. A memory's
text is shown as written: never read as markup, its control characters as visible symbols.
"""

from __future__ import annotations

import logging
import os
import shlex
import subprocess
import time
from collections.abc import Callable
from urllib.parse import quote

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.notifications import SeverityLevel
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.widgets.data_table import ColumnKey

from assistant import Actions, Assistant, Origin
from assistant.conversation.reply import Notice
from assistant.errors import AssistantError
from assistant.memory_types import ListOrder, Memory, Status
from assistant.runtime import Runtime
from assistant.vault.sync import SyncReport
from assistant_tui import detail
from assistant_tui.chat import ChatScreen, OpenResponder, confirm_on
from assistant_tui.detail import Extras, Row
from assistant_tui.forms import FilterForm, Properties, PropertiesForm
from assistant_tui.panels import DashboardScreen, ReviewScreen
from assistant_tui.query import Query, Sort, describe, parse, with_projects, with_word
from assistant_tui.screens import Confirm, EditText, Help, LinkPicker
from assistant_tui.text import plain

log = logging.getLogger(__name__)

LIMIT = 50
"""Rows shown for a search; an empty search lists the first ``LIST_LIMIT`` memories."""
LIST_LIMIT = 500
UNDO_DEPTH = 50
WIDE = 140
"""From this many columns the detail pane stands beside the list; below, under it."""
_FIXED_COLUMNS = 10 + 3 + 10
"""The widths of the type, importance and created columns."""
_COLUMN_CHROME = 4 * 2 + 2 + 1
"""Each column's cell padding, the scrollbar and one spare cell."""

_LIST_ACTIONS = {
    "focus_search",
    "forget",
    "restore",
    "important",
    "edit",
    "editor",
    "properties",
    "undo",
    "links",
    "open_note",
    "sort",
    "filters",
    "archived",
    "review",
    "dashboard",
    "chat",
}
_SORTS = [Sort.RELEVANCE, Sort.RECENT, Sort.IMPORTANCE, Sort.USED]
_MARK = {Status.SUPERSEDED: " (replaced)", Status.ARCHIVED: " (forgotten)"}
Change = Callable[[Actions], object]
"""One change made through the action layer (and how to undo one)."""


class MemoryBrowser(App[None]):
    """Browse, search and fix the memories of one home."""

    TITLE = "Memories"
    CSS = """
    #search { margin: 0 1; }
    #status { height: 1; margin: 0 2; color: $text-muted; }
    #body { height: 1fr; width: 100%; }
    #list { width: 2fr; }
    #detail-box { width: 1fr; border-left: tall $primary; padding: 0 1; }
    .-narrow #body { layout: vertical; }
    .-narrow #list { width: 1fr; height: 1fr; }
    .-narrow #detail-box { width: 1fr; height: 1fr; border-left: none;
                           border-top: tall $primary; }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("ctrl+f", "filters", "Filter"),
        Binding("s", "sort", "Sort"),
        Binding("e", "edit", "Edit"),
        Binding("p", "properties", "Type/tags"),
        Binding("i", "important", "Important"),
        Binding("f", "forget", "Forget"),
        Binding("r", "restore", "Restore"),
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("l", "links", "Links"),
        Binding("E", "editor", "Edit in $EDITOR", show=False),
        Binding("o", "open_note", "Open the note (Obsidian)", show=False),
        Binding("a", "archived", "Show forgotten", show=False),
        Binding("c", "chat", "Chat"),
        Binding("v", "review", "Review"),
        Binding("d", "dashboard", "Dashboard"),
        Binding("t", "theme", "Light/dark", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        assistant: Assistant,
        *,
        watch: bool = False,
        open_responder: OpenResponder | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``watch``: catch up with vault edits made while nothing ran, then keep watching
        the vault (in the background, after the first paint). ``open_responder`` enables the
        chat screen; ``clock`` is what "3 days ago" counts from and what search scores fade
        to."""
        super().__init__()
        self.assistant = assistant
        self.actions = Actions(assistant, origin=Origin("user", "tui"))
        """Every change the browser makes goes through the action layer."""
        self._watch = watch
        self._open_responder = open_responder
        self._clock = clock
        self._rows: dict[str, Row] = {}
        self._query = ""
        self._extras: dict[str, Extras] = {}
        self._undo: list[tuple[str, Change]] = []
        self.runtime: Runtime | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="Search memories…  (type:… #tag is:… after:… imp:… sort:…, ? help)",
            id="search",
        )
        yield Static("", id="status")
        with Horizontal(id="body"):
            yield DataTable(id="list", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail-box"):
                yield Static("Select a memory to see it here.", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#list", DataTable)
        table.add_column("type", width=10)
        table.add_column("imp", width=3)
        table.add_column("memory", width=self._text_width(), key="memory")
        table.add_column("created", width=10)
        self.load("")
        if self._watch:
            self.catch_up()

    @work(thread=True, group="vault")
    def catch_up(self) -> None:
        """Start the runtime, as ``assistant chat`` does: catch up with vault edits made while
        nothing ran, watch the vault, keep its history, consolidate when idle (with the
        configured model, billed), show reminders as they fall due. Without a way to open the
        responder, only the vault is caught up and watched."""

        def warn(problem: str) -> None:
            self.call_from_thread(self.notify, problem, severity="warning")

        report: SyncReport | None = None
        try:
            if self._open_responder is None:
                report = self.assistant.sync_vault()
                self.assistant.watch_vault(warn)
            else:
                self.runtime = Runtime(
                    self._open_responder(lambda question: confirm_on(self, question)),
                    on_problem=warn,
                )
                for notice in self.runtime.start():
                    self.call_from_thread(self.notify, notice.text)
                self.runtime.attach("tui", self._remind)
                report = self.runtime.caught_up
        except Exception as exc:  # noqa: BLE001 - shown, never a crash
            self.call_from_thread(self.failed, exc, "Catching up with the vault")
            return
        if report is not None and report.pending:
            self.call_from_thread(self.load, self._query)

    def _remind(self, notice: Notice) -> None:
        """A reminder fell due, or the assistant wrote first (a check-in): shown until
        dismissed (from the runtime's thread)."""
        if notice.level == "checkin":
            self.call_from_thread(self.notify, notice.text, title="Check-in", timeout=3600)
            return
        self.call_from_thread(
            self.notify, notice.text, title="Reminder", severity="warning", timeout=3600
        )

    def _text_width(self) -> int:
        """The memory column's width: what the list leaves after the other columns (fixed
        widths: a rebuild never measures every cell). The list has the whole width on a
        narrow terminal, two thirds of it beside the detail pane on a wide one."""
        width = self.size.width
        listed = width if width < WIDE else width * 2 // 3
        return max(10, listed - _FIXED_COLUMNS - _COLUMN_CHROME)

    def on_resize(self) -> None:
        table = self.query_one("#list", DataTable)
        column = table.columns.get(ColumnKey("memory"))
        if column is not None and column.width != self._text_width():
            column.width = self._text_width()
            self.load(self._query)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, shown as written: it carries memory text, note paths and error
        messages, so it is not read as markup and its control characters show as symbols."""
        super().notify(
            plain(message), title=plain(title), severity=severity, timeout=timeout, markup=markup
        )

    def failed(self, exc: Exception, doing: str) -> None:
        """Tell the user what went wrong (as a notification), whatever it was."""
        if isinstance(exc, AssistantError):
            self.notify(str(exc), title=exc.title, severity="error")
        else:
            log.error("%s failed", doing, exc_info=exc)
            self.notify(
                f"{doing} failed: {type(exc).__name__}: {plain(str(exc), 200)}",
                title="Something went wrong",
                severity="error",
            )

    # -- search -------------------------------------------------------------------------------

    def on_key(self) -> None:
        if self.runtime is not None:
            self.runtime.activity()  # background consolidation yields to the user

    def on_unmount(self) -> None:
        if self.runtime is not None:
            self.runtime.stop()

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self._query = event.value
        self.load(event.value)

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        self.query_one("#list", DataTable).focus()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="search")
    def load(self, raw: str) -> None:
        """List or search in a thread; a newer call cancels an older one's display."""
        query = parse(raw)
        memories = self.assistant.memories
        try:
            query = with_projects(query, lambda name: self.assistant.projects.get(name).name)
            if query.memory_id:
                rows = [Row(self.actions.get(query.memory_id))]
            elif query.text:
                hits = self.actions.search(
                    query.text, LIMIT, where=query.where, touch=False, now=self._clock()
                )
                rows = _sorted([Row(h.memory, h) for h in hits], query.order)
            else:
                order = ListOrder(query.order.value)  # a listing's order is never relevance
                listed = memories.list(where=query.where, order=order, limit=LIST_LIMIT)
                rows = [Row(m) for m in listed]
        except Exception as exc:  # noqa: BLE001 - a failing search is shown, never a crash
            self.call_from_thread(self._show_problem, raw, exc)
            return
        self.call_from_thread(self._show, raw, query, rows)

    def _show(self, raw: str, query: Query, rows: list[Row]) -> None:
        if raw != self._query:
            return  # a newer search is on its way
        with self.batch_update():  # one frame for the list, the status line and the detail
            self._fill(query, rows)

    def _fill(self, query: Query, rows: list[Row]) -> None:
        table = self.query_one("#list", DataTable)
        table.clear()
        self._rows = {row.memory.id: row for row in rows}
        width = self._text_width()
        for m in (row.memory for row in rows):
            table.add_row(
                m.type.value,
                f"{'★' if m.important else ''}{m.importance:.0f}",
                Text(
                    plain(m.text, width) + _MARK.get(m.status, ""),
                    style="dim" if m.status is not Status.ACTIVE else "",
                ),
                m.created.astimezone().strftime("%Y-%m-%d"),
                key=m.id,
            )
        if query.text or query.memory_id:
            found = f"{len(rows)} found"
        elif len(rows) == LIST_LIMIT:
            found = f"first {len(rows)} — type to search them all"
        else:
            found = f"{len(rows)} memor{'y' if len(rows) == 1 else 'ies'}"
        self.sub_title = found
        status = Text(f"{found} · {plain(describe(query))}")
        for problem in query.problems:
            status.append(f"  ⚠ {plain(problem)}", style="bold red")
        self.query_one("#status", Static).update(status)
        if not rows:
            self.query_one("#detail", Static).update(
                "Nothing found." if query.text or query.filters else "No memories yet."
            )

    def _show_problem(self, raw: str, exc: Exception) -> None:
        if raw == self._query:
            self.query_one("#status", Static).update(
                Text(f"⚠ search failed: {plain(str(exc), 150)}", style="bold red")
            )
        self.failed(exc, "Search")

    # -- detail -------------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#list")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self._rows.get(str(event.row_key.value))
        if row is not None:
            extras = self._extras.get(row.memory.id)
            self.query_one("#detail", Static).update(detail.render(row, extras, self._clock()))
            if extras is None:
                self.gather(row)

    @work(thread=True, exclusive=True, group="detail")
    def gather(self, row: Row) -> None:
        """Read usage, links and provenance for the highlighted memory."""
        time.sleep(0.05)  # moving through the list quickly reads only where it stops
        try:
            extras = detail.gather(self.assistant, row)
        except Exception as exc:  # noqa: BLE001 - the pane keeps what it has
            log.warning("could not read the details of %s: %s", row.memory.id, exc)
            return
        self.call_from_thread(self._show_extras, row, extras)

    def _show_extras(self, row: Row, extras: Extras) -> None:
        self._extras[row.memory.id] = extras
        current = self._current()
        if current is not None and current.memory.id == row.memory.id:
            self.query_one("#detail", Static).update(detail.render(row, extras, self._clock()))

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

    def _set_search(self, raw: str, *, to_list: bool = False) -> None:
        search = self.query_one("#search", Input)
        search.value = raw
        search.cursor_position = len(raw)
        if to_list:
            self.query_one("#list", DataTable).focus()

    def action_filters(self) -> None:
        def chosen(raw: str | None) -> None:
            if raw is not None:
                self._set_search(raw, to_list=True)

        self.push_screen(FilterForm(self._query), chosen)

    def action_sort(self) -> None:
        current = parse(self._query).order
        following = _SORTS[(_SORTS.index(current) + 1) % len(_SORTS)]
        if following is Sort.RELEVANCE and not parse(self._query).text:
            following = Sort.RECENT if current is not Sort.RECENT else Sort.IMPORTANCE
        self._set_search(with_word(self._query, "sort", following.value))

    def action_archived(self) -> None:
        words = self._query.split()
        shown = any(w.lower() in ("is:forgotten", "is:archived") for w in words)
        status_words = [w for w in words if w.lower().startswith("is:") and w[3:] != "important"]
        kept = [w for w in words if w not in status_words]
        raw = " ".join(kept + ([] if shown else ["is:forgotten"]))
        self._set_search(raw + " " if raw else "")
        self.notify(
            "Hiding forgotten memories."
            if shown
            else "Showing forgotten memories (r restores one)."
        )

    def action_links(self) -> None:
        row = self._current()
        if row is None:
            return
        extras = self._extras.get(row.memory.id)
        if extras is None:
            self.notify("Still reading its links; try again in a moment.")
            return
        if not extras.links:
            self.notify("This memory has no links.")
            return

        def picked(memory_id: str | None) -> None:
            if memory_id:
                self._set_search(f"id:{memory_id}", to_list=True)

        self.push_screen(LinkPicker(extras.links), picked)

    def action_open_note(self) -> None:
        row = self._current()
        if row is None or row.memory.path is None:
            return
        path = (self.assistant.settings.vault / row.memory.path).resolve()
        self.assistant.memories.used([row.memory.id])
        self.copy_to_clipboard(str(path))
        if not self.is_headless:
            self.open_url("obsidian://open?path=" + quote(str(path)))
        self.notify(f"{path}\n(path copied; opening it in Obsidian)", title="Note")

    def action_review(self) -> None:
        self.push_screen(ReviewScreen(self.assistant))

    def action_dashboard(self) -> None:
        self.push_screen(DashboardScreen(self.assistant))

    def action_chat(self) -> None:
        if self._open_responder is None:
            self.notify("Chat needs a model set up: run `assistant tui` from the command line.")
            return
        self.push_screen(ChatScreen(self._open_responder))

    def action_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_help(self) -> None:
        self.push_screen(Help(self.BINDINGS))

    def action_forget(self) -> None:
        row = self._current()
        if row is None or row.memory.status is Status.ARCHIVED:
            return
        memory_id, text = row.memory.id, plain(row.memory.text, 60)

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(
                    lambda a: a.forget(memory_id),
                    f"Forgot: {text} (u undoes it)",
                    undo=lambda a: a.restore(memory_id),
                )

        self.push_screen(Confirm(f"Forget “{text}”?\nIts note moves to the archive."), answered)

    def action_restore(self) -> None:
        row = self._current()
        if row is not None and row.memory.status is Status.ARCHIVED:
            memory_id = row.memory.id
            self.change(
                lambda a: a.restore(memory_id),
                f"Restored: {plain(row.memory.text, 60)}",
                undo=lambda a: a.forget(memory_id),
            )

    def action_important(self) -> None:
        row = self._current()
        if row is not None:
            memory_id, flag = row.memory.id, not row.memory.important
            self.change(
                lambda a: a.mark_important(memory_id, flag),
                "Marked important." if flag else "No longer marked important.",
                undo=lambda a: a.mark_important(memory_id, not flag),
            )

    def action_edit(self) -> None:
        row = self._current()
        if row is None:
            return
        before = row.memory

        def edited(text: str | None) -> None:
            if text is not None and text.strip() and text != before.text:
                self.change(
                    lambda a: a.update(before.id, text=text),
                    "Saved to the note.",
                    undo=_restore_fields(before),
                )

        self.push_screen(EditText(before.text), edited)

    def action_properties(self) -> None:
        row = self._current()
        if row is None:
            return
        before = row.memory

        def chosen(props: Properties | None) -> None:
            if props is None:
                return
            self.change(
                lambda a: a.update(
                    before.id, type=props.type, importance=props.importance, tags=props.tags
                ),
                f"Saved: {props.type.value}, importance {props.importance:g}, "
                f"tags {', '.join(props.tags) or 'none'}.",
                undo=_restore_fields(before),
            )

        self.push_screen(PropertiesForm(before), chosen)

    def action_editor(self) -> None:
        """Edit the note itself in ``$VISUAL`` / ``$EDITOR``; the change is read back."""
        row = self._current()
        if row is None or row.memory.path is None:
            return
        before = row.memory
        path = self.assistant.settings.vault / before.path  # type: ignore[operator]
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            with self.suspend():
                subprocess.run([*shlex.split(editor), str(path)], check=False)
        except (SuspendNotSupported, OSError) as exc:
            self.notify(f"Could not open {editor}: {exc}", severity="error")
            return
        self.change(
            lambda a: a.reload(before.id), "Read back from the note.", undo=_restore_fields(before)
        )

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo.")
            return
        what, apply = self._undo.pop()
        self.change(apply, f"Undone: {what}", record=False)

    @work(thread=True, group="change")
    def change(
        self, apply: Change, done: str, *, undo: Change | None = None, record: bool = True
    ) -> None:
        """Apply one change through the core (the pages follow it), then refresh the list;
        remember how to undo it."""
        try:
            apply(self.actions)
        except Exception as exc:  # noqa: BLE001 - shown, never a crash
            self.call_from_thread(self.failed, exc, "The change")
            return
        if undo is not None and record:
            self._undo = [*self._undo[-(UNDO_DEPTH - 1) :], (done.split(" (")[0], undo)]
        self._extras.clear()
        self.call_from_thread(self.notify, done)
        self.call_from_thread(self.load, self._query)


def _restore_fields(before: Memory) -> Change:
    """How to undo an edit: put back the text, type, importance and tags it had."""
    return lambda a: a.update(
        before.id,
        text=before.text,
        type=before.type,
        importance=before.importance,
        tags=before.tags,
        important=before.important,
    )


def _sorted(rows: list[Row], order: Sort) -> list[Row]:
    """Search results in another order than relevance (which they come in)."""
    if order is Sort.RECENT:
        return sorted(rows, key=lambda r: r.memory.created, reverse=True)
    if order is Sort.IMPORTANCE:
        return sorted(rows, key=lambda r: r.memory.importance, reverse=True)
    if order is Sort.USED:
        return sorted(rows, key=lambda r: r.hit.access_count if r.hit else 0, reverse=True)
    return rows
