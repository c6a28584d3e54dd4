"""DUP001 (repeated paragraphs) and DUP003 (repeated short lines), on texts written for the tests."""

from __future__ import annotations

from srcaudit.api import ActiveRules
from srcaudit.plugins import collect_rules, create_plugin_manager

from conftest import SEEDS, check_json, codes_at, doc
from srcaudit_plugins import duplicates

P1 = "The city council voted on Thursday to raise the parking fee in the old town by half."
P2 = "Shop owners in the district said the change would drive customers to the shopping mall."
P3 = "The mayor defended the plan, saying the extra money would pay for new bus lines next year."
P4 = "A final vote on the bus routes is expected before the summer holidays begin in July."


def check(text: str, **options) -> list:
    rules = {r.code: r for r in duplicates.srcaudit_rules()}
    active = {code: {**rule.default_options(), **options.get(code, {})} for code, rule in rules.items()}
    return list(duplicates.srcaudit_check_document(doc(text), ActiveRules(active)))


def test_dup001_exact_repeat_points_at_the_first_copy():
    findings = check("\n\n".join([P1, P2, P1]))
    assert [(f.code, f.region.line, f.message) for f in findings] == [
        ("DUP001", 5, "paragraph repeats line 1 (similarity 1.00)")]
    assert findings[0].related[0].region.line == 1


def test_dup001_near_duplicate_with_a_few_words_changed():
    edited = P1.replace("Thursday", "Friday").replace("by half", "by a half")
    findings = check("\n".join([P1, P2, edited]))
    assert [(f.code, f.region.line) for f in findings] == [("DUP001", 3)]
    assert "similarity 0." in findings[0].message


def test_dup001_negative_different_paragraphs_on_one_topic():
    assert check("\n".join([P1, P2, P3, P4])) == []


def test_dup001_near_miss_shared_phrases_below_threshold():
    # Same opening clause, different claims: related paragraphs, not a repeat.
    near = "The city council voted on Thursday to close the old town to cars during the summer festival."
    assert check("\n".join([P1, P2, near])) == []


def test_dup001_threshold_is_configurable():
    edited = P1.replace("Thursday", "Friday").replace("by half", "by a half")
    text = "\n".join([P1, P2, edited])
    assert check(text, DUP001={"threshold": 0.95}) == []


def test_a_repeated_run_is_one_finding_spanning_the_run():
    text = "\n".join([P1, P2, P3, "Short label", P4, P2, P3, "Short label", P4])
    findings = check(text)
    assert [(f.code, f.region.line, f.region.end_line) for f in findings] == [("DUP001", 6, 9)]
    assert findings[0].message.startswith("run of 4 paragraphs repeats lines 2-5")
    related = findings[0].related[0].region
    assert (related.line, related.end_line) == (2, 5)


def test_dup003_headline_repeated_in_another_case():
    findings = check(f"Council Raises Parking Fees\n\n{P1}\n\ncouncil raises parking fees!\n")
    assert [(f.code, f.region.line) for f in findings] == [("DUP003", 5)]
    assert "repeats line 1" in findings[0].message and "differs only in case" in findings[0].message


def test_dup003_many_repeats_of_one_label_are_one_finding():
    text = "\n".join(f"Updated\nHeadline number {n}" for n in range(5))
    findings = check(text)
    assert len(findings) == 1 and "and 3 more times" in findings[0].message
    assert len(findings[0].related) == 4


def test_dup003_negative_and_near_miss():
    assert check(f"Council Raises Parking Fees\n{P1}\nCouncil Raises Parking Fees Again\n") == []
    assert check(f"Council Raises Fees\n{P1}\n{P2}\n") == []


def test_disabled_rules_do_no_work():
    rules = ActiveRules({})
    assert list(duplicates.srcaudit_check_document(doc("\n".join([P1, P1])), rules)) == []


def test_boilerplate_lines_are_not_reported_as_duplicates():
    document = doc("\n".join([P1, P2, P1]))
    classified = document.with_line_roles((None, None, "related-links"))
    rules = {r.code: r.default_options() for r in duplicates.srcaudit_rules()}
    assert list(duplicates.srcaudit_check_document(classified, ActiveRules(rules))) == []


def test_seeds_duplicates():
    """The issue's expectations on the user's sample corpus."""
    _, payload = check_json(str(SEEDS), "--select", "DUP001,DUP003")
    def where(name, code):
        return [(f["line"], f["end_line"], f["related"][0]["line"]) for f in payload["findings"]
                if f["code"] == code and name in f["path"]]
    dup = lambda name: sorted(where(name, "DUP001") + where(name, "DUP003"))
    assert where("001_", "DUP001") == [(18, 30, 5)]  # the repeated run of paragraphs, once
    assert (8, 8, 7) in dup("002_")  # the photo caption printed twice
    assert (3, 3, 1) in dup("003_")  # the headline again in lower case
    assert (2, 2, 1) in dup("004_")  # the headline printed twice
    assert dup("000_") == []


def test_memory_grows_by_a_fraction_of_the_document_size(tmp_path):
    """Half a million paragraphs once cost 6.5x the file in per-paragraph objects (bench/robustness_memory.py).

    Measured at two sizes, so the fixed part (tokeniser caches, numpy buffers) cancels out.
    """
    import importlib.util
    import subprocess
    import sys

    from conftest import REPO

    spec = importlib.util.spec_from_file_location("robustness_memory", REPO / "bench" / "robustness_memory.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    growth = {}
    for megabytes in (4, 16):
        path = tmp_path / f"large{megabytes}.txt"
        bench.write_prose(path, megabytes * 1024 * 1024)
        out = subprocess.run([sys.executable, "-c", bench.HOOKS, str(path), "duplicates"], capture_output=True,
                             text=True, check=True, timeout=300).stdout
        [line] = [line for line in out.splitlines() if line.endswith("duplicates check_document")]
        growth[megabytes] = float(line.split()[2]) * path.stat().st_size
    per_byte = (growth[16] - growth[4]) / (12 * 1024 * 1024)
    # a MinHash signature row (256 bytes) per long paragraph: well under the paragraph's own size
    assert per_byte < 2.0, f"{per_byte:.2f} bytes of memory per byte of text"
