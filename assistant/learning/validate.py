"""The last check on every fact before it is stored, whoever extracted it (the classifiers,
the rules or a chat model): a question, a request or instruction to the assistant, a
hypothetical, a joke, a template placeholder, small talk, a line of a pasted document or a
fragment too thin to stand on its own is never a memory.

Each check is a shape a fact cannot have, so it holds for any extractor: a model that writes
"The user wants answers in French." is stopped by the same rule as the clause "answer in
French from now on".
"""

from __future__ import annotations

import re

from assistant.learning.context import UNDECIDED
from assistant.learning.injection import addressed_to_ai, looks_like_injection

MAX_FACT = 300
REQUEST = "request or instruction to the assistant"
"""The problem of a text that asks the assistant to do something."""

_QUESTION = re.compile(
    r"\?\W*$"
    r"|^(?:who|what|where|why|how|which|whose)(?:'s|'re|\s+(?:am|is|are|was|were|do|does|did|can|"
    r"could|would|should|will|time|many|much|long|often|about|if|else|kind|sort|happens|"
    r"happened)\b)"
    r"|^when(?:'s|s|\s+(?:am|is|are|was|were|do|does|did|will|should|can|could|would|have|has))\b"
    r"|^(?:what|which|whose|how)(?:\s+(?!i\b|you\b|u\b|we\b|he\b|she\b|they\b|it\b)[\w'-]+)"
    r"{1,3}\s+(?:am|is|are|was|were|do|does|did|can|could|should|will|have|has)\s+(?:i|you|u|"
    r"we|he|she|they|it|my|your|our|his|her|their|the)\b"
    r"|^(?:what|which|whose|how|where|who)(?:\s+(?!(?:i|you|u|we|he|she|they|it|my|our)\b)"
    r"[\w'-]+){0,2}\s+(?:is|are|was|were|does|do|did)"
    r"\s+[\w'-]+(?:\s+[\w'-]+)?[\s.!]*$"
    r"|^(?:is|are|does|isn't|aren't|doesn't)\s+(?!(?:be|been|being|a|an|at|in|on|to|for|so|not|"
    r"going|gonna|getting|having|doing|probably|definitely|always|never|just|still|also|really|"
    r"too|very)\b)[^\W\d_][\w'-]*\s+[\w'-]+"
    r"|^(?:whats|hows|wheres|whos|whys|whens|wat|wut|wht|watz|wats)\b"
    r"|^who\s+(?!i\b|we\b)[a-z]+(?:s|es)\s+(?:my|our|me|us|the|his|her|their|your)\b"
    r"|^who\s+(?:has|had|is|was|does|did|can|could|should|would|will|knows|likes|loves|hates|"
    r"lives|works|owns|wants|needs|got|gets|said|told|gave|sent|made|won|took|uses)\b"
    r"|^which\s+(?:of|one|ones)\b"
    r"|^what\s+(?!i\b|we\b)[a-z]+(?:s|es)\s+(?:my|our|me|us|his|her|their|your)\b(?!.*\b(?:is|was|are)\b)"
    r"|^(?:is|are|am|was|were|do|does|did|can|could|would|will|shall|should|have|has|may|might|"
    r"must|isn't|aren't|don't|doesn't|didn't|won't|wouldn't|shouldn't|haven't)\s+(?:i|you|u|we|"
    r"they|he|she|it|there|this|that|these|those|my|your|ur|anyone|someone|people)\b"
    r"|^(?:quick q|quick question|question|any idea|anyone know|i wonder|wondering|do u|r u|"
    r"nvm|never ?mind)\b"
    r"|\b(?:do you know|any idea|do you think|d'you think|should i|shall i|can i|could i)\b",
    re.IGNORECASE,
)
_ADDRESSEE = (
    r"(?:give|use|answer|reply|respond|write|tell|show|call|speak|talk|say|send|stop|keep|"
    r"make|recommend|suggest|mention|ask|remind|book|translate|summari[sz]e|explain|list|set|"
    r"find|search|check|look|add|put|format|spell|address|refer|format|include|avoid|skip|be|"
    r"help|open|read|draft|calculate|convert|schedule|cancel|email|ping|let|try|switch|change|"
    r"note|save|store|forget|ignore|describe|define|pronounce|bring|buy|order|pick|compare|"
    r"rank|proofread|rewrite|double-check|double check|go ahead|hit me|gimme)"
)
_A_SUBJECT = (
    r"(?:\s+[^\W\d_][\w'-]*)?\s+(?:is|are|was|were|has|starts|meets|runs|opens|closes|"
    r"costs|ends)\b"
)
"""What makes a word that may give an order the subject of a statement ("Book club is the
first Thursday", "Order was late")."""
_INSTRUCTION = re.compile(
    rf"^(?:please\s+|pls\s+|plz\s+|kindly\s+|and\s+)?{_ADDRESSEE}\b(?!{_A_SUBJECT})"
    rf"|^(?:please\s+)?(?:always|never|don'?t|do not|dont)(?:\s+ever)?\s+{_ADDRESSEE}\b"
    r"|^(?:from now on|going forward|in future|in the future|next time|remember to|make sure|"
    r"be sure|don't forget to|can we|could we|shall we|let's|lets|let me know|i want you|"
    r"i need you|i'd like you|i would like you|i'd love (?:it )?if you|you should|you must|"
    r"you need to|you have to|you can|you could|to \w+)\b"
    r"|\b(?:when|whenever|every time|each time|if|before|after) (?:you|u)\b"
    r"|\b(?:rather|prefer|want|need|like|love it if|appreciate it if) (?:you|u)\b",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    r"\b(?:can you|could you|would you|will you|can u|could u|would u|pls|plz|please|"
    r"from now on|going forward|in (?:all )?(?:your|future) (?:answers|replies|responses|"
    r"messages)|when you (?:answer|reply|respond|write|talk)|remind me|do me a favou?r|"
    r"(?:your|the assistant's|its|future|all) (?:answers|replies|responses)|"
    r"(?:wants|prefers|likes|asks for|asked for|would like) (?:the )?(?:answers|replies|"
    r"responses|recipes|units|results|summaries|everything) (?:in|as|with|using|to be))\b",
    re.IGNORECASE,
)
_TO_YOU = re.compile(
    r"^(?:you|u|ur|you're|youre|your|thank you|thanks|thx|ty|love you|love u|cheers)\b",
    re.IGNORECASE,
)
_WHERE_NOW = re.compile(
    r"^\W*(?:(?:i'?m|im|i\s+am|we'?re|we\s+are)\s+)?(?:just\s+|currently\s+|still\s+)?"
    r"(?:sat|sitting|stood|standing|waiting|stuck|queuing|queueing|parked)\s+"
    r"(?:in|at|on|outside|by|behind|with)\b",
    re.IGNORECASE,
)
"""Where the user is sitting or waiting just now ("I'm sat in the car park at tesco", "sat in
a&e with my eldest rn", "stuck in traffic"): a passing moment, no fact."""
_HYPOTHETICAL = re.compile(
    r"^(?:if|what if|imagine|imagining|suppose|supposing|let's say|say|pretend|hypothetically|"
    r"maybe|perhaps|assume|assuming|for example|e\.g|in theory|in another life|unless|"
    r"would|wouldn't|could|might)\b"
    r"|\b(?:if i ever|if only|i wish|i'd want|i would want|who knows|someday|some day|"
    r"one day|in a parallel universe|in my dreams|i might|i may|i'd probably|i would probably|"
    r"i could|would be (?:nice|cool|fun)|i'd like to think|i fantasi[sz]e|i dream of)\b",
    re.IGNORECASE,
)
_JOKE = re.compile(
    r"\b(?:jk|j/k|just kidding|only joking|kidding|joking|yeah right|oh sure|"
    r"oh great|oh joy|sure sure|just what i needed|said no one|best day of the year|"
    r"said nobody|lmao|lmfao|rofl)\b"
    r"|\bobviously i (?:love|adore|enjoy)\b|(?:^|\s)/s\b|🤡",
    re.IGNORECASE,
)
_EYE_ROLL = re.compile(r"🙄|😒|🙃|😏")
"""Sarcasm ("i own like 3 yachts 🙄", "oh sure, I LOVE mondays 🙃"), or annoyance or a shrug
at a fact too weighty to drop ("doc upped my sertraline to 100mg today 🙄", "just got
diagnosed with asthma 🙃", :data:`_WEIGHTY`) unless beside praise (:data:`_PRAISE`)."""
_WRY_END = re.compile(r"(?:🙄|😒|🙃|😏|(?:^|\s)/s)[\W_]*$")
"""An eye-roll or "/s" that ends a message: it may turn round praise said sentences before
("oh yeah i LOVE mondays. nothing better than 47 unread emails 🙃")."""
_CONSIDERED = re.compile(
    r"\bthinking maybe\b|\bbut (?:honestly |tbh |idk )?(?:not sure|idk|dunno)\W*$", re.IGNORECASE
)
"""Something only considered ("thinking maybe i'll take the exam at some point but honestly
not sure")."""
_WEIGHTY = re.compile(
    r"\b(?:allerg\w*|intoleran\w*|anaphyla\w*|epipen|\d+\s?(?:mg|mcg|ml|iu)|dose|meds|medication|"
    r"prescri\w*|diagnos\w*|appointment|appt|doctor|gp|dentist|hospital|surgery|clinic|"
    r"pregnan\w*|asthma|diabet\w*|blood pressure|inhaler|insulin)\b",
    re.IGNORECASE,
)
_PRAISE = re.compile(
    r"\b(?:love|loving|loved|great|amazing|best|fantastic|perfect|thrilled|wonderful|brilliant|"
    r"fun|yay|lucky|can'?t wait|excited|awesome|fab|lovely|delighted|so happy|favou?rite)\b",
    re.IGNORECASE,
)
"""What an eye-roll turns round: "i just LOVE working weekends 🙄"."""
_PLACEHOLDER = re.compile(
    r"\[[^\]]*\]|\{[^}]*\}|<[^>]*>|\$\{|\bx{3,}\b|_{3,}|\.{4,}|\b(?:tbd|tbc|lorem ipsum|"
    r"placeholder|insert \w+ here|your name here|firstname|lastname|n/a|todo(?!\s+list))\b",
    re.IGNORECASE,
)
_FILLER_WORD = re.compile(
    r"(?:ok|okay|k|kk|thanks|thank|thx|ty|cool|lol|lmao|haha\w*|hehe\w*|yeah|yep|yup|yes|no|"
    r"nope|nah|true|fair|enough|np|nice|great|good|morning|evening|night|afternoon|hi|hey|"
    r"hello|hiya|yo|bye|cya|sure|right|alright|wow|omg|nvm|awesome|perfect|amazing|sweet|"
    r"brilliant|fine|cheers|indeed|exactly|totally|same|agreed|got|it|that|this|so|oh|ah|"
    r"hmm+|um+|uh+|welcome|sorry|please|you|u|too|very|much|a|lot|again|now|times|fun|"
    r"anyway|whatever|interesting|noted|understood|makes|sense|sounds|looks|works|for|me)",
    re.IGNORECASE,
)
_DOCUMENT = re.compile(
    r"^(?:dear|to whom|hi all|hello all|hi team|hello team|hi everyone|regards|kind regards|"
    r"best regards|best wishes|yours|sincerely|many thanks|thanks all|subject|re|fwd|note)\b"
    r"|\b(?:regards|sincerely|tenants|staff members|recipients|attendees|"
    r"applicants|residents|the board|the committee|per cent|hereby|"
    r"pursuant|must be submitted|will not be (?:paid|accepted|refunded)|"
    r"will be (?:held|serviced|closed|delivered|dispatched|charged|refunded|announced|"
    r"reviewed|notified)|action items?|agenda|q[1-4]|quarterly|fiscal|"
    r"your (?:order|parcel|account|subscription|booking|appointment|payment))\b",
    re.IGNORECASE,
)
_PASTE_INTRO = re.compile(
    r"^(?:fwd?|forwarded|forwarding|pasting|pasted|copied|quoting)\b"
    r"|^(?:here's|here is|this is|see) (?:the|an?|my \w+'s) (?:email|message|notes|text|letter)\b",
    re.IGNORECASE,
)
"""The line that introduces pasted text ("fwd from my manager:") says nothing about the user."""
_SAID_BEFORE = re.compile(
    r"^(?:(?:wait|no|nope|sorry|oops|hmm|ugh|actually|ok|okay)\W+)*(?:"
    r"(?:i|i've|ive|i have)\s+(?:said|told you|mentioned|wrote|typed|meant|misspoke|"
    r"got (?:that|it) wrong|had (?:that|it) wrong)\b"
    r"|(?:that|this)(?:'s| is| was)\s+(?:my|not|wrong|a typo|what|the one|him|her|them)\b"
    r"|i'?m thinking of (?:my|the|someone|somebody)\b)",
    re.IGNORECASE,
)
"""Talk about what was said before ("I said earlier my sister is 31", "wait no, that was
my brother"): the fact is the corrected one, not the report of the old one."""
_PERSONAL = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|me|my|mine|we|we're|our|us)\b", re.IGNORECASE)
_SAYS_OF_SELF = re.compile(
    r"^(?:i|i'm|im|i've|ive|i'd|my|we|we're|we've|our)\b(?!'d like you| want you| need you)",
    re.IGNORECASE,
)
"""A clause that starts as a statement about the user: "I'm in recovery, so no alcohol
suggestions please" states a fact whatever follows it."""
_PHRASE_START = re.compile(
    r"^(?:my|our|his|her|their|the|a|an|and|with|for|to|me and|of|from|at|in|on|some|this|"
    r"that|these|those)\b",
    re.IGNORECASE,
)
"""How a noun phrase starts: with no verb after it ("my husband dev", "and my dog") it is a
fragment, while a clause without its subject ("allergic to ibuprofen") still says something."""
_PREDICATE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|have|has|had|do|does|did|can|can't|cannot|will|won't|"
    r"don't|doesn't|didn't|isn't|aren't|wasn't|never|got|get|go|went|need|want|love|like|hate|"
    r"live|work|play|eat|drink|miss|feel|take|use|own|drive|study|teach|run|swim|cook|speak|"
    r"support|prefer|enjoy|keep|know|sleep|walk|ride|came|went|lost|left|ran|bought|grew|broke|"
    r"split|quit|met|took|gave|made|won|fell|felt|said|saw|began|sold|paid|spent|told|thought|"
    r"kept|found|drove|wrote|flew|swam|sang|wore|ate|drank|slept|sat|stood|led|hit|hurt|put|"
    r"set|heard|held|built|taught|caught|brought|fought|forgot|chose|rode|woke|became|luv|"
    r"rent|read|cycle|call|start|visit|pay|fly|see|sing|wear|shoot|collect|knit|manage|"
    r"journal|despise|adore|need|born|moved|married)\b"
    r"|\b(?:im|ive|dont|cant|doesnt|didnt|isnt|wont|wasnt|aint|gonna|wanna|gotta)\b"
    r"|\w'(?:m|s|re|ve|d|ll)\b|\b\w{2,}(?:ed|es|s|ing)\b",
    re.IGNORECASE,
)


_ELLIPTIC_WORD = re.compile(
    r"(?:i|i'm|im|i've|ive|i'd|i'll|me|we|we're|we've|us|you|he|she|it|they|them|him|her|"
    r"he's|she's|it's|they're|that|this|there|one|do|does|did|don't|dont|doesn't|didn't|"
    r"have|haven't|havent|has|hasn't|had|hadn't|am|is|isn't|are|aren't|was|wasn't|were|"
    r"weren't|can|can't|cant|could|couldn't|will|won't|would|wouldn't|should|shouldn't|"
    r"not|never|no|yes|yeah|nope|really|still|anymore|either|neither|too|also|always|usually|"
    r"sometimes|often|ever|since|for|ago|about|around|almost|nearly|over|just|only|quite|"
    r"in|at|on|a|an|the|and|or|but|so|then|now|yet|already|\d+|years?|months?|weeks?|days?|"
    r"hours?|times?|once|twice|while|long|ages|lol|tho|though)",
    re.IGNORECASE,
)
"""Words that say nothing alone: a clause of only these is an answer to something said
before ("I don't.", "haven't for 4 years", "yes she is, twice"), a fragment out of context."""


_AGE = re.compile(r"\b(?:i'm|im|am|is|he's|she's|turned|turning|turns)\s+\d+\b", re.IGNORECASE)
"""An age ("I'm 37", "she turns 4") is a fact in a clause of words that say nothing alone."""


def has_predicate(text: str) -> bool:
    """Whether ``text`` has something like a verb: a clause without one ("my husband dev")
    is the subject of the next."""
    return _PREDICATE.search(text) is not None


def only_asks(text: str) -> bool:
    """Whether every sentence of ``text`` is a question ("what did I say about the plumber?",
    "who is jo"): a turn that tells nothing."""
    said = [s for s in re.split(r"(?<=[.!?])\s+|\n+", text.strip()) if s.strip()]
    return bool(said) and all(_QUESTION.search(s.strip().lower()) for s in said)


def problem(fact: str, said: str = "") -> str | None:
    """Why ``fact`` (a fact as it would be stored) may not be stored, or None when it may.

    ``said`` is the user's text it came from, as written (emoji and "lol" included), read for
    the marks of a joke that cleaning removes."""
    text = " ".join(fact.split())
    if not text or len(text) > MAX_FACT:
        return "empty or too long"
    if text.count("\ufffd") > 1:
        return "not text"  # bytes that were not UTF-8: binary data, or text garbled past reading
    if _PLACEHOLDER.search(text):
        return "placeholder"
    if looks_like_injection(text) or addressed_to_ai(text):
        return "instruction to an AI"
    if _QUESTION.search(text):
        return "question"
    if _TO_YOU.search(text) or _INSTRUCTION.search(text):
        return REQUEST
    if _REQUEST.search(text) and not _SAYS_OF_SELF.match(text):
        return REQUEST
    if _HYPOTHETICAL.search(text):
        return "hypothetical"
    if _WHERE_NOW.match(text):
        return "a passing moment"
    if _SAID_BEFORE.search(text):
        return "about what was said before"
    if UNDECIDED.search(text) or _CONSIDERED.search(text):
        return "a choice not made yet"
    if said.rstrip().endswith(":"):
        return "introduces what follows"
    if _JOKE.search(text) or (said and _JOKE.search(said)):
        return "joke or sarcasm"
    rolled = _EYE_ROLL.search(text) or (said and _EYE_ROLL.search(said))
    if rolled and (_PRAISE.search(text) or not _WEIGHTY.search(text)):
        return "joke or sarcasm"
    if (_DOCUMENT.search(text) and not _PERSONAL.search(text)) or _PASTE_INTRO.search(text):
        return "pasted document"
    words = re.findall(r"[\w']+", text)
    if all(_FILLER_WORD.fullmatch(w) for w in words):
        return "small talk"
    if _HEADING.fullmatch(text.rstrip(".!")) or _titled(text):
        return "heading"
    if len(words) < 2 or (_PHRASE_START.match(text) and not has_predicate(text)):
        return "fragment"
    if _NAMES_NOTHING.search(text):
        return "fragment"  # "my brother is called .. and he lives in Oslo": called what?
    if all(_ELLIPTIC_WORD.fullmatch(w) for w in words) and not _AGE.search(text):
        return "fragment"
    return None


_NAMES_NOTHING = re.compile(
    r"\b(?:is|are|was|were|'s|’s)\s+(?:called|named|nicknamed)[\W_]*$", re.IGNORECASE
)
"""A name promised and not given ("My brother is called.")."""
_HEADING = re.compile(r"(?!(?:I|MY|WE|OUR|I'M|WE'RE)\b)[^a-z]*[A-Z]{2}[^a-z]*\s[^a-z]*")
"""A line in capitals that is no sentence of the user's ("GRANDMA'S SHORTBREAD", "MEETING
NOTES 12 MARCH"), as pasted documents open; "MY SISTER IS A NURSE" is shouted, not a
heading."""


def _titled(text: str) -> bool:
    """A title in capitals with no verb ("Senior Backend Engineer – Nairobi (hybrid)", "New
    York Marathon 2025"), as a pasted ad or agenda opens: most of its words capitalised."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if len(words) < 3 or words[0].lower() in ("i", "my", "we", "our", "i'm", "we're"):
        return False
    capitals = sum(w[0].isupper() for w in words)
    return capitals >= 0.7 * len(words) and not has_predicate(text)


def turned_round(fact: str, closing: str) -> bool:
    """Whether a fact praises (:data:`_PRAISE`) in a message whose ``closing`` sentence ends
    with an eye-roll after more praise: said in jest, whichever sentence the eye-roll closes
    ("i LOVE mondays. nothing better than 47 unread emails 🙃"); not beside a complaint ("I
    love my new job. The 4am starts though 🙃")."""
    return (
        bool(_WRY_END.search(closing))
        and bool(_PRAISE.search(closing) or _MORE_PRAISE.search(closing))
        and bool(_PRAISE.search(fact))
    )


_MORE_PRAISE = re.compile(
    r"\b(?:nothing (?:better|beats|like)|what a (?:treat|joy|dream|delight)|highlight|"
    r"dream come true|living the dream|can'?t get enough|just what)\b",
    re.IGNORECASE,
)
"""Praise the eye-roll that ends a message turns round, besides :data:`_PRAISE`."""


def is_fact(fact: str, said: str = "") -> bool:
    """Whether ``fact`` may be stored (see ``problem``)."""
    return problem(fact, said) is None
