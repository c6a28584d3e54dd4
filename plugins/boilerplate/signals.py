"""Per-line evidence for the boilerplate classifier, computed from the text alone.

Each non-blank line gets a :class:`LineSignals`: how many words it has, how many of them
are function words (stop words), whether it reads like a sentence, whether it is only
a date or a relative time, and which widget phrase (if any) it contains. These signals
generalise across sites because they describe the *shape* of text: article prose is
long, full of function words and ends its sentences; menus, link lists and widgets are
short, title-cased, dense in names and numbers. Widget phrases are a weak signal only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from srcaudit.text import word_tuple

# The most frequent function words of the languages news pages are most often in.
# Prose has 30-50% of them; menus, headlines and link lists have far fewer.
STOP_WORDS = frozenset("""
a about after all also an and any are as at be been but by can could did do does for from
had has have he her his how i if in into is it its just more most my no not of on one only
or our out over said says she so some such than that the their them then there these they
this those to up was we were what when where which while who will with would you your
der die das und ist nicht ein eine zu den von mit sich des auf fur im dem auch als es an
wie bei nach aus er sie wird sind hat noch oder aber um wenn nur
le la les et est un une des du en que qui dans pour pas sur au avec ce il elle sont ont
plus par se ne son sa ses leur mais comme ou
el los las y es un una del que en por con para se no su al lo como mas pero sus le ya
o os as um uma do da dos das em que com nao por para se na no ao mais foi
il lo gli e di che un una del della per non con si sono ha al nel
de het een en van is op dat niet te met voor zijn
и в не на что с по как это он она но из у к за то же от так для был все
yang dan di itu dengan untuk tidak ini dari dalam akan pada juga ke karena ada oleh atau
""".split())  # noqa: SIM905 - a word list reads better as text

#: From this many words on, a line is not read as a headline, however capitalised.
TITLE_WORDS = 25

#: An enumeration (see ``_is_enumeration``) has at least this many words and items,
#: and at most ENUMERATION_ITEM_WORDS words an item on average (names, not clauses).
ENUMERATION_WORDS = 8
ENUMERATION_ITEMS = 5
#: Fewer items make an enumeration when the line ends with a full stop (a headline rarely does).
ENUMERATION_ITEMS_SENTENCE = 4
ENUMERATION_ITEM_WORDS = 3

# Searching a long line for "$"-anchored patterns tries every position: look at its tail.
_ENDING = 12
_FULL_STOP = re.compile(r"[^.]\.[\"'”’»)\]]*$")  # one full stop, not an ellipsis "..."
_SENTENCE_END = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*$")
# Han and kana: no spaces between words. One character a match, as one class would match; two
# classes because ``re`` compiles a class of three large ranges into a bitmap of the whole
# Basic Multilingual Plane, which took ~10 ms of every run's start-up (two classes: ~1.5 ms).
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf]|[\u4e00-\u9fff]")
_GLUED_NUMBER = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_DIGIT = re.compile(r"\d")
_CASED_WORD = re.compile(r"[^\W\d_]{2,}")
_LETTER = re.compile(r"[^\W\d_]")
_UPPER_START = re.compile(r"^[\"'“‘(\[]?[^\W\d_]")

# A line that is only a date, a time or a relative time ("13 minutes ago", "Nov. 19, 2019 8:03 am ET").
# Month names and their usual abbreviations, in the languages of STOP_WORDS that share the
# English stems (a stem with any letters after it also took "Marathon", "Junior", "Decades").
_MONTH = (r"(?:jan(?:uary|uar|uari|vier|eiro)?|feb(?:ruary|ruar|ruari|rero)?|mar(?:ch|s|zo)?|apr(?:il|ile)?|may|"
          r"jun(?:e|i|io|ho)?|jul(?:y|i|io|ho)?|juil(?:let)?|aug(?:ust|ustus)?|sep(?:t|tember|tembre|tiembre)?|"
          r"oct(?:ober|obre|ubre)?|nov(?:ember|embre|embro|iembre)?|dec(?:ember)?)\.?")
_RELATIVE_TIME = re.compile(
    r"^\s*(?:updated|published|posted)?:?\s*(?:an?|\d{1,4})\s+(?:sec|second|min|minute|hour|hr|day|week|month|year)s?"
    r"\s+ago\b", re.IGNORECASE)
_RELATIVE_TIME_OTHER = re.compile(
    r"^\s*(?:vor|il y a|hace|há|ha|fa|назад)\s+\d{1,4}\s+\w{1,12}|\b\d{1,4}\s+\w{1,12}\s+(?:назад|fa|atrás)\s*$",
    re.IGNORECASE)
_DATE_TOKEN = re.compile(
    rf"\b(?:\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d{{1,4}}|\d{{1,2}}:\d{{2}}|{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH}|"
    r"(?:19|20)\d{2}|today|yesterday|am|pm|gmt|utc|et|edt|est|bst)\b", re.IGNORECASE)
# A date or a clock time anywhere in a line ("Anna on May 3, 2019 at 4:47 pm said:").
_DATED = re.compile(
    rf"\b(?:\d{{1,2}}:\d{{2}}|{_MONTH}\s+\d{{1,2}}\b|\d{{1,2}}\.?\s+{_MONTH}|\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}|"
    r"\d{1,4}\s+\w{1,12}\s+ago)\b", re.IGNORECASE)

# The signature under an embedded social-media post: "— Jo Doe (@jodoe) November 18, 2019".
# It is part of the article (a quotation with its source), not a comment's or a list's date.
_EMBED_SIGNATURE = re.compile(r"[—–-]\s?[^\n(]{1,80}\(@\w{1,30}\)")

# A clock time ("4:47 pm", "16:47"): comment headers carry one, embedded posts and bylines rarely.
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")

# A picture credit closing a line: "... (Photo: Getty)", "... (AP Photo/Jo Doe)", "... Credit: EPA" (also glued
# to the caption, "...the riverCredit: EPA", where the page had two spans), "Jane Doe | Reuters |
# Getty Images". Captions sit between an article's paragraphs but are not its text.
_CREDIT_TAIL = 80
_CREDIT = re.compile(
    r"(?:(?:\b|(?-i:(?<=[a-z])(?=[A-Z])))(?:credit|photo|image|picture|foto|bild|crédit|imagen|fotografía|immagine)s?"
    r"(?: credit| by| courtesy)?\s?:"
    r"[^.!?:]{1,40}|\((?:[^\W\d_]{1,12} )?(?:photo|image|picture|foto)s?\b[^)]{0,60}\)|\bgetty images|"
    r"\bshutterstock|\bistock(?:photo)?)\W{0,3}$", re.IGNORECASE)

# A run of digits, for comparing the shapes of two lines.
_DIGITS = re.compile(r"\d+")
_MERIDIEM = re.compile(r"^[ap]\.?m\.?$")
#: How many last words of a line make its shape.
_SHAPE_WORDS = 2

# Widget vocabulary in several languages, by the kind of block it suggests, with the
# longest line (in words) it may mark: the words are ambiguous in prose ("shares fell",
# "the trial began"), so share buttons must open a short line, and only distinctive
# phrases count anywhere in it. "related-links" comes first: it matches list headings.
WIDGET_PHRASES: dict[str, tuple[re.Pattern[str], int]] = {
    "related-links": (re.compile(
        r"^\W{0,3}(?:related\b|read (?:more|next|also)\b|more (?:from|on|stories|news)\b|most (?:read|popular|viewed|shared)\b|"
        r"popular\b|trending\b|latest\b|recommended\b|you (?:may|might) (?:also )?like\b|other news\b|"
        r"see also\b|top stories\b|must.reads?\b|lesen sie auch\b|mehr zum thema\b|à lire aussi\b|lire aussi\b|"
        r"leia (?:também|mais)\b|lee también\b|leggi anche\b|читайте также\b)", re.IGNORECASE), 8),
    "share-widget": (re.compile(
        r"^\W{0,3}(?:\d{1,9}\s{0,3})?(?:share|shares|tweet|pin it|whatsapp|facebook|twitter|linkedin|e-?mail|print|"
        r"comments?|reply|replies|likes?|views?|teilen|kommentare?|partager|commentaires?|compartir|comentarios?|"
        r"compartilhar|comentários?|condividi|commenti|поделиться|комментари\w{0,3})\b", re.IGNORECASE), 4),
    "subscription": (re.compile(
        r"\b(?:subscribe|subscription|newsletters?|sign (?:in|up)|log ?in|free trial|"
        r"(?:start|begin|try) (?:your|a|our)\b[^.!?\n]{0,40}\btrial|paywall|become a (?:member|subscriber)|"
        r"abonnieren|s'abonner|abonnez-vous|suscr[ií]bete|assine|iscriviti|abbonati|подпишитесь|подписаться)\b",
        re.IGNORECASE), 12),
    "cms-credit": (re.compile(
        r"(?:\bpowered by\b|\ball rights reserved\b|©|\(c\)\s{0,3}(?:19|20)\d\d|\bcopyright\s{0,3}(?:©|\(c\)|(?:19|20)\d\d)|"
        r"\bprivacy policy\b|\bcookies? (?:policy|settings|preferences|notice|consent)\b|"
        r"\b(?:uses?|accept|allow|manage|enable)(?: all)? cookies\b|"
        r"\bterms of (?:use|service)\b|\bimpressum\b|\bdatenschutz\b|\btodos los derechos\b|"
        r"\btous droits\b|\bdireitos reservados\b|\bвсе права\b)", re.IGNORECASE), 30),
    "advertisement": (re.compile(
        r"^\W{0,3}(?:advertisement|sponsored|ad|anzeige|werbung|publicité|publicidad|publicidade|pubblicità|реклама)\W{0,3}$",
        re.IGNORECASE), 3),
}
# A copyright notice, in several languages: the mark of a page's legal footer. Stricter
# than the "cms-credit" phrases, as it is searched in lines of any length ("cookies" and
# "copyright" alone are news words).
_LEGAL = re.compile(
    r"©|\(c\)\s{0,3}(?:19|20)\d\d|\bcopyright\s{0,3}(?:©|\(c\)|(?:19|20)\d\d)|\ball rights reserved\b|"
    r"\btodos los derechos reservados|\btous droits réservés|\bdireitos reservados|\balle rechte vorbehalten|"
    r"\btutti i diritti riservati|\bвсе права защищены", re.IGNORECASE)
# A link to another story, labelled and printed between paragraphs: "Read more: <headline>".
_LABEL_CHARS = 24
_RELATED_LABEL = re.compile(
    r"\W{0,3}(?:related|read (?:more|next|also)|more (?:from|on)|see also|also read|lesen sie auch|mehr zum thema|"
    r"à lire aussi|lire aussi|leia (?:também|mais)|lee también|leggi anche|читайте также)\s?:", re.IGNORECASE)
_LONGEST_WIDGET = max(max_words for _, max_words in WIDGET_PHRASES.values())
# For a widget pattern that may match anywhere in a line (every branch starts with "\b",
# so the regex engine tries each position of the line in turn: ~6 us a line), the lower-case
# words one of its branches needs. A line without any cannot match, when it is ASCII: the
# pattern's non-ASCII branches ("©", "все права") cannot match ASCII text, and between
# ASCII characters ignoring case is comparing lower case. Other lines go to the pattern.
_NEEDED_WORDS: dict[str, re.Pattern[str]] = {
    "cms-credit": re.compile(
        r"powered by|all rights reserved|\(c\)|copyright|privacy policy|cookie|terms of |impressum|datenschutz|"
        r"todos los derechos|tous droits|direitos reservados"),
}


class LineSignals(NamedTuple):
    """What the text of one line says about it (a named tuple: built for every line, so cheap)."""

    word_count: int         # words as srcaudit counts them (a run of CJK script is one word)
    length: int             # words, or CJK characters / 2 when that is more: how long the line reads
    stop_share: float      # share of words that are function words
    sentence_like: bool     # starts with a letter, ends like a sentence, has lower-case words
    timestamp: bool         # only a date/time or relative time
    dated: bool             # a short line with a date or time in it (a comment's or a byline's header)
    widget: str | None      # kind of the first widget phrase found (weak evidence)
    sentence_end: bool      # ends with sentence punctuation
    full_stop: bool         # ends with a full stop (headlines rarely do)
    letters: bool           # has any letter (a counter such as "300" has none)
    capital_share: float    # share of content words written with a capital (Title Case headlines: high);
                            # 0 for lines of TITLE_WORDS or more, where it decides nothing
    credit: bool            # ends with a picture credit: a photo caption, not article text
    enumeration: bool       # a list of short items between commas or semicolons: a line-up, results, a cast


def line_signals(line: str, tokens: Sequence[str] | None = None) -> LineSignals:
    """The signals of one non-blank line (``tokens``: its words, if already known)."""
    tokens = word_tuple(line) if tokens is None else tokens
    count = len(tokens)
    stops = sum(map(STOP_WORDS.__contains__, tokens))
    stripped = line.strip()
    ending = stripped[-_ENDING:]  # the end-anchored patterns need only the last characters
    sentence_end = bool(_SENTENCE_END.search(ending))
    sentence_like = bool(count >= 4 and sentence_end and _UPPER_START.match(stripped))
    full_stop = sentence_end and bool(_FULL_STOP.search(ending))
    return LineSignals(
        word_count=count,
        length=count if line.isascii() or not _CJK.search(line) else max(count, len(_CJK.findall(line)) // 2),
        stop_share=stops / count if count else 0.0,
        sentence_like=sentence_like,
        timestamp=_is_timestamp(stripped, tokens),
        dated=count <= 12 and bool(_DATED.search(stripped)) and not _EMBED_SIGNATURE.match(stripped),
        widget=_widget_kind(stripped, count),
        sentence_end=sentence_end,
        full_stop=full_stop,
        letters=bool(_LETTER.search(stripped)),
        capital_share=_capital_share(stripped) if count < TITLE_WORDS else 0.0,
        credit=_has_credit(stripped[-_CREDIT_TAIL:]),
        enumeration=_is_enumeration(stripped, count, full_stop),
    )


def is_comment_header(line: str) -> bool:
    """Whether a short dated line (``LineSignals.dated``, not a bare timestamp) carries a clock
    time and room for a name (three or more words: not a machine timestamp).

    Such a line is a comment's header ("Anna on May 3, 2019 at 4:47 pm said:") when
    several of them follow each other with prose in between (see ``classify``).
    """
    return len(line.split()) >= 3 and bool(_CLOCK.search(line))


def _has_credit(tail: str) -> bool:
    """Whether a line's tail is a picture credit; cheap string tests first, as most lines have none."""
    if ":" not in tail and ")" not in tail:
        folded = tail.casefold()
        if "images" not in folded and "stock" not in folded:
            return False
    return bool(_CREDIT.search(tail))


def is_legal(line: str) -> bool:
    """Whether a line of any length carries a copyright notice ("©", "All rights reserved" ...)."""
    return bool(_LEGAL.search(line))


def header_shape(line: str) -> tuple[str, ...]:
    """The last words of a line, digits and case erased: what lines printed from one template share.

    "Anna on May 3, 2019 at 4:47 pm said:" and "Ben on June 12, 2020 at 10:05 am said:"
    both give ``("m", "said:")``; the names at the front differ.
    """
    return tuple(_MERIDIEM.sub("m", _DIGITS.sub("0", word)) for word in line.casefold().split()[-_SHAPE_WORDS:])


def _is_enumeration(line: str, count: int, full_stop: bool) -> bool:
    """Whether a line lists short items between commas or semicolons.

    Line-ups, results tables, casts and ingredient lists are article content printed as
    one line of names and numbers ("Aldane; Brisk, Corran (Dell 70), Emmet, Fallow; ..."):
    few function words, many capitals, as a menu would have, but a menu puts one label
    on each line. At least ENUMERATION_ITEMS items, or ENUMERATION_ITEMS_SENTENCE when the
    line ends with a full stop: a Title Case headline may list three or four things
    ("Mayor, Council, Harbour Board Agree Bridge Deal, Set Spring Start") but does not end like a
    sentence. A line of date parts ("Tue, Nov 19, 2019, 10:48") is no list.
    """
    if count < ENUMERATION_WORDS:
        return False
    items = line.count(",") + line.count(";") + 1
    if items < (ENUMERATION_ITEMS_SENTENCE if full_stop else ENUMERATION_ITEMS):
        return False
    return count <= ENUMERATION_ITEM_WORDS * items and not _DATED.search(line)


def _capital_share(line: str) -> float:
    content = [w for w in _CASED_WORD.findall(line)[1:] if w.casefold() not in STOP_WORDS]
    if not content:
        return 0.0
    return sum(1 for w in content if w[0].isupper()) / len(content)


def _is_timestamp(line: str, tokens: Sequence[str]) -> bool:
    if not tokens or len(tokens) > 10:
        return False
    if _RELATIVE_TIME.search(line) or _RELATIVE_TIME_OTHER.search(line):
        return True
    # Every word is a date/time part, a number or one of a few date labels.
    remainder = _DATE_TOKEN.sub(" ", line)
    leftover = [t for t in re.findall(r"[^\W\d_]+", remainder)
                if t.casefold() not in {"updated", "published", "posted", "on", "at", "by", "le", "am", "el", "de"}]
    return len(leftover) == 0 and bool(_DATE_TOKEN.search(line))


def _widget_kind(line: str, count: int) -> str | None:
    if count > _LONGEST_WIDGET:
        return None
    if _DIGIT.search(line):  # most lines have no digit: skip the slower substitution
        line = _GLUED_NUMBER.sub(" ", line)  # "Comments0", "3Shares": counters glued to their label
    ascii_lowered = line.lower() if line.isascii() else None
    for kind, (pattern, max_words) in WIDGET_PHRASES.items():
        if count <= max_words and _may_hold(kind, ascii_lowered) and pattern.search(line):
            return kind
    if count <= TITLE_WORDS and ":" in line[:_LABEL_CHARS] and _RELATED_LABEL.match(line):
        return "related-links"  # "Read more: <a headline>", printed between an article's paragraphs
    return None


def _may_hold(kind: str, ascii_lowered: str | None) -> bool:
    """Whether the widget pattern of ``kind`` may match a line (``ascii_lowered``: the line in
    lower case when it is ASCII, else None: then only the pattern can tell)."""
    needed = _NEEDED_WORDS.get(kind)
    return needed is None or ascii_lowered is None or needed.search(ascii_lowered) is not None
