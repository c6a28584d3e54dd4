"""Sharing one computation between a plugin's map-phase hooks.

A plugin often needs the same analysis in ``srcaudit_check_document`` (findings) and
``srcaudit_measure_document`` (counts and scores). The engine calls a plugin's hooks with
the same :class:`~srcaudit.document.Document` and :class:`~srcaudit.rules.ActiveRules`
objects back to back on each document (no other hook runs between them), so remembering
the latest result by identity is exact and costs nothing: no hashing of the text, no
unbounded cache. The document is held by a weak reference: a finished document (a 200 MB
file is several times that in memory) must not stay alive while the next one is read.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from .document import Document
from .rules import ActiveRules

T = TypeVar("T")


def once_per_document(function: Callable[[Document, ActiveRules], T]) -> Callable[[Document, ActiveRules], T]:
    """Decorate ``function(document, rules)`` so repeated calls for the same objects compute once."""
    last: list[Any] = [None, None, None]  # weak reference to the document, rules, result

    @functools.wraps(function)
    def wrapper(document: Document, rules: ActiveRules) -> T:
        if last[0] is not None and last[0]() is document and last[1] is rules:
            return last[2]
        result = function(document, rules)
        last[:] = [weakref.ref(document, forget), rules, result]
        return result

    def forget(reference: weakref.ref) -> None:  # the document is gone: so is its result
        if last[0] is reference:
            last[:] = [None, None, None]

    return wrapper
