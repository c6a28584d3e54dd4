"""Metadata: MET001 (no byline) and MET002 (no publication date, or empty date fields).

A source that says who wrote it and when is accountable and can be placed in time
(NewsGuard and the Trust Project both ask for named creators and dates). Saved pages
keep these in many shapes, so detection looks for each shape where it usually sits:

* bylines: "By NAME" (and "Von/Par/Por NAME", "Author: NAME"), a name line followed by
  an e-mail address, a handle or a role ("Staff Writer"), and near the top a name line
  right above a date line, "NAME | Outlet", "NAME, Reuters", and agency datelines
  ("WASHINGTON (AP) —", "(Reuters) -");
* dates: labelled dates anywhere ("Published: 5 June 2024"), short date lines near
  the top ("June 24, 2024 10:05 AM"), dates on a byline line, and datelines with a date
  ("LONDON, June 5 (Reuters) -"), in numeric, ISO and month-name formats in English,
  French, German, Spanish, Italian, Portuguese and Dutch, and CJK year-month-day;
* empty templates: a line of date labels with no values ("Published: Updated:").

"Near the top" is the first ``header_lines`` lines and, on a saved web page whose article
starts below a long menu, the lines around the first article paragraph as well.

A date inside a sentence ("shake hands on September 13, 2023") is an event, not a
publication date, and relative times ("13 minutes ago") usually belong to other
stories' teasers: neither counts. Both rules report once per document, at line 1 (an
empty date template is reported at its own line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import srcaudit
from srcaudit.api import ActiveRules, Document, Finding, Rule, RuleOption, Severity
from srcaudit.memo import once_per_document
from srcaudit.newsroom import (
    AUTHOR_ROLES,
    PERSON_NAMES,
    is_outlet,
    looks_like_person_name,
    outlet_pattern,
)

DEFAULT_BYLINE_PREFIXES = (
    "by", "written by", "words by", "posted by", "reporting by", "story by", "author", "authors", "byline",
    "von", "par", "por", "di", "door", "av", "af", "autor", "auteur", "autore", "texte", "text",
)
DEFAULT_DATE_LABELS = (
    "published", "updated", "posted", "date", "dated", "first published", "last updated", "last modified",
    "modified", "published on", "updated on", "posted on", "veröffentlicht", "aktualisiert", "stand",
    "publié", "publié le", "mis à jour", "publicado", "actualizado", "pubblicato", "aggiornato",
    "gepubliceerd", "bijgewerkt", "publicerad", "uppdaterad",
)
#: Month names and abbreviations by language (lower case); extend with the `month_names` option.
MONTH_NAMES = (  # noqa: SIM905 -- one long string per language reads better than 150 literals
    # English
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    # French
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre "
    # German
    "januar jänner februar märz april mai juni juli august september oktober november dezember "
    # Spanish and Portuguese
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre "
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro "
    # Italian
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre "
    # Dutch
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()

MET001 = Rule(
    code="MET001",
    name="no-byline",
    summary="The document names no author: no byline, author line or agency credit.",
    severity=Severity.WARNING,
    tags=("metadata",),
    options=(
        RuleOption("header_lines", 25, "How many lines from the top count as the header (weaker byline "
                                       "shapes such as \"NAME | Outlet\" are only accepted there)."),
        RuleOption("byline_prefixes", list(DEFAULT_BYLINE_PREFIXES),
                   "Words that introduce an author's name at the start of a line (\"By\", \"Von\", \"Author:\")."),
    ),
    documentation="""
## What it does
Reports a document in which no author can be found: no "By NAME" line (or "Von",
"Par", "Por", "Author:" ...), no name line followed by an e-mail address, handle or
role, no name line right above a date line, "NAME | Outlet" or "NAME, Reuters" line near
the top, and no agency dateline such as "WASHINGTON (AP) —" or "(Reuters) -". "By" may
stand on a line of its own, the name below it.
"Near the top" means the first `header_lines` lines and, on a saved web page whose
article starts below a long menu, the lines just above and at the start of the article.
Reported once, at line 1.

## Why it matters
A named author is accountable for the text and can be asked about it; anonymous pages
are harder to trust and to cite. Missing bylines are also a sign that the saved copy lost
its header, so the collected file may not be the page as published.

## Example
```text
China's Growing Concerns over North Korea-Russia Alliance    <- line 1: MET001
According to officials, ...
```
With a byline, no finding:
```text
Markets rally after rate cut
By Jane Doe | The Daily Courier
```

## How to fix
Re-collect the page with its header, or add the author (and where it came from) to the
saved file. Sources that never name authors should be weighed accordingly.
""",
)

MET002 = Rule(
    code="MET002",
    name="no-date",
    summary="The document has no publication date, or its date fields are empty.",
    severity=Severity.WARNING,
    tags=("metadata",),
    options=(
        RuleOption("header_lines", 25, "How many lines from the top may hold an unlabelled date line."),
        RuleOption("date_labels", list(DEFAULT_DATE_LABELS),
                   "Labels that introduce a date (\"Published\", \"Updated\", \"Veröffentlicht\")."),
        RuleOption("month_names", [], "Month names or abbreviations to recognise besides the built-in "
                                      "English, French, German, Spanish, Portuguese, Italian and Dutch ones."),
    ),
    documentation="""
## What it does
Reports a document with no publication date: no labelled date ("Published: 24 June
2024", "Updated 2024-06-24"), no short date line near the top, no date on the byline and
no dated dateline ("LONDON, June 5 (Reuters) -"). Dates inside sentences are events, not
publication dates, and relative times ("13 minutes ago") are ignored. As for MET001, the
lines around the start of the article count as the top of a page that opens with a menu.
When the page has a date template with no values ("Published: Updated:"), the finding
points at that line. Otherwise it is reported once, at line 1.

## Why it matters
Without a date a reader cannot tell whether a claim was current, superseded or
corrected, nor order several sources' accounts of the same event. Empty date fields show
that the date was lost when the page was saved.

## Example
```text
US says China is concerned
Published: Updated:            <- line 3: MET002, empty date fields
```

## How to fix
Re-collect the page with its date, or add the publication date to the saved file.
""",
)


@srcaudit.hookimpl
def srcaudit_rules() -> list[Rule]:
    return [MET001, MET002]


@srcaudit.hookimpl
def srcaudit_prepare(rules: ActiveRules) -> None:
    """Compile the byline and date patterns before the workers fork (each would otherwise
    compile them on its first document); without it they are compiled on first use."""
    if rules.any_enabled("MET001", "MET002"):
        settings = _settings(rules)
        _patterns(settings.byline_prefixes, settings.date_labels, settings.month_names)


@dataclass(frozen=True)
class Metadata:
    """What was found of a document's byline and date (line numbers are 1-based)."""

    byline: str | None
    byline_line: int | None
    date: str | None
    date_line: int | None
    empty_date_line: int | None


@srcaudit.hookimpl
def srcaudit_check_document(document: Document, rules: ActiveRules) -> list[Finding]:
    if not rules.any_enabled("MET001", "MET002"):
        return []
    found = _metadata(document, rules)
    findings: list[Finding] = []
    if rules.enabled("MET001") and found.byline is None:
        findings.append(_line_finding(document, 1, "MET001",
                                      "no byline: no \"By NAME\" line, author line or agency credit found"))
    if rules.enabled("MET002") and found.date is None:
        if found.empty_date_line is not None:
            label = " ".join(document.lines[found.empty_date_line - 1].split())
            findings.append(_line_finding(document, found.empty_date_line, "MET002",
                                          f"empty date fields \"{label[:60]}\" and no publication date elsewhere"))
        else:
            findings.append(_line_finding(document, 1, "MET002", "no publication date: no dated header line, "
                                                                  "date label or dateline found"))
    return findings


def _line_finding(document: Document, line: int, code: str, message: str) -> Finding:
    """A finding on a whole line, with the anchor the engine would give it (the line's text
    without edge blanks, as ``line_region`` trims them) and the rule's default severity:
    most documents of a corpus without bylines get two such findings, and the engine
    would otherwise copy each to add the anchor, then again to add the severity (a
    severity set in rules.toml still replaces this one)."""
    return Finding(code, message, document.path, document.line_region(line), severity=_SEVERITIES[code],
                   anchor=document.lines[line - 1].strip())


_SEVERITIES = {MET001.code: MET001.severity, MET002.code: MET002.severity}


@srcaudit.hookimpl
def srcaudit_measure_document(document: Document, rules: ActiveRules) -> dict[str, Any]:
    if not rules.any_enabled("MET001", "MET002"):
        return {}
    found = _metadata(document, rules)
    measures: dict[str, Any] = {}
    if rules.enabled("MET001"):
        measures["byline_present"] = found.byline is not None
        if found.byline:
            measures["byline"] = found.byline[:80]
    if rules.enabled("MET002"):
        measures["date_present"] = found.date is not None
        if found.date:
            measures["publication_date"] = found.date[:40]
    return measures


# -- detection ----------------------------------------------------------------------------------

@once_per_document
def _metadata(document: Document, rules: ActiveRules) -> Metadata:
    """Byline and date of a document, computed once for the check and the measure hooks.

    A saved web page often opens with a long menu, so its byline and date sit far below
    the first ``header_lines`` lines: next to where the article starts. When the top of
    the file lacks either, the lines around the first article paragraph (as the line
    classifier found it) are read as a second header.
    """
    if _last_settings[0] is not rules:  # the same ActiveRules object serves a whole run
        _last_settings[:] = [rules, _settings(rules)]
    settings = _last_settings[1]
    found = find_metadata(document.lines, settings)
    if found.byline is not None and found.date is not None:
        return found
    for start in _article_starts(document):
        if start > settings.header_lines:
            first = max(0, start - 1 - _BEFORE_ARTICLE)
            last = start - 1 + max(settings.header_lines - _BEFORE_ARTICLE, _AFTER_ARTICLE_START)
            window = find_metadata(document.lines[first:last], settings)
            found = _merged(found, window, first)
            if found.byline is not None and found.date is not None:
                break
    return found


#: How many lines before the first article paragraph the second header starts (headline,
#: byline and date sit just above the text; the rest of ``header_lines`` comes after it).
_BEFORE_ARTICLE = 10
#: Lines from the article's start on that the second header always covers (a byline under the lead).
_AFTER_ARTICLE_START = 5
#: An article paragraph has at least this many words (a headline or a menu item has fewer).
_ARTICLE_WORDS = 12


def _article_starts(document: Document) -> list[int]:
    """Where the article may start: the first line of the first long body paragraph, and of
    the first that also ends like a sentence (a long page title or a gallery caption ending
    in "more" comes before the text but has no full stop). Either may be the article's."""
    starts: list[int] = []
    for paragraph in document.body_paragraphs:
        text = paragraph.text.rstrip()
        if len(text.split(None, _ARTICLE_WORDS)) <= _ARTICLE_WORDS:
            continue
        if not starts:
            starts.append(paragraph.start_line)
        if text.rstrip("\"'”’)").endswith(_SENTENCE_ENDS):
            if paragraph.start_line != starts[0]:
                starts.append(paragraph.start_line)
            break
    return starts


_SENTENCE_ENDS = (".", "!", "?", "…")


def _merged(top: Metadata, window: Metadata, offset: int) -> Metadata:
    """``top``, with what it lacks taken from ``window`` (whose lines start after ``offset``)."""
    def moved(line: int | None) -> int | None:
        return None if line is None else line + offset
    byline, byline_line = (top.byline, top.byline_line) if top.byline else (window.byline, moved(window.byline_line))
    date, date_line = (top.date, top.date_line) if top.date else (window.date, moved(window.date_line))
    empty = top.empty_date_line if top.empty_date_line is not None else moved(window.empty_date_line)
    return Metadata(byline, byline_line, date, date_line, empty)


_last_settings: list[Any] = [None, None]


@dataclass(frozen=True)
class _Settings:
    header_lines: int
    byline_prefixes: tuple[str, ...]
    date_labels: tuple[str, ...]
    month_names: tuple[str, ...]


def _settings(rules: ActiveRules) -> _Settings:
    def option(code: str, name: str, default: Any) -> Any:
        return rules.option(code, name) if rules.enabled(code) else default
    header = max(option("MET001", "header_lines", 25), option("MET002", "header_lines", 25))
    return _Settings(
        header_lines=header,
        byline_prefixes=tuple(option("MET001", "byline_prefixes", DEFAULT_BYLINE_PREFIXES)),
        date_labels=tuple(option("MET002", "date_labels", DEFAULT_DATE_LABELS)),
        month_names=tuple(MONTH_NAMES) + tuple(m.casefold() for m in option("MET002", "month_names", ())),
    )


def find_metadata(lines: tuple[str, ...] | list[str], settings: _Settings | None = None) -> Metadata:
    """Find the byline and the publication date among ``lines`` (pure: used by the evaluation too)."""
    settings = settings or _Settings(25, DEFAULT_BYLINE_PREFIXES, DEFAULT_DATE_LABELS, tuple(MONTH_NAMES))
    patterns = _patterns(settings.byline_prefixes, settings.date_labels, settings.month_names)
    byline = date = None
    byline_line = date_line = empty_line = None
    nonblank = [(n, _clean(line)) for n, line in enumerate(lines, 1) if line.strip()]
    for position, (number, line) in enumerate(nonblank):
        line = line[:300]  # every shape sought is short or at the start of the line
        in_header = number <= settings.header_lines
        if byline is None:
            following = nonblank[position + 1][1] if position + 1 < len(nonblank) else ""
            if following and patterns.lone_prefix.fullmatch(line):  # "By" on a line of its own, the name below
                after = nonblank[position + 2][1] if position + 2 < len(nonblank) else ""
                byline = _byline(f"{line} {following[:300]}", after, in_header, patterns)
            else:
                byline = _byline(line, following, in_header, patterns)
            byline_line = number if byline else None
        if date is None:
            date = _date(line, in_header, byline is not None and byline_line == number, patterns)
            date_line = number if date else None
            if date is None and empty_line is None and patterns.empty_template.fullmatch(line):
                empty_line = number
        if byline is not None and date is not None:
            break
    return Metadata(byline, byline_line, date, date_line, empty_line)


def _clean(line: str) -> str:
    """A line without Markdown decoration (``**By Jane Doe**``, ``# Title``, ``> quote``)."""
    return line.strip().strip("*_#> \t").strip()


@dataclass(frozen=True)
class _Patterns:
    by_prefix: re.Pattern[str]
    lone_prefix: re.Pattern[str]
    name_then_credit: re.Pattern[str]
    name_line: re.Pattern[str]
    agency_dateline: re.Pattern[str]
    contact: re.Pattern[str]
    role: re.Pattern[str]
    date: re.Pattern[str]
    labelled_date: re.Pattern[str]
    empty_template: re.Pattern[str]
    dated_dateline: re.Pattern[str]


def _words(items: tuple[str, ...]) -> str:
    unique = sorted({i.strip() for i in items if i.strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in i.split()) for i in unique)


@lru_cache(maxsize=8)
def _patterns(prefixes: tuple[str, ...], labels: tuple[str, ...], months: tuple[str, ...]) -> _Patterns:
    outlet = outlet_pattern().pattern
    month = rf"(?:{_words(months)})\.?"
    day = r"(?:[0-3]?\d)(?:st|nd|rd|th|er|º|\.)?"
    year = r"(?:1[89]|20)\d\d"
    date = (rf"(?:\b{year}-[01]\d-[0-3]\d(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d)?)?"
            rf"|\b[0-3]?\d[./-][01]?\d[./-](?:{year}|\d\d)\b"
            rf"|\b[01]?\d/[0-3]?\d/(?:{year}|\d\d)\b"  # US month first: 11/20/19
            rf"|\b{year}[./][01]?\d[./][0-3]?\d\b"
            rf"|\b(?i:{month})\s+{day},?\s+{year}\b"
            rf"|\b{day}\s+(?:de\s+)?(?i:{month}),?\s+(?:de\s+)?{year}\b"
            rf"|{year}\s*年\s*[01]?\d\s*月\s*[0-3]?\d\s*日)")
    label = rf"(?i:{_words(labels)})"
    return _Patterns(
        by_prefix=re.compile(rf"^(?i:{_words(prefixes)})\s*:?\s*(?P<name>{PERSON_NAMES}|{outlet})"
                             r"(?P<rest>.{0,160})$"),
        lone_prefix=re.compile(rf"(?i:{_words(prefixes)})\s*:?"),
        name_then_credit=re.compile(rf"^(?P<name>{PERSON_NAMES}|{outlet})\s*(?P<sep>[|•·,/—–-])\s*"
                                    rf"(?P<credit>.{{2,80}})$"),
        name_line=re.compile(rf"(?:{PERSON_NAMES}|{outlet})"),
        agency_dateline=re.compile(rf"^(?:[A-Z][A-Za-z .'’-]{{1,40}}(?:,\s*[A-Za-z0-9 .]{{1,30}})?\s*)?"
                                   rf"\((?P<agency>{outlet})\)\s*(?:[-—–:]|$)"),  # "(Reuters) -": no city
        contact=re.compile(r"^(?:[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}|@\w{2,30}|"
                           r"(?i:e-?mail|twitter|follow)\b.{0,60})$"),
        role=re.compile(rf"\b(?i:{_words(AUTHOR_ROLES)})s?\b"),
        date=re.compile(date),
        labelled_date=re.compile(rf"\b{label}\s*(?:on|le|am|el|il|op)?\s*:?\s*.{{0,30}}?{date}"),
        empty_template=re.compile(rf"(?:{label}\s*:\s*){{1,4}}|{label}(?:\s*[|/]?\s*{label}){{1,3}}"),
        dated_dateline=re.compile(rf"^[A-Z][A-Za-z .'’-]{{1,40}},\s*(?P<date>(?i:{month})\s+{day})"
                                  rf"(?:,?\s+{year})?\s*(?:\([^()]{{1,40}}\))?\s*[-—–]"),
    )


def _byline(line: str, following: str, in_header: bool, patterns: _Patterns) -> str | None:
    """The author a line names, if it is a byline (``following``: the next non-blank line)."""
    match = patterns.by_prefix.match(line)
    if match and _plausible_name(match.group("name")) and _byline_rest(match.group("rest"), line):
        return _without_credit(match.group("name"), patterns)
    name_line = _is_name_line(line, patterns)
    if name_line and (patterns.contact.match(following)
                      or (len(following.split()) <= 6 and patterns.role.search(following))):
        return line
    if not in_header:
        return None
    if name_line and _is_date_line(following, patterns):
        return line  # "Jane Doe" right above the publication date
    match = patterns.name_then_credit.match(line)
    if match and _plausible_name(match.group("name")):
        credits = [part.strip() for part in match.group("credit").split(",")]
        if match.group("sep") in "|•·/" or any(is_outlet(part) or patterns.role.search(part)
                                                or patterns.contact.match(part) for part in credits):
            return match.group("name")
    match = patterns.agency_dateline.match(line) if "(" in line else None  # "CITY (AGENCY) -"
    if match:
        return match.group("agency")
    return None


#: Longest line that is a date line in a header (a date and a few words: "Published 10:02 AM EST Nov 19, 2019").
_MAX_DATE_LINE_CHARS = 60


def _is_date_line(line: str, patterns: _Patterns) -> bool:
    """A short line with a date in it: what sits below or beside a byline."""
    return len(line) <= _MAX_DATE_LINE_CHARS and bool(_DATE_DIGITS.search(line)) and bool(patterns.date.search(line))


def _byline_rest(rest: str, line: str) -> bool:
    """What may follow "By NAME": a separator and a credit or date, or a short line's other fields.

    "By Election Day, voters ..." passes the name test but goes on as a sentence: a
    lower-case word right after the name, or a long line, means this is prose.
    """
    rest = rest.strip()
    if not rest or rest[0] in ",|•·/—–-." or rest.startswith("and "):
        return True
    return len(line.split()) <= 15 and not rest[0].islower()


def _is_name_line(line: str, patterns: _Patterns) -> bool:
    """A line that is only a name, several names ("A and B", "A,B") or an outlet ("UPI")."""
    if looks_like_person_name(line) or is_outlet(line):
        return True
    return len(line) <= 120 and patterns.name_line.fullmatch(line) is not None and all(
        looks_like_person_name(name) for name in re.split(r"\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+", line) if name)


# Longest line that may carry a publication date (a date line, a labelled date, a byline).
_MAX_DATE_LINE = 160
# What every date form holds: a year 1800-2099 ("2024-06-05", "June 5, 2024", "2024年") or a
# numeric day/month/year ("05/06/24", US month first "11/20/19"). A line without either holds
# no date, and the date regex (a long alternation of month names tried at every word) need not run.
_DATE_DIGITS = re.compile(r"(?:1[89]|20)\d\d|\d[./-][01]?\d[./-]\d|\d/[0-3]?\d/\d")
_NOT_A_NAME = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday", "the", "this", "that", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
)


def _without_credit(names: str, patterns: _Patterns) -> str:
    """Drop a trailing outlet or role that looks like one more name ("Ana Ruiz, Lakeside Herald")."""
    parts = names.split(",")
    while len(parts) > 1 and (is_outlet(parts[-1]) or patterns.role.search(parts[-1])):
        parts.pop()
    return ",".join(parts).strip()


def _plausible_name(name: str) -> bool:
    first = name.split()[0].strip(".,").casefold()
    return first not in _NOT_A_NAME


def _date(line: str, in_header: bool, on_byline: bool, patterns: _Patterns) -> str | None:
    match = patterns.dated_dateline.match(line)
    if match:
        return match.group("date")
    if len(line) > _MAX_DATE_LINE or not _DATE_DIGITS.search(line):
        return None  # a date in a sentence is an event, not the publication date
    match = patterns.date.search(line)
    if match is None:
        return None  # a labelled date holds a date too: no need to look for the label
    labelled = patterns.labelled_date.search(line)
    if labelled:
        return patterns.date.search(labelled.group()).group()  # type: ignore[union-attr]
    rest = (line[:match.start()] + " " + line[match.end():]).split()
    if on_byline or (in_header and len(rest) <= 8):
        return match.group()
    return None
