"""The records that cross process boundaries: pickled through the fast path, and copied field by field."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError, dataclass, fields
from pathlib import Path

import pytest

from srcaudit.corpus import DocumentFacts
from srcaudit.discovery import SourceFile
from srcaudit.findings import Finding, RelatedLocation, Severity
from srcaudit.location import Region
from srcaudit.pickling import fast_pickling
from srcaudit.report import DocumentSummary

_REGION = Region(3, 2, 4, 9)
RECORDS = [
    _REGION,
    RelatedLocation("b.txt", _REGION, "the first copy"),
    Finding("DUP002", "copied", "a.txt", _REGION, related=(RelatedLocation("b.txt", _REGION),),
            severity=Severity.ERROR, anchor="x").with_fingerprint(2),
    DocumentSummary("a.txt", "utf-8", 12, {"boilerplate_share": 0.25}, (None, "nav")),
    DocumentFacts("a.txt", "abc", 12, {"syndication": {"keys": [1, 2]}}),
    SourceFile("a.txt", Path("/tmp/a.txt")),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: type(record).__name__)
@pytest.mark.parametrize("protocol", [2, pickle.HIGHEST_PROTOCOL])
def test_round_trip_gives_an_equal_record(record, protocol):
    restored = pickle.loads(pickle.dumps(record, protocol))
    assert restored == record
    assert type(restored) is type(record)
    if isinstance(record, Finding):
        assert restored.fingerprint == record.fingerprint  # not part of equality, but must travel


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: type(record).__name__)
def test_copies_are_equal_and_still_frozen(record):
    duplicate = copy.copy(record)
    assert duplicate == record
    with pytest.raises(FrozenInstanceError):
        setattr(duplicate, fields(duplicate)[0].name, "elsewhere")


def test_restoring_does_not_rerun_validation():
    # A record is restored as it was pickled: __init__/__post_init__ do not run again.
    calls = []

    @fast_pickling
    @dataclass(frozen=True, slots=True)
    class Checked:
        first: int
        second: str

        def __post_init__(self) -> None:
            calls.append(self.first)

    globals()["Checked"] = Checked  # pickle finds the class by name
    Checked.__qualname__ = "Checked"
    original = Checked(1, "a")
    assert pickle.loads(pickle.dumps(original)) == original
    assert calls == [1]


def test_finding_copies_keep_every_other_field():
    # with_severity/with_anchor/with_fingerprint build the copy field by field: a field
    # added to Finding without updating them would be dropped, and this test would fail.
    original = RECORDS[2]
    assert all(getattr(original, f.name) not in (None, "", ()) for f in fields(Finding))
    copies = {"severity": original.with_severity(Severity.INFO), "anchor": original.with_anchor("other"),
              "fingerprint": original.with_fingerprint(5)}
    for changed, copy_ in copies.items():
        for f in fields(Finding):
            if f.name != changed:
                assert getattr(copy_, f.name) == getattr(original, f.name), (changed, f.name)
        assert getattr(copy_, changed) != getattr(original, changed)
