"""The boilerplate rules' metadata and documentation (shown by ``srcaudit explain``)."""

from __future__ import annotations

from srcaudit.api import Rule, RuleOption, Severity

BOI001 = Rule(
    code="BOI001",
    name="mostly-boilerplate",
    summary="Most of the document's words are page template (menus, link lists, widgets), not article.",
    severity=Severity.WARNING,
    tags=("boilerplate",),
    options=(
        RuleOption("threshold", 0.4, "Share of the words on boilerplate lines above which the document is reported."),
        RuleOption("min_words", 50, "Documents with fewer words are not judged (too little text to say)."),
    ),
    documentation="""
## What it does
Measures which share of the document's words sit on boilerplate lines (navigation,
"related stories" and "most read" lists, share and comment widgets, subscription
prompts, timestamps, CMS credits) and reports the document when that share is above
the threshold. The finding points at the largest boilerplate block. The share is also
published as `boilerplate_share` in the JSON `documents` list.

Lines are classified from the text alone: article prose is long, rich in function words
("the", "of", "und", "que") and made of sentences; templates are runs of short,
title-cased lines, lists of headlines, dates and widget labels. The article is taken to
be the stretch of the document where prose outweighs everything else; a comment thread
after it (reply headers with a name and a clock time), a legal footer at the foot of the
page and photo captions are not article, while a list that follows the article's last
paragraph (a recipe's or a round-up's items) is, and so are line-ups and lists of
results next to the article's paragraphs (lines of many short items between commas or
semicolons, such as "Aldane; Brisk, Corran, Emmet; ..."), although they have few
function words. A text with no page template on top (it opens with a headline, at
most three short lines such as a venue and a date, then the article) is an article
saved clean: its short lines inside and after the paragraphs (a table of results,
fixtures, bullet points, a tagline) are article too, up to the first widget phrase,
date line, picture credit, copyright notice or menu (three one- or two-word lines).

## Why it matters
A source that is half template is noisy evidence: its headline lists and widgets
mention other stories, people and figures that have nothing to do with the article,
and they pollute word counts, duplicate detection and name or figure comparisons.

## Example
```text
China weighs its options as talks stall          <- headline (kept as body)
Beijing has said little in public about ...      <- article, 300 words
OTHER NEWS                                       <- lines 20-205: 900 words of headlines
13 minutes ago
Premier League club hires set-piece coach
...                                              -> BOI001: boilerplate is 75% of the words
```

## How to fix
Re-save the page with a reader mode or an article extractor, or cut the template by
hand. If the file is kept as collected on purpose, raise `threshold` or ignore BOI001
for it in `[per-file-ignores]`.
""",
)

BOI002 = Rule(
    code="BOI002",
    name="boilerplate-block",
    summary="A run of page-template lines: navigation, related-links list, widget, subscription prompt, CMS credit.",
    severity=Severity.INFO,
    tags=("boilerplate",),
    options=(RuleOption("min_words", 3, "Blocks with fewer words (a lone label such as \"World\") are not reported."),),
    documentation="""
## What it does
Reports each run of lines that the boilerplate classifier did not take for article
text, with its kind when the lines make it clear:

- `navigation`: a run of short menu items;
- `related-links`: a list of headlines, or a list under a heading such as "Most read",
  "Related", "Read more", "Lesen Sie auch", "Leia também";
- `timestamp-list`: headlines interleaved with dates or "13 minutes ago";
- `share-widget`: share, comment and like buttons and their counters;
- `subscription`: "Subscribe", "Sign in", newsletter and trial prompts;
- `cms-credit`: "Powered by ...", copyright and cookie lines;
- `boilerplate`: template text of no clearer kind (bylines, captions, labels).

Other rules skip these lines: a "Popular now" list printed twice is not a repeated
paragraph of the article. In an article saved without a page template (a headline, at
most three short lines, then the paragraphs), short lines are taken for article data
(tables, fixtures, lists) until the first widget, date, credit, copyright line or menu.

## Why it matters
Template text is not part of the source's claims. Knowing where it is tells you what
to cut before quoting or comparing the document, and which findings of other rules
are about the article itself.

## Example
```text
He added that talks would resume in May.        <- article
Share this article                              <- BOI002: boilerplate block (share-widget)
Most Popular                                    <- BOI002: boilerplate block (related-links), 6 lines
Markets rally after rate cut
...
```

## How to fix
Delete the block from the saved text, or re-save the page without its template. If a
line was misread as boilerplate (a very short paragraph, a list inside the article),
ignore BOI002 for that file; the classifier only sees text, so lists and tables in an
article are its weak spot.
""",
)
