"""Full screens of the memory browser: the review queue and the dashboard."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from assistant import Actions, Assistant, Resolution, ReviewItem
from assistant.consolidation import summary_line
from assistant.errors import AssistantError
from assistant.memory_types import Memory
from assistant.observability.client import Figures
from assistant.overview import Overview, overview
from assistant_tui.text import plain

BAR = "█"


class ReviewScreen(Screen[None]):
    """Possible contradictions, one at a time: keep new, keep old, both true, merge."""

    BINDINGS = [
        Binding("n", "settle('keep-new')", "New is right"),
        Binding("o", "settle('keep-old')", "Old is right"),
        Binding("b", "settle('both')", "Both true"),
        Binding("m", "settle('merge')", "Merge"),
        Binding("s", "skip", "Skip"),
        Binding("escape,q", "app.pop_screen", "Back"),
    ]
    CSS = "#review { padding: 1 2; }"

    def __init__(self, assistant: Assistant) -> None:
        super().__init__()
        self.assistant = assistant
        self.items: list[tuple[ReviewItem, Memory, Memory]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("Loading the review queue…", id="review")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Review"
        self.load()

    @work(thread=True, exclusive=True, group="review")
    def load(self) -> None:
        """Read the open items and their two memories."""
        found = []
        try:
            for item in self.assistant.reviews.open():
                try:
                    pair = self.assistant.memories.get_many([item.new_id, item.old_id])
                except AssistantError:
                    continue
                if len(pair) == 2:
                    found.append((item, pair[0], pair[1]))
        except AssistantError as exc:
            self.app.call_from_thread(self.app.notify, str(exc), severity="error")
        self.app.call_from_thread(self._show, found)

    def _show(self, items: list[tuple[ReviewItem, Memory, Memory]]) -> None:
        self.items = items
        panel = self.query_one("#review", Static)
        if not items:
            panel.update(
                "Nothing to review.\n\nPossible contradictions that consolidation cannot "
                "settle by itself wait here: keep the new one, keep the old one, keep both, "
                "or merge them."
            )
            return
        item, new, old = items[0]
        out = Text()
        out.append(f"{len(items)} waiting · {plain(item.reason)}\n\n", style="bold")
        for label, memory in (("older", old), ("newer", new)):
            out.append(f"{label}  ", style="bold")
            out.append(f"{memory.created.astimezone():%Y-%m-%d}  ", style="dim")
            out.append(plain(memory.text[:2000]) + "\n\n")
        out.append("n new is right · o old is right · b both true · m merge · s skip", "dim")
        panel.update(out)

    def action_skip(self) -> None:
        if self.items:
            self._show(self.items[1:] + self.items[:1])

    def action_settle(self, answer: str) -> None:
        if self.items:
            self.apply(self.items[0][0], Resolution(answer))

    @work(thread=True, group="review-change")
    def apply(self, item: ReviewItem, resolution: Resolution) -> None:
        """Settle one item through the core; the notes change and the pages follow."""
        try:
            done = Actions(self.assistant).settle_review(item, resolution)
        except AssistantError as exc:
            self.app.call_from_thread(self.app.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.app.notify, done)
        self.load()


class DashboardScreen(Screen[None]):
    """Counts, spend, consolidation runs, the vault and what doctor found."""

    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back"), Binding("g", "refresh", "Reload")]
    CSS = "#dashboard { padding: 1 2; }"

    def __init__(self, assistant: Assistant) -> None:
        super().__init__()
        self.assistant = assistant

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("Gathering…", id="dashboard")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Dashboard"
        self.action_refresh()

    def action_refresh(self) -> None:
        self.gather()

    @work(thread=True, exclusive=True, group="dashboard")
    def gather(self) -> None:
        """Read everything in a thread (it scans the vault)."""
        try:
            found = overview(self.assistant)
        except AssistantError as exc:
            self.app.call_from_thread(self.app.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.query_one("#dashboard", Static).update, render(found))


def render(view: Overview) -> Text:
    """The dashboard as text with small bar charts."""
    out = Text()
    _mood(out, view.persona)
    out.append("Memories by type\n", style="bold")
    _bars(out, list(view.by_type.items()))
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(view.by_status.items())) or "none yet"
    out.append(f"  ({statuses})\n\n", style="dim")
    if view.by_project:
        out.append("Memories by project\n", style="bold")
        _bars(out, [(name or "(global)", n) for name, n in view.by_project.items()])
        out.append("\n")
    out.append("Learned per month\n", style="bold")
    _bars(out, view.by_month)
    out.append("\nSpend, last 14 days", style="bold")
    out.append(f"  ${view.costs.total:.4f}", style="bold")
    if view.costs.strong_total:
        out.append(f" (routing saved {view.costs.saving:.0%})", style="dim")
    out.append("\n")
    if view.costs.by_day:
        _bars(out, [(r.key[5:], r.dollars) for r in view.costs.by_day], money=True)
        out.append(
            "  by route: "
            + ", ".join(f"{r.key} ${r.dollars:.4f}" for r in view.costs.by_route)
            + "\n"
        )
    else:
        out.append("  nothing spent\n", style="dim")
    out.append("\nConsolidation\n", style="bold")
    if not view.runs:
        out.append(
            "  no runs yet (it runs after 10 idle minutes, or: assistant consolidate)\n",
            style="dim",
        )
    for run in view.runs:
        when = datetime.fromtimestamp(run.started).strftime("%Y-%m-%d %H:%M")
        what = summary_line(run.counts) or ("plan only" if run.dry_run else "nothing to change")
        out.append(f"  {when}  {run.status:<10} {what}\n")
    out.append(f"  {view.to_review} waiting for review (v)\n")
    out.append("\nVault\n", style="bold")
    pending = (
        "could not be scanned"
        if view.vault_pending < 0
        else f"{view.vault_pending} changes not yet indexed"
    )
    out.append(f"  {pending}; {plain(view.git)}\n")
    _serve(out, view.serve)
    out.append("\nDoctor\n", style="bold")
    if not view.problems:
        out.append("  all checks pass\n", style="green")
    for check in view.problems:
        out.append(f"  ! {plain(check.name)}: ", style="yellow")
        out.append(plain(check.fix or check.detail, 200) + "\n")
    return out


def _mood(out: Text, persona: dict[str, Any] | None) -> None:
    """The companion's mood, its recent steps and its needs; nothing when the persona is off."""
    if persona is None:
        return
    mood = persona["mood"]
    out.append(f"Mood of {plain(persona['name'])}", style="bold")
    out.append(f"  {mood['label']}", style=_MOOD_STYLE.get(mood["label"], ""))
    out.append(
        f" (pleasure {mood['pleasure']:+.2f}, arousal {mood['arousal']:+.2f}, dominance "
        f"{mood['dominance']:+.2f}; resting mood {mood['baseline']['label']})\n"
    )
    steps = [row["label"] for row in reversed(mood["history"])]
    if steps:
        out.append(f"  lately: {' → '.join(steps)}\n", style="dim")
    levels = persona["needs"]["levels"]
    needs = ", ".join(f"{name} {level:.0%}" for name, level in levels.items())
    out.append(f"  needs: {needs}\n\n", style="dim")


_MOOD_STYLE = {
    "happy": "green",
    "excited": "green",
    "grateful": "green",
    "calm": "cyan",
    "sad": "blue",
    "tired": "blue",
    "anxious": "yellow",
    "angry": "red",
}


def _serve(out: Text, figures: Figures | None) -> None:
    """What the running serve counted since it started (its /metrics and /health); nothing
    when none runs."""
    if figures is None:
        return
    out.append("\nRunning service\n", style="bold")
    style = {"healthy": "green", "degraded": "yellow"}.get(figures.status, "red")
    hours = figures.uptime / 3600
    out.append(f"  {figures.status}", style=style)
    out.append(f" · up {hours:.1f} h · http://{plain(figures.address)}/metrics\n")
    messages = ", ".join(f"{plain(c)} {n:.0f}" for c, n in sorted(figures.messages.items()))
    out.append(f"  messages: {messages or 'none yet'}")
    if figures.reply_p50:
        out.append(f" (median reply under {figures.reply_p50:g} s)")
    calls = ", ".join(f"{plain(m)} {n:.0f}" for m, n in sorted(figures.model_calls.items()))
    out.append(f"\n  model calls: {calls or 'none yet'}")
    errors = sum(figures.model_errors.values())
    if errors:
        out.append(f" ({errors:.0f} failed)", style="yellow")
    out.append(f"\n  spent since start: ${figures.spent:.4f}")
    left = ", ".join(f"${v:.2f} this {p}" for p, v in sorted(figures.budget_left.items()))
    out.append(f"; budget left: {left}" if left else "")
    out.append(
        f"\n  learning queue: {figures.learning_depth:.0f}"
        f" (oldest waiting {figures.learning_lag:.1f} s)"
    )
    waiting = ", ".join(f"{plain(k)} {v:.0f}" for k, v in sorted(figures.bridge_queues.items()))
    out.append(f"\n  bridge queues: {waiting or 'empty'}")
    out.append(
        f"\n  delivery failures: {figures.delivery_failures:.0f}"
        f" · watcher restarts: {figures.watcher_restarts:.0f}\n"
    )


def _bars(
    out: Text, rows: list[tuple[str, int]] | list[tuple[str, float]], *, money: bool = False
) -> None:
    if not rows:
        out.append("  none yet\n", style="dim")
        return
    top = max(value for _, value in rows) or 1
    for key, value in rows:
        width = max(1, round(30 * value / top)) if value else 0
        label = f"${value:.4f}" if money else f"{value}"
        out.append(f"  {key:<12} ")
        out.append(BAR * width, style="cyan")
        out.append(f" {label}\n")
