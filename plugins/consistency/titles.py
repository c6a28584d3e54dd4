"""When are two titles of one person in conflict? (ATT001's judgement, on words only.)

Compatible: the same words in another order, one title containing the other (a short
description beside the formal title), abbreviations (Sen./Senator, U.N./United Nations).
Conflicting: different role heads that share an organisation word ("Assistant Director"
vs "Deputy Officer", both of the same agency), one post with and without a rank word
("Deputy Director" vs "Director"), or former vs current in otherwise the same title.
"""

from __future__ import annotations

import re
from functools import lru_cache

from srcaudit.people import FORMER_WORDS, GENERIC_ROLES, ROLE_MODIFIERS, ROLE_WORDS, title_words

_ABBREVIATIONS = {
    "sen": "senator", "rep": "representative", "gov": "governor", "gen": "general", "adm": "admiral",
    "lt": "lieutenant", "col": "colonel", "capt": "captain", "sgt": "sergeant", "prof": "professor",
    "american": "us", "usa": "us", "britain": "uk", "british": "uk", "advisor": "adviser",
    "spokeswoman": "spokesperson", "spokesman": "spokesperson", "chairwoman": "chair",
    "chairman": "chair", "chairperson": "chair", "lawyer": "attorney", "nominee": "candidate",
    "gop": "republican", "mr": "", "mrs": "", "ms": "", "dr": "",
}
#: A title that relates the person to someone else ("daughter of the vice president") names no post.
_RELATIONS = frozenset("wife husband daughter son sister brother mother father widow widower spouse "
                       "daughters sons sisters brothers friend girlfriend boyfriend".split())
_PHRASES = [(re.compile(r"\bunited states\b"), "us"), (re.compile(r"\bunited nations\b"), "un"),
            (re.compile(r"\bunited kingdom\b"), "uk")]
_STOPWORDS = frozenset("the a an of for to at in and on s with from its his her their".split())


@lru_cache(maxsize=1 << 14)
def normalise(title: str) -> tuple[frozenset[str], bool]:
    """(title words, is it a former post?) after folding abbreviations and dropping articles."""
    text = " ".join(title_words(title))
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    tokens = [_ABBREVIATIONS.get(t, t) for t in text.split()]
    tokens = [t for t in tokens if t]
    former = any(t in FORMER_WORDS for t in tokens)
    return frozenset(t for t in tokens if t not in _STOPWORDS and t not in FORMER_WORDS), former


#: What role abbreviations expand to ("sen" -> "senator"); countries and parties ("us",
#: "republican") are where a post is, not the post, so they are never a role head.
_ROLE_EXPANSIONS = frozenset(value for value in _ABBREVIATIONS.values() if value in ROLE_WORDS)
#: Modifiers that make another post of the same role: a deputy director is not the director.
_RANKS = frozenset("deputy assistant vice associate".split())  # not "under": "minister under Mr Blair"


def _role_head(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in words if (w in ROLE_WORDS or w in _ROLE_EXPANSIONS
                                          or w in ROLE_MODIFIERS) and w not in GENERIC_ROLES)


def compatible(first: str, second: str) -> bool:
    """Whether two titles can both be right: same words, or one contains the other."""
    a, former_a = normalise(first)
    b, former_b = normalise(second)
    return former_a == former_b and (a <= b or b <= a) and not _other_rank(a, b)


def _other_rank(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether one title is the other's post with a rank word added ("deputy director")."""
    heads_a, heads_b = _role_head(a), _role_head(b)
    return bool((heads_a ^ heads_b) & _RANKS) and bool(heads_a - _RANKS) and heads_a - _RANKS == heads_b - _RANKS


#: A relative clause taken for an apposition, whose own subject is someone else ("NAME, who
#: Mr Blair put in charge of ...", "whom the board appointed"): it says what another person
#: did, not which post this one holds ("who ran as vice president" does name one).
_RELATIVE = frozenset("who whom whose which that".split())
_CLAUSE_SUBJECTS = frozenset("the a an his her their its this these those".split())


def _is_clause(title: str) -> bool:
    words = title.split(None, 2)
    if len(words) < 2 or words[0].casefold() not in _RELATIVE:
        return False
    return words[1][:1].isupper() or words[1].casefold() in _CLAUSE_SUBJECTS


def conflict(first: str, second: str) -> str | None:
    """Why two titles conflict ("different roles", "former vs current"), or None."""
    if _is_clause(first) or _is_clause(second):
        return None
    a, former_a = normalise(first)
    b, former_b = normalise(second)
    if a & _RELATIONS or b & _RELATIONS:
        return None
    heads_a, heads_b = _role_head(a), _role_head(b)
    if not (heads_a - ROLE_MODIFIERS) or not (heads_b - ROLE_MODIFIERS):
        return None  # a description without a role ("a Republican from Ohio") conflicts with nothing
    if _other_rank(a, b):
        return "different ranks"  # "Deputy Director of the FBI" against "FBI Director"
    if a <= b or b <= a:
        return "former vs current" if former_a != former_b and a == b else None
    organisation = (a - heads_a) & (b - heads_b)
    if heads_a != heads_b and not heads_a <= heads_b and not heads_b <= heads_a and organisation:
        return "different roles"
    return None
