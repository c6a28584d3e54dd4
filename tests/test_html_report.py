"""The HTML report: structure, escaping of untrusted text, links, and a real browser's view of it.

Cross-source rules live on other branches, so the cross-source cases use a small fixture
plugin (a corpus rule that pairs the first quoted line of each document with the next
document's) and a fixture line classifier: the reporter must show whatever rules report.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

import srcaudit
from srcaudit.api import Finding, Region, RelatedLocation, Rule, Severity
from srcaudit.check import CheckOptions, run_check
from srcaudit.plugins import create_plugin_manager
from srcaudit.session import open_session
from srcaudit_plugins.html_report import render_html

from conftest import REPO, run_cli, write_files

HOSTILE = "<script>document.title='pwned'</script>"
HOSTILE_IMG = '<img src="x" onerror="document.body.setAttribute(\'data-pwned\', \'1\')">'

ARTICLES = {
    "alpha.txt": (
        "Menu | Home | World\n"
        "Share this article\n"
        "\n"
        "The minister spoke to reporters on Tuesday.\n"
        "\n"
        f"\"We will build twelve new bridges by spring,\" the minister said. {HOSTILE}\n"
        "\n"
        f"Local groups welcomed the plan. {HOSTILE_IMG}\n"
    ),
    "beta.txt": (
        "Menu | Home | Politics\n"
        "\n"
        "A new transport plan was announced.\n"
        "\n"
        "\"We will build ten new bridges before the summer,\" the minister said.\n"
    ),
}

QUOTE_RULE = Rule(code="TST201", name="fixture-quote-drift", summary="Fixture: first quotes differ.",
                  severity=Severity.WARNING, documentation="## What it does\nPairs first quotes.",
                  scope="corpus")
LINE_RULE = Rule(code="TST202", name="fixture-line", summary="Fixture: a line with markup.",
                 severity=Severity.ERROR, documentation="## What it does\nFlags markup.")


class QuoteDriftFixture:
    """A corpus rule stand-in: the first quoted line of each document vs the next document's."""

    @srcaudit.hookimpl
    def srcaudit_rules(self):
        return [QUOTE_RULE, LINE_RULE]

    @srcaudit.hookimpl
    def srcaudit_classify_lines(self, document):
        return ["navigation" if line.startswith(("Menu", "Share")) else None for line in document.lines]

    @srcaudit.hookimpl
    def srcaudit_check_document(self, document):
        return [Finding("TST202", "line contains markup", document.path, document.line_region(n))
                for n, line in enumerate(document.lines, 1) if "<img" in line]

    @srcaudit.hookimpl
    def srcaudit_measure_document(self, document):
        return {"quote_lines": sum('"' in line for line in document.lines), "has_menu": True,
                "menu_share": sum(r is not None for r in document.line_roles) / len(document.lines)}

    @srcaudit.hookimpl
    def srcaudit_extract_facts(self, document):
        for number, line in enumerate(document.lines, 1):
            if line.startswith('"'):
                end = line.index('"', 1) + 1
                return {"fixture": {"region": (number, 1, number, end + 1), "quote": line[:end]}}
        return None

    @srcaudit.hookimpl
    def srcaudit_check_corpus(self, corpus):
        quoted = list(corpus.facts("fixture"))
        for (here, mine), (there, theirs) in itertools.pairwise(quoted):
            yield Finding("TST201", f"{mine['quote']} here but {theirs['quote']} in {there.path}",
                          here.path, Region(*mine["region"]),
                          related=(RelatedLocation(there.path, Region(*theirs["region"]), "other wording"),),
                          anchor=mine["quote"])


def fixture_report(root: Path, files: dict[str, str] = ARTICLES, select=("TST", "DUP")):
    write_files(root, files)
    manager, errors = create_plugin_manager()
    assert errors == []
    manager.register(QuoteDriftFixture(), name="quote-drift-fixture")
    session = open_session(None, root, manager=manager)
    return run_check(session, CheckOptions(paths=[str(root)], select=list(select), jobs=1))


# -- a small DOM, for the page as written and as the browser leaves it ---------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter() if (tag is None or n.tag == tag)
                and (cls is None or cls in n.attrs.get("class", "").split())]

    def by_id(self, ident: str) -> Node | None:
        return next((n for n in self.iter() if n.attrs.get("id") == ident), None)


_VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "source", "area", "base", "col"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    return builder.root


# -- the page as written ------------------------------------------------------------------------


def test_document_markup_stays_text(tmp_path):
    page = render_html(fixture_report(tmp_path))
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    dom = parse(page)
    assert dom.find_all("script") == [] and dom.find_all("img") == []
    assert HOSTILE in dom.text() and HOSTILE_IMG in dom.text()


def test_summary_table_has_one_row_per_document_with_families_and_measures(tmp_path):
    report = fixture_report(tmp_path)
    table = parse(render_html(report)).find_all("table", "summary")[0]
    headers = [th.text() for th in table.find_all("thead")[0].find_all("th")]
    assert headers[:3] == ["Document", "Lines", "Findings"]
    assert {"DUP", "TST", "menu share", "has menu", "quote lines"} <= set(headers)
    rows = table.find_all("tbody")[0].find_all("tr")
    assert [row.find_all("th")[0].text() for row in rows] == [d.path for d in report.documents]
    alpha = [c.text() for c in rows[0].children if isinstance(c, Node)]
    column = dict(zip(headers, alpha))
    assert column["TST"].startswith("2") and "TST201×1" in column["TST"] and "TST202×1" in column["TST"]
    assert column["Findings"].startswith("2") and "error" in column["Findings"]  # worst severity, as a word
    assert column["menu share"] == "25%" and column["has menu"] == "yes"


def test_cross_source_finding_is_shown_side_by_side_with_a_word_diff(tmp_path):
    report = fixture_report(tmp_path)
    dom = parse(render_html(report))
    panels = dom.find_all("article", "conflict")
    assert len(panels) == 1
    panel = panels[0]
    sides = panel.find_all("figure", "side")
    assert len(sides) == 2
    assert "We will build twelve new bridges by spring" in sides[0].text()
    assert "We will build ten new bridges before the summer" in sides[1].text()
    assert [m.text() for m in sides[0].find_all("mark", "diff")] == ["twelve", "by spring,\""]
    assert [m.text() for m in sides[1].find_all("mark", "diff")] == ["ten", "before the summer,\""]
    hrefs = [a.attrs["href"] for a in panel.find_all("a")]
    assert dom.by_id(hrefs[1][1:]).attrs["id"].endswith("-L6")  # this side: alpha line 6
    assert dom.by_id(hrefs[2][1:]).attrs["id"].endswith("-L5")  # other side: beta line 5
    assert "warning" in panel.find_all("h3")[0].text()


def test_findings_are_highlighted_in_place_and_cited_spans_link_back(tmp_path):
    dom = parse(render_html(fixture_report(tmp_path)))
    documents = dom.find_all("article", "document")
    alpha, beta = documents
    line8 = dom.by_id(f"{alpha.attrs['id']}-L8")
    assert [m.attrs["class"] for m in line8.find_all("mark")] == ["hl sev-error"]
    notes = alpha.find_all("div", "note")
    assert any("TST202" in n.text() and "error" in n.text() for n in notes)
    quote_note = next(n for n in notes if "TST201" in n.text())
    assert "Side by side" in quote_note.text()
    # The other side's span is marked and links back to the finding.
    cited = beta.find_all("div", "cited-note")
    assert len(cited) == 1 and cited[0].find_all("a")[0].attrs["href"] == f"#{quote_note.attrs['id']}"
    assert dom.by_id(f"{beta.attrs['id']}-L5").find_all("span", "cited")


def test_duplicated_paragraphs_link_to_their_twins(tmp_path):
    paragraph = "The council voted to extend the library's opening hours after a long public debate."
    report = fixture_report(tmp_path, {"dup.txt": f"Title\n\n{paragraph}\n\nMiddle part.\n\n{paragraph}\n"},
                            select=("DUP001",))
    assert [f.code for f in report.findings] == ["DUP001"]
    dom = parse(render_html(report))
    note = dom.find_all("div", "note")[1]  # the cited note (line 3) comes first
    assert "DUP001" in note.text() and note.find_all("a")[0].attrs["href"].endswith("-L3")
    back = dom.find_all("div", "cited-note")[0]
    assert back.find_all("a")[0].attrs["href"] == f"#{note.attrs['id']}"


def test_boilerplate_lines_are_greyed_and_labelled(tmp_path):
    report = fixture_report(tmp_path)
    assert report.documents[0].line_roles[:3] == ("navigation", "navigation", None)
    dom = parse(render_html(report))
    alpha = dom.find_all("article", "document")[0]
    greyed = alpha.find_all("div", "boilerplate")
    assert [n.attrs["id"].rsplit("-", 1)[1] for n in greyed] == ["L1", "L2"]
    assert all(n.find_all("span", "role")[0].text() == "navigation" for n in greyed)


def test_every_link_resolves_and_nothing_is_fetched(tmp_path):
    page = render_html(fixture_report(tmp_path))
    dom = parse(page)
    ids = {n.attrs["id"] for n in dom.iter() if "id" in n.attrs}
    hrefs = [n.attrs["href"] for n in dom.find_all("a")]
    assert hrefs and all(h.startswith("#") and h[1:] in ids for h in hrefs)
    assert not [n for n in dom.iter() if n.attrs.get("src")] and not dom.find_all("link")
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in dom.find_all("meta")[1].attrs["content"]
    first_link = dom.find_all("a")[0]  # keyboard users reach the skip link first, and see focus
    assert first_link.attrs == {"class": "skip", "href": "#main"} and dom.by_id("main") is not None
    assert ":focus-visible" in dom.find_all("style")[0].text()


def test_a_file_changed_after_the_check_is_not_shown_misaligned(tmp_path):
    report = fixture_report(tmp_path)
    (tmp_path / "beta.txt").write_text("Completely different.\n", encoding="utf-8")
    (tmp_path / "alpha.txt").unlink()
    page = render_html(report)
    assert "the file has 1 lines now but had 5" in page
    assert "cannot read the file again" in page
    assert "TST201" in page  # findings are still listed


def test_html_is_a_format_of_the_check_command(tmp_path):
    write_files(tmp_path, ARTICLES)
    out = tmp_path / "report.html"
    result = run_cli("check", "--format", "html", "--output", str(out), "--jobs", "1", str(tmp_path))
    assert result.exit_code in (0, 1), result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# -- in a real browser ----------------------------------------------------------------------------

ARTIFACTS = Path(os.environ.get("SRCAUDIT_TEST_ARTIFACTS", REPO / "test-artifacts"))


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium on PATH (install the Debian package `chromium`; .ci/run does when apt-get works)")


def _browser(tmp_path: Path, page: Path, *args: str) -> str:
    profile = tmp_path / "chromium-profile"
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--virtual-time-budget=2000", *args, page.resolve().as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _load(tmp_path: Path, page: Path, screenshot: str, height: int = 2400) -> Node:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / screenshot
    shot.unlink(missing_ok=True)
    _browser(tmp_path, page, f"--screenshot={shot}", f"--window-size=1280,{height}")
    assert shot.stat().st_size > 10_000  # a rendered page, not an empty canvas
    return parse(_browser(tmp_path, page, "--dump-dom"))


def test_seeds_report_in_chromium(tmp_path):
    out = tmp_path / "seeds.html"
    result = run_cli("check", "seeds", "--format", "html", "--output", str(out), "--jobs", "1", cwd=REPO)
    assert result.exit_code == 1, result.output
    payload = json.loads(run_cli("check", "seeds", "--format", "json", "--jobs", "1", cwd=REPO).stdout)
    dom = _load(tmp_path, out, "seeds-report.png", height=4000)
    assert dom.find_all("title")[0].text().startswith("srcaudit report")
    rows = dom.find_all("table", "summary")[0].find_all("tbody")[0].find_all("tr")
    assert [r.find_all("th")[0].text() for r in rows] == [d["path"] for d in payload["documents"]]
    crossing = [f for f in payload["findings"] if any(r["path"] != f["path"] for r in f["related"])]
    assert dom.by_id("cross") is not None
    assert len(dom.find_all("article", "conflict")) == len(crossing)
    assert len(dom.find_all("article", "document")) == len(payload["documents"])
    assert len(dom.find_all("div", "note")) - len(dom.find_all("div", "cited-note")) == len(payload["findings"])


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_no_document_script_runs_in_chromium(tmp_path, csp):
    page = render_html(fixture_report(tmp_path / "corpus"))
    if not csp:  # the policy is a second line of defence: escaping alone must hold
        page = page.replace("default-src 'none'", "default-src *; script-src 'unsafe-inline' *")
    out = tmp_path / "fixture.html"
    out.write_text(page, encoding="utf-8")
    dom = _load(tmp_path, out, f"fixture-report-{'csp' if csp else 'no-csp'}.png")
    assert dom.find_all("title")[0].text().startswith("srcaudit report")
    assert "data-pwned" not in dom.find_all("body")[0].attrs
    assert dom.find_all("script") == [] and dom.find_all("img") == []
    assert HOSTILE in dom.text()
    assert len(dom.find_all("table", "summary")) == 1
    panels = dom.find_all("article", "conflict")
    assert len(panels) == 1 and len(panels[0].find_all("mark", "diff")) == 4
