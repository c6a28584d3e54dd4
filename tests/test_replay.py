"""A warm run replays the last run's results for documents that did not change, and what it
prints is always what a run without the cache prints (srcaudit.replay)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from srcaudit.api import Finding, Region, Report, Severity
from srcaudit.cache import RESULTS_PREFIX, DocumentCache
from srcaudit.check import CheckOptions, run_check
from srcaudit.replay import DocumentRecord, FindingsByDocument, Snapshot, new_record

from conftest import run_cli, write_files
from test_incremental import SharedOpening, _document, _session

WIRES = ("The council approved the harbour budget on Tuesday after a long debate about the cost of "
         "repairing the old pier, which engineers say is no longer safe for heavy vehicles.",
         "Hospital managers opened a new ward for older patients this week, two years after the plan "
         "was first announced and one year later than the health board had promised.",
         "The regional rail operator will cut late trains on the coast line from March, blaming a shortage "
         "of drivers and the rising cost of electricity for its night services.")
QUOTES = ('"We cannot keep patching the pier every winter," said Maria Keane, the council\'s finance '
          'director, adding that repairs would cost about 4 million euros.',
          '"Patients have waited far too long for this," said Tomas Brandt, the hospital\'s chief executive, '
          'who put the cost of the ward at 12 million euros.',
          '"We simply do not have the drivers," said Lena Okafor, the operator\'s head of services, who said '
          'about 30 trains a week would go.')


VOCABULARY = ("river", "market", "school", "bridge", "mayor", "winter", "garden", "station", "library", "road",
              "festival", "harvest", "museum", "tower", "harbour", "bakery", "choir", "stadium", "canal", "forest")


def _article(rng: random.Random, index: int) -> str:
    """A short invented news story on one of three unrelated topics: stories on one topic
    share the wire paragraph or the quote (near copies, figures that differ)."""
    topic = index % 3
    parts = [f"Story number {index}", "", f"By Desk {topic} writer", ""]
    if rng.random() < 0.6:
        parts += [WIRES[topic], ""]
    if rng.random() < 0.5:
        parts += [QUOTES[topic].replace(" million", rng.choice([" million", "0 thousand"])), ""]
    parts += [" ".join(rng.choice(VOCABULARY) for _ in range(24)).capitalize() + ".", ""]  # its own paragraph
    if rng.random() < 0.2:
        parts += ["<!-- srcaudit: ignore DUP002 -- quoted on purpose -->", WIRES[topic], ""]
    return "\n".join(parts)


def _outputs(root: Path, *extra: str) -> tuple[str, str, str]:
    """(text with the cache, JSON with the cache, the --debug line) of a check of ``root/docs``."""
    cache = ["--cache-dir", str(root / "cache")]
    text = run_cli("check", "docs", "--jobs", "1", *cache, *extra, cwd=root).stdout
    payload = run_cli("check", "docs", "--jobs", "1", "-f", "json", *cache, *extra, cwd=root).stdout
    debug = run_cli("check", "docs", "--jobs", "1", "-q", "--debug", *cache, *extra, cwd=root)
    line = next((line for line in debug.stderr.splitlines() if "cache:" in line), "")
    return text, payload, line


def _fresh(root: Path, *extra: str) -> tuple[str, str]:
    text = run_cli("check", "docs", "--jobs", "1", "--no-cache", *extra, cwd=root).stdout
    payload = run_cli("check", "docs", "--jobs", "1", "-f", "json", "--no-cache", *extra, cwd=root).stdout
    return text, payload


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    rng = random.Random(3)
    return write_files(tmp_path, {f"docs/s{i:02}.txt": _article(rng, i) for i in range(18)})


@pytest.mark.parametrize("seed", range(3))
def test_warm_runs_after_random_edits_print_what_a_run_without_the_cache_prints(newsroom: Path, seed: int) -> None:
    rng = random.Random(seed)
    text, payload, _ = _outputs(newsroom)
    assert (text, payload) == _fresh(newsroom)
    replays = 0
    for step in range(5):
        paths = sorted((newsroom / "docs").glob("*.txt"))
        edit = rng.choice(["change", "change", "add", "remove", "none"])
        if edit == "remove":
            rng.choice(paths).unlink()
        elif edit == "add":
            (newsroom / "docs" / f"new{step}.txt").write_text(_article(rng, 40 + step), encoding="utf-8")
        elif edit == "change":
            rng.choice(paths).write_text(_article(rng, 60 + step), encoding="utf-8")
        text, payload, debug = _outputs(newsroom)
        assert (text, payload) == _fresh(newsroom), f"step {step}: {edit}"
        replays += int(debug.split(" replayed")[0].rsplit(" ", 1)[-1]) if " replayed" in debug else 0
    assert replays > 0  # documents of the topics an edit did not touch were replayed


def test_the_replayed_run_reports_problems_and_the_exit_status_as_before(newsroom: Path) -> None:
    (newsroom / "docs" / "empty.txt").write_text("", encoding="utf-8")  # a notice, kept in its record
    (newsroom / "docs" / "marker.txt").write_text(
        "A story\n\n<!-- srcaudit: ignore DUP001 -- nothing here repeats -->\nOne paragraph.\n", encoding="utf-8")
    cold = run_cli("check", "docs", "--cache-dir", "cache", cwd=newsroom)
    warm = run_cli("check", "docs", "--cache-dir", "cache", "--debug", cwd=newsroom)
    fresh = run_cli("check", "docs", "--no-cache", cwd=newsroom)
    assert "replayed as last reported" in warm.stderr
    assert warm.stdout == cold.stdout == fresh.stdout
    assert warm.exit_code == cold.exit_code == fresh.exit_code == 1
    assert "unused suppression" in fresh.stderr and "empty file" in fresh.stderr
    assert [line for line in warm.stderr.splitlines() if "cache:" not in line] == fresh.stderr.splitlines()
    high = run_cli("check", "docs", "--cache-dir", "cache", "--fail-level", "error", cwd=newsroom)
    assert high.exit_code == run_cli("check", "docs", "--no-cache", "--fail-level", "error", cwd=newsroom).exit_code


def test_a_severity_changed_in_the_configuration_is_not_replayed(newsroom: Path) -> None:
    _outputs(newsroom)
    (newsroom / "rules.toml").write_text('[rules.DUP002]\nseverity = "error"\n', encoding="utf-8")
    text, payload, debug = _outputs(newsroom)
    assert (text, payload) == _fresh(newsroom)
    assert '"severity": "error"' in payload


def test_options_that_look_across_documents_neither_read_nor_save_results(newsroom: Path) -> None:
    run_cli("check", "docs", "--cache-dir", "cache", "--write-baseline", "base.json", cwd=newsroom)
    assert not list((newsroom / "cache").glob(f"{RESULTS_PREFIX}*"))
    text = run_cli("check", "docs", "--cache-dir", "cache", "--baseline", "base.json", "--debug", cwd=newsroom)
    assert "replayed" not in text.stderr
    assert text.stdout == run_cli("check", "docs", "--no-cache", "--baseline", "base.json", cwd=newsroom).stdout


def test_damaged_saved_results_are_a_notice_and_a_normal_run(newsroom: Path) -> None:
    _outputs(newsroom)
    [saved] = (newsroom / "cache").glob(f"{RESULTS_PREFIX}*")
    data = bytearray(saved.read_bytes())
    data[len(data) // 2] ^= 0xFF
    saved.write_bytes(bytes(data))
    warm = run_cli("check", "docs", "--cache-dir", "cache", "--debug", cwd=newsroom)
    assert "damaged saved results" in warm.stderr and "replayed" not in warm.stderr
    assert warm.stdout == _fresh(newsroom)[0]
    assert "replayed as last reported" in run_cli("check", "docs", "--cache-dir", "cache", "--debug",
                                                  cwd=newsroom).stderr  # saved again


def _checked(root: Path, plugin: SharedOpening, cached: bool = True) -> str:
    """JSON of a check as the command line runs it (it saves the results after the output)."""
    store = DocumentCache(root / "cache") if cached else None
    try:
        report = run_check(_session(root, plugin), CheckOptions(paths=[str(root / "docs")], select=["TST901"],
                                                                jobs=1), cache=store)
    finally:
        if store is not None:
            store.close()
    rendered = _session(root, plugin).reporters["json"].render(report)
    if report.after_output is not None:
        report.after_output()
    return rendered


def test_a_document_an_update_answered_for_earlier_is_recomputed_when_the_edit_is_undone(tmp_path: Path) -> None:
    """Run 2 changes d01, so the update answers for every document opening like it; run 3
    puts d01 back: those documents now take the base's results again, not run 2's."""
    rng = random.Random(7)
    tree = write_files(tmp_path, {f"docs/d{i:02}.txt": _document(rng, i) for i in range(12)})
    plugin = SharedOpening()
    _checked(tree, plugin)
    original = (tree / "docs" / "d01.txt").read_text(encoding="utf-8")
    opening = (tree / "docs" / "d05.txt").read_text(encoding="utf-8").split("\n", 1)[0]
    (tree / "docs" / "d01.txt").write_text(opening + "\n\nAnother story.\n", encoding="utf-8")
    assert _checked(tree, plugin) == _checked(tree, SharedOpening(), cached=False)
    (tree / "docs" / "d01.txt").write_text(original, encoding="utf-8")
    assert _checked(tree, plugin) == _checked(tree, SharedOpening(), cached=False)
    assert plugin.full_runs == 1


def test_a_plugin_that_cannot_update_makes_a_normal_run(tmp_path: Path) -> None:
    rng = random.Random(5)
    tree = write_files(tmp_path, {f"docs/d{i:02}.txt": _document(rng, i) for i in range(12)})
    plugin = SharedOpening()
    _checked(tree, plugin)
    plugin.answer = "none"
    (tree / "docs" / "d02.txt").write_text("Pier works begin\n\nChanged.\n", encoding="utf-8")
    assert _checked(tree, plugin) == _checked(tree, SharedOpening(), cached=False)
    assert plugin.full_runs == 2


def _finding(path: str, line: int, severity: Severity = Severity.WARNING) -> Finding:
    return Finding("DUP001", f"repeats line {line}", path, Region(line, 1, line, 5), severity=severity, anchor="x")


def test_findings_by_document_are_a_sequence_with_counts_and_blocks() -> None:
    first = new_record("k1", True, [_finding("a.txt", 1), _finding("a.txt", 3, Severity.ERROR)], None, [], [], [])
    empty = new_record("k2", True, [], None, [], [], [])
    # as replayed from disk: no objects, only the saved values
    second = DocumentRecord(*new_record("k3", True, [_finding("b.txt", 2, Severity.INFO)], None, [], [], []).saved())
    findings = FindingsByDocument({"a.txt": first, "e.txt": empty, "b.txt": second})
    assert len(findings) == 3 and [f.path for f in findings] == ["a.txt", "a.txt", "b.txt"]
    assert findings[2] == _finding("b.txt", 2, Severity.INFO) and list(findings[:1]) == [_finding("a.txt", 1)]
    assert findings.severity_counts() == {Severity.INFO: 1, Severity.WARNING: 1, Severity.ERROR: 1}
    rendered: list[int] = []

    def render(group):
        rendered.append(len(group))
        return "".join(f"{f.path}:{f.region.line}\n" for f in group)

    assert list(findings.blocks(render, "t")) == ["a.txt:1\na.txt:3\n", "b.txt:2\n"]
    assert list(findings.blocks(render, "t")) == ["a.txt:1\na.txt:3\n", "b.txt:2\n"]
    assert rendered == [2, 1]  # the second time, the kept text
    assert DocumentRecord(*first.saved()).blocks == {"t": "a.txt:1\na.txt:3\n"}
    assert sorted(findings.code_counts()) == [("a.txt", "DUP001", 2), ("b.txt", "DUP001", 1)]
    list(findings.blocks(render, "u"))
    assert first.blocks == {"t": "a.txt:1\na.txt:3\n", "u": "a.txt:1\na.txt:3\n"}
    snapshot = Snapshot({"a.txt": first, "e.txt": empty, "b.txt": second}, {})
    saved = snapshot.saved({"u"})[1]
    assert saved["a.txt"][6] == {"u": "a.txt:1\na.txt:3\n"}  # only the formats this run printed are kept


def test_a_report_of_plain_findings_renders_blocks_per_document() -> None:
    report = Report(findings=(_finding("a.txt", 1), _finding("a.txt", 2), _finding("b.txt", 1)), documents=(),
                    problems=(), rules={}, version="0")
    assert list(report.finding_blocks(lambda group: str(len(group)), "n")) == ["2", "1"]
    assert report.severity_counts()[Severity.WARNING] == 3


def test_json_payload_of_a_replayed_run_parses(newsroom: Path) -> None:
    _outputs(newsroom)
    _, payload, _ = _outputs(newsroom)
    assert json.loads(payload)["findings"]


class _OwnRegion(Region):
    """A plugin's own Region subclass: saved results must give it back as it was."""


def test_findings_built_from_subclasses_are_saved_as_they_are() -> None:
    own = Finding("DUP001", "repeats line 1", "a.txt", _OwnRegion(2, 1, 2, 4), severity=Severity.INFO)
    record = DocumentRecord(*new_record("k", True, [own], None, [], [], []).saved())
    [back] = record.finding_objects()
    assert back == own and type(back.region) is _OwnRegion


def test_a_run_over_part_of_the_folder_keeps_the_whole_folders_state(newsroom: Path) -> None:
    """Bases are kept per set of folders: checking one subfolder in between does not make the
    next run over the whole folder recompute its cross-document rules in full."""
    part = newsroom / "docs" / "part"
    part.mkdir()
    for source in sorted((newsroom / "docs").glob("s0*.txt"))[:4]:
        source.rename(part / source.name)
    run_cli("check", "docs", "--cache-dir", "cache", cwd=newsroom)
    alone = run_cli("check", "docs/part", "--cache-dir", "cache", "--debug", cwd=newsroom)
    assert "run in full: boilerplate, consistency, syndication" in alone.stderr  # its own first run
    (newsroom / "docs" / "s10.txt").write_text(_article(random.Random(9), 70), encoding="utf-8")
    whole = run_cli("check", "docs", "--cache-dir", "cache", "--debug", cwd=newsroom)
    assert "run in full: none" in whole.stderr
    assert whole.stdout == _fresh(newsroom)[0]
