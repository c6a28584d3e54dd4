"""The regexes rewritten for speed in the consistency machinery match what the plain definitions matched."""

from __future__ import annotations

import random
import re

from srcaudit import people

# The speech verbs as they were first written: one alternation of whole words.
_PLAIN_VERBS = (r"[Ss]aid|told|wrote|(?:say|tell|add|ask|explain|note|write|argue|state|remark|comment|insist|"
                r"recall|warn|declare|continue|repl(?:y|ie)|respond|tweet|claim|acknowledge|admit|announce|"
                r"suggest|observe|counter|caution|urge|demand|yell|shout|call|describe|assert|predict|"
                r"complain|concede|conclude|boast|joke|quip|vow|promise|report|testif(?:y|ie))(?:s|ed|d|ing)?")


def test_speech_verbs_grouped_by_first_letter_are_the_same_words():
    reference = re.compile(rf"\b(?:{_PLAIN_VERBS})\b")
    words = set(people._PLAIN_SPEECH_VERBS)
    for stem in people._SPEECH_STEMS:
        words.update(stem + suffix for suffix in ("", "s", "ed", "d", "ing"))
    near = {variant for word in words for variant in (word[:-1], word + "x", word.upper(), word.capitalize())}
    for word in words | near:
        assert bool(people.SPEECH_VERB.fullmatch(word)) == bool(reference.fullmatch(word)), word
    rnd = random.Random(7)
    vocabulary = sorted(words) + ["Smith", "he", "the", ",", "said2", "_told", "—", "\n"]
    for _ in range(3000):
        sample = " ".join(rnd.choice(vocabulary) for _ in range(rnd.randrange(0, 12)))
        assert ([m.span() for m in people.SPEECH_VERB.finditer(sample)]
                == [m.span() for m in reference.finditer(sample)]), sample


def test_speech_follows_is_the_next_word_being_a_speech_verb():
    for text, end, expected in (("Smith said", 5, True), ("Smith  told us", 5, True), ("Smith saidx", 5, False),
                                ("Smith said2", 5, False), ("Smith, said", 5, False), ("Smith sa", 5, False),
                                ("Smith " + " " * 20 + "said", 5, False), ("Smith warned.", 5, True)):
        assert people._speech_follows(text, end) is expected, text


def test_speech_verb_spans_are_the_regex_matches():
    rnd = random.Random(5)
    pieces = ["said", "Said", "SAID", "says", "told", "retold", "said_", "_said", "said2", "2said", "tells",
              "saying", "Smith", " ", " ", ", ", ".", "\n", "é", "testifies", "x"]
    for _ in range(5000):
        sample = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 14)))
        start = rnd.randrange(0, len(sample) + 1)
        end = rnd.randrange(start, len(sample) + 1)
        assert (people.speech_verb_spans(sample, start, end)
                == [m.span() for m in people.SPEECH_VERB.finditer(sample, start, end)]), (sample, start, end)
