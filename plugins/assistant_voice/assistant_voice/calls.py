"""Learning from a finished call: ElevenLabs' ``post_call_transcription`` event.

The caller's turns (never the agent's) are kept as evidence and learned from by the same
learner as chat, in a conversation of their own (``voice-<conversation id>``, each fact
recording it and the time of the turn); the action items of the agent's analysis become
reminders, due when they say (read at the time of the call); the call's summary is kept as an
episodic memory with ``source: voice``, the call's id and time. A transcript is data: what
reads as instructions is dropped, as in chat.

Each step can run again without doing its work twice, so an event processed again after a
crash leaves what the first run did as it was.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from assistant import Actions, AssistantError, MemoryType, Origin
from assistant.errors import NotFoundError
from assistant.evidence import turn_id
from assistant.learning.learner import Learner
from assistant.when import parse_when

log = logging.getLogger(__name__)

KIND = "post_call_transcription"
CHANNEL = "voice"
SUMMARY = "call summary"
_ITEM_SPLIT = re.compile(r"\s*(?:\n|;|•|(?<!\d)\.\s+(?=[A-Z]))\s*")
_BULLET = re.compile(r"^\s*(?:[-*]|\d+[.)])\s+")


class BadEvent(Exception):
    """A post-call body that is not a transcription event ElevenLabs would send."""


@dataclass(frozen=True)
class Said:
    """One turn of the caller's, with the agent's answer to it."""

    text: str
    at: float
    answer: str = ""


@dataclass(frozen=True)
class Call:
    """What a transcription event says about one call."""

    conversation_id: str
    agent_id: str
    caller: str
    started: float
    said: tuple[Said, ...]
    summary: str
    action_items: tuple[str, ...]

    @property
    def session(self) -> str:
        """The conversation the call's turns are kept in."""
        return f"{CHANNEL}-{self.conversation_id}"

    @property
    def when(self) -> str:
        """When the call started, ISO 8601 (UTC)."""
        return datetime.fromtimestamp(self.started, UTC).isoformat(timespec="seconds")


def event_key(event: Mapping[str, Any]) -> str:
    """The id replays of an event share: ``webhook_event_id`` when sent, and the call's
    conversation id (one transcription per call)."""
    data = event.get("data")
    conversation = data.get("conversation_id") if isinstance(data, Mapping) else None
    if isinstance(conversation, str) and conversation:
        return f"{KIND}:{conversation}"
    event_id = event.get("webhook_event_id")
    if isinstance(event_id, str) and event_id:
        return f"event:{event_id}"
    raise BadEvent("no conversation_id")


def caller_of(event: Mapping[str, Any]) -> str:
    """The caller's number: the phone call's external number, or the caller id the call
    started with; "" for a call not made by phone."""
    data = _mapping(event.get("data"))
    phone = _mapping(_mapping(data.get("metadata")).get("phone_call"))
    number = phone.get("external_number")
    if isinstance(number, str) and number:
        return number
    initiation = _mapping(data.get("conversation_initiation_client_data"))
    variables = _mapping(initiation.get("dynamic_variables"))
    for key in ("system__caller_id", "caller_id"):
        value = variables.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def read_call(event: Mapping[str, Any], action_items: Sequence[str]) -> Call:
    """The call in a transcription event; :class:`BadEvent` when it is not one."""
    if event.get("type") != KIND:
        raise BadEvent(f"not a {KIND} event")
    data = _mapping(event.get("data"))
    conversation = data.get("conversation_id")
    if not isinstance(conversation, str) or not conversation:
        raise BadEvent("no conversation_id")
    metadata = _mapping(data.get("metadata"))
    started = _seconds(metadata.get("start_time_unix_secs")) or _seconds(
        event.get("event_timestamp")
    )
    transcript = data.get("transcript")
    if not isinstance(transcript, list):
        raise BadEvent("no transcript")
    analysis = _mapping(data.get("analysis"))
    summary = analysis.get("transcript_summary")
    return Call(
        conversation_id=conversation,
        agent_id=str(data.get("agent_id") or ""),
        caller=caller_of(event),
        started=started,
        said=tuple(_caller_turns(transcript, started)),
        summary=summary.strip() if isinstance(summary, str) else "",
        action_items=tuple(_items(_mapping(analysis.get("data_collection_results")), action_items)),
    )


def learn_from_call(call: Call, actions: Actions, learner: Learner) -> None:
    """Keep and learn from the caller's turns, set the reminders, keep the summary."""
    evidence = actions.memories.evidence
    for said in call.said:
        try:
            evidence.get(turn_id(call.session, said.at))
        except NotFoundError:
            evidence.keep(call.session, said.at, said.text, said.answer)
        when = datetime.fromtimestamp(said.at, UTC).isoformat(timespec="seconds")
        learner.learn(said.text, conversation=call.session, turn=when, source=CHANNEL)
    origin = Origin(CHANNEL, CHANNEL)
    at_call = Actions(
        actions.assistant,
        origin=origin,
        reminders=actions.reminders,
        clock=lambda: datetime.fromtimestamp(call.started).astimezone(),
    )
    open_texts = {r.text for r in actions.open_reminders()}
    for item in call.action_items:
        due, rest = parse_when(item, at_call.clock())
        text = f"{(rest or item).strip().rstrip('.')} (from the call of {call.when[:10]})"
        if text in open_texts:
            continue
        try:
            at_call.set_reminder(text, due=due)
        except AssistantError as exc:  # instructions, not an action item: not kept
            log.warning("action item of call %s not kept: %s", call.conversation_id, exc.title)
    if call.summary and not _summary_kept(actions, call):
        try:
            at_call.remember(
                call.summary,
                type=MemoryType.EPISODIC,
                provenance={"call": call.conversation_id, "call_at": call.when, "kind": SUMMARY},
            )
        except AssistantError as exc:
            log.warning("summary of call %s not kept: %s", call.conversation_id, exc.title)


def _summary_kept(actions: Actions, call: Call) -> bool:
    kept = actions.memories.list(types=[MemoryType.EPISODIC], limit=200)
    return any(
        m.metadata.get("call") == call.conversation_id and m.metadata.get("kind") == SUMMARY
        for m in kept
    )


def _caller_turns(transcript: list[Any], started: float) -> Iterator[Said]:
    for index, turn in enumerate(transcript):
        if not isinstance(turn, Mapping) or turn.get("role") != "user":
            continue
        message = turn.get("message")
        if not isinstance(message, str) or not message.strip():
            continue
        answer = ""
        following = transcript[index + 1] if index + 1 < len(transcript) else None
        if isinstance(following, Mapping) and following.get("role") == "agent":
            answer = str(following.get("message") or "")
        offset = _seconds(turn.get("time_in_call_secs")) or float(index)
        yield Said(message.strip(), started + offset, answer)


def _items(results: Mapping[str, Any], wanted: Sequence[str]) -> Iterator[str]:
    for name in wanted:
        result = results.get(name)
        value = result.get("value") if isinstance(result, Mapping) else result
        if isinstance(value, str) and value.strip().startswith("["):
            with contextlib.suppress(ValueError):  # not a list after all: split the text
                value = json.loads(value)
        parts = value if isinstance(value, list) else _ITEM_SPLIT.split(str(value or ""))
        for part in parts:
            text = _BULLET.sub("", str(part)).strip()
            if text and text.lower() not in ("none", "null", "n/a", "no action items"):
                yield text


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value)
