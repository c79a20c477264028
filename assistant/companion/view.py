"""What ``assistant persona``, ``/persona`` and the browser show of the companion: one
snapshot as plain data, and the same in words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.companion.companion import Companion
from assistant.companion.traits import TRAITS, style_instructions


def snapshot(companion: Companion, now: float | None = None, history: int = 20) -> dict[str, Any]:
    """Traits, style, mood with its history and baseline, quirks and needs, as JSON-ready
    data."""
    now = companion.clock() if now is None else now
    persona = companion.persona()
    mood = companion.mood(now)
    needs = companion.needs(now)
    baseline = companion.baseline()
    return {
        "enabled": companion.enabled,
        "name": persona.name,
        "preset": persona.preset,
        "traits": persona.traits.as_dict(),
        "style": style_instructions(persona.traits),
        "note": str(companion.path),
        "problem": companion.problem,
        "mood": {
            "label": mood.label,
            "pleasure": round(mood.pleasure, 3),
            "arousal": round(mood.arousal, 3),
            "dominance": round(mood.dominance, 3),
            "baseline": {
                "label": baseline.label,
                "pleasure": round(baseline.pleasure, 3),
                "arousal": round(baseline.arousal, 3),
                "dominance": round(baseline.dominance, 3),
            },
            "history": [
                {
                    "at": row.at,
                    "label": row.mood.label,
                    "heard": row.heard,
                    "pleasure": round(row.mood.pleasure, 3),
                    "arousal": round(row.mood.arousal, 3),
                    "dominance": round(row.mood.dominance, 3),
                }
                for row in companion.mood_history(history)
            ],
        },
        "quirks": [
            {
                "description": q.description,
                "strength": q.strength,
                "first_seen": q.first_seen,
                "last_seen": q.last_seen,
            }
            for q in companion.quirks(now)
        ],
        "needs": {"levels": needs.levels, "unmet": needs.unmet()},
    }


def describe(companion: Companion, now: float | None = None) -> str:
    """The snapshot in a few plain lines (for the terminal and ``/persona``)."""
    data = snapshot(companion, now, history=5)
    if not data["enabled"]:
        return "The persona is off ([persona] enabled = false in config.toml)."
    traits = ", ".join(f"{t} {data['traits'][t]:.2f}" for t in TRAITS)
    mood = data["mood"]
    lines = [
        f"{data['name']} ({data['preset'].replace('_', ' ')}): {traits}",
        f"Mood: {mood['label']} (pleasure {mood['pleasure']:+z.2f}, arousal "
        f"{mood['arousal']:+z.2f}, dominance {mood['dominance']:+z.2f}); resting mood "
        f"{mood['baseline']['label']}",
    ]
    if mood["history"]:
        steps = ", ".join(
            f"{datetime.fromtimestamp(r['at']):%a %H:%M} {r['label']}" for r in mood["history"]
        )
        lines.append(f"Lately: {steps}")
    levels = data["needs"]["levels"]
    needs = ", ".join(f"{n} {levels[n]:.0%}" for n in levels)
    unmet = data["needs"]["unmet"]
    lines.append(f"Needs: {needs}" + (f" (unmet: {', '.join(unmet)})" if unmet else ""))
    quirks = [f"{q['description']} ({q['strength']:.2f})" for q in data["quirks"]]
    lines.append("Quirks: " + ("; ".join(quirks) if quirks else "none yet"))
    lines.append("Style: " + " ".join(data["style"]))
    if data["problem"]:
        lines.append(f"Note problem: {data['problem']} (the last good persona is in use)")
    lines.append(f"Edit {data['note']} or run `assistant persona set` to change it.")
    return "\n".join(lines)
