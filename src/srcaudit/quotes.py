"""Direct quotations and who said them.

Quotes are found per paragraph from their quote marks, tolerant of what real pages do:
curly or straight marks, a quote left open at the end of a paragraph (the convention for
a quote that runs on into the next one), and a quote interrupted by its attribution
(“In some talks,” he said, “we ...”), which is joined into one quotation.

The speaker comes from the attribution next to the quote, in this order: after it
(“...,” Smith said / said Smith / he said), before it in the same sentence (Smith said:
“...”), the previous paragraph when it ends with a colon or opened the same running
quote, or a "NAME said" elsewhere in the paragraph. A name closing the clause after a
speech verb is the speaker even when the people finder did not know it ("said Hester.",
"said radio host Jane Roe,"); its ``speaker_text`` then holds the name as written.

"he"/"she" resolve to a person of the right gender (:mod:`srcaudit.speakers`) named
before, outside quotes: the latest sentence naming one decides, and in it the subject of
a speech verb, else its first person not after a preposition. "they"/"we"/"I" name no
one person. "the senator said" resolves to the latest person titled senator. A quotation
in Title Case is a work's title (“Face the Nation”), kept without a speaker. Used by the
consistency rules (quote drift) and by anyone scoring attribution.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .names import name_key, name_runs
from .text import fold
from .people import SPEECH_VERB, PeopleFinder, is_word_character, is_role_word, speech_verb_spans, title_words
from .speakers import PRONOUN_GENDER, Genders

_OPENERS = "“\"«„"
_CLOSERS = "”\"»“"
_DASH_SPEAKER = re.compile(r"[―—–]\s*[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}")
_ABBREVIATION = re.compile(r"\b(?:[A-Z][a-z]{0,3}\.|(?:[A-Z]\.){1,3})")
_MARK = re.compile("[“”\"«»„]")
_PRONOUN = re.compile(r"(?:he|she)\b", re.IGNORECASE)  # "they", "we", "I" name no one person
_LEADING_JUNK = re.compile(r"[\s,.!?;:]*")
_ACCORDING = re.compile(r"\baccording to\b", re.IGNORECASE)
#: A speech verb or "according to" (in any case): the two never overlap (whole words, and
#: neither "according" nor "to" is a speech verb), so its matches are those of both.
_VERB_OR_ACCORDING = re.compile(rf"{SPEECH_VERB.pattern}|(?i:{_ACCORDING.pattern})")
_MIN_WORDS = 3
_MAX_VERBS = 6  # speech verbs tried per paragraph when looking for a lone "Smith said"
_NEARBY = 400  # how far from a quote a lone "Smith said" may be
# A person right after a preposition is an object ("a view different from Smith"), and one after a
# subordinating conjunction the subject of a side clause ("While Smith was away, Jones ..."): neither
# is the main clause's subject, the usual antecedent of "he said".
_OBJECT_LEAD_WORDS = tuple("""from with to by of about and than for at on against like under over after before
behind between into toward towards without among including unlike beside besides alongside via while although though
because whereas unless if when""".split())
_OBJECT_LEAD = re.compile(rf"\b(?:{'|'.join(_OBJECT_LEAD_WORDS)})\s+$", re.IGNORECASE)
# After a speaker's name: an optional appositive (up to three comma pieces), then the verb.
_SUBJECT_TAIL = re.compile(
    rf"(?:\s+of\s+(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,4}})?"  # "Smith of the Sierra Club"
    rf"(?:\s*\([^()]{{1,40}}\))?(?:(?:,[^,;“”\"]{{1,120}}){{1,3}},)?\s+(?:\w+\s+)?{SPEECH_VERB.pattern}")
# A speaker who is not a named person: "the announcer said", "said a White House official".
_NOMINAL = r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s+[^,.;:“”\"]{2,60}?"
_NOMINAL_AFTER = re.compile(rf"(?:{SPEECH_VERB.pattern})\s+({_NOMINAL})(?=[,.;]|\s+(?:on|in|at|during|after|before|to|who)\b|$)"
                            rf"|({_NOMINAL})\s+(?:{SPEECH_VERB.pattern})")
_NOMINAL_BEFORE = re.compile(rf"(?:^|[.,;]\s+)({_NOMINAL}|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,4}})\s+"
                             rf"(?:{SPEECH_VERB.pattern})\b[^“”\"]{{0,30}}[:,]?\s*$")
_WINDOW = 160


@dataclass(slots=True)
class Quote:
    """A direct quotation: its words, its pieces' character spans, and its speaker (a person key)."""

    text: str
    segments: list[tuple[int, int]]
    speaker: str | None = None
    #: The attribution's subject as written when it is not a named person ("the announcer").
    speaker_text: str | None = None

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]


def _is_opening(text: str, index: int) -> bool:
    char = text[index]
    if char in "“«„":
        return True
    if char == "”":  # a typo'd opener: a closing mark at a word's start ("”Fear. I am ...")
        return (index == 0 or text[index - 1].isspace()) and _WORD_AHEAD.match(text, index + 1) is not None
    if char != '"':
        return False
    return index == 0 or text[index - 1].isspace() or text[index - 1] in "([{—–-:"


def is_title(words: str) -> bool:
    """Whether quoted words are in Title Case, as the name of a show, book or song is, not speech.

    Every word but short function words ("of", "the", "a") starts with a capital letter.
    """
    if words.count(" ") > 16 or not words[:1].isupper():
        return False  # most quotes: long, or starting lower-case
    tokens = _TITLE_TOKEN.findall(words)
    if not 2 <= len(tokens) <= 12 or not tokens[0][0].isupper():
        return False
    return all(t[0].isupper() or t[0].isdigit() or t.lower() in _TITLE_SMALL_WORDS for t in tokens)


_TITLE_TOKEN = re.compile(r"[^\s,.;:!?()“”\"—–-]+")
_TITLE_SMALL_WORDS = frozenset("a an the of and or nor but for to in on at by with from as vs v via de la le".split())


def quote_marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """The quote marks of ``text[start:end]`` with their offsets, in order: the matches of
    ``_MARK``, found with one ``str.find`` loop per mark (the regex tests every character
    of the paragraph against its class; ``find`` skips to the next mark at memory speed,
    and a text without curly marks is not even scanned for them)."""
    found = []
    for char in _MARKS:
        index = text.find(char, start, end)
        while index >= 0:
            found.append((index, char))
            index = text.find(char, index + 1, end)
    found.sort()
    return found


_MARKS = "“”\"«»„"  # what _MARK matches


def quote_segments(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Quoted stretches of ``text[start:end]``: (content start, content end, closed?)."""
    segments: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for index, char in quote_marks(text, start, end):
        if open_at is None:
            if _is_opening(text, index):
                open_at = index + 1
        elif char in _CLOSERS and not (char == "“" and _is_opening(text, index) and text[index - 1].isspace()):
            segments.append((open_at, index, True))
            open_at = None
        elif _is_opening(text, index):  # an opener while open: the previous quote was never closed
            segments.append((open_at, index, False))
            open_at = index + 1
    if open_at is not None and end - open_at > 0:
        segments.append((open_at, end, False))
    return [(a, _rstrip(text, a, b), closed) for a, b, closed in segments if text[a:b].strip()]


def _past_junk(text: str, start: int, end: int) -> int:
    """Where ``text[start:end]`` goes on past leading white space and punctuation.

    ``_LEADING_JUNK`` matches the empty string too, so it always matches: the fallback
    only tells the type checker so (the module is compiled with mypyc, which checks).
    """
    junk = _LEADING_JUNK.match(text, start, end)
    return junk.end() if junk else start


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


_DOUBLED = re.compile(r"''|``")


def _doubled_mark(match: re.Match[str]) -> str:
    """Typewriter quotes (''...'' or ``...'') as one straight mark plus a space, keeping offsets."""
    text, end = match.string, match.end()
    closing = match.group() == "''" and (end == len(text) or not text[end].isalnum())
    return '" ' if closing else ' "'


class QuoteFinder:
    """Finds the quotes of one text and attributes them, given its :class:`PeopleFinder`."""

    def __init__(self, text: str, people: PeopleFinder) -> None:
        # same length: offsets stay valid; most texts have no doubled marks (a test is cheaper than sub)
        self.text = _DOUBLED.sub(_doubled_mark, text) if "''" in text or "``" in text else text
        self.people = people
        self.quotes: list[Quote] = []
        self._quoted: list[tuple[int, int]] = []
        self._quoted_starts: list[int] = []
        # mentions are in text order: bisect on their starts instead of scanning them all
        self._mentions = list(people.mentions)  # plus speakers named only by an attribution
        self._mention_starts = [mention[0] for mention in people.mentions]
        #: Speakers the people finder did not know ("said Hester."): key -> name as written.
        self._named: dict[str, str] = {}
        self.genders = Genders(self.text, people, self._named)
        self._previous: tuple[int, int] | None = None  # previous paragraph span
        #: ``(speaker,)`` when the previous paragraph ended inside a quote (its speaker may be
        #: None), else None: a quote running on into the next paragraph keeps its speaker.
        self._open_quote: tuple[str | None] | None = None
        self._speakers: set[str] = set()
        self._verbs: list[tuple[int, int]] | None = None
        self._verb_starts: list[int] = []
        self._paragraph = (0, 0)

    def scan(self, start: int, end: int) -> None:
        """Find and attribute the quotes of one paragraph ``text[start:end]``."""
        text = self.text
        # most paragraphs: no quote mark, no quote. An ASCII paragraph can only hold the straight
        # mark, found by ``str.find`` at memory speed; the pattern tests every character.
        if text.find('"', start, end) < 0 and (text[start:end].isascii() or _MARK.search(text, start, end) is None):
            self._verbs = None
            self._paragraph = self._previous = (start, end)
            self._open_quote = None
            return
        pieces = quote_segments(self.text, start, end)
        # Speech verbs of the paragraph, found on first need (most quotes are attributed right
        # next to them), then once: every quote looks up its window by bisection.
        self._verbs = None
        self._paragraph = (start, end)
        self._quoted.extend((a, b) for a, b, _ in pieces)
        self._quoted_starts.extend(a for a, _, _ in pieces)
        groups = self._join_interrupted(pieces)
        carried = self._open_quote
        self._open_quote = None
        for group in groups:
            speaker = self._speaker(group, start, end)
            if speaker is None and group[0][0] - 1 <= start and carried is not None:
                speaker = carried[0]  # a running quote continued from the previous paragraph
            if speaker is None and group[0][0] - 1 <= start:
                speaker = self._colon_lead_in()
            segments = [(a, b) for a, b, _ in group]
            words = " ".join(self.text[a:b] for a, b in segments)
            if len(words.split()) >= _MIN_WORDS:
                if is_title(words):
                    speaker = None  # “Face the Nation”, “A Change Is Gonna Come”: a work's title, not speech
                    self.quotes.append(Quote(words, segments))
                elif speaker in self._named:  # a name as written, not a person of the people finder
                    self.quotes.append(Quote(words, segments, None, self._named[speaker]))
                else:
                    nominal = None if speaker else self._nominal(group, start, end)
                    if nominal:  # "the senator said": the latest person titled so, if any
                        speaker = self._role_referent(nominal, group[0][0])
                    self.quotes.append(Quote(words, segments, speaker, nominal))
                if speaker:
                    self._speakers.add(speaker)
            if not group[-1][2] and group[-1][1] >= _rstrip(self.text, start, end):
                self._open_quote = (speaker,)
        self._previous = (start, end)

    def _join_interrupted(self, pieces: list[tuple[int, int, bool]]) -> list[list[tuple[int, int, bool]]]:
        groups: list[list[tuple[int, int, bool]]] = []
        for piece in pieces:
            if groups:
                between = self.text[groups[-1][-1][1] + 1:piece[0] - 1]
                if (len(between) < 80 and SPEECH_VERB.search(between) and between.strip().endswith(",")
                        and self.text[groups[-1][-1][1] - 1] in ",—–-"):
                    groups[-1].append(piece)
                    continue
            groups.append([piece])
        return groups

    # -- attribution ----------------------------------------------------------------------

    def _speaker(self, group: list[tuple[int, int, bool]], par_start: int, par_end: int) -> str | None:
        first, last = group[0][0] - 1, min(group[-1][1] + 1, par_end)
        if len(group) > 1:  # interrupted: the attribution is in the gap
            gap_start, gap_end = group[0][1] + 1, group[1][0] - 1
            found = self._after(gap_start, gap_end)
            if found:
                return found
        # Bounded search: an unbounded find per quote is quadratic in a paragraph of many quotes.
        next_quote = self.text.find("“", last, min(par_end, last + _WINDOW))
        after_end = min(par_end, last + _WINDOW, next_quote if next_quote > 0 else par_end)
        return (self._after(last, after_end) or self._before(max(par_start, first - 2 * _WINDOW), first)
                or self._in_paragraph(max(par_start, first - _NEARBY), min(par_end, last + _NEARBY)))

    def _mentions_between(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Mentions starting in ``[start, end)``, outside quotes, in text order."""
        first = bisect.bisect_left(self._mention_starts, start)
        last = bisect.bisect_left(self._mention_starts, end)
        return [m for m in self._mentions[first:last] if not self._inside_quote(m[0])]

    def _mention_in(self, start: int, end: int) -> tuple[int, int, str] | None:
        """The first of :meth:`_mentions_between` (the others are not looked at)."""
        first = bisect.bisect_left(self._mention_starts, start)
        last = bisect.bisect_left(self._mention_starts, end)
        for index in range(first, last):
            mention = self._mentions[index]
            if not self._inside_quote(mention[0]):
                return mention
        return None

    def _inside_quote(self, offset: int) -> bool:
        index = bisect.bisect_right(self._quoted_starts, offset) - 1
        return index >= 0 and offset < self._quoted[index][1]

    def _pronoun(self, offset: int, pronoun: str | None = None) -> str | None:
        """'he said': the person the pronoun refers to, among those named before ``offset``.

        Candidates must agree with the pronoun's gender. Among them, the most recent sentence
        that names one wins, and in that sentence its first person outside a prepositional
        phrase ("a view different from Smith" is an object): the subject, as a rule.
        """
        wanted = PRONOUN_GENDER.get(pronoun.lower()) if pronoun else None
        chosen: tuple[int, str] | None = None
        fallback: str | None = None
        speaking: str | None = None  # in the chosen sentence, the subject of a speech verb
        # reversed(self._mentions_between(offset - 2000, offset)), taken one by one: the loop
        # usually stops after a few mentions, not worth listing every mention of 2,000 characters
        mentions = self._mentions
        first = bisect.bisect_left(self._mention_starts, max(0, offset - 2000))
        for index in range(bisect.bisect_left(self._mention_starts, offset) - 1, first - 1, -1):
            start, end, key = mentions[index]
            if self._inside_quote(start):
                continue
            if end > offset or not self.genders.compatible(key, wanted):
                continue
            if fallback is None:
                fallback = key
            if _search_window_end(self.text, max(0, start - 12), start, _OBJECT_LEAD_WORDS, _OBJECT_LEAD):
                continue
            if chosen is not None and self._sentence_break(end, chosen[0]):
                break
            chosen = (start, key)
            if speaking is None and self._attributed(start, end):
                speaking = key
        return speaking or (chosen[1] if chosen else fallback)

    def _role_referent(self, nominal: str, offset: int) -> str | None:
        """'the senator', 'the former mayor': the latest person before ``offset`` with that title word."""
        head = nominal.rsplit(None, 1)[-1]
        if not nominal[:4].lower().startswith("the ") or not is_role_word(head):
            return None  # "a spokesman" is someone new; only "the ..." points back
        head = fold(head).rstrip(".")
        for _, _, key in reversed(self._mentions_between(max(0, offset - 3000), offset)):
            person = self.people.people.get(key)
            if person is not None and any(head in title_words(t.text) for t in person.titles):
                return key
        return None

    def _attributed(self, start: int, end: int) -> bool:
        """Whether the mention at ``text[start:end]`` is a speech verb's subject: 'Smith said', 'said Smith'."""
        return (_VERB_NEXT.match(self.text, end, end + 40) is not None
                or (_VERB_BEFORE.search(self.text, max(0, start - 20), start) is not None
                    and _CLAUSE_END.match(self.text, end) is not None))  # "said Smith." not "said Smith's plan"

    def _sentence_break(self, start: int, end: int) -> bool:
        """Whether a sentence or paragraph ends in ``text[start:end]`` (abbreviations do not count)."""
        gap = self.text[start:end]
        if "\n" in gap:
            return True
        if "." not in gap and "!" not in gap and "?" not in gap:
            return False  # the usual short gap ("Smith and Jones"): no regex
        return _SENTENCE_END.search(_ABBREVIATION.sub("", gap)) is not None

    def _nominal(self, group: list[tuple[int, int, bool]], par_start: int, par_end: int) -> str | None:
        """The subject of the attribution when it is not a known person: 'the announcer', 'The Times'."""
        last = min(group[-1][1] + 1, par_end)
        after = self.text[last:min(par_end, last + _WINDOW)]
        after = after[_past_junk(after, 0, len(after)):]
        dash = _DASH_SPEAKER.match(after)
        if dash:
            return dash.group().lstrip("―—– ").strip()
        found = _NOMINAL_AFTER.match(after)
        if found:
            return (found.group(1) or found.group(2)).strip()
        first = group[0][0] - 1
        found = _NOMINAL_BEFORE.search(self.text, max(par_start, first - _WINDOW), first)
        return found.group(1).strip() if found else None

    def _after(self, start: int, end: int) -> str | None:
        """Attribution right after a quote: ', Smith said' / ', said Smith' / ', he said'."""
        pos = _past_junk(self.text, start, end)
        rest = self.text[pos:end]
        verb = SPEECH_VERB.match(rest)
        if verb:
            mention = self._mention_in(pos + verb.end(), min(end, pos + verb.end() + 60))
            if mention and not _QUOTE_OR_STOP.search(_ABBREVIATION.sub("", self.text[pos + verb.end():mention[0]])):
                return mention[2]
            pronoun = _PRONOUN.match(rest, verb.end() + 1)
            return self._pronoun(pos, pronoun.group()) if pronoun else self._named_after(pos + verb.end(), end)
        pronoun = _PRONOUN.match(rest)
        if pronoun and SPEECH_VERB.match(rest, pronoun.end() + 1):
            return self._pronoun(pos, pronoun.group())
        dash = _DASH_SPEAKER.match(rest)
        if dash:  # “...” ― Jane Roe (vox-pop lists)
            mention = self._mention_in(pos, pos + dash.end())
            return mention[2] if mention else None
        mention = self._mention_in(pos, min(end, pos + 80))
        if mention and not _SENTENCE_STOP.search(_ABBREVIATION.sub("", self.text[pos:mention[0]])):
            tail = self.text[mention[1]:min(end, mention[1] + 140)]
            if _SUBJECT_TAIL.match(tail):
                return mention[2]
        return None

    def _before(self, start: int, end: int) -> str | None:
        """Attribution before a quote in the same sentence: 'Smith said:' / 'said Smith,'."""
        window = self.text[start:end]
        cut = max(window.rfind(". "), window.rfind("”"), window.rfind('"'))
        if cut >= 0:
            start, window = start + cut + 1, window[cut + 1:]
        if self._surely_no_verb(start, end, window):
            return None  # most windows: no speech verb, no "according to"
        verb = None
        for verb in _VERB_OR_ACCORDING.finditer(window):  # the last one
            pass
        if verb is None:
            return None
        right_before = len(window[verb.end():].split()) <= 1
        if not (window.rstrip().endswith((":", ",")) or right_before or "according" in window.lower()):
            return None
        verb_at = start + verb.start()
        subject = self._mentions_between(start, verb_at)
        if subject:
            return subject[-1][2]
        pronoun = (_PRONOUN_BEFORE_VERB.search(window[:verb.start()])
                   or _PRONOUN_LEAD.match(window))
        if pronoun:
            return self._pronoun(verb_at, pronoun.group(1))
        mention = self._mention_in(start + verb.end(), end)
        if mention:
            return mention[2]
        # "Said Ellis: “...”": the name must close the lead-in
        return self._named_after(start + verb.end(), end, whole=True)

    def _surely_no_verb(self, start: int, end: int, window: str) -> bool:
        """Whether ``_VERB_OR_ACCORDING.finditer(window)`` (``window`` is ``text[start:end]``) finds nothing.

        Answered from the paragraph's speech verbs (:meth:`_paragraph_verbs`, found once) for
        an ASCII window inside the current paragraph that does not cut a word at either end
        (the slice's ends then bound words as the text does): no verb lies within it and
        "according" is not among its lower-case letters. Anything else says False and leaves
        it to the pattern, which is tried at every character of the window.
        """
        text = self.text
        par_start, par_end = self._paragraph
        if not (par_start <= start and end <= par_end and window.isascii()) or "according" in window.lower():
            return False
        if start and is_word_character(text[start - 1]) and window[:1] and is_word_character(window[0]):
            return False  # the window starts inside a word
        if end < len(text) and is_word_character(text[end]) and end > start and is_word_character(text[end - 1]):
            return False  # the window ends inside a word
        verbs, starts = self._paragraph_verbs()
        first = bisect.bisect_left(starts, start)
        return first == len(verbs) or verbs[first][1] > end

    def _paragraph_verbs(self) -> tuple[list[tuple[int, int]], list[int]]:
        """The speech verbs of the current paragraph (:func:`srcaudit.people.speech_verb_spans`) and their starts."""
        if self._verbs is None:
            self._verbs = speech_verb_spans(self.text, *self._paragraph)
            self._verb_starts = [verb_start for verb_start, _ in self._verbs]
        return self._verbs, self._verb_starts

    def _named_after(self, start: int, end: int, whole: bool = False) -> str | None:
        """'said Hester.' / 'said MSNBC host Jane Roe,': a name ending the clause after a speech verb.

        The people finder misses such speakers (one word, or a descriptor between verb and
        name). The name is registered as a mention so that a later 'she said' can find it.
        """
        clause = _CLAUSE.match(self.text, start, min(end, start + 70))
        if clause is None or (whole and self.text[clause.end():end].strip(" \n,:")):
            return None
        for run in name_runs(clause.group()):
            after = clause.group()[run.end:]
            lead = clause.group()[:run.start]
            if _DETERMINER.search(lead) or _PREPOSITION.search(lead):
                return None  # "said the Times editor Jane Roe" is a nominal; "says of Smith" an object
            if after.strip() and not _NAME_END.match(after):
                continue  # "said MSNBC host ...": part of the descriptor
            surface = run.text
            first, last = start + run.start, start + run.end
            key = self.people.resolve(surface)
            if key is None:
                key = "~" + name_key(surface)
                self._named.setdefault(key, surface)
            bisect.insort(self._mentions, (first, last, key))
            self._mention_starts.insert(bisect.bisect_left(self._mention_starts, first), first)
            return key
        return None

    def _colon_lead_in(self) -> str | None:
        """A paragraph that only introduces the next one: 'Smith said:' / 'He added:'."""
        if self._previous is None:
            return None
        start, end = self._previous
        if not self.text[start:end].rstrip().endswith(":"):
            return None
        return self._before(start, _rstrip(self.text, start, end))

    def _in_paragraph(self, start: int, end: int) -> str | None:
        """A lone 'Smith said' elsewhere in the paragraph, outside the quotes."""
        verbs, starts = self._paragraph_verbs()
        first = bisect.bisect_left(starts, start)
        last = bisect.bisect_left(starts, end)
        for count, (verb_start, verb_end) in enumerate(verbs[first:last]):
            if count >= _MAX_VERBS:
                break
            if verb_end > end:
                break
            if self._inside_quote(verb_start):
                continue
            lead = self.text[max(start, verb_start - 40):verb_start]
            before = self._mentions_between(max(start, verb_start - 60), verb_start)
            if before and not self.text[before[-1][1]:verb_start].strip(" ,"):
                return before[-1][2]
            pronoun = _search_window_end(lead, 0, len(lead), ("he",), _PRONOUN_AT_END)  # "she" ends with "he" too
            if pronoun:
                return self._pronoun(verb_start, pronoun.group(1))
        return None


# Compiled once: these run for every quote, where re's own cache lookup is a real cost.
_QUOTE_OR_STOP = re.compile(r"[“”\"]|[.!?]\s")
_SENTENCE_STOP = re.compile(r"[.!?]")
_PRONOUN_BEFORE_VERB = re.compile(r"\b(he|she)\s+(?:\w+\s+)?$", re.IGNORECASE)
_PRONOUN_LEAD = re.compile(r"\s*(?:[A-Z]\w+\s+)?(he|she)\b", re.IGNORECASE)
_PRONOUN_AT_END = re.compile(r"\b(he|she)\s+$", re.IGNORECASE)
# After a speech verb: up to the clause's end (a comma, a sentence's end, a preposition).
_CLAUSE = re.compile(r"\s+(?:[^\s,;:.“”\"]+\.?\s+){0,3}?[^\s,;:.“”\"]+(?=\s*(?:[,;:]|\.(?:\s|$)|$)|\s+(?:of|at|from|in|with|who)\b)")
_PREPOSITION = re.compile(r"\b(?:of|to|for|about|on|with|by|from|at|in|against|that)\s", re.IGNORECASE)
_NAME_END = re.compile(r"\s*$")
_DETERMINER = re.compile(r"\b(?:the|a|an|his|her|its|their|one|another)\s", re.IGNORECASE)
_VERB_NEXT = re.compile(rf"\s+(?:{SPEECH_VERB.pattern})")
_VERB_BEFORE = re.compile(rf"(?:{SPEECH_VERB.pattern}),?\s+(?:Mr|Mrs|Ms|Dr)?\.?\s*\Z")
_CLAUSE_END = re.compile(r"[,.;]")
_WORD_AHEAD = re.compile(r"(?: ?… ?)?\w")
_SENTENCE_END = re.compile(r"[.!?][”\"’']?\s")


def _search_window_end(text: str, start: int, end: int, words: tuple[str, ...],
                       pattern: re.Pattern[str]) -> re.Match[str] | None:
    """``pattern.search(text, start, end)`` for a case-insensitive ``pattern`` that ends the
    window with one of ``words`` (lower case) and white space ("... from ", "he "): searched
    only when the window ends with white space and, in ASCII text, the words before it end
    with one of ``words`` in any case (the pattern is tried at every position of the window).
    Text that is not ASCII is always searched: case-insensitive matching knows more letters
    than ``str.lower`` ("ſ" is an "s" there).
    """
    window = text[start:end]
    tail = window.rstrip()
    if len(tail) == len(window) or window.isascii() and not tail.lower().endswith(words):
        return None
    return pattern.search(text, start, end)


def find_quotes(text: str, spans: list[tuple[int, int]], people: PeopleFinder) -> list[Quote]:
    """The attributed quotes of ``text``, paragraph spans in order (people already scanned)."""
    finder = QuoteFinder(text, people)
    for start, end in spans:
        finder.scan(start, end)
    return finder.quotes
