"""People mentioned in a text, with the titles or roles attached to them.

Finds three title patterns, regex plus small heuristics (no NLP model):

- appositive: "Dennis Smith, former director of the agency, said ...";
- pre-nominal: "Deputy Secretary of State Jane Roe", "South Korean President Lee Min-ho";
- "TITLE NAME of ORG": "Senator John Doe of Ohio".

A capitalised run counts as a person when context says so (a title, an honorific, a
speech verb next to it); later single-word references to a known person's surname
("Smith said") resolve to the full name within the text. Honorifics (Mr., Dr.) are not
titles. Used by the consistency rules and by quote attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .names import (ASCII_NAME_RUN, HONORIFICS, NAME_RUN, NOT_NAME_WORDS, WordTable, fold_word, name_key, several_word_run,
                    single_word_name)
from .text import fold, word_tuple

#: Words that head a title or role. Lower-case; abbreviations without their dot.
ROLE_WORDS = frozenset("""
president vice premier minister secretary undersecretary director officer chief head chairman
chairwoman chair chairperson leader spokesman spokeswoman spokesperson ambassador envoy senator sen
representative rep congressman congresswoman governor gov mayor commander general gen admiral adm
colonel col captain capt lieutenant lt sergeant sgt professor prof lecturer fellow researcher
analyst adviser advisor economist attorney lawyer judge justice prosecutor counsel ceo cfo coo
founder co-founder cofounder executive manager editor correspondent columnist pollster strategist
consultant official king queen prince princess pope bishop archbishop cardinal rabbi imam sheikh
chancellor commissioner inspector superintendent sheriff dean provost coach treasurer comptroller
speaker whip candidate nominee owner partner mp lawmaker legislator delegate trustee administrator
emir sultan ayatollah cleric activist scientist physician surgeon president-elect spokesperson
marshal governor-general attorney-general
""".split())

#: Role words too generic to tell two roles apart ("an official" fits any post).
GENERIC_ROLES = frozenset("official analyst member executive activist scientist expert partner chief head "
                          "boss".split())

#: Modifiers that are part of a role head ("deputy director" is not "director").
ROLE_MODIFIERS = frozenset("deputy assistant vice acting associate senior principal under interim co".split())

FORMER_WORDS = frozenset("former ex onetime one-time then erstwhile retired".split())

#: Speech verbs used as they are, and stems that also take "-s", "-ed", "-d" or "-ing".
_PLAIN_SPEECH_VERBS = ("Said", "said", "told", "wrote")
_SPEECH_STEMS = tuple("""
say tell add ask explain note write argue state remark comment insist recall warn declare continue reply replie
respond tweet claim acknowledge admit announce suggest observe counter caution urge demand yell shout call
describe assert predict complain concede conclude boast joke quip vow promise report testify testifie
""".split())


def _by_first_letter(plain: tuple[str, ...], stems: tuple[str, ...]) -> str:
    """The speech verbs as one alternation grouped by first letter: ``s(?:(?:ay|tate|...)(?:s|ed|d|ing)?|aid)|...``.

    The verbs are always matched as whole words, so any alternation of the same words finds
    the same matches; grouped, the regex engine tries about 20 first letters at each word
    instead of 50 words (a paragraph's speech verbs are found in half the time).
    """
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for stem in stems:
        groups.setdefault(stem[0], ([], []))[0].append(re.escape(stem[1:]))
    for word in plain:
        groups.setdefault(word[0], ([], []))[1].append(re.escape(word[1:]))
    parts = []
    for first, (stem_rests, plain_rests) in sorted(groups.items()):
        suffixed = [f"(?:{'|'.join(stem_rests)})(?:s|ed|d|ing)?"] if stem_rests else []
        parts.append(f"{first}(?:{'|'.join(suffixed + plain_rests)})")
    return "|".join(parts)


_SPEECH_VERBS = _by_first_letter(_PLAIN_SPEECH_VERBS, _SPEECH_STEMS)
SPEECH_VERB = re.compile(rf"\b(?:{_SPEECH_VERBS})\b")
#: Every speech verb in lower case (for set tests on folded words).
SPEECH_WORDS = frozenset(word.lower() for word in _PLAIN_SPEECH_VERBS) | frozenset(
    stem + suffix for stem in _SPEECH_STEMS for suffix in ("", "s", "ed", "d", "ing"))
#: The next word is a speech verb: ``is_speech_word`` of the word after white space, in one match.
_SPEECH_NEXT = re.compile(rf"\s+(?:{_SPEECH_VERBS})\b")
_SPEECH_AFTER_APPOSITIVE = re.compile(rf"(?:,[^,]{{0,80}},)?\s+(?:{_SPEECH_VERBS})\b")
_SPEECH_BEFORE = re.compile(rf"\b(?:{_SPEECH_VERBS})\s+$")
_TITLE_WORD = re.compile(r"[\w.-]+")
_OF_TITLE = re.compile(r"([\w.’'-]+)\s+of\s+(?:the\s+)?$")
#: The characters of ``_OF_TITLE``'s first group, matched on the reversed window (its last run).
_TITLE_RUN_BACKWARDS = re.compile(r"[\w.’'-]+")
_ORGANISATION_LEAD = re.compile(r"\b(?:at|of|in|for|from|on)\s+(?:the\s+)?$")
#: The words ``_ORGANISATION_LEAD`` can end with, before its white space.
_ORGANISATION_LEAD_ENDS = ("at", "of", "in", "for", "from", "on", "the")
_HONORIFIC_LEAD = re.compile(r"\b(?:" + "|".join(sorted(HONORIFICS)) + r")\.?\s+$", re.IGNORECASE)
#: What ends a word before a name, besides white space (see ``_pre_nominal``).
_WORD_SEPARATOR = re.compile(r"[,;:()\"“”]")
_TITLE_TOKEN = re.compile(r"[^\s,;:()\"“”]+")

# Where an appositive ends: punctuation, a full stop before a new sentence (not "Mr. Smith"),
# the text's end, or the sentence going on ("said", "who"). Searched from the name on, so it
# is tried at every character up to the end: the full stop comes before the honorific
# look-behinds (then at "\bMr\." ending there), so that a character other than "." fails at
# once instead of after four look-behinds (three times faster, the same matches; see
# ``_APPOSITIVE_END_AS_FIRST_WRITTEN`` in the tests).
_APPOSITIVE_END = re.compile(r"[,;:()\"“”]|\.(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bMrs\.)(?=\s+[A-Z\"“])|\.$"
                             r"|\s(?:said|says|told|who|which|and\s+(?:a|an)\b)")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_INITIAL = re.compile(r"^[A-Z]\.$")
# words that precede a name and are clearly part of a title phrase
_TITLE_LEFT_WORD = re.compile(r"[A-Z][\w.’'-]*|U\.S\.|U\.N\.|U\.K\.")


@dataclass(slots=True)
class Title:
    """A title as written, with its character span in the searched text."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class Mention:
    """One mention of a person: the name as written, where, and any title attached there."""

    surface: str
    start: int
    end: int
    title: Title | None = None


@dataclass(slots=True)
class Person:
    """A person of one text: full name (first full mention), key, and every mention."""

    name: str
    key: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def titles(self) -> list[Title]:
        return [m.title for m in self.mentions if m.title is not None]


def is_role_word(word: str) -> bool:
    """Whether a word can head a title ("Secretary", "sen.", "co-founder")."""
    return _ROLE_WORD_TABLE[word]


# Called for every word around every capitalised run: a table read beats folding again.
_ROLE_WORD_TABLE = WordTable(lambda word: (word.strip().lower() if word.isascii() else fold_word(word.strip()))
                             .rstrip(".,") in ROLE_WORDS)  # folding ASCII is lower-casing


def _has_role(text: str) -> bool:
    """Whether any word of a title phrase is a role word (the table read for each word in C)."""
    return any(map(_ROLE_WORD_TABLE.__getitem__, _TITLE_WORD.findall(text)))


@lru_cache(maxsize=1 << 14)
def is_speech_word(word: str) -> bool:
    """Whether a word is a speech verb ("said", "tells", "adding"): cached, cheaper than the regex."""
    return SPEECH_VERB.fullmatch(word) is not None


def speech_verb_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[m.span() for m in SPEECH_VERB.finditer(text, start, end)]``, found faster in ASCII text.

    A speech verb is a whole word, so in ASCII text it is, in lower case, one of the words
    of ``text[start:end]`` (:func:`srcaudit.text.word_tuple`, usually tokenised already by
    other rules): the verbs present are looked up with ``str.find`` and kept where they
    stand as whole words (the regex's ``\b``: the character before, looked at in ``text``
    even before ``start``, and the one after, unless at ``end``, are not word characters).
    Searching the whole paragraph for 50 verbs was most of the cost of attributing quotes.
    """
    passage = text[start:end]
    if not passage.isascii():
        return [match.span() for match in SPEECH_VERB.finditer(text, start, end)]
    present = SPEECH_WORDS.intersection(word_tuple(passage))
    if not present:
        return []
    spans = []
    for word in present:
        for form in (word, "Said") if word == "said" else (word,):
            at = text.find(form, start, end)
            while at >= 0:
                stop = at + len(form)
                if (at == 0 or not is_word_character(text[at - 1])) and (
                        stop == end or not is_word_character(text[stop])):
                    spans.append((at, stop))
                at = text.find(form, at + 1, end)
    spans.sort()
    return spans


def is_word_character(char: str) -> bool:
    """Whether ``char`` is what ``\\w`` matches in a ``str`` pattern."""
    return char.isalnum() or char == "_"


def _speech_follows(text: str, end: int) -> bool:
    """Is the next word after ``end`` a speech verb ("Smith said")?"""
    return _SPEECH_NEXT.match(text, end, end + 20) is not None


def _ends_with_speech_verb(window: str) -> bool:
    """``_SPEECH_BEFORE.search(window)``: a speech verb, then white space, ends the window.

    The verb is then the window's last word, preceded by white space (or the window's
    start): when that word is plain ASCII letters it is looked up (:func:`is_speech_word`)
    instead of trying the pattern at each of the window's 30 positions.
    """
    stripped = window.rstrip()
    if len(stripped) == len(window):
        return False  # no white space at the end
    word = stripped.rsplit(None, 1)[-1] if stripped else ""
    if word.isascii() and word.isalpha():
        return is_speech_word(word)
    return _SPEECH_BEFORE.search(window) is not None


def _is_title_left(word: str) -> bool:
    """Whether a word before a role word still belongs to the title ("former", "U.S.", "CIA")."""
    folded = fold_word(word).rstrip(".")
    if folded in NOT_NAME_WORDS and folded not in FORMER_WORDS:
        return False
    return bool(is_role_word(word) or _TITLE_LEFT_WORD.fullmatch(word) or folded in FORMER_WORDS
                or folded in ROLE_MODIFIERS)


#: (name key, is it a role word?) of a one-word run.
_WORD_FACTS = WordTable(lambda word: (name_key(word), is_role_word(word)))
def _several_word_facts(chunk: str) -> tuple[str, int, int, list[tuple[int, int, str]] | None, str, int] | None:
    """A match of several words -> its run (offsets relative to the match), the run's name key and
    the index of its last role word (-1 if none), or None when nothing of it is kept."""
    run = several_word_run(chunk, 0, chunk)
    if run is None:
        return None
    surface, first, last, tokens = run
    if tokens is None:
        return surface, first, last, None, "", -1
    role_index = -1
    for index, (_, _, word) in enumerate(tokens):
        # is_role_word(word), decided here for an ASCII word (no white space in it: folding is
        # lower-casing): a distinct run is looked at once, so a table entry per word would be
        # read about twice, and filling it costs more than the test
        if word.lower().rstrip(".,") in ROLE_WORDS if word.isascii() else _ROLE_WORD_TABLE[word]:
            role_index = index
    return surface, first, last, tokens, name_key(surface), role_index


#: A match of several words, decided once per distinct match (see :func:`_several_word_facts`).
_SEVERAL_WORDS = WordTable(_several_word_facts)
#: A capitalised word matched alone -> (the word as a run keeps it, name key, is it a role word?),
#: or None when it starts no name ("The", "Monday"): one table read per lone word.
def _lone_word_facts(chunk: str) -> tuple[str, str, bool] | None:
    """What :data:`_LONE_WORDS` holds for a capitalised word matched alone.

    A plain ASCII word (most of them) is decided here at once: its fold and its name key
    are its lower case, and a role word is one of :data:`ROLE_WORDS` (what ``name_key``
    and ``is_role_word`` find, without three more tables filled on every new word).
    """
    word = single_word_name(chunk)
    if word is None:
        return None
    if word.isascii() and word.isalpha():
        lower = word.lower()
        return word, "" if lower in HONORIFICS else lower, lower in ROLE_WORDS
    return word, *_WORD_FACTS[word]


_LONE_WORDS = WordTable(_lone_word_facts)
#: The last word of a token (after its last separator) if it is a role word, else "": the
#: token is the one right before a name ("Secretary", "(Senator"), decided once per token.
_LAST_ROLE_WORD = WordTable(lambda token: word if (word := _WORD_SEPARATOR.split(token)[-1]) and is_role_word(word)
                            else "")
def _is_person_cue(word: str) -> bool:
    """Whether this word right before a capitalised word makes it a person ("Mr.", "Senator").

    An ASCII word (a token without white space) folds to its lower case: both questions
    are answered from it, without filling the fold and role-word tables for every word
    seen before a capitalised one (about 10,000 on the BBC corpus).
    """
    if word.isascii():
        lower = word.lower()
        return lower.rstrip(".") in HONORIFICS or lower.strip().rstrip(".,") in ROLE_WORDS
    return fold_word(word).rstrip(".") in HONORIFICS or is_role_word(word)


_PERSON_CUES = WordTable(_is_person_cue)


def _name_cue(token: str) -> int:
    """What the word right before a name might make of it (see ``PeopleFinder._no_cue_around``).

    :data:`_CUE` when it might make it a person by the tests of ``_consider``: a role word
    after the token's last separator, a word ending in an honorific or a speech verb, any
    word that is not ASCII (folding and case-insensitive matching are left to the tests);
    else :data:`_OF_THE` for a word ending in "of" or "the" (only a title "ROLE of (the)"
    before it then counts); else 0.
    """
    if not token.isascii():
        return _CUE
    lower = token.lower()
    if _LAST_ROLE_WORD[token] or _ends_with_one_of(lower.rstrip("."), HONORIFICS) or _ends_with_one_of(lower, SPEECH_WORDS):
        return _CUE
    return _OF_THE if token.endswith(("of", "the")) else 0


def _ends_with_one_of(word: str, words: frozenset[str]) -> bool:
    """Whether ``word`` (lower case) ends with one of ``words`` (lower-case letters only).

    Such an ending is a suffix of the letters ending ``word``: a set look-up per suffix
    instead of ``str.endswith`` over a tuple of 250 words.
    """
    letters = word[len(word.rstrip(_LOWER_LETTERS)):]
    return any(letters[index:] in words for index in range(len(letters)))


_LOWER_LETTERS = "abcdefghijklmnopqrstuvwxyz"


_CUE, _OF_THE = 1, 2
#: The word right before a name -> :func:`_name_cue`.
_BEFORE_NAME_CUES = WordTable(_name_cue)


class PeopleFinder:
    """Collects the people of one text, paragraph by paragraph (offsets are into the whole text)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.people: dict[str, Person] = {}
        self._by_surname: dict[str, str] = {}
        #: (start, end, key) of every resolved mention, in text order, for pronoun resolution.
        self.mentions: list[tuple[int, int, str]] = []
        #: Keys of every capitalised run (people, places, organisations): what the text is about.
        self.entities: set[str] = set()

    def scan(self, start: int, end: int) -> None:
        """Find the people mentioned in ``text[start:end]`` (one paragraph).

        The runs of :func:`srcaudit.names.name_run_tuples`, found here in one loop and
        decided from per-match tables: a lone word (most runs) from its word facts, a run
        of several words from what its words are (names recur: "Prime Minister Tony Blair"
        is split and looked at once), before any slicing of the text. A lone word is
        decided in the loop itself (about 50,000 on the BBC corpus, most of them places
        and sentence starts that only count as entities): a method call each cost more
        than the test.
        """
        text = self.text
        lone_words, several_words, cues = _LONE_WORDS, _SEVERAL_WORDS, _PERSON_CUES
        people, by_surname, add_entity = self.people, self._by_surname, self.entities.add
        # the ASCII twin where it finds the same runs: the paragraph and the character before it are ASCII
        ascii = text[start - 1 if start else 0:end].isascii()
        for match in (ASCII_NAME_RUN if ascii else NAME_RUN).finditer(text, start, end):
            chunk = match.group()
            if " " not in chunk and "\t" not in chunk and "\u00a0" not in chunk:  # one word: the common case
                facts = lone_words[chunk]
                if facts is None:
                    continue
                surface, key, role = facts
                first = match.start()
                last = first + len(surface)
            else:
                run = several_words[chunk]
                if run is None:
                    continue
                offset = match.start()
                surface, first, last, tokens, key, role_index = run
                if tokens is not None:  # offsets relative to the match: passed with it, not added to each word
                    add_entity(key)
                    if role_index < 0:
                        self._consider(tokens, None, key, offset)
                    elif role_index + 1 < len(tokens):  # a capitalised title: "Deputy Secretary Jane Roe"
                        self._consider(tokens[role_index + 1:], tokens[0][0] + offset, None, offset)
                    continue
                # one word left ("The Guardian's" -> "Guardian")
                key, role = _WORD_FACTS[surface]
                first += offset
                last += offset
            add_entity(key)
            if role:
                continue  # a lone role word ("President") names nobody
            if key not in people and key not in by_surname:
                # Most lone capitalised words are places or sentence starts: one that is not
                # a known person needs a cue, an honorific or role before it or a speech verb after.
                previous = text[max(0, first - 30):first].rsplit(None, 1)
                # _speech_follows(text, last), the call and the match skipped when no white space follows
                if not cues[previous[-1] if previous else ""] and (
                        not text[last:last + 1].isspace() or _SPEECH_NEXT.match(text, last, last + 20) is None):
                    continue
            self._consider([(first, last, surface)], None, key)

    def person_at(self, key: str) -> Person | None:
        return self.people.get(key)

    def resolve(self, surface: str) -> str | None:
        """The key of the person a name or surname refers to, if known."""
        key = name_key(surface)
        if key in self.people:
            return key
        return self._by_surname.get(key)

    def last_person_before(self, offset: int, skip: list[tuple[int, int]] | None = None) -> str | None:
        """The nearest person mentioned before ``offset`` (for "he said"), outside ``skip`` spans."""
        for start, end, key in reversed(self.mentions):
            if end <= offset and not any(a <= start < b for a, b in skip or ()):
                return key
        return None

    # -- internals ---------------------------------------------------------------------------

    def _consider(self, tokens: list[tuple[int, int, str]], title_start: int | None, key: str | None = None,
                  offset: int = 0) -> None:
        """One run's words (after any capitalised title, which starts at ``title_start``);
        ``key`` is the name key of the words when the caller knows it (from a word table).
        The words' offsets are ``offset`` less than in the text (a run's table entry holds
        them relative to its match)."""
        first = tokens[0][0] + offset
        if title_start is None and key is not None and len(tokens) >= 2 and key not in self.people \
                and self._by_surname.get(key) is None and self._no_cue_around(first, tokens[-1][1] + offset):
            return  # a new full name with nothing around it that makes it a person ("New York", "Premier League")
        base = max(0, first - 120)
        # "Secretary of State Jane Roe": the run starts with the organisation
        of_title = self._of_title(base, first) if self.text.endswith(("of ", "the "), base, first) else None
        if of_title and is_role_word(of_title.group(1)) and len(tokens) >= 3:
            keep = 2 + sum(1 for t in tokens[-3:-1] if _INITIAL.match(t[2]))
            tokens = tokens[-keep:]
            first = tokens[0][0] + offset
            key = None
            title_start = self._title_back(base + of_title.start(1))
        elif title_start is None:
            # _pre_nominal(first), not called when no white space precedes the name (it then finds nothing)
            title_start = self._pre_nominal(first) if first and self.text[first - 1].isspace() else None
        last = tokens[-1][1] + offset
        surface = self.text[first:last]
        title = None
        if title_start is not None and title_start < first:
            title_text = self.text[title_start:first].strip()
            if _has_role(title_text):
                title = Title(title_text, title_start, title_start + len(title_text))
        prenominal = title is not None
        if not prenominal and self._organisation_lead(first):
            return  # "a fellow at Chatham House": an organisation, not a person
        if title is None:
            title = self._appositive(last)
        if key is None:
            key = name_key(surface)
        if len(tokens) >= 2 and key not in self.people and self._by_surname.get(key) is None:
            # a new full name is a person with a title, an honorific ("Dr.") or a speech verb
            if title is None and not self._honorific_before(first) and not self._speech_next_to(first, last):
                return
            self.people[key] = Person(surface, key)
            parts = key.split()
            for index in range(1, len(parts)):
                self._by_surname.setdefault(" ".join(parts[index:]), key)
        resolved = key if key in self.people else self._by_surname.get(key)  # self.resolve(surface)
        if resolved is None and len(tokens) == 1 and (prenominal or self._honorific_before(first) or (
                surface[:1].isupper() and _speech_follows(self.text, last))):
            # "Mr. Steele" before any full name: a person known by surname only
            self.people[key] = Person(surface, key)
            resolved = key
        if resolved is None:
            return
        self.people[resolved].mentions.append(Mention(surface, first, last, title))
        self.mentions.append((first, last, resolved))

    def _organisation_lead(self, first: int) -> bool:
        """``_ORGANISATION_LEAD.search(text, first - 10, first)``: "at the ", "of " before a name.

        Searched only when the window ends with white space after one of the words the
        pattern ends with (it is tried at each of the window's positions, for thousands of
        names, and most are preceded by other words).
        """
        start = max(0, first - 10)
        window = self.text[start:first]
        tail = window.rstrip()
        return (len(tail) < len(window) and tail.endswith(_ORGANISATION_LEAD_ENDS)
                and _ORGANISATION_LEAD.search(self.text, start, first) is not None)

    def _no_cue_around(self, first: int, last: int) -> bool:
        """Whether the run at ``text[first:last]`` surely has no title, honorific or speech verb next to it.

        Most capitalised runs are places and organisations, and a new one is a person only
        when one of those is there: a title before it (a role word, "Secretary of State"),
        an appositive after it (", the agency's director,"), an honorific before it or a
        speech verb before or after it. Each has its own test in :meth:`_consider` (about
        8 µs together); this answers "none of them" from the word before the name (one
        table read: :data:`_BEFORE_NAME_CUES`) and the character after it, in about 1 µs,
        running a test itself only for "of"/"the" before and a comma after. True only when
        every test would fail; anything unusual (no white space within the window) says
        False and leaves the decision to the tests themselves.
        """
        text = self.text
        if first and text[first - 1].isspace():
            window = text[first - 30 if first >= 30 else 0:first]
            parts = window.rsplit(None, 1)
            if len(parts) != 2 and (first > 30 or not parts):
                return False  # the word before is not whole in the window, or too far away
            cue = _BEFORE_NAME_CUES[parts[-1]]
            if cue == _CUE:
                return False
            if cue == _OF_THE and text.endswith(("of ", "the "), max(0, first - 4), first):
                of_title = self._of_title(max(0, first - 120), first)  # "Secretary of State Jane Roe"?
                if of_title and is_role_word(of_title.group(1)):
                    return False
        # otherwise nothing (no white space) or a neutral word is before the name
        after = text[last:last + 1]
        if after == ",":  # an appositive, or a speech verb past one?
            return self._appositive(last) is None and _SPEECH_AFTER_APPOSITIVE.match(text, last, last + 140) is None
        return not after.isspace() or _SPEECH_NEXT.match(text, last, last + 140) is None

    def _of_title(self, base: int, end: int) -> re.Match[str] | None:
        """``_OF_TITLE.search(text[base:end])``, matched only where a match can start.

        The pattern ends the window, so a match is the run of title characters right before
        its final "of" (and "the"), from the run's first character (the leftmost start): the
        run is found from the end with string methods and the pattern matched there once,
        instead of searched for at every position of the 120-character window (and most
        windows that end in "the " end in "at the " or "and the ": no "of" at all).
        """
        window = self.text[base:end]
        tail = window.rstrip()
        if len(tail) == len(window):
            return None  # the pattern ends in white space
        if tail.endswith("the"):
            tail = tail[:-3].rstrip()
        if not tail.endswith("of"):
            return None
        head = tail[:-2]
        run = head.rstrip()
        if len(run) == len(head):
            return None  # "of" is not a word of its own
        found = _TITLE_RUN_BACKWARDS.match(run[::-1])
        return _OF_TITLE.match(window, len(run) - found.end()) if found else None

    def _pre_nominal(self, name_start: int) -> int | None:
        """Start of a title phrase right before a name ("North Korean leader ")."""
        before = self.text[max(0, name_start - 100):name_start]
        # The last word of ``before`` if white space follows it (and nothing else): a word is a
        # maximal run of neither white space nor a separator. String methods, not a regex
        # search: a search tries every position of the window, for every capitalised run.
        stripped = before.rstrip()
        if not stripped or len(stripped) == len(before):
            return None
        word = _LAST_ROLE_WORD[stripped.rsplit(None, 1)[-1]]
        if not word:
            return None
        return self._title_back(name_start - (len(before) - len(stripped)) - len(word))

    def _title_back(self, role_start: int) -> int:
        """Start of the title phrase whose role word begins at ``role_start``."""
        base = max(0, role_start - 100)
        start = role_start
        for word in reversed(list(_TITLE_TOKEN.finditer(self.text[base:role_start]))):
            gap = self.text[base + word.end():start]
            if gap.strip() or not gap or "\n" in gap or not _is_title_left(word.group()):
                break
            start = base + word.start()
        return start

    def _appositive(self, name_end: int) -> Title | None:
        """", former director of the agency," after a name: the title, if it names a role."""
        if not self.text.startswith(", ", name_end):
            return None
        after = self.text[name_end:name_end + 200]
        body = after[2:]
        stop = _APPOSITIVE_END.search(body)
        phrase = body[:stop.start()] if stop else body
        phrase = phrase.rstrip()
        if not phrase or len(phrase.split()) > 16 or not _has_role(phrase):
            return None
        first_word = phrase.split()[0]
        if first_word.endswith("ing"):
            return None  # "..., putting President Xi in a bind": a clause, not a title
        if SPEECH_VERB.fullmatch(first_word):
            return None  # "... in Mount Kisco, New York, said the former secretary ...": the sentence goes on
        if first_word[0].isupper() and not any(is_role_word(w) for w in phrase.split()[:4]):
            return None  # "Smith, Jones and ..." is a list of names, not a title
        start = name_end + 2
        return Title(phrase, start, start + len(phrase))

    def _honorific_before(self, first: int) -> bool:
        """Is the name at ``first`` preceded by an honorific ("Mr. ", "Dr ")?"""
        return _HONORIFIC_LEAD.search(self.text, max(0, first - 8), first) is not None

    def _speech_next_to(self, first: int, last: int) -> bool:
        """A speech verb right after the name at ``text[first:last]`` (past an appositive) or right before it."""
        return (_SPEECH_AFTER_APPOSITIVE.match(self.text, last, last + 140) is not None
                or _ends_with_speech_verb(self.text[max(0, first - 30):first]))


def find_people(text: str, spans: list[tuple[int, int]] | None = None) -> PeopleFinder:
    """Scan ``text`` (or only ``spans`` of it, e.g. body paragraphs) for people."""
    finder = PeopleFinder(text)
    for start, end in spans if spans is not None else [(0, len(text))]:
        finder.scan(start, end)
    return finder


def title_words(title: str) -> list[str]:
    """The folded words of a title, article dropped (for comparisons)."""
    return re.findall(r"[\w-]+", fold(_ARTICLE.sub("", title)).replace(".", ""))
