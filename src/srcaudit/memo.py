"""Sharing one computation between a plugin's map-phase hooks.

A plugin often needs the same analysis in ``srcaudit_check_document`` (findings) and
``srcaudit_measure_document`` (counts and scores). The engine calls both hooks with the
same :class:`~srcaudit.document.Document` and :class:`~srcaudit.rules.ActiveRules`
objects, one document at a time, so remembering the latest result by identity is exact
and costs nothing: no hashing of the text, no unbounded cache.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from .document import Document
from .rules import ActiveRules

T = TypeVar("T")


def once_per_document(function: Callable[[Document, ActiveRules], T]) -> Callable[[Document, ActiveRules], T]:
    """Decorate ``function(document, rules)`` so repeated calls for the same objects compute once."""
    last: list[Any] = [None, None, None]

    @functools.wraps(function)
    def wrapper(document: Document, rules: ActiveRules) -> T:
        if last[0] is document and last[1] is rules:
            return last[2]
        result = function(document, rules)
        last[:] = [document, rules, result]
        return result

    return wrapper
