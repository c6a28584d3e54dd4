"""The consistency rules' incremental reduce equals a full reduce, on invented corpora with random edits.

Each corpus tells several invented stories, each by several outlets whose texts differ, each
text with near copies; the outlets disagree on titles, quotes, figures and name spellings.
Facts come from the plugin's own map hook. After a full reduce and its state, random edits
(a changed figure, a respelled name, a document added to a story, the first document of a
copy group removed, a near copy that sorts first, several at once, an entity pushed over
the cap of common entities) are applied; the update's findings, merged with the base run's
findings of the paths it did not touch (as the engine merges them), must equal a full reduce
of the edited corpus, path by path and in order.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict

import numpy as np
import pytest

from srcaudit.api import ActiveRules, Corpus, DocumentFacts
from srcaudit.document import Document
from srcaudit_plugins import consistency
from srcaudit_plugins.consistency import incremental
from srcaudit_plugins.consistency.extract import NAMESPACE

RULES = ActiveRules(options={code: {} for code in consistency.CODES})

FIRST = ["Maren", "Tobias", "Ilse", "Oren", "Kaveh", "Lucia", "Darius", "Noemi", "Piet", "Sanna", "Hugo", "Amara"]
LAST = ["Vasquen", "Okonta", "Lindqvist", "Haruda", "Belcourt", "Mirazo", "Tessaro", "Quillan", "Abernath",
        "Sorvino", "Zelinsky", "Kowalczyk", "Marchetti", "Pellworth"]
ORGS = ["Harbour Authority", "Ostrava Shipping Union", "Velmora Transit Board", "Calder Water Company",
        "Kelsbury Grain Cooperative", "Drumlin Rail Alliance", "Northmoor Power Trust", "Aldine Port Council"]
PLACES = ["Port Aldine", "Velmora", "Marren", "Ostrava", "Kelsbury", "Drumlin", "Northmoor", "Essling",
          "Tarrow", "Vensby", "Oldcastle", "Brisk Harbour"]
TITLES = ["deputy director", "press officer", "chief engineer", "assistant director", "finance director"]
UNITS = ["workers", "tonnes", "passengers", "homes", "vessels"]
WORDS = ("river bridge cargo winter storm repair contract budget council vote delay inspection engine crane "
         "harbour canal freight shift union strike ferry tunnel signal timber steel market price season "
         "report audit pier lock barge convoy depot warehouse customs levy tariff permit license").split()
QUOTE = ("we have never seen damage like this along the whole length of the canal and the repairs "
         "will take most of the coming winter months").split()


def _name(first: str, last: str, variant: int) -> str:
    """A person's name, or a variant spelling of it (a doubled last letter, an accent)."""
    if variant == 1:
        return f"{first} {last}{last[-1]}"
    if variant == 2:
        return f"{first} {last[0]}{last[1:].replace('a', 'á', 1).replace('o', 'ó', 1)}"
    return f"{first} {last}"


class Story:
    def __init__(self, rnd: random.Random, number: int) -> None:
        self.number = number
        self.people = [(rnd.choice(FIRST), rnd.choice(LAST)) for _ in range(3)]
        self.orgs = rnd.sample(ORGS, 2)
        self.places = rnd.sample(PLACES, 3)
        self.unit = rnd.choice(UNITS)
        self.value = rnd.randrange(20, 90) * 100
        self.title = rnd.choice(TITLES)
        self.topic = rnd.sample(WORDS, 12)

    def text(self, rnd: random.Random, outlet: int, *, figure: int | None = None, spelling: int = 0,
             title: str | None = None, quote: int = 0, extra: tuple[str, ...] = ()) -> str:
        (f1, l1), (f2, l2), (f3, l3) = self.people
        org1, org2 = self.orgs
        p1, p2, p3 = self.places
        value = self.value if figure is None else figure
        quote_words = list(QUOTE)
        if quote:  # a reworded quote: two content words swapped for others
            quote_words[4], quote_words[15] = "harm", "works"
        filler = " ".join(random.Random(self.number * 100 + outlet).sample(WORDS, 14))
        paragraphs = [
            f"The {org1} met on Tuesday in {p1}. Officials from {p1}, {p2} and the {org2} discussed the "
            f"{p3} closure and the {' '.join(self.topic[:6])}.",
            f"{f1} {l1}, {org1} {title or self.title}, said {value:,} {self.unit} were affected in {p1} "
            f"after the {' '.join(self.topic[6:9])}.",
            f"\"{' '.join(quote_words).capitalize()},\" {f2} {l2} said.",
            f"{_name(f3, l3, spelling)}, a spokesperson for the {org2}, said the {' '.join(self.topic[9:])} "
            f"would follow. {_name(f3, l3, spelling)} gave no date.",
            f"Desk notes from outlet {'abcdefgh'[outlet]}: {filler}.",
            *extra,
        ]
        return "\n\n".join(paragraphs) + "\n"


def _facts(path: str, text: str) -> DocumentFacts:
    document = Document.from_text(path, text)
    facts = consistency.srcaudit_extract_facts(document, RULES)
    return DocumentFacts(path, str(hash(text)), len(document.lines), facts)


class _Corpus:
    """The engine's view for an update: paths, and facts loaded only through ``subset``."""

    def __init__(self, documents: dict[str, DocumentFacts]) -> None:
        self.all = documents
        self.paths = tuple(sorted(documents))
        self.loaded = 0

    def subset(self, paths):
        chosen = sorted({p for p in paths if p in self.all})
        self.loaded += len(chosen)
        return Corpus(tuple(self.all[p] for p in chosen))


def _corpus(files: dict[str, str], cache: dict[tuple[str, str], DocumentFacts]) -> dict[str, DocumentFacts]:
    found = {}
    for path, text in files.items():
        if (path, text) not in cache:
            cache[(path, text)] = _facts(path, text)
        found[path] = cache[(path, text)]
    return found


def _by_path(findings) -> dict[str, list]:
    grouped = defaultdict(list)
    for finding in findings:
        grouped[finding.path].append(finding)
    return grouped


def _full(documents: dict[str, DocumentFacts], rules: ActiveRules = RULES):
    corpus = Corpus(tuple(documents[p] for p in sorted(documents)))
    findings = consistency._check_corpus(corpus, rules)
    return corpus, findings


def _generate(rnd: random.Random, stories: int = 5, outlets: int = 3, copies: int = 3):
    made = [Story(rnd, s) for s in range(stories)]
    files: dict[str, str] = {}
    for story in made:
        for outlet in range(outlets):
            kwargs = {}
            if rnd.random() < 0.4:
                kwargs["figure"] = story.value + rnd.choice([1000, 2500])
            if rnd.random() < 0.3:
                kwargs["spelling"] = rnd.choice([1, 2])
            if rnd.random() < 0.3:
                kwargs["title"] = rnd.choice(TITLES)
            if rnd.random() < 0.3:
                kwargs["quote"] = 1
            text = story.text(rnd, outlet, **kwargs)
            for copy in range(rnd.randrange(1, copies + 1)):
                tail = f"Republished by copy desk {copy}." if copy else ""
                files[f"s{story.number}/o{outlet}-c{copy}.txt"] = text + tail
    return made, files


def _edit(rnd: random.Random, made: list[Story], files: dict[str, str]) -> dict[str, str]:
    """One random edit of ``files`` (a new dict)."""
    files = dict(files)
    paths = sorted(files)
    kind = rnd.choice(["figure", "spelling", "add", "remove_first", "copy_first", "title", "quote", "remove",
                       "retell", "blank", "both"])
    story = rnd.choice(made)
    outlet = rnd.randrange(4)
    if kind in ("figure", "spelling", "title", "quote"):
        path = rnd.choice(paths)
        number, outlet = map(int, re.match(r"s(\d+)/[a-z](\d+)", path).groups())
        kwargs = {"figure": made[number].value + rnd.choice([0, 700, 3000])} if kind == "figure" else \
            {"spelling": rnd.choice([0, 1, 2])} if kind == "spelling" else \
            {"title": rnd.choice(TITLES)} if kind == "title" else {"quote": rnd.choice([0, 1])}
        files[path] = made[number].text(rnd, outlet, **kwargs)
    elif kind == "add":
        files[f"s{story.number}/o{outlet}-c{rnd.randrange(5, 9)}.txt"] = story.text(rnd, outlet, figure=story.value + 500)
    elif kind in ("remove_first", "remove"):
        group = [p for p in paths if p.startswith(f"s{story.number}/")]
        if group and len(files) > 3:
            del files[group[0] if kind == "remove_first" else rnd.choice(group)]
    elif kind == "retell":  # a document now tells another story: it leaves its group and joins another
        files[rnd.choice(paths)] = story.text(rnd, outlet, spelling=rnd.choice([0, 1]))
    elif kind == "both":  # one document writing a name two ways: the two keys are two people everywhere
        first, last = story.people[2]
        files[rnd.choice(paths)] = story.text(rnd, outlet, extra=(
            f"{_name(first, last, 1)}, a spokesperson for the {story.orgs[1]}, agreed.",))
    elif kind == "blank":  # no names, no figures: it pairs with nothing
        files[rnd.choice(paths)] = "Nothing to see here today.\n"
    elif kind == "copy_first":  # a near copy of a text that sorts before its group
        source = rnd.choice(paths)
        files[source.replace("/o", "/a", 1)] = files[source] + "Seen first here."
    return files


def _check(base_files: dict[str, str], new_files: dict[str, str], cache,
           rules: ActiveRules = RULES) -> tuple[bool, int]:
    """Full reduce + state on ``base_files``, update to ``new_files``: equal to a full reduce."""
    base_docs = _corpus(base_files, cache)
    base_corpus, base_findings = _full(base_docs, rules)
    state = incremental.corpus_state(base_corpus, rules)
    new_docs = _corpus(new_files, cache)
    _, new_findings = _full(new_docs, rules)
    changed = frozenset(p for p, text in new_files.items() if base_files.get(p) != text)
    removed = frozenset(set(base_files) - set(new_files))
    view = _Corpus(new_docs)
    result = incremental.update(view, incremental.CorpusChange(state, changed, removed), rules)
    if result is None:
        return False, 0
    assert changed <= result.affected <= set(new_files)
    assert all(f.path in result.affected for f in result.findings)
    merged = [f for f in base_findings if f.path in new_files and f.path not in result.affected] + result.findings
    got, want = _by_path(merged), _by_path(new_findings)
    for path in sorted(set(got) | set(want)):
        assert got.get(path, []) == want.get(path, []), path
    return True, view.loaded


@pytest.mark.parametrize("seed", range(80))
def test_random_edits_give_a_full_reduce(seed):
    rnd = random.Random(seed)
    made, files = _generate(rnd, stories=rnd.randrange(3, 7), copies=rnd.choice([3, 7]))
    cache: dict = {}
    edited = files
    for _ in range(rnd.choice([1, 1, 2, 3, 5])):
        edited = _edit(rnd, made, edited)
    _check(files, edited, cache)


@pytest.mark.parametrize("codes", [("CON002",), ("ATT001", "CON001"), ("ATT002",)])
def test_random_edits_with_some_rules_give_a_full_reduce(codes):
    rules = ActiveRules(options={code: {} for code in codes})
    for seed in range(8):
        rnd = random.Random(900 + seed)
        made, files = _generate(rnd, stories=4)
        _check(files, _edit(rnd, made, _edit(rnd, made, files)), {}, rules)


def test_random_edits_mostly_run_incrementally():
    """Most single edits are followed, not answered with a full reduce."""
    incremental_runs = 0
    for seed in range(12):
        rnd = random.Random(1000 + seed)
        made, files = _generate(rnd, stories=5)
        done, _ = _check(files, _edit(rnd, made, files), {})
        incremental_runs += done
    assert incremental_runs >= 8


# -- targeted cases ---------------------------------------------------------------------------


def _story_files(copies: int = 6) -> tuple[list[Story], dict[str, str]]:
    """Three stories, each by three outlets, each text with ``copies`` copies; outlet 1 disagrees."""
    rnd = random.Random(5)
    made = [Story(rnd, s) for s in range(3)]
    files = {}
    for story in made:
        for outlet in range(3):
            text = story.text(rnd, outlet, figure=story.value + 1500 * (outlet == 1), spelling=int(outlet == 1),
                              quote=int(outlet == 2))
            for copy in range(copies):
                files[f"s{story.number}/o{outlet}-c{copy}.txt"] = text + (f"Copy desk {copy}." if copy else "")
    return made, files


def _incremental(files, edited) -> int:
    done, loaded = _check(files, edited, {})
    assert done, "expected an incremental update, got a full reduce"
    return loaded


def test_removing_the_first_document_of_a_copy_group_regroups_it():
    made, files = _story_files()
    edited = dict(files)
    del edited["s0/o0-c0.txt"]  # the group's representative: its copies now pair through the next one
    _incremental(files, edited)


def test_a_near_copy_that_sorts_first_becomes_the_representative():
    made, files = _story_files()
    edited = dict(files, **{"s1/a0-c0.txt": files["s1/o0-c0.txt"] + "Seen first here."})
    _incremental(files, edited)


def test_a_changed_figure_in_a_copy_touches_only_that_copy():
    made, files = _story_files()
    edited = dict(files, **{"s2/o0-c3.txt": made[2].text(random.Random(1), 0, figure=made[2].value + 4000)
                            + "Copy desk 3."})
    _incremental(files, edited)


def test_a_respelled_name_in_a_representative_and_several_edits_at_once():
    made, files = _story_files()
    edited = dict(files)
    edited["s0/o2-c0.txt"] = made[0].text(random.Random(1), 2, spelling=2, quote=1)
    edited["s1/o1-c2.txt"] = made[1].text(random.Random(1), 1, spelling=0) + "Copy desk 2."
    del edited["s2/o2-c5.txt"]
    edited["s2/o3-c0.txt"] = made[2].text(random.Random(1), 3, figure=made[2].value + 900)
    _incremental(files, edited)


def test_a_document_that_joins_another_story_leaves_its_group():
    made, files = _story_files()
    edited = dict(files, **{"s0/o1-c2.txt": made[1].text(random.Random(1), 1)})
    _incremental(files, edited)


NAMED = "The Grenmark Salt Exchange and Piers Abelard of Lowen Dock were consulted."


def _distinct_stories() -> dict[str, str]:
    """Twenty-four stories, each one text (with words of its own) and a copy; 16 name one organisation."""
    rnd = random.Random(11)
    files = {}
    for number in range(24):
        story = Story(rnd, number)
        own = " ".join(f"{word}{'abcdefghijklmnopqrstuvwx'[number]}ing" for word in WORDS[:30])
        text = story.text(rnd, 0, extra=(own.capitalize() + ".",) + ((NAMED,) if number < 16 else ()))
        files[f"s{number:02d}/o0-c0.txt"] = text
        files[f"s{number:02d}/o0-c1.txt"] = text + "Copy desk 1."
    return files


def _capped_files() -> tuple[dict[str, str], list[str], int]:
    """Twenty-four stories, one text each with a copy (about 24 representatives: the cap on an
    entity's representatives is 20), 16 naming one organisation; the representatives that do
    not name it, and how many more would take it to the cap."""
    files = _distinct_stories()
    state = incremental.corpus_state(_full(_corpus(files, {}))[0], RULES)
    entity = int(np.searchsorted(state.entity_vocabulary, b"grenmark salt exchange"))
    room = state.cap - int(state.entity_frequency[entity])
    lacking = [state.paths[r].decode() for r in state.rep_ids.tolist() if NAMED not in files[state.paths[r].decode()]]
    assert 0 < room < len(lacking)
    return files, lacking, room


def test_an_entity_crossing_the_cap_asks_for_a_full_reduce():
    files, lacking, room = _capped_files()
    done, _ = _check(files, _naming(files, lacking[:room + 1]), {})
    assert not done  # one representative over the cap: the name is common now, every pair through it may go


def test_an_entity_reaching_the_cap_is_followed():
    files, lacking, room = _capped_files()
    _incremental(files, _naming(files, lacking[:room]))


def _naming(files: dict[str, str], representatives: list[str]) -> dict[str, str]:
    """``files`` with these representatives and their copies naming the organisation too."""
    edited = dict(files)
    for path in representatives:
        for name in (path, path.replace("-c0", "-c1")):
            edited[name] = files[name] + NAMED
    return edited


def test_a_moved_cap_that_turns_no_entity_is_followed(monkeypatch):
    """One representative fewer lowers the cap; no entity's count lies between the two caps,
    so no pair changes through it."""
    from srcaudit_plugins.consistency import topics  # noqa: PLC0415
    for module in (topics, incremental):
        monkeypatch.setattr(module, "MIN_CAP", 2)
        monkeypatch.setattr(module, "MAX_DOCUMENT_SHARE", 0.46)
    files = _distinct_stories()
    edited = {path: text for path, text in files.items() if not path.startswith("s05/")}
    state = incremental.corpus_state(_full(_corpus(files, {}))[0], RULES)
    assert max(2, int((state.representatives - 1) * 0.46)) != state.cap  # the cap moves
    _incremental(files, edited)


def test_an_update_loads_few_documents():
    """A copy's edit loads its bucket mates' groups and the pairs' earlier documents, not the corpus."""
    made, files = _story_files(copies=8)
    edited = dict(files, **{"s2/o0-c5.txt": made[2].text(random.Random(1), 0, figure=made[2].value + 4000)
                            + "Copy desk 5."})
    assert _incremental(files, edited) < len(files) / 2


# -- through the engine ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_warm_runs_through_the_engine_equal_cold_runs(tmp_path, monkeypatch, seed):
    """Cached runs after edits (several warm runs on one base) print what a run without the cache prints,
    and the consistency rules were updated, not run in full."""
    from conftest import run_cli, write_files  # noqa: PLC0415

    calls = []
    original = incremental.update

    def counted(corpus, change, rules):
        answer = original(corpus, change, rules)
        calls.append(answer is not None)
        return answer

    monkeypatch.setattr(incremental, "update", counted)
    rnd = random.Random(seed)
    made, files = _generate(rnd, stories=4)
    docs = tmp_path / "docs"
    write_files(docs, files)
    select = ["--select", ",".join(consistency.CODES), "--format", "json", "--jobs", "1"]
    run_cli("check", *select, "--cache-dir", str(tmp_path / "cache"), str(docs))
    for _ in range(3):
        edited = _edit(rnd, made, files)
        for path in set(files) - set(edited):
            (docs / path).unlink()
        write_files(docs, {path: text for path, text in edited.items() if files.get(path) != text})
        files = edited
        warm = run_cli("check", *select, "--cache-dir", str(tmp_path / "cache"), str(docs)).stdout
        cold = run_cli("check", *select, "--no-cache", str(docs)).stdout
        assert warm == cold
    assert calls and all(calls)


@pytest.mark.parametrize("seed", range(30))
def test_random_edits_with_a_low_cap_give_a_full_reduce(seed, monkeypatch):
    """With a cap of a third of the representatives, edits that add or remove one move the cap
    and push entities over it: the update follows what it can and asks for a full reduce
    otherwise, and what it gives still equals a full reduce."""
    from srcaudit_plugins.consistency import topics  # noqa: PLC0415
    for module in (topics, incremental):
        monkeypatch.setattr(module, "MIN_CAP", 2)
        monkeypatch.setattr(module, "MAX_DOCUMENT_SHARE", 0.34)
    rnd = random.Random(500 + seed)
    made, files = _generate(rnd, stories=rnd.randrange(4, 8))
    edited = files
    for _ in range(rnd.choice([1, 2])):
        edited = _edit(rnd, made, edited)
    _check(files, edited, {})


def test_a_changed_document_without_facts_asks_for_a_full_reduce():
    """Its extraction failed: it is in the corpus but not among the documents compared."""
    _, files = _story_files(copies=2)
    base_docs = _corpus(files, {})
    state = incremental.corpus_state(_full(base_docs)[0], RULES)
    path = "s1/o1-c0.txt"
    view = _Corpus(dict(base_docs, **{path: DocumentFacts(path, "x", 3, {})}))
    assert incremental.update(view, incremental.CorpusChange(state, frozenset([path]), frozenset()), RULES) is None


def test_a_state_of_other_rules_asks_for_a_full_reduce():
    _, files = _story_files(copies=2)
    base_docs = _corpus(files, {})
    state = incremental.corpus_state(_full(base_docs)[0], RULES)
    fewer = ActiveRules(options={"ATT001": {}})
    change = incremental.CorpusChange(state, frozenset(), frozenset())
    assert incremental.update(_Corpus(base_docs), change, fewer) is None
    assert incremental.update(_Corpus(base_docs), change, RULES) is not None
