"""The grammatical gender of the people of a text, for resolving "he said" / "she said".

A pronoun attribution names nobody: quote attribution picks the person it refers to among
those mentioned before. Gender rules out half the candidates. It comes from evidence in
the text only:

- an honorific before any mention ("Mr. Smith", "Mrs. Jones", "Ms. Lee");
- a gendered role noun in a title ("spokeswoman", "congressman", "the widow").

First names are deliberately not used: a first-name dictionary (gender-guesser's, tried
in session 2) changed no PolNeAR score (F1 0.796 with and without it), is GPL-licensed
data, and guesses about people rather than reading what the text says.

Anything unclear (an unknown or unisex name, conflicting evidence) is ``None``: the caller
then treats the person as compatible with either pronoun.
"""

from __future__ import annotations

import re
from typing import Literal

from .names import fold_word
from .people import PeopleFinder

Gender = Literal["m", "f"]

_HONORIFIC_GENDER: dict[str, Gender] = {
    "mr": "m", "sir": "m", "herr": "m", "lord": "m",
    "mrs": "f", "ms": "f", "miss": "f", "dame": "f", "madam": "f", "mme": "f", "mlle": "f", "lady": "f",
}
_HONORIFIC_BEFORE = re.compile(r"\b(" + "|".join(_HONORIFIC_GENDER) + r")\.?\s+\Z", re.IGNORECASE)

#: Role and kinship nouns that say the person's gender (English).
_ROLE_GENDER: dict[str, Gender] = {
    **dict.fromkeys("""spokesman chairman congressman businessman councilman alderman
        assemblyman anchorman king prince duke emperor father husband son brother uncle nephew
        grandfather grandson widower boyfriend sir lord monk fireman policeman sportsman
        statesman countryman frontman""".split(), "m"),
    **dict.fromkeys("""spokeswoman chairwoman congresswoman businesswoman councilwoman
        alderwoman assemblywoman anchorwoman queen princess duchess empress mother wife daughter
        sister aunt niece grandmother granddaughter widow girlfriend dame lady nun actress
        policewoman sportswoman stateswoman countrywoman frontwoman mom mum""".split(), "f"),
}
_WORD = re.compile(r"[A-Za-z]+")

#: Pronoun -> the gender it requires (None: any person).
PRONOUN_GENDER: dict[str, Gender] = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}


class Genders:
    """Gender of each person of one text (by person key), worked out on first request."""

    def __init__(self, text: str, people: PeopleFinder, named: dict[str, str] | None = None) -> None:
        self.text = text
        self.people = people
        #: Speakers known only by name as written (not people of the finder): key -> name.
        self.named = named if named is not None else {}
        self._known: dict[str, Gender | None] = {}

    def of(self, key: str) -> Gender | None:
        if key not in self._known:
            self._known[key] = self._work_out(key)
        return self._known[key]

    def compatible(self, key: str, wanted: Gender | None) -> bool:
        """Whether a person may be the referent of a pronoun requiring ``wanted``."""
        if wanted is None:
            return True
        found = self.of(key)
        return found is None or found == wanted

    def _work_out(self, key: str) -> Gender | None:
        person = self.people.people.get(key)
        if person is None:
            return None  # known only as a name in an attribution: no evidence in the text
        evidence: set[Gender] = set()
        for mention in person.mentions:
            honorific = _HONORIFIC_BEFORE.search(self.text, max(0, mention.start - 8), mention.start)
            if honorific:
                evidence.add(_HONORIFIC_GENDER[honorific.group(1).lower()])
            if mention.title is not None:
                for word in _WORD.findall(mention.title.text):
                    role = _ROLE_GENDER.get(fold_word(word))
                    if role:
                        evidence.add(role)
        if len(evidence) == 1:
            return evidence.pop()
        return None  # no evidence, or conflicting evidence: say nothing
