"""Decide, line by line, which text of a page is the article and which is its template.

The method is a text-only cousin of *Body Text Extraction* (Finn, Kushmerick & Smyth,
2001): score every line as evidence for prose (a long line dense in function words, or
a sentence) or against it (short lines, timestamps, widget phrases), then take the
contiguous stretch of lines with the highest total score as the article. Inside that
stretch, short gaps between prose lines are kept (sub-headings, quotes, short lists);
outside it, everything is template. A prose line with no prose neighbour counts for
less (the summary under each link of a "related stories" list), and a widget phrase, a
timestamp or a short dated line makes a line cost more (a comment thread's "Reply" and
"Anna on May 3, 2019 at 4:47 pm said:"). The first line is kept when it
looks like a headline, so that other rules still see a headline printed twice.

Some template reads as well as any article, and some article reads like template; what
plain text still shows of each is used to correct the stretch:

- a comment thread (two or more reply headers printed from one template, each with a
  name and a clock time and followed by the reply) is not prose;
- a legal footer (a copyright notice in the last tenth of the lines, past a seam) ends
  the article, and is set aside when it is all the best stretch holds;
- photo captions (a line closing with a picture credit) are not prose, and do not make
  the paragraphs around them lone teasers;
- an embedded post's signature ("— Name (@handle) date") is no dated template line;
- a list after the article's last paragraph (five or more sentence-case items, short
  labels between them) carries the article on;
- an enumeration next to the article (a line-up, a list of results: many short items
  between commas or semicolons, few function words) is content, not a menu;
- a text with no template on top (a headline, at most MAX_GAP short lines, then the
  article) was saved clean: its short lines (tables, fixtures, bullet points) are the
  article's, up to the first widget, date, credit, copyright line or menu.

Only the shape of the text is used, so the rules generalise across sites and
languages with spaces between words; there is no list of any site's own phrases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from srcaudit.text import comparison_key, word_tuple

from .signals import TITLE_WORDS, LineSignals, header_shape, is_comment_header, is_legal, line_signals
from .tokens import SummaryBuilder

#: A line with at least this many words and enough function words reads as prose.
PROSE_WORDS = 15
#: A shorter sentence still counts as prose when it has this many words.
SENTENCE_WORDS = 8
#: Share of function words below which a long line reads as a list of names or titles.
MIN_STOP_SHARE = 0.12
#: Share of capitalised content words from which a line shorter than TITLE_WORDS reads
#: as a Title Case headline (longer ones are paragraphs crowded with names).
TITLE_CASE_SHARE = 0.8
#: What a non-prose line costs the stretch it is in, on top of its words.
LINE_COST = 1.0
#: What a prose line counts for when neither neighbour is prose (a teaser under a link).
ISOLATED_WEIGHT = 0.3
#: Extra cost of a line with a widget phrase or a timestamp: evidence of a template seam.
WIDGET_COST = 15.0
#: Extra cost of a short line with a date or time: the seam between an article and a comment thread.
DATED_COST = 30.0

#: The foot of a page: the last tenth of its non-blank lines (what follows a site's legal
#: notice is at most a line of links), as opposed to a credit under the article.
FOOT_SHARE = 0.1
#: Comment headers at most this many non-blank lines apart belong to one thread (a reply
#: of a few dozen paragraphs is already exceptional).
THREAD_SPAN = 40

#: A list item is in sentence case: at most this share of its content words capitalised.
ITEM_CAPITAL_SHARE = 0.5
#: A run of sentence-case lines after the article is a list of it from this many items on.
MIN_LIST = 5

#: Documents with fewer non-blank lines are too short to show a template's structure.
MIN_CONTEXT_LINES = 8
#: Longest run of non-prose lines kept between two prose lines of the article.
MAX_GAP = 3
#: Repeats of the headline are looked for among this many first non-blank lines.
HEADLINE_WINDOW = 5
#: This many one- or two-word lines in a row are a menu, even under an article saved clean.
MENU_ITEMS = 3
BODY = None


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 0-based
    signals: LineSignals


def is_prose(signals: LineSignals, min_stop_share: float = MIN_STOP_SHARE) -> bool:
    """Whether one line, on its own, reads like article prose."""
    if signals.timestamp or signals.credit:
        return False
    if signals.widget and (signals.length < PROSE_WORDS or signals.widget == "related-links"):
        return False  # "Subscribe to our newsletter.", "Share this story on Facebook.", "Read more: <headline>"
    if signals.enumeration:
        return True  # a line-up or a list of results: content, though it has few function words
    if signals.stop_share < min_stop_share:
        return False
    if signals.capital_share >= TITLE_CASE_SHARE and signals.length < TITLE_WORDS and not signals.full_stop:
        return False  # A Headline In Title Case (a sentence full of names ends with a full stop)
    return signals.length >= PROSE_WORDS or (signals.sentence_like and signals.length >= SENTENCE_WORDS)


def stop_words_apply(signals: Sequence[LineSignals]) -> bool:
    """Whether the document's language is one our function-word list knows.

    In a language it does not know (Korean, Japanese, Turkish ...) even the article's
    longest lines have almost no listed function words; the test is then skipped
    rather than letting it call the whole article boilerplate.
    """
    long_lines = [s.stop_share for s in signals if s.length >= PROSE_WORDS]
    if not long_lines:
        return True
    return sum(1 for share in long_lines if share >= MIN_STOP_SHARE) * 4 >= len(long_lines)


def classify_lines(lines: Sequence[str]) -> tuple[list[str | None], dict[int, LineSignals]]:
    """One role per line (``None`` for body, ``"boilerplate"`` otherwise; kinds come later),
    and the signals of each non-blank line by 1-based line number."""
    builder = SummaryBuilder()  # word counts and line hashes for the later hooks
    content = []
    for n, text in enumerate(lines):
        tokens = word_tuple(text)  # the cached tuple: no copy
        builder.add(tokens)
        if text.strip():
            content.append(_Line(n, line_signals(text, tokens)))
    builder.finish(lines)
    signals = {line.number + 1: line.signals for line in content}
    roles: list[str | None] = ["boilerplate"] * len(lines)
    for n, text in enumerate(lines):
        if not text.strip():
            roles[n] = BODY  # blank lines are settled below, from their neighbours
    if not content:
        return roles, signals
    if len(content) < MIN_CONTEXT_LINES:
        _classify_short(lines, content, roles)
        return roles, signals
    min_stop_share = MIN_STOP_SHARE if stop_words_apply([line.signals for line in content]) else 0.0
    prose = [is_prose(line.signals, min_stop_share) for line in content]
    _enumerations_in_context(content, prose)
    _silence_comment_threads(lines, content, prose)
    stretch = _article_stretch(lines, content, prose)
    article_start = min(len(content), HEADLINE_WINDOW)
    if stretch is not None:
        start, end = stretch
        article_start = start
        for i in range(start, end + 1):
            if prose[i] or _kept_inside(content, prose, i, start, end):
                roles[content[i].number] = BODY
        if _clean_top(content, start):
            _keep_clean_article(lines, content, start, roles)
    _keep_headline(lines, content, prose, article_start, roles)
    if article_start == 1 and _headline_like_a_heading(lines, content):
        roles[content[0].number] = BODY
    _settle_blank_lines(lines, roles)
    return roles, signals


def _headline_like_a_heading(lines: Sequence[str], content: list[_Line]) -> bool:
    """Whether the first line opens with a list heading's word ("Latest ...") but heads the article.

    A "Latest" or "Popular" heading over a list of links is a word or two, or a label
    with a colon, and links follow it; a headline that happens to start with such a
    word has a few more words and the article's first paragraph right under it.
    """
    first = content[0].signals
    return (first.widget == "related-links" and 4 <= first.word_count <= 30 and len(content) > 1
            and ":" not in lines[content[0].number] and is_prose(content[1].signals))


def _clean_top(content: list[_Line], start: int) -> bool:
    """Whether nothing but a headline comes before the article: the text has no page template on top.

    A saved web page opens with its template (skip links, menus, a section label, a
    byline and date) before the article's first paragraph; an article saved clean opens
    with its headline (3 to 30 words: a menu's first item is a word or two) and at most
    MAX_GAP short lines under it (a standfirst, a venue, a date and time), or with its
    first paragraph.
    """
    if start == 0:
        return True
    first = content[0].signals
    return (start <= 1 + MAX_GAP and 3 <= first.word_count <= 30 and first.letters and not first.widget
            and not first.timestamp and not first.dated and not first.credit
            and all(_header_line(line.signals) for line in content[1:start]))


def _header_line(signals: LineSignals) -> bool:
    """A line between a clean article's headline and its first paragraph: clean, or short and no widget."""
    return _clean(signals) or (0 < signals.word_count < SENTENCE_WORDS and not signals.widget and not signals.credit)


def _keep_clean_article(lines: Sequence[str], content: list[_Line], start: int, roles: list[str | None]) -> None:
    """In an article with no template on top, everything from its start is article until a template sign.

    Without a page template around it, the short lines inside and after the paragraphs
    (a table of results, line-ups, a list of fixtures, a one-line tagline) are the
    article's data, not a menu. The first widget phrase, date, timestamp, picture credit,
    copyright notice or menu (MENU_ITEMS one- or two-word lines in a row) is where a
    template would start: from it on, the stretch decides, and so it does for the line
    just before it when that line does not end like a sentence (the heading of the
    block: "More headlines" over a list of links).
    """
    for line in content[1:start]:
        roles[line.number] = BODY
    kept: list[_Line] = []  # the lines this keeps, and the body lines of the stretch among them
    menu = 0  # menu items in a row just before this line
    for line in content[start:]:
        settled = roles[line.number] is BODY
        menu = menu + 1 if not settled and _menu_item(line.signals) else 0
        if menu == MENU_ITEMS:
            del kept[len(kept) - (MENU_ITEMS - 1):]
        elif settled or (_article_line(line.signals) and not is_legal(lines[line.number])):
            kept.append(line)
            continue
        if kept and not kept[-1].signals.sentence_end:
            kept.pop()
        break
    for line in kept:
        roles[line.number] = BODY


def _menu_item(signals: LineSignals) -> bool:
    """A line of one or two words that does not end like a sentence: "About us", "Contact", "Careers"."""
    return signals.word_count <= 2 and not signals.sentence_end


def _article_line(signals: LineSignals) -> bool:
    """A clean line, or a dated one that is a sentence ending with a full stop ("Ties are played on 19/20 May.")."""
    if signals.dated and signals.full_stop and signals.sentence_like and not signals.timestamp:
        return bool(signals.word_count) and not signals.credit and not signals.widget
    return _clean(signals)


def _enumerations_in_context(content: list[_Line], prose: list[bool]) -> None:
    """An enumeration is article content only when it hangs off the article's prose.

    A report's line-ups and results follow or precede its paragraphs: enumerations, with
    at most MAX_GAP short lines between them and the prose (scorers, substitutes, a venue,
    a referee). The same shape elsewhere (a tag list after the share buttons or among link
    lists, an address in the footer, one answer in a long Q&A) is no reason to carry the
    article on, so those enumerations are not prose. Short lines keep the article's gaps
    (``_kept_inside``), so the reach is measured in them.
    """
    i = 0
    while i < len(content):
        if not (prose[i] and content[i].signals.enumeration):
            i += 1
            continue
        first = last = i  # the cluster of enumerations linked by name lines
        k = i + 1
        while k < len(content):
            if prose[k] and content[k].signals.enumeration:
                last = k
            elif not _name_line(content[k].signals) or k - last > MAX_GAP:
                break
            k += 1
        if not (_reaches_prose(content, prose, first, -1) or _reaches_prose(content, prose, last, 1)):
            for n in range(first, last + 1):
                prose[n] = False
        i = last + 1


def _name_line(signals: LineSignals) -> bool:
    """A short line between the enumerations of a line-up (scorers, substitutes, a venue, a referee)."""
    return signals.length < SENTENCE_WORDS and _clean(signals)


def _reaches_prose(content: list[_Line], prose: list[bool], i: int, step: int) -> bool:
    """Whether prose that is no enumeration lies within MAX_GAP name lines of line ``i`` in direction ``step``."""
    for k in range(i + step, i + step * (MAX_GAP + 2), step):
        if not 0 <= k < len(content):
            return False
        if prose[k]:
            return not content[k].signals.enumeration
        if not _name_line(content[k].signals):
            return False
    return False


def _article_stretch(lines: Sequence[str], content: list[_Line], prose: list[bool]) -> tuple[int, int] | None:
    """First and last index (in ``content``) of the article: the best stretch, without a legal footer.

    When the best stretch is nothing but the page's legal footer, its prose is set aside
    and the article is looked for once more (a short article above a long disclaimer).
    """
    for _ in range(2):
        stretch = _max_subarray([_value(content, prose, i) for i in range(len(content))])
        if stretch is None:
            return None
        start, end = stretch
        trimmed = _trim_legal_tail(lines, content, prose, start, end)
        if trimmed is not None:
            return start, _extend_list(lines, content, prose, trimmed)
        for i in range(start, end + 1):
            prose[i] = False
    return None


def _list_item(line: str, signals: LineSignals) -> bool:
    """Whether a line that is not prose reads like an item of a list written in the article.

    Such items are text in sentence case ("Eat 60-90 minutes before your workout",
    "1 cup asparagus, 2 poached eggs"), unlike a menu's or a link list's Title Case
    labels; a machine token ("narrow-browser-and-phone"), a widget, a date or a
    picture credit is no item.
    """
    return (signals.word_count >= 3 and signals.capital_share <= ITEM_CAPITAL_SHARE and signals.letters
            and not (signals.widget or signals.dated or signals.timestamp or signals.credit)
            and not (line.isascii() and len(line.split(maxsplit=1)) == 1))


def _extend_list(lines: Sequence[str], content: list[_Line], prose: list[bool], end: int) -> int:
    """Carry the article on through a list that follows its last paragraph.

    Recipes, product round-ups and instructions put most of their text in lists after a
    short introduction; the items are too short to read as prose, so the best stretch
    stops at the introduction. After it, a run of list items (short labels between them
    allowed, at most MAX_GAP in a row) is kept when it has at least MIN_LIST items, and
    stops at the first widget, date or caption: a line or two of sentence-case text
    after an article is as likely an author's box or a teaser as a list. Returns the
    new end, and marks the items as prose.
    """
    last, labels, items = end, 0, 0
    for k in range(end + 1, len(content)):
        signals = content[k].signals
        if signals.widget or signals.dated or signals.timestamp or signals.credit:
            break
        if prose[k] or _list_item(lines[content[k].number], signals):
            last, labels, items = k, 0, items + 1
        else:
            labels += 1
            if labels > MAX_GAP:
                break
    if items < MIN_LIST:
        return end
    for i in range(end + 1, last + 1):
        prose[i] = prose[i] or _list_item(lines[content[i].number], content[i].signals)
    return last


def _trim_legal_tail(lines: Sequence[str], content: list[_Line], prose: list[bool], start: int,
                     end: int) -> int | None:
    """End the article before a legal footer that the best stretch ran on into.

    A page's foot often holds long, well-formed sentences (disclaimers, trademark and
    copyright notices) that outweigh the menus and widget lines between them and the
    article, so the best stretch can run on across that template seam. When the last
    part of the stretch after a seam (a gap the article would not keep) lies in the foot
    of the page (its last FOOT_SHARE of lines) and carries a copyright notice, that part
    is the page's footer, not the article's last paragraphs. An agency's credit under
    the article ("© 2019 Agency. All rights reserved.") is followed by the rest of the
    page's template, and a clean article that ends with one starts far above the foot:
    both stay. Returns the new end, or None when the whole stretch is such a footer.
    """
    foot = len(content) * (1.0 - FOOT_SHARE)
    if end + 1 < foot:
        return end  # the stretch ends before the page's foot
    seams: list[tuple[int, int]] = []
    i = start
    while i <= end:  # the stretch starts and ends on prose lines (only they add to it)
        if prose[i]:
            i += 1
            continue
        first = i
        while not prose[i]:
            i += 1
        if i - first > MAX_GAP or not all(_clean(content[k].signals) for k in range(first, i)):
            seams.append((first, i - 1))
    while True:
        seam = seams.pop() if seams else None
        part = seam[1] + 1 if seam else start
        if part < foot or not any(is_legal(lines[content[k].number]) for k in range(part, end + 1)):
            return end
        if seam is None:
            return None  # the whole stretch is the page's legal footer
        end = seam[0] - 1


def _silence_comment_threads(lines: Sequence[str], content: list[_Line], prose: list[bool]) -> None:
    """The replies of a comment thread are not article prose, however well written.

    A thread shows its shape in plain text: two or more short header lines printed from
    one template, each with a clock time and a name, each followed at once by the reply
    ("Anna on May 3, 2019 at 4:47 pm said:" / reply / "Ben on May 4, 2019 at 9:02 am
    said:" / reply). An article's single byline does not make a thread, embedded posts
    ("— Anna (@anna) May 3, 2019") carry no clock time, and differently worded date lines
    ("Updated ...", "First published ...") do not share a template. From the first header
    to the end of the last reply, prose counts as template, so the article is sought
    before it.
    """
    headers = [i for i, line in enumerate(content)
               if line.signals.dated and not line.signals.timestamp and i + 1 < len(content) and prose[i + 1]
               and is_comment_header(lines[line.number])]
    cluster: list[int] = []
    for i in headers + [-1]:
        if cluster and (i < 0 or i - cluster[-1] > THREAD_SPAN
                        or header_shape(lines[content[i].number]) != header_shape(lines[content[cluster[0]].number])):
            if len(cluster) >= 2:
                end = cluster[-1] + 1
                while end < len(content) and prose[end]:
                    end += 1
                for k in range(cluster[0], end):
                    prose[k] = False
            cluster = []
        cluster.append(i)


def _classify_short(lines: Sequence[str], content: list[_Line], roles: list[str | None]) -> None:
    """A short document shows no template structure: only widget lines and timestamps are boilerplate.

    With a handful of lines a menu and a short note look alike, so the shape of the
    text decides nothing; a "Share this article" or "Subscribe" line still says what it is.
    """
    for line in content:
        if not (line.signals.widget or line.signals.timestamp):
            roles[line.number] = BODY
    if _headline_like_a_heading(lines, content):
        roles[content[0].number] = BODY
    _settle_blank_lines(lines, roles)


def _keep_headline(lines: Sequence[str], content: list[_Line], prose: list[bool], article_start: int,
                   roles: list[str | None]) -> None:
    """The headline, and lines repeating it near the top, stay body.

    The headline is the first line before the article that has 3 to 30 words, does not
    read as prose, and has no widget phrase or date (menus and skip links often come
    first). A headline is not template, and a headline printed twice is for DUP003.
    """
    headline: _Line | None = None
    for line, is_prose_line in zip(content[:article_start], prose):
        signals = line.signals
        if (not is_prose_line and 3 <= signals.word_count <= 30 and signals.letters and not signals.widget
                and not signals.timestamp and not signals.dated):
            headline = line
            break
    if headline is None:
        return
    roles[headline.number] = BODY
    key = comparison_key(lines[headline.number])
    position = content.index(headline)
    for line in content[position + 1:position + HEADLINE_WINDOW]:
        if line.signals.word_count == headline.signals.word_count and comparison_key(lines[line.number]) == key:
            roles[line.number] = BODY


def _value(content: list[_Line], prose: list[bool], i: int) -> float:
    signals = content[i].signals
    if prose[i]:
        neighbour = any(prose[k] or content[k].signals.sentence_like
                        for k in (_past_caption(content, i, -1), _past_caption(content, i, 1)) if 0 <= k < len(content))
        return signals.length * (1.0 if neighbour else ISOLATED_WEIGHT)
    cost = signals.length + LINE_COST
    if signals.widget or signals.timestamp:
        cost += WIDGET_COST
    if signals.dated or signals.timestamp:
        cost += DATED_COST
    return -cost


def _past_caption(content: list[_Line], i: int, step: int) -> int:
    """The neighbour of line ``i`` in direction ``step``, looking past one photo caption.

    A caption between two paragraphs does not make either a lone teaser.
    """
    k = i + step
    if 0 <= k < len(content) and content[k].signals.credit:
        k += step
    return k


def _max_subarray(values: list[float]) -> tuple[int, int] | None:
    """Kadane's algorithm: first and last index of the run with the highest positive total."""
    best: tuple[int, int] | None = None
    best_total = total = 0.0
    start = 0
    for i, value in enumerate(values):
        if total <= 0:
            total, start = 0.0, i
        total += value
        if total > best_total:
            best, best_total = (start, i), total
    return best


def _kept_inside(content: list[_Line], prose: list[bool], i: int, start: int, end: int) -> bool:
    """A non-prose line inside the article stays when its gap between prose lines is short and clean.

    Sub-headings, one-line quotes and short lists sit in gaps of a few lines; a gap with
    a timestamp, a dated line or a widget (outside a sentence) is a template seam.
    """
    first = i
    while first > start and not prose[first - 1]:
        first -= 1
    last = i
    while last < end and not prose[last + 1]:
        last += 1
    if first == start or last == end or last - first + 1 > MAX_GAP:
        return False
    return all(_clean(content[k].signals) for k in range(first, last + 1))


def _clean(signals: LineSignals) -> bool:
    return (bool(signals.word_count) and not signals.timestamp and not signals.dated and not signals.credit
            and not (signals.widget and not signals.sentence_like))


def _settle_blank_lines(lines: Sequence[str], roles: list[str | None]) -> None:
    """A blank line between two boilerplate lines belongs to their block."""
    previous: str | None = BODY
    n = 0
    while n < len(lines):
        if lines[n].strip():
            previous = roles[n]
            n += 1
            continue
        end = n
        while end < len(lines) and not lines[end].strip():
            end += 1
        following = roles[end] if end < len(lines) else previous
        if previous is not BODY and following is not BODY:
            for k in range(n, end):
                roles[k] = previous
        n = end
