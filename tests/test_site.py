"""The website in a real browser (Debian's Chromium driven by Playwright), served by `iscm-kg serve`'s front on a
free loopback port: map, search, member tables, links, content negotiation. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import os
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from iscm_kg import graph, query
from iscm_kg.namespaces import sparql_prologue
from iscm_kg.publish import site, siteserver

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def kg() -> graph.KnowledgeGraph:
    return graph.load()


@pytest.fixture(scope="module")
def built(kg: graph.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site.build(tmp_path_factory.mktemp("site") / "site", kg=kg).output


@pytest.fixture(scope="module")
def base(built: Path) -> Iterator[str]:
    server = siteserver.server(built, "127.0.0.1", 0, None)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium (scripts/setup.sh installs it)")
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh installs it as root)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        # A fresh profile each run: Playwright's launch gives Chromium a new temporary --user-data-dir.
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Nothing but the loopback site may be fetched: any other request fails the test that made it.
    outside: list[str] = []

    def only_loopback(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    context.close()
    assert not errors, errors
    assert not outside, outside


def count_mechanisms(kg: graph.KnowledgeGraph, iso3: str) -> int:
    rows = kg.select(f"""PREFIX iscm: <https://w3id.org/iscm-kg/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
        SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?s iscm:isoAlpha3 "{iso3}" .
        ?p a iscm:Participation ; org:member ?s ; org:organization ?m . }}""").rows
    return int(str(rows[0][0]))


def test_home_map_draws_each_state_once_with_its_count(page: Any, base: str, kg: graph.KnowledgeGraph) -> None:
    page.goto(base + "index.html")
    marks = page.eval_on_selector_all("#worldmap a.st", "els => els.map(e => [e.dataset.iso3, e.dataset.count])")
    states = kg.select("PREFIX iscm: <https://w3id.org/iscm-kg/ontology#> "
                       "SELECT ?c WHERE { ?s a iscm:State ; iscm:isoAlpha3 ?c }").rows
    assert sorted(m[0] for m in marks) == sorted(str(r[0]) for r in states)
    counts = dict(marks)
    for iso3 in ("KEN", "AUS", "FRA", "PHL", "SGP"):
        assert int(counts[iso3]) == count_mechanisms(kg, iso3), iso3
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"))


def test_map_filter_recounts_and_a_click_opens_the_state(page: Any, base: str) -> None:
    page.goto(base + "index.html")
    before = int(page.get_attribute('#worldmap a.st[data-iso3="KEN"]', "data-count"))
    page.select_option("form.filters select[name=type]", index=1)
    after = int(page.get_attribute('#worldmap a.st[data-iso3="KEN"]', "data-count"))
    assert after <= before
    page.select_option("form.filters select[name=type]", index=0)
    page.click('#worldmap a.st[data-iso3="KEN"]')
    page.wait_for_url("**/id/state/KEN.html")
    assert "Kenya" in page.inner_text("h1")


@pytest.mark.parametrize(("text", "expected"), [("Bali", "/id/mechanism/BALI.html"),
                                                ("KEN", "/id/state/KEN.html"),
                                                ("Colombo", "/id/mechanism/COLOMBO.html")])
def test_search_finds(page: Any, base: str, text: str, expected: str) -> None:
    page.goto(base + "index.html")
    page.fill("#q", text)
    hrefs = page.eval_on_selector_all("#results a", "els => els.map(e => e.href)")
    assert any(h.endswith(expected) for h in hrefs), hrefs


def test_mechanism_page_lists_exactly_the_members_of_query(page: Any, base: str, kg: graph.KnowledgeGraph) -> None:
    for acronym in ("BALI", "COLOMBO", "RCM"):
        page.goto(base + f"id/mechanism/{acronym}.html")
        shown = page.eval_on_selector_all("table.participants [data-participant]",
                                          "els => els.map(e => [e.dataset.participant, e.dataset.role])")
        table = query.run("members-of", {"mechanism": acronym}, kg)
        i, r = table.variables.index("participant"), table.variables.index("role")
        expected = {(str(row[i]), str(row[r])) for row in table.rows}
        assert set(map(tuple, shown)) == expected, acronym
        # One row per participation: a State that chaired in two recorded terms has two chair rows.
        terms = kg.select(sparql_prologue() + "SELECT (COUNT(?p) AS ?n) WHERE { ?p a iscm:Participation ; "
                          f"org:organization mech:{acronym} }}").rows[0][0]
        assert len(shown) == int(str(terms)), acronym
        if acronym == "BALI":
            page.screenshot(path=str(ARTIFACTS / "mechanism-BALI.png"), full_page=False)


class _Matrix(HTMLParser):
    """The cells of a page's overlap table (table.matrix), read from the HTML as written: no script runs."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str], str] = {}
        self.rows: list[str] = []
        self._cell: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-mech"):
            self.rows.append(str(a["data-mech"]))
        if tag == "td" and a.get("data-row") and a.get("data-col"):
            self._cell = (str(a["data-row"]), str(a["data-col"]))
            self.cells[self._cell] = ""

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self.cells[self._cell] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._cell = None


def test_state_page_overlaps_match_an_independent_query(built: Path, kg: graph.KnowledgeGraph) -> None:
    """Each State's page: the mechanisms it takes part in (any role) × each other, the member States they share,
    as a table in the page itself; compared with a query written here, not with the site's own code."""
    for iso3 in ("KEN", "FRA", "PHL"):
        state = f"https://w3id.org/iscm-kg/id/state/{iso3}"
        found = kg.select(f"""PREFIX iscm: <https://w3id.org/iscm-kg/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT ?a ?b (COUNT(DISTINCT ?s) AS ?n) WHERE {{
              ?pa a iscm:Participation ; org:member <{state}> ; org:organization ?ma .
              ?pb a iscm:Participation ; org:member <{state}> ; org:organization ?mb .
              ?s a iscm:State ; iscm:memberOf ?ma , ?mb .
              ?ma skos:notation ?a . ?mb skos:notation ?b .
            }} GROUP BY ?a ?b""").rows
        expected = {(str(a), str(b)): int(str(n)) for a, b, n in found}
        parser = _Matrix()
        parser.feed((built / "id" / "state" / f"{iso3}.html").read_text(encoding="utf-8"))
        assert len(expected) >= 4, iso3  # each of these States is in two or more mechanisms with members
        shown = {cell: int(text) for cell, text in parser.cells.items() if text.strip()}
        assert shown == expected, iso3
        # Every mechanism with member States is a row, and only those; an empty cell means none shared.
        assert sorted(parser.rows) == sorted({a for a, _b in expected}), iso3
        assert len(parser.cells) == len(parser.rows) ** 2


def test_maps_say_that_french_guiana_is_drawn_as_france(built: Path, kg: graph.KnowledgeGraph) -> None:
    """Natural Earth's France reaches across the Atlantic (French Guiana): the maps that draw it say so."""
    import json
    import re

    world = json.loads((site.web_root() / "vendor" / "world.json").read_text(encoding="utf-8"))
    code = kg.select('PREFIX iscm: <https://w3id.org/iscm-kg/ontology#> '
                     'SELECT ?c WHERE { ?s iscm:isoAlpha3 "FRA" ; iscm:m49Code ?c }').rows[0][0]
    starts = [float(x) for x in re.findall(r"M(-?[\d.]+),", world["shapes"][str(code)]["d"])]
    assert min(starts) < world["width"] / 2 < max(starts)  # one ring west of the central meridian, one east
    for page in ("index.html", "id/state/FRA.html", "id/mechanism/BALI.html"):
        assert "French Guiana is part of France" in (built / page).read_text(encoding="utf-8"), page


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v for k, v in attrs if k in ("href", "src") and v]


@pytest.mark.slow  # every link of every page
def test_crawl_the_whole_site_no_404(base: str) -> None:
    seen, todo = set(), [base + "index.html"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        with urllib.request.urlopen(url, timeout=10) as answer:  # an HTTPError (404) fails the test
            assert answer.status == 200
            if not url.endswith(".html"):
                continue
            parser = _Hrefs()
            parser.feed(answer.read().decode("utf-8"))
        for link in parser.found:
            target = urljoin(url, link).split("#")[0]
            if target.startswith(base):
                todo.append(target)
    assert len(seen) > 2000


def test_content_negotiation_returns_the_entity_triples(base: str, kg: graph.KnowledgeGraph) -> None:
    for path in ("id/mechanism/BALI", "id/state/KEN", "id/organisation/IOM", "id/theme/labour-migration"):
        iri = URIRef("https://w3id.org/iscm-kg/" + path)
        request = urllib.request.Request(base + path, headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.headers["Content-Type"].startswith("text/turtle")
            got = Graph().parse(data=answer.read().decode("utf-8"), format="turtle")
        expected = Graph()
        for triple in kg.graph.triples((iri, None, None)):
            expected.add(triple)
        assert isomorphic(got, expected), path
        request = urllib.request.Request(base + path, headers={"Accept": "application/ld+json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert isomorphic(Graph().parse(data=answer.read(), format="json-ld"), expected), path
        with urllib.request.urlopen(urllib.request.Request(base + path, headers={"Accept": "text/html"})) as answer:
            assert b"<!DOCTYPE html>" in answer.read(20)


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path: Path, kg: graph.KnowledgeGraph) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(Exception, match="not a previous site"):
        site.build(tmp_path, kg=kg)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_accept_header_choice() -> None:
    assert siteserver.choose("text/turtle") == ".ttl"
    assert siteserver.choose("application/ld+json;q=0.9, text/turtle;q=0.5") == ".jsonld"
    assert siteserver.choose("text/html,application/xhtml+xml,*/*;q=0.8") == ".html"
    assert siteserver.choose("") == ".html"
