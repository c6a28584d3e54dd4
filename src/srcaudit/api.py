"""Everything a plugin needs, in one import: ``from srcaudit.api import ...``."""

from __future__ import annotations

from . import hookimpl
from .corpus import Corpus, CorpusChange, CorpusUpdate, DocumentFacts
from .document import Document
from .findings import Finding, RelatedLocation, Severity
from .location import Location, Region
from .paragraphs import Paragraph
from .report import DocumentSummary, Problem, Report, Reporter, SuppressedFinding
from .rules import ActiveRules, Rule, RuleOption

__all__ = [
    "ActiveRules", "Corpus", "CorpusChange", "CorpusUpdate", "Document", "DocumentFacts", "DocumentSummary", "Finding",
    "Location", "Paragraph", "Problem", "Region", "RelatedLocation", "Report", "Reporter",
    "Rule", "RuleOption", "Severity", "SuppressedFinding", "hookimpl",
]
