"""The vocabulary of news production: outlet names, person-name shapes, newsroom roles.

Several rule families need to recognise the same things in news text: a news outlet
("The Guardian", "Reuters", "The Korea Times"), a person's name ("Jane Doe",
"JAMES B. STEWART", "Ylan Q. Mui") and the roles that mark a person as a source or an
author ("an analyst at ...", "staff writer"). They live here, in one place, so that
"an outlet" means the same thing to ATT004 (second-hand sourcing) and MET001 (bylines).

Every pattern is bounded (no nested unbounded quantifiers) so adversarial input cannot
make matching slow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

#: Names of outlets that the shape rule below cannot recognise (wire agencies,
#: broadcasters, one-word titles). Matched case-sensitively as whole words.
DEFAULT_OUTLETS: tuple[str, ...] = (
    "Reuters", "Associated Press", "AP", "AFP", "Agence France-Presse", "Bloomberg", "UPI",
    "United Press International", "Yonhap", "Xinhua", "Kyodo", "Tass", "TASS", "Interfax",
    "RIA Novosti", "dpa", "ANSA", "EFE", "Press Association", "PA Media", "CNN", "BBC", "NBC",
    "CBS", "ABC", "MSNBC", "NPR", "PBS", "Fox News", "Sky News", "Al Jazeera", "Politico",
    "Axios", "Newsweek", "Time", "Vox", "BuzzFeed", "Breitbart", "HuffPost", "Huffington Post",
    "Le Monde", "Le Figaro", "Der Spiegel", "Spiegel", "Die Zeit", "El País", "NHK", "Nikkei",
    "Haaretz", "Bild", "Daily Beast", "The Hill", "Hollywood Reporter", "TMZ", "Deadline", "Variety",
    "ProPublica", "Semafor",
    "The Intercept", "Financial Times", "Wall Street Journal", "Asahi Shimbun", "Yomiuri Shimbun",
    "Mainichi Shimbun", "Kommersant", "Izvestia", "Pravda", "Caixin", "Global Times",
)

#: Last words that make a capitalised name an outlet by its shape ("The Korea Times",
#: "Daily Mail", "The Washington Post").
OUTLET_HEAD_WORDS: tuple[str, ...] = (
    "Times", "Post", "News", "Journal", "Herald", "Tribune", "Guardian", "Telegraph", "Gazette",
    "Observer", "Independent", "Chronicle", "Express", "Mail", "Mirror", "Sun", "Star", "Globe",
    "Economist", "Bulletin", "Register", "Inquirer", "Courier", "Dispatch", "Monitor", "Standard",
    "Examiner", "Ledger", "Sentinel", "Week", "Weekly", "Daily", "Magazine", "Today", "Newswire",
    "Radio", "Television", "TV", "Broadcasting", "Press", "Insider", "Review", "Atlantic",
    "Spectator", "Enquirer", "Advertiser", "Statesman", "Shimbun", "Ilbo", "Zeitung",
)

# A capitalised word inside a name: "Washington", "O'Brien", "Al-Monitor", "U.S.", "McClatchy".
_CAP_WORD = r"[A-Z][\w'’.&-]{0,30}"
# Lower-case particles allowed between name words ("Le Monde", "Corriere della Sera").
_PARTICLE = r"(?:of|the|de|del|della|di|du|la|le|van|von|der|al|el|y)"


@lru_cache(maxsize=32)
def outlet_pattern(outlets: tuple[str, ...] = DEFAULT_OUTLETS,
                   head_words: tuple[str, ...] = OUTLET_HEAD_WORDS) -> re.Pattern[str]:
    """A regex matching an outlet name: one of ``outlets``, or a capitalised name ending in a head word.

    The match is the outlet's name, with a leading "the" if present ("the Guardian").
    """
    listed = "|".join(re.escape(o) for o in sorted(outlets, key=len, reverse=True))
    heads = "|".join(re.escape(h) for h in sorted(head_words, key=len, reverse=True))
    # A head word followed by another capitalised word or "&" is part of a longer name
    # ("White House Press Secretary", "Standard & Poor's"); a head word alone ("Standard",
    # "Today") is an outlet only after "the" ("the Sun") or a capitalised word ("USA Today").
    head = rf"(?:{heads})(?![\w’'-])(?!\s+[A-Z&])(?:\s+(?:of|de)\s+{_CAP_WORD})?"
    words = rf"{_CAP_WORD}\s+(?:{_PARTICLE}\s+)?"
    shaped = rf"[Tt]he\s+(?:{words}){{0,3}}{head}|(?:{words}){{1,3}}{head}"
    return re.compile(rf"(?:[Tt]he\s+)?(?:{listed})(?![\w’'-])|{shaped}")


def is_outlet(text: str, outlets: Iterable[str] = DEFAULT_OUTLETS,
              head_words: Iterable[str] = OUTLET_HEAD_WORDS) -> bool:
    """Whether the whole of ``text`` is an outlet name."""
    if outlets is DEFAULT_OUTLETS and head_words is OUTLET_HEAD_WORDS:
        pattern = _default_outlet_pattern()  # the usual call: no hashing of two long tuples
    else:
        pattern = outlet_pattern(tuple(outlets), tuple(head_words))
    return pattern.fullmatch(text.strip()) is not None


@lru_cache(maxsize=1)
def _default_outlet_pattern() -> re.Pattern[str]:
    return outlet_pattern(DEFAULT_OUTLETS, OUTLET_HEAD_WORDS)


# -- person names ------------------------------------------------------------------------------

# One word of a person's name as printed in bylines and attributions: "Jane", "O'Neil",
# "Min-ho", an initial "B." or an all-capitals "STEWART". Lower-case particles may join them.
_NAME_WORD = r"(?:[A-Z][A-Za-zà-ÿ'’-]{0,24}\.?)"
_NAME_PARTICLE = r"(?:de|da|di|del|van|von|der|den|la|le|bin|al|el|dos|du)"
#: A person's name: two to four name words ("Ylan Q. Mui", "Jean-Claude van Damme").
PERSON_NAME = rf"{_NAME_WORD}(?:\s+(?:{_NAME_PARTICLE}\s+)?{_NAME_WORD}){{1,3}}"
#: Several names joined by "and" or commas ("MARK LANDLER and NOAH WEILAND").
PERSON_NAMES = rf"{PERSON_NAME}(?:\s*(?:,\s*(?:and\s+)?|\s+(?:and|&|und|et|y|e)\s+){PERSON_NAME}){{0,4}}"

_PERSON_NAME_RE = re.compile(PERSON_NAME)

# Words that are capitalised at the start of a line or sentence but are not names.
_NOT_NAME_WORDS = frozenset(
    ["the", "a", "an", "and", "or", "but", "in", "on", "at", "of", "for", "to", "from", "with", "by", "as", "it", "this", "that", "these", "those", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "my", "your", "its", "there", "here", "what", "when", "where", "why", "how", "who", "which", "if", "while", "after", "before", "during", "read", "more", "most", "top", "latest", "related", "share", "comments", "comment", "views", "home", "news", "world", "business", "sport", "sports", "politics", "opinion", "video", "photo", "photos", "image", "images", "live", "updated", "published", "posted", "advertisement", "subscribe", "follow", "sign", "log", "menu", "search"]
)


def looks_like_person_name(text: str) -> bool:
    """Whether ``text`` (a whole line or field) has the shape of one person's name.

    Two to four capitalised words, none of them a common function or navigation word:
    "Maria Lopez" and "JAMES B. STEWART" pass, "Read More" and "The Guardian" do not.
    """
    text = text.strip()
    if not text or len(text) > 60 or not _PERSON_NAME_RE.fullmatch(text):
        return False
    tokens = [t.strip(".").casefold() for t in text.split()]
    return not any(t in _NOT_NAME_WORDS for t in tokens)


# -- roles ---------------------------------------------------------------------------------------

#: Roles that identify the person who wrote a piece (a byline's second line: "Staff Writer").
AUTHOR_ROLES: tuple[str, ...] = (
    "reporter", "correspondent", "writer", "editor", "columnist", "journalist", "contributor",
    "author", "staff", "bureau", "chief", "producer", "redakteur", "redakteurin", "journaliste",
    "periodista", "giornalista", "korrespondent", "correspondant", "corresponsal", "critic",
)
