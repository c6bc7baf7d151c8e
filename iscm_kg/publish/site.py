"""iscm-kg site: the static website, one page per entity at a path that mirrors its persistent IRI.

`https://w3id.org/iscm-kg/id/mechanism/BALI` becomes `id/mechanism/BALI.html`, with `BALI.ttl` and `BALI.jsonld`
(the entity's concise bounded description in the derived graph) beside it. Links between pages are relative and
name the `.html` file, so the same folder works from file://, from any static host and from `iscm-kg serve`
(which also answers the extension-less IRI path by content negotiation). Every fact on a page is read from the
graph; the country shapes are the vendored Natural Earth paths in web/vendor/world.json.

The site is built in a temporary folder beside the target, checked (every page parses, every internal link
resolves, every Turtle file parses to the triples it was written from) and only then renamed into place.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import posixpath
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from iscm_kg import __version__, query, resources
from iscm_kg import graph as kg_graph
from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.namespaces import ID, ISCM, ORG, PREFIXES, prefixed
from iscm_kg.publish import staging
from iscm_kg.publish.staging import staged
from iscm_kg.query.labels import label_of

MARKER = ".iscm-kg-site"  # a file every built site holds: a folder with it is a previous site, safe to replace
SECRETARIAT_ROLES = ("secretariat", "technical-secretariat", "secretariat-support", "secretariat-host")
# Viridis in six steps: readable with every common colour-vision deficiency and in grey scale.
SCALE = ("#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154")
BINS = ((1, 1), (2, 2), (3, 4), (5, 6), (7, 9), (10, None))
NONE_COLOUR = "#e4e4e4"
DATASET_IRI = "https://w3id.org/iscm-kg/dataset"


class SiteError(IscmError):
    """The built site failed its own checks: nothing was put in place."""


@dataclass(frozen=True)
class SiteResult:
    output: Path
    pages: int
    files: int
    size: int
    home_bytes: int
    seconds: float


def web_root() -> Path:
    """web/ (stylesheet, script, vendored shapes): inside the wheel, or at the top of the checkout."""
    packaged = resources.resource_root() / "web"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "web"


def bin_of(count: int) -> int:
    """The colour step of a count; -1 for none."""
    for i, (low, high) in enumerate(BINS):
        if count >= low and (high is None or count <= high):
            return i
    return -1


def colour_of(count: int) -> str:
    step = bin_of(count)
    return NONE_COLOUR if step < 0 else SCALE[step]


def bin_label(i: int) -> str:
    low, high = BINS[i]
    if high is None:
        return f"{low} or more"
    return str(low) if low == high else f"{low}–{high}"


def h(text: object) -> str:
    return html.escape(str(text), quote=True)


def truthy(node: Node | None) -> bool:
    return isinstance(node, Literal) and bool(node.toPython())


def year(node: Node | None) -> str:
    return "" if node is None else str(node)[:4]


# ---------------------------------------------------------------- where each entity's page lives


def page_of(iri: Node) -> str | None:
    """The site path of an entity's page: its IRI below id/ plus .html; sources outside the namespace go under
    source-page/ by a hash of their address (they have no IRI of ours to mirror)."""
    if not isinstance(iri, URIRef):
        return None
    text = str(iri)
    if text.startswith(ID):
        rest = text[len(ID):]
        if re.fullmatch(r"[A-Za-z0-9._-]+/[A-Za-z0-9._-]+", rest):
            return f"id/{rest}.html"
        return None
    return None


def web_source_page(iri: URIRef) -> str:
    return f"source-page/{hashlib.sha1(str(iri).encode()).hexdigest()[:12]}.html"


@functools.cache
def rel(from_page: str, to_page: str) -> str:
    """The relative link from one site path to another (both plain, with no . or .. parts): what
    posixpath.relpath gives, without its trips through the working folder (the pages hold fifty thousand)."""
    here, there = from_page.split("/")[:-1], to_page.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


# ---------------------------------------------------------------- reading the graph


@dataclass
class Participation:
    iri: URIRef
    participant: URIRef
    mechanism: URIRef
    role: URIRef
    start: str
    end: str
    sources: list[URIRef]


def _order(node: Node) -> tuple[str, str]:
    return (type(node).__name__, str(node))


class Index:
    """Every statement of the graph by subject and property and by object and property, each list in a fixed
    order. The pages ask the graph about a hundred thousand small questions: a dict lookup answers each where
    rdflib's store walks its indexes, and where a property has several values (two titles of one source) the
    same one comes first every run, so two builds give the same bytes."""

    def __init__(self, store: Any) -> None:
        import pyoxigraph as ox

        from iscm_kg.engines.oxigraph_engine import from_ox

        # Read from Oxigraph's store, one rdflib term per distinct term: a lookup with a term the index handed
        # out finds its key by identity, without rdflib's Python-level __eq__ (half a million calls otherwise).
        terms: dict[Any, Node] = {}

        def term(t: Any) -> Node:
            found = terms.get(t)
            if found is None:
                found = terms[t] = from_ox(t)
            return found

        out: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        into: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            s, p, o = term(quad.subject), term(quad.predicate), term(quad.object)
            out[s][p].append(o)
            into[o][p].append(s)
        for table_ in (out, into):
            for by_property in table_.values():
                for nodes in by_property.values():
                    nodes.sort(key=_order)
        self.out = {s: dict(ps) for s, ps in out.items()}
        self.into = {o: dict(ps) for o, ps in into.items()}
        self.types = {s: frozenset(ps.get(RDF.type, ())) for s, ps in self.out.items()}

    def objects(self, s: Node, p: Node) -> list[Node]:
        return self.out.get(s, {}).get(p, [])

    def subjects(self, p: Node, o: Node) -> list[Node]:
        return self.into.get(o, {}).get(p, [])

    def value(self, s: Node, p: Node) -> Node | None:
        found = self.objects(s, p)
        return found[0] if found else None

    def has(self, s: Node, p: Node, o: Node) -> bool:
        if p == RDF.type:
            return o in self.types.get(s, ())
        return o in self.objects(s, p)

    def predicate_objects(self, s: Node) -> list[tuple[Node, Node]]:
        return sorted(((p, o) for p, os in self.out.get(s, {}).items() for o in os), key=str)


@dataclass
class Model:
    """What the pages show, read once from the derived graph."""

    kg: KnowledgeGraph
    store: Any  # a pyoxigraph Store of the same graph: per-entity documents are cut and serialised from it
    index: Index
    mechanisms: list[URIRef] = field(default_factory=list)
    states: list[URIRef] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    by_mechanism: dict[URIRef, list[Participation]] = field(default_factory=lambda: defaultdict(list))
    by_participant: dict[URIRef, list[Participation]] = field(default_factory=lambda: defaultdict(list))
    members: dict[URIRef, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    sources: list[URIRef] = field(default_factory=list)
    citing: dict[URIRef, list[URIRef]] = field(default_factory=lambda: defaultdict(list))
    _labels: dict[Node, str] = field(default_factory=dict)
    _instances: dict[URIRef, list[URIRef]] = field(default_factory=dict)

    def label(self, node: Node) -> str:
        if node not in self._labels:
            self._labels[node] = label_of(self.index, node)
        return self._labels[node]

    def value(self, s: Node, p: Node) -> Node | None:
        return self.index.value(s, p)

    def values(self, s: Node, p: Node) -> list[Node]:
        return sorted(self.index.objects(s, p), key=lambda n: (self.label(n), str(n)))

    def has(self, s: Node, p: Node, o: Node) -> bool:
        return self.index.has(s, p, o)

    def is_a(self, s: Node, cls: Node) -> bool:
        return cls in self.index.types.get(s, ())

    def acronym(self, mechanism: URIRef) -> str:
        """The mechanism's identifier from the data (skos:notation), as the canned queries show it."""
        return str(self.value(mechanism, SKOS.notation) or self.label(mechanism))

    @functools.cached_property
    def mechanism_types(self) -> list[URIRef]:
        """The ontology names the types: the subclasses of iscm:ISCM."""
        found = {c for c in self.index.subjects(RDFS.subClassOf, ISCM.ISCM) if isinstance(c, URIRef)
                 and c != ISCM.ISCM}
        return sorted(found, key=lambda c: (self.label(c), str(c)))

    def kind_of(self, mechanism: URIRef) -> URIRef | None:
        for t in self.mechanism_types:
            if self.is_a(mechanism, t):
                return t
        return None

    def instances(self, cls: URIRef) -> list[URIRef]:
        if cls not in self._instances:
            self._instances[cls] = sorted((s for s in self.index.subjects(RDF.type, cls) if isinstance(s, URIRef)),
                                          key=lambda n: (self.label(n).lower(), str(n)))
        return list(self._instances[cls])


def read_model(kg: KnowledgeGraph) -> Model:
    from iscm_kg.engines.oxigraph_engine import OxigraphEngine

    engine = kg.engine if isinstance(kg.engine, OxigraphEngine) else OxigraphEngine.of_graph(kg.graph)
    m = Model(kg, engine.store, Index(engine.store))
    x = m.index
    m.mechanisms = sorted((s for s in x.subjects(RDF.type, ISCM.ISCM) if isinstance(s, URIRef)),
                          key=lambda s: (m.acronym(s), str(s)))
    m.states = m.instances(ISCM.State)
    for p in x.subjects(RDF.type, ISCM.Participation):
        participant, mechanism, role = x.value(p, ORG.member), x.value(p, ORG.organization), x.value(p, ORG.role)
        if not all(isinstance(y, URIRef) for y in (p, participant, mechanism, role)):
            continue
        part = Participation(p, participant, mechanism, role, year(x.value(p, ISCM.startYear)),  # type: ignore[arg-type]
                             year(x.value(p, ISCM.endYear)), sorted(x.objects(p, DCTERMS.source)))  # type: ignore[arg-type]
        m.participations.append(part)
        m.by_mechanism[mechanism].append(part)  # type: ignore[index]
        m.by_participant[participant].append(part)  # type: ignore[index]
    for s in x.out:
        if m.is_a(s, ISCM.State):
            for o in x.objects(s, ISCM.memberOf):
                if isinstance(o, URIRef):
                    m.members[o].add(s)  # type: ignore[arg-type]
        if isinstance(s, URIRef):
            for o in x.objects(s, DCTERMS.source):
                if isinstance(o, URIRef):
                    m.citing[o].append(s)
    m.sources = m.instances(ISCM.SourceDocument)
    return m


def mechanisms_of(m: Model, participant: URIRef) -> set[URIRef]:
    return {p.mechanism for p in m.by_participant.get(participant, [])}


# ---------------------------------------------------------------- per-entity RDF documents


def cbd(store: Any, subject: URIRef) -> list[Any]:
    """The concise bounded description, as Oxigraph triples: the subject's triples, and those of the blank nodes
    they reach."""
    import pyoxigraph as ox

    out: list[Any] = []
    todo: list[Any] = [ox.NamedNode(str(subject))]
    seen: set[Any] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for quad in store.quads_for_pattern(node, None, None, ox.DefaultGraph()):
            out.append(ox.Triple(quad.subject, quad.predicate, quad.object))
            if isinstance(quad.object, ox.BlankNode):
                todo.append(quad.object)
    return sorted(out, key=str)


def rdf_documents(store: Any, subject: URIRef) -> tuple[str, str]:
    """Turtle and JSON-LD of the entity's description (Oxigraph's serialisers: fast enough for every entity)."""
    import pyoxigraph as ox

    triples = cbd(store, subject)
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    jsonld = ox.serialize(triples, format=ox.RdfFormat.JSON_LD, prefixes=PREFIXES) or b""
    return turtle.decode("utf-8"), jsonld.decode("utf-8")


# ---------------------------------------------------------------- the page frame


NAV = (("index.html", "Home"), ("id/mechanism/index.html", "Mechanisms"), ("id/state/index.html", "States"),
       ("id/organisation/index.html", "Organisations"), ("overlaps.html", "Overlaps"), ("timeline.html", "Timeline"),
       ("id/source/index.html", "Sources"), ("queries.html", "Queries"), ("search.html", "Search"))


def frame(path: str, title: str, body: str, *, jsonld: str | None = None, alternates: bool = False,
          scripts: Iterable[str] = ()) -> str:
    root = rel(path, "index.html")[: -len("index.html")]
    links = "".join(f'<li><a href="{h(rel(path, target))}"{" aria-current=page" if target == path else ""}>'
                    f"{h(text)}</a></li>" for target, text in NAV)
    head_links = ""
    if alternates:
        stem = posixpath.basename(path)[: -len(".html")]
        head_links = (f'<link rel="alternate" type="text/turtle" href="{h(stem)}.ttl">'
                      f'<link rel="alternate" type="application/ld+json" href="{h(stem)}.jsonld">')
    # "</" inside the script element would end it early; JSON allows the escaped solidus.
    embedded = '<script type="application/ld+json">' + jsonld.replace("</", "<\\/") + "</script>" if jsonld else ""
    script_tags = "".join(f'<script src="{h(root)}assets/{h(s)}" defer></script>' for s in scripts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{h(title)} · ISCM knowledge graph</title>"
        f'<link rel="stylesheet" href="{h(root)}assets/site.css">{head_links}{embedded}{script_tags}</head>'
        f'<body><a class="skip" href="#main">Skip to content</a><header><nav aria-label="Site">'
        f'<ul>{links}</ul></nav></header><main id="main"><h1>{h(title)}</h1>{body}</main>'
        f'<footer><p>ISCM knowledge graph {h(__version__)} · data CC BY 4.0 · country shapes: Natural Earth via '
        f'world-atlas · every fact cites its source</p></footer></body></html>\n'
    )


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], caption: str = "", cls: str = "") -> str:
    """A table; the cells are HTML already escaped by the caller."""
    head = "".join(f'<th scope="col">{h(x)}</th>' for x in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{h(caption)}</caption>" if caption else ""
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Site:
    """Writes the pages of one model into a folder; remembers every page for the checks."""

    def __init__(self, model: Model, folder: Path, base_url: str | None) -> None:
        self.m = model
        self.folder = folder
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.pages: list[str] = []
        self.folders: set[Path] = set()
        self.world = json.loads((web_root() / "vendor" / "world.json").read_text(encoding="utf-8"))

    def write(self, relative: str, text: str) -> None:
        path = self.folder / relative
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        with open(path, "wb") as out:  # bytes: UTF-8 and \n line ends on every system
            out.write(text.encode("utf-8"))
        if relative.endswith(".html"):
            self.pages.append(relative)

    def link(self, here: str, node: Node, text: str | None = None) -> str:
        """A link to the node's page, or its address for outside IRIs, or the literal's text."""
        if isinstance(node, Literal):
            return h(node)
        label = text if text is not None else self.m.label(node)
        target = page_of(node)
        if target is None and isinstance(node, URIRef) and node in self.m.citing and \
                self.m.is_a(node, ISCM.SourceDocument):
            target = web_source_page(node)
        if target is not None:
            return f'<a href="{h(rel(here, target))}">{h(label)}</a>'
        if isinstance(node, URIRef) and label != (prefixed(node) or str(node)):
            return f'<span title="{h(node)}">{h(label)}</span>'  # a term of the ontology: its label says it
        if isinstance(node, URIRef) and str(node).startswith(("http://", "https://")):
            return f'<a href="{h(node)}" rel="external">{h(prefixed(node) or label)}</a>'
        return h(label)

    def sources_cell(self, here: str, sources: Iterable[Node]) -> str:
        items = [self.source_link(here, s, i + 1) for i, s in enumerate(sources)]
        return " ".join(items)

    def source_link(self, here: str, source: Node, n: int) -> str:
        target = page_of(source) or (web_source_page(source) if isinstance(source, URIRef) else None)
        title = self.m.label(source) if self.m.is_a(source, ISCM.SourceDocument) else str(source)
        # The seed's name, or the web page's host: an analyst sees at a glance whose word a fact rests on.
        prefixed_name = prefixed(source) if isinstance(source, URIRef) else None
        host = (urlsplit(str(source)).hostname or "").removeprefix("www.")
        short = prefixed_name.replace("src:", "") if prefixed_name else (host or f"[{n}]")
        if target is None:
            return h(source)
        return f'<a class="src" href="{h(rel(here, target))}" title="{h(title)}">{h(short)}</a>'

    # ------------------------------------------------------------ the maps

    @functools.cached_property
    def state_of_code(self) -> dict[str, URIRef]:
        """The State of each UN M49 code (the key of the vendored shapes)."""
        found: dict[str, URIRef] = {}
        for each in self.m.states:
            code = self.m.value(each, ISCM.m49Code)
            if code is not None:
                found[str(code)] = each
        return found

    def map_svg(self, here: str, colours: dict[URIRef, str], titles: dict[URIRef, str], *, label: str,
                data: dict[URIRef, dict[str, str]] | None = None, small: bool = False) -> str:
        """The world as one SVG: a shape (or, for small States, a dot) per State, each a link to its page.
        Shapes with no State of the data (Greenland, Western Sahara, ...) are drawn plain, without a link."""
        by_code = self.state_of_code
        w, ht = self.world["width"], self.world["height"]
        parts = [f'<svg class="map{" small" if small else ""}" viewBox="0 0 {w} {ht}" role="img" '
                 f'aria-label="{h(label)}">']
        if small:
            # The grey world is one shared file; the page draws only the States it colours.
            parts.append(f'<image href="{h(rel(here, "assets/world.svg"))}" width="{w}" height="{ht}"/>')
        else:
            parts.append(f'<path class="sphere" d="{self.world["sphere"]}"/>')
        marks: list[str] = []
        for kind in ("shapes", "points"):
            for code, shape in self.world[kind].items():
                state = by_code.get(code)
                if small and state not in colours:
                    continue
                if kind == "shapes":
                    geom = f'd="{shape["d"]}"'
                    tag = "path"
                else:
                    geom = f'cx="{shape["x"]}" cy="{shape["y"]}" r="{3 if small else 3.5}"'
                    tag = "circle"
                if state is None:
                    if kind == "shapes":
                        parts.append(f'<path class="other" {geom}><title>{h(shape["name"])} (no State of the '
                                     f"data)</title></path>")
                    continue
                iso3 = str(self.m.value(state, ISCM.isoAlpha3))
                fill = colours.get(state, NONE_COLOUR)
                extra = "".join(f' data-{k}="{h(v)}"' for k, v in (data or {}).get(state, {}).items())
                mark = (f'<a href="{h(rel(here, page_of(state) or ""))}" class="st" data-iso3="{h(iso3)}"{extra}>'
                        f'<{tag} {geom} fill="{fill}"><title>{h(titles.get(state, self.m.label(state)))}</title>'
                        f"</{tag}></a>")
                (marks if kind == "points" else parts).append(mark)
        parts.extend(marks)  # dots last, so they sit on top of their neighbours' shapes
        parts.append("</svg>")
        return "".join(parts)

    def world_svg(self) -> str:
        """The background of the small maps: every shape in grey."""
        w, ht = self.world["width"], self.world["height"]
        shapes = "".join(f'<path d="{x["d"]}"/>' for x in self.world["shapes"].values())
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {ht}" width="{w}" height="{ht}">'
                f'<path d="{self.world["sphere"]}" fill="#eef4fa" stroke="#9ab"/>'
                f'<g fill="#e4e4e4" stroke="#999" stroke-width=".4">{shapes}</g></svg>\n')

    def legend(self, title: str, entries: Iterable[tuple[str, str]], cls: str = "") -> str:
        items = "".join(f'<li><span class="sw" style="background:{c}"></span>{h(t)}</li>' for c, t in entries)
        return f'<figure class="legend {cls}"><figcaption>{h(title)}</figcaption><ul>{items}</ul></figure>'

    # What the vendored shapes (world-atlas 2.0.2, Natural Earth 1:110m) do that a reader could take for a claim of
    # the data: France's shape includes French Guiana, an overseas region of France, so it takes France's colour
    # and links to France. Said under every map rather than cut out of the shape by hand.
    MAP_NOTE = ("French Guiana is part of France and is drawn as part of France's shape (Natural Earth), so it "
                "takes France's colour and opens France's page.")

    def map_note(self) -> str:
        return f'<p class="note map-note">{h(self.MAP_NOTE)}</p>'

    def count_legend(self, title: str) -> str:
        entries = [(NONE_COLOUR, "none recorded")] + [(SCALE[i], bin_label(i)) for i in range(len(BINS))]
        return self.legend(title, entries, "scale")

    # ------------------------------------------------------------ the pages

    def entity(self, here: str, iri: URIRef, title: str, body: str, scripts: Iterable[str] = ()) -> None:
        turtle, jsonld = rdf_documents(self.m.store, iri)
        stem = here[: -len(".html")]
        self.write(f"{stem}.ttl", turtle)
        self.write(f"{stem}.jsonld", jsonld)
        intro = (f'<p class="iri">Persistent IRI: <code>{h(iri)}</code> · '
                 f'<a href="{h(posixpath.basename(stem))}.ttl">Turtle</a> · '
                 f'<a href="{h(posixpath.basename(stem))}.jsonld">JSON-LD</a></p>')
        self.write(here, frame(here, title, intro + body, jsonld=jsonld, alternates=True, scripts=scripts))

    def facts(self, rows: Iterable[tuple[str, str]]) -> str:
        return "<dl class=facts>" + "".join(f"<dt>{h(k)}</dt><dd>{v}</dd>" for k, v in rows if v) + "</dl>"

    def links(self, here: str, nodes: Iterable[Node]) -> str:
        return ", ".join(self.link(here, n) for n in nodes)

    def mechanism_page(self, mech: URIRef) -> None:
        m, acr = self.m, self.m.acronym(mech)
        here = page_of(mech) or ""
        kind = m.kind_of(mech)
        parts = sorted(m.by_mechanism.get(mech, []), key=lambda p: (m.label(p.role), p.start, m.label(p.participant)))
        complete = m.value(mech, ISCM.memberListComplete)
        secretariat = [p for p in parts if str(p.role).rsplit("/", 1)[1] in SECRETARIAT_ROLES]
        chairs = sorted((p for p in parts if str(p.role).endswith("/chair")), key=lambda p: (p.start or "9999"))
        iom = [p for p in parts if str(p.participant).endswith("/organisation/IOM")]
        body = [self.facts([
            ("Acronym", h(acr)),
            ("Also called", h(", ".join(str(x) for x in m.values(mech, SKOS.altLabel)))),
            ("Type", self.link(here, kind) if kind else ""),
            ("Status", self.links(here, m.values(mech, ISCM.status))),
            ("Founded", h(year(m.value(mech, ISCM.foundingYear)))),
            ("Regions", self.links(here, m.values(mech, ISCM.region))),
            ("Themes", self.links(here, m.values(mech, ISCM.theme))),
            ("IOM's roles", ", ".join(self.link(here, p.role) for p in iom)),
            ("Secretariat", "; ".join(f"{self.link(here, p.participant)} ({h(m.label(p.role))})" for p in secretariat)),
            ("Stated member count", h(m.value(mech, ISCM.statedMemberCount) or "")),
            ("Sources", self.sources_cell(here, m.values(mech, DCTERMS.source))),
        ])]
        comment = m.value(mech, RDFS.comment)
        if comment:
            body.append(f'<p class="note">{h(comment)}</p>')
        if complete is not None and not truthy(complete):
            body.append('<p class="incomplete" role="note"><strong>Incomplete member list:</strong> the sources read '
                        "so far name only part of the members; the table below is what they name.</p>")
        if chairs:
            body.append("<h2>Chairs over time</h2>" + table(
                ["Chair", "From", "To", "Sources"],
                ([self.link(here, p.participant), h(p.start), h(p.end), self.sources_cell(here, p.sources)]
                 for p in chairs)))
        member_colour, observer_colour = "#0072b2", "#e69f00"  # Okabe-Ito blue and orange
        colours: dict[URIRef, str] = {}
        titles: dict[URIRef, str] = {}
        for p in parts:
            if not m.is_a(p.participant, ISCM.State):
                continue
            role = str(p.role).rsplit("/", 1)[1]
            if role in ("member", "founding-member"):
                colours[p.participant] = member_colour
                titles[p.participant] = f"{m.label(p.participant)}: member"
            elif role == "observer" and p.participant not in colours:
                colours[p.participant] = observer_colour
                titles[p.participant] = f"{m.label(p.participant)}: observer"
        body.append('<h2>Map of the participating States</h2><div class="mapbox">' + self.map_svg(
            here, colours, titles, label=f"Member and observer States of {acr}", small=True) + self.legend(
            "Participating States", [(member_colour, "member"), (observer_colour, "observer"),
                                     (NONE_COLOUR, "not recorded")]) + "</div>" + self.map_note())
        rows = []
        for p in parts:
            # The IRI itself in a data attribute, so that a test can compare the table with members-of.
            rows.append([f'<span data-participant="{h(p.participant)}" data-role="{h(p.role)}">'
                         f"{self.link(here, p.participant)}</span>", h(self.kind_label(p)),
                         self.link(here, p.role), h(p.start), h(p.end), self.sources_cell(here, p.sources)])
        body.append(f"<h2>Participants ({len(parts)} participations)</h2>" + table(
            ["Participant", "Kind", "Role", "From", "To", "Sources"], rows, cls="participants sortable"))
        body.append(self.disagreements(here, mech))
        self.entity(here, mech, m.label(mech), "".join(body), scripts=["table.js"])

    def kind_label(self, p: Participation) -> str:
        for cls, name in ((ISCM.State, "State"), (ISCM.Territory, "territory"), (ISCM.Organisation, "organisation")):
            if self.m.is_a(p.participant, cls):
                return name
        return ""

    def disagreements(self, here: str, mech: URIRef) -> str:
        m = self.m
        by_property: dict[Node, list[Node]] = defaultdict(list)
        for claim in m.index.subjects(ISCM.claimSubject, mech):
            by_property[m.value(claim, ISCM.claimProperty)].append(claim)  # type: ignore[index]
        blocks = []
        for prop, claims in sorted(by_property.items(), key=lambda kv: str(kv[0])):
            if len({m.value(c, RDF.value) for c in claims}) < 2:
                continue
            claims.sort(key=lambda c: (not bool(m.value(c, ISCM.preferred)), str(m.value(c, RDF.value))))
            cards = []
            for c in claims:
                value = m.value(c, RDF.value)
                preferred = bool(m.value(c, ISCM.preferred) and m.value(c, ISCM.preferred).toPython())  # type: ignore[union-attr]
                reason = m.value(c, ISCM.preferenceReason)
                note = m.value(c, RDFS.comment)
                cards.append(
                    f'<div class="claim{" preferred" if preferred else ""}">'
                    f'<p class="value">{self.link(here, value) if value is not None else ""}</p>'
                    f'<p>{"<strong>preferred</strong>" if preferred else "not preferred"}</p>'
                    + (f'<p class="reason">Reason: {h(reason)}</p>' if reason else "")
                    + (f'<p class="note">{h(note)}</p>' if note else "")
                    + f'<p>Sources: {self.sources_cell(here, m.values(c, DCTERMS.source))}</p>'
                    f'<p class="iri">{self.link(here, c, "claim")}</p></div>')
            blocks.append(f"<h3>{h(m.label(prop))}</h3><div class=claims>{''.join(cards)}</div>")
        if not blocks:
            return "<h2>Where sources disagree</h2><p>The sources read agree on every recorded value.</p>"
        return '<h2>Where sources disagree</h2><section class="disagreements">' + "".join(blocks) + "</section>"

    def participant_page(self, who: URIRef) -> None:
        m = self.m
        here = page_of(who) or ""
        parts = sorted(m.by_participant.get(who, []), key=lambda p: (m.acronym(p.mechanism), m.label(p.role)))
        is_state = m.is_a(who, ISCM.State)
        facts: list[tuple[str, str]] = []
        if is_state:
            facts = [("ISO 3166-1 alpha-3", h(m.value(who, ISCM.isoAlpha3) or "")),
                     ("ISO 3166-1 alpha-2", h(m.value(who, ISCM.isoAlpha2) or "")),
                     ("UN M49 code", h(m.value(who, ISCM.m49Code) or "")),
                     ("UN status", h(m.value(who, ISCM.unStatus) or "")),
                     ("Regions", self.links(here, m.values(who, ISCM.inRegion)))]
        facts += [("Also called", h(", ".join(str(x) for x in m.values(who, SKOS.altLabel)))),
                  ("Mechanisms", h(len({p.mechanism for p in parts}))),
                  ("Sources", self.sources_cell(here, m.values(who, DCTERMS.source)))]
        body = [self.facts(facts)]
        comment = m.value(who, RDFS.comment)
        if comment:
            body.append(f'<p class="note">{h(comment)}</p>')
        rows = [[f'<span data-mechanism="{h(p.mechanism)}">{self.link(here, p.mechanism, m.acronym(p.mechanism))}'
                 f"</span>", h(m.label(p.mechanism)), self.link(here, m.kind_of(p.mechanism) or p.mechanism),
                 self.links(here, m.values(p.mechanism, ISCM.status)), self.link(here, p.role), h(p.start), h(p.end),
                 self.sources_cell(here, p.sources)] for p in parts]
        body.append("<h2>Roles in mechanisms</h2>" + (table(
            ["Mechanism", "Name", "Type", "Status", "Role", "From", "To", "Sources"], rows, cls="sortable")
            if rows else "<p>No participation recorded.</p>"))
        if is_state:
            mine = {p.mechanism for p in parts}
            shared: Counter[URIRef] = Counter()
            for mech in mine:
                for other in m.members.get(mech, set()):
                    if other != who and who in m.members.get(mech, set()):
                        shared[other] += 1
            colours = {s: colour_of(n) for s, n in shared.items()}
            colours[who] = "#d55e00"
            titles = {s: f"{m.label(s)}: {n} shared mechanism(s)" for s, n in shared.items()}
            titles[who] = m.label(who)
            body.append('<h2>Co-members</h2><div class="mapbox">' + self.map_svg(
                here, colours, titles, label=f"States sharing membership of a mechanism with {m.label(who)}",
                small=True) + self.legend("", [("#d55e00", m.label(who))]) +
                self.count_legend("Mechanisms shared as members") + "</div>" + self.map_note())
            ranked = sorted(shared.items(), key=lambda kv: (-kv[1], m.label(kv[0])))
            body.append(table(["State", "Mechanisms shared as members"],
                              ([self.link(here, s), h(n)] for s, n in ranked),
                              caption="States that are members of the same mechanisms, most shared first")
                        if ranked else "<p>No co-members recorded.</p>")
            # Its mechanisms (any role) × each other, as on the overlaps page.
            overlapping = [x for x in m.mechanisms if x in mine and m.members.get(x)]
            body.append('<h2 id="overlaps">Overlaps between its mechanisms</h2>')
            if len(overlapping) < 2:
                body.append("<p>Fewer than two of its mechanisms have member States recorded: nothing to compare."
                            "</p>")
            else:
                body.append(
                    f"<p>The mechanisms {h(m.label(who))} takes part in (any role) with member States recorded; each "
                    "cell counts the member States two of them share, the diagonal a mechanism's member States "
                    f'(from <code>iscm:memberOf</code>, as on the <a href="{h(rel(here, "overlaps.html"))}">overlaps '
                    "page</a>).</p>" + self.overlap_matrix(
                        here, overlapping, caption=f"Shared member States of the mechanisms of {m.label(who)}")
                    + self.count_legend("Shared member States"))
        self.entity(here, who, m.label(who), "".join(body), scripts=["table.js"])

    def concept_page(self, concept: URIRef, kind: str) -> None:
        m = self.m
        here = page_of(concept) or ""
        body = [self.facts([("Definition", h(m.value(concept, SKOS.definition) or "")),
                            ("Broader", self.links(here, m.values(concept, SKOS.broader))),
                            ("Narrower", self.links(here, m.values(concept, SKOS.narrower)))])]
        prop = {"theme": ISCM.theme, "region": ISCM.region, "status": ISCM.status}.get(kind)
        if prop is not None:
            mechs = sorted((n for n in m.index.subjects(prop, concept) if isinstance(n, URIRef)), key=str)
            body.append(f"<h2>Mechanisms ({len(mechs)})</h2>" + self.mechanism_table(here, mechs))
        if kind == "region":
            states = m.instances(ISCM.State)
            inside = [s for s in states if m.has(s, ISCM.inRegion, concept)]
            if inside:
                body.append(f"<h2>States in the region ({len(inside)})</h2><p>" + self.links(here, inside) + "</p>")
        if kind == "role":
            parts = sorted((p for p in m.participations if p.role == concept),
                           key=lambda p: (m.acronym(p.mechanism), m.label(p.participant)))
            body.append(f"<h2>Participations in this role ({len(parts)})</h2>" + table(
                ["Mechanism", "Participant", "From", "To", "Sources"],
                ([self.link(here, p.mechanism, m.acronym(p.mechanism)), self.link(here, p.participant), h(p.start),
                  h(p.end), self.sources_cell(here, p.sources)] for p in parts), cls="sortable"))
        self.entity(here, concept, m.label(concept), "".join(body), scripts=["table.js"])

    def mechanism_table(self, here: str, mechs: Iterable[URIRef]) -> str:
        m = self.m
        rows = []
        for mech in mechs:
            complete = m.value(mech, ISCM.memberListComplete)
            marker = ' <span class="badge">incomplete list</span>' if complete is not None and \
                not truthy(complete) else ""
            rows.append([self.link(here, mech, m.acronym(mech)), h(m.label(mech)),
                         self.link(here, m.kind_of(mech) or mech), self.links(here, m.values(mech, ISCM.status)),
                         h(year(m.value(mech, ISCM.foundingYear))), h(len(m.members.get(mech, ()))) + marker])
        return table(["Acronym", "Name", "Type", "Status", "Founded", "Member States"], rows, cls="sortable")

    def source_page(self, source: URIRef) -> None:
        m = self.m
        here = page_of(source) or web_source_page(source)
        citing = sorted(set(m.citing.get(source, [])), key=str)
        body = [self.facts([
            ("Address", f'<a href="{h(source)}" rel="external">{h(source)}</a>' if page_of(source) is None else ""),
            ("Title", h(m.value(source, DCTERMS.title) or "")),
            ("Description", h(m.value(source, DCTERMS.description) or "")),
            ("Publisher", self.links(here, m.values(source, DCTERMS.publisher))),
            ("Issued", h(m.value(source, DCTERMS.issued) or "")),
            ("Read on", h(m.value(source, ISCM.readOn) or "")),
            ("Read in full", h({"true": "yes", "false": "no (the copy read was cut short)"}.get(
                str(m.value(source, ISCM.readInFull) or ""), ""))),
            ("Seed file", h(m.value(source, ISCM.seedFile) or ""))])]
        rows = []
        for s in citing:
            kind = next((m.label(t) for t in (ISCM.Participation, ISCM.Claim, ISCM.ISCM, ISCM.State,
                                               ISCM.Organisation, ISCM.Territory) if m.is_a(s, t)), "")
            rows.append([self.link(here, s, self.describe(s)), h(kind)])
        body.append(f"<h2>Facts citing this source ({len(rows)})</h2>" + table(["Fact", "Kind"], rows, cls="sortable"))
        title = str(m.value(source, DCTERMS.title) or source)
        if page_of(source) is not None:
            self.entity(here, source, title, "".join(body), scripts=["table.js"])
        else:
            self.write(here, frame(here, title, "".join(body), scripts=["table.js"]))

    def describe(self, node: URIRef) -> str:
        """A readable name for a participation or claim (they carry no label)."""
        m = self.m
        if m.is_a(node, ISCM.Participation):
            return (f"{m.label(m.value(node, ORG.member))} — {m.label(m.value(node, ORG.role))} of "  # type: ignore[arg-type]
                    f"{m.acronym(m.value(node, ORG.organization))}")  # type: ignore[arg-type]
        if m.is_a(node, ISCM.Claim):
            return (f"{m.acronym(m.value(node, ISCM.claimSubject))}: {m.label(m.value(node, ISCM.claimProperty))} = "  # type: ignore[arg-type]
                    f"{m.label(m.value(node, RDF.value))}")  # type: ignore[arg-type]
        return m.label(node)

    def generic_page(self, node: URIRef) -> None:
        """Participations, claims and anything else with an IRI of ours: its statements, each value linked."""
        m = self.m
        here = page_of(node) or ""
        rows = [[h(m.label(p)), self.link(here, o)] for p, o in m.index.predicate_objects(node)]
        self.entity(here, node, self.describe(node), table(["Property", "Value"], rows))

    def index_page(self, path: str, title: str, body: str) -> None:
        self.write(path, frame(path, title, body, scripts=["table.js"]))

    def participant_index(self, path: str, title: str, who: list[URIRef], state: bool = False) -> None:
        m = self.m
        rows = []
        for w in who:
            n = len(mechanisms_of(m, w))
            cells = [self.link(path, w)]
            if state:
                cells += [h(m.value(w, ISCM.isoAlpha3) or ""), h(m.value(w, ISCM.isoAlpha2) or "")]
            rows.append([*cells, h(n)])
        headers = ["Name", *(["ISO alpha-3", "ISO alpha-2"] if state else []), "Mechanisms"]
        self.index_page(path, title, table(headers, rows, cls="sortable"))

    # ------------------------------------------------------------ the home page and the overviews

    def state_counts(self) -> dict[URIRef, int]:
        return {s: len(mechanisms_of(self.m, s)) for s in self.m.states}

    def home(self, counts: dict[URIRef, int]) -> None:
        m = self.m
        here = "index.html"
        n = {name: len(m.instances(cls)) for name, cls in (
            ("mechanisms", ISCM.ISCM), ("States", ISCM.State), ("organisations", ISCM.Organisation),
            ("territories", ISCM.Territory), ("participations", ISCM.Participation), ("claims", ISCM.Claim),
            ("source documents", ISCM.SourceDocument))}
        titles = {s: f"{m.label(s)}: {c} mechanism(s)" for s, c in counts.items()}
        mech_info = {m.acronym(x): {"type": m.label(m.kind_of(x) or x), "status": [str(v).rsplit("/", 1)[1]
                     for v in m.values(x, ISCM.status)], "themes": [str(v).rsplit("/", 1)[1]
                     for v in m.values(x, ISCM.theme)]} for x in m.mechanisms}
        per_state = {str(m.value(s, ISCM.isoAlpha3)): sorted(m.acronym(x) for x in mechanisms_of(m, s))
                     for s in m.states}
        def options(values: Iterable[tuple[str, str]]) -> str:
            return "".join(f'<option value="{h(v)}">{h(t)}</option>' for v, t in values)

        themes = m.instances(ISCM.Theme)
        statuses = m.instances(ISCM.Status)
        filters = (
            '<form class="filters" aria-controls="worldmap" hidden><label>Type <select name="type">'
            '<option value="">all types</option>' + options((m.label(t), m.label(t)) for t in m.mechanism_types) +
            '</select></label> <label>Status <select name="status"><option value="">every status</option>' +
            options((str(s).rsplit("/", 1)[1], m.label(s)) for s in statuses) + '</select></label> '
            '<label>Theme <select name="theme"><option value="">every theme</option>' +
            options((str(t).rsplit("/", 1)[1], m.label(t)) for t in themes) + '</select></label> '
            '<output name="shown" aria-live="polite"></output></form>')
        data_json = json.dumps({"mechanisms": mech_info, "states": per_state}, sort_keys=True, separators=(",", ":"))
        dl = "".join(f'<li><a href="download/iscm-kg.{ext}">{h(name)}</a></li>' for ext, name in (
            ("ttl", "the derived graph in Turtle"), ("nt", "the derived graph in N-Triples")))
        counts_html = "".join(f"<li><strong>{v}</strong> {h(k)}</li>" for k, v in n.items())
        described = m.value(URIRef(DATASET_IRI), DCTERMS.description)
        body = (
            f'<p class="lead">{h(described or "An open linked-data knowledge graph of the inter-State consultation mechanisms on migration: regional consultative processes, interregional forums and global processes, who takes part in them, in which role, since when and according to which source.")}</p>'  # noqa: E501
            f'<ul class="counts">{counts_html}</ul>'
            '<section aria-labelledby="search-h"><h2 id="search-h">Search</h2>'
            '<form class="search" action="search.html" role="search"><label for="q">Name, acronym or ISO code</label> '
            '<input id="q" name="q" type="search" autocomplete="off" placeholder="Bali, KEN, Colombo…">'
            ' <button>Search</button></form><ul id="results" class="results" aria-live="polite"></ul></section>'
            '<section aria-labelledby="map-h"><h2 id="map-h">How many mechanisms each State takes part in</h2>'
            f'{filters}<div class="mapbox" id="worldmap">'
            + self.map_svg(here, {s: colour_of(c) for s, c in counts.items()}, titles,
                           label="World map: number of mechanisms each State takes part in",
                           data={s: {"count": str(c)} for s, c in counts.items()})
            + self.count_legend("Mechanisms (any role)") + "</div>" + self.map_note() +
            f'<script type="application/json" id="map-data">{data_json}</script>'
            '<p>Each State links to its page. A State counts a mechanism once whatever its roles in it '
            '(member, observer, chair, …). The same figures as a table: <a href="id/state/index.html">States</a>.'
            "</p></section>"
            '<section><h2>Explore</h2><ul class="explore">'
            + "".join(f'<li><a href="{h(p)}">{h(t)}</a></li>' for p, t in (
                ("id/mechanism/index.html", "Mechanisms"), ("id/state/index.html", "States"),
                ("id/organisation/index.html", "Organisations"), ("id/territory/index.html", "Territories"),
                ("id/theme/index.html", "Themes"), ("id/region/index.html", "Regions"),
                ("id/status/index.html", "Statuses"), ("id/role/index.html", "Roles"),
                ("id/source/index.html", "Sources"), ("overlaps.html", "Overlaps between mechanisms"),
                ("timeline.html", "Timeline"), ("disagreements.html", "Where sources disagree"),
                ("queries.html", "The canned SPARQL queries")))
            + f"</ul><h2>Downloads</h2><ul>{dl}</ul></section>")
        dataset = {
            "@context": "https://schema.org/", "@type": "Dataset", "@id": DATASET_IRI,
            "name": "ISCM knowledge graph", "version": __version__,
            "description": str(described or "Linked data on inter-State consultation mechanisms on migration."),
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "url": self.base_url or DATASET_IRI,
            "distribution": [{"@type": "DataDownload", "encodingFormat": fmt,
                              "contentUrl": f"{self.base_url or ''}download/iscm-kg.{ext}"}
                             for ext, fmt in (("ttl", "text/turtle"), ("nt", "application/n-triples"))],
            "variableMeasured": [f"{v} {k}" for k, v in n.items()],
        }
        self.write(here, frame(here, "ISCM knowledge graph", body, jsonld=json.dumps(dataset, indent=1),
                               scripts=["search-index.js", "search.js", "map.js"]))

    def overlap_matrix(self, here: str, mechs: list[URIRef], caption: str = "") -> str:
        """Mechanism × mechanism, each cell the member States the two share (the diagonal: a mechanism's own),
        as a plain table: readable without JavaScript, the counts in the cells and their colour in the legend."""
        m = self.m
        head = "".join(f'<th scope="col"><a href="{h(rel(here, page_of(x) or ""))}" title="{h(m.label(x))}">'
                       f"<span>{h(m.acronym(x))}</span></a></th>" for x in mechs)
        rows = []
        for a in mechs:
            cells = []
            for b in mechs:
                shared = len(m.members[a] & m.members[b])
                text = "" if shared == 0 else str(shared)
                style = f' style="background:{colour_of(shared)}"' if shared else ""
                dark = " dark" if bin_of(shared) >= 3 else ""
                what = "members" if a == b else "shared member States"
                cells.append(f'<td class="c{dark}"{style} data-row="{h(m.acronym(a))}" data-col="{h(m.acronym(b))}" '
                             f'title="{h(m.acronym(a))} × {h(m.acronym(b))}: {shared} {what}">{text}</td>')
            rows.append(f'<tr data-mech="{h(m.acronym(a))}"><th scope="row">'
                        f'{self.link(here, a, m.acronym(a))}</th>{"".join(cells)}</tr>')
        cap = f"<caption>{h(caption)}</caption>" if caption else ""
        return (f'<div class="scroll"><table class="matrix">{cap}<thead><tr><td></td>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></div>')

    def overlaps(self) -> None:
        m = self.m
        here = "overlaps.html"
        mechs = [x for x in m.mechanisms if m.members.get(x)]
        options = "".join(f'<option value="{h(";".join(sorted(m.acronym(x) for x in mechanisms_of(m, s))))}">'
                          f"{h(m.label(s))} ({h(m.value(s, ISCM.isoAlpha3))})</option>" for s in m.states)
        body = (
            "<p>Each cell counts the member States two mechanisms share (the diagonal: a mechanism's member States), "
            "from <code>iscm:memberOf</code>; the query <code>membership-overlap</code> lists them for any pair. "
            "Mechanisms with no member State recorded are left out. Each State's page has the same table for "
            "the mechanisms it takes part in.</p>"
            f'<form class="filters" hidden><label>Only the mechanisms of a State <select id="state-filter">'
            f'<option value="">all mechanisms</option>{options}</select></label></form>'
            + self.overlap_matrix(here, mechs) + self.count_legend("Shared member States"))
        self.write(here, frame(here, "Overlaps between mechanisms", body, scripts=["matrix.js"]))

    def timeline(self) -> None:
        m = self.m
        here = "timeline.html"
        dated = sorted(((int(year(m.value(x, ISCM.foundingYear))), x) for x in m.mechanisms
                        if m.value(x, ISCM.foundingYear) is not None), key=lambda t: (t[0], m.acronym(t[1])))
        undated = [x for x in m.mechanisms if m.value(x, ISCM.foundingYear) is None]
        # Okabe-Ito colours with a distinct marker shape each, so that status never rests on colour alone.
        style = {"active": ("#009e73", "circle"), "emerging": ("#56b4e9", "diamond"),
                 "dormant": ("#999999", "square"), "concluded": ("#000000", "cross")}
        first, last = (dated[0][0], dated[-1][0]) if dated else (1980, 2030)
        first, last = first - first % 5, last + 5 - last % 5
        width, left, row = 900, 110, 18
        height = 40 + row * len(dated)
        def x_of(y: int) -> float:
            return left + (y - first) * (width - left - 20) / max(1, last - first)

        svg = [f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
               f'aria-label="Founding years of the mechanisms, coloured by status">']
        for y in range(first, last + 1, 5):
            svg.append(f'<line x1="{x_of(y):.1f}" x2="{x_of(y):.1f}" y1="20" y2="{height}" class="grid"/>'
                       f'<text x="{x_of(y):.1f}" y="14" text-anchor="middle">{y}</text>')
        for i, (y, x) in enumerate(dated):
            status = next((str(s).rsplit("/", 1)[1] for s in m.values(x, ISCM.status)), "")
            colour, shape = style.get(status, ("#cc79a7", "circle"))
            cy = 34 + i * row
            cx = x_of(y)
            mark = {"circle": f'<circle cx="{cx:.1f}" cy="{cy}" r="6" fill="{colour}"/>',
                    "diamond": f'<path d="M{cx:.1f} {cy - 7}l7 7l-7 7l-7 -7z" fill="{colour}"/>',
                    "square": f'<rect x="{cx - 5.5:.1f}" y="{cy - 5.5}" width="11" height="11" fill="{colour}"/>',
                    "cross": f'<path d="M{cx - 5:.1f} {cy - 5}l10 10m0 -10l-10 10" stroke="{colour}" '
                             f'stroke-width="3"/>'}[shape]
            svg.append(f'<a href="{h(rel(here, page_of(x) or ""))}"><title>{h(m.label(x))}: founded {y}, {h(status)}'
                       f'</title><text x="{left - 8}" y="{cy + 4}" text-anchor="end">{h(m.acronym(x))}</text>'
                       f'<line x1="{cx:.1f}" x2="{width - 20}" y1="{cy}" y2="{cy}" class="life {h(status)}"/>'
                       f"{mark}</a>")
        svg.append("</svg>")
        legend = self.legend("Status (marker shape and colour)", [(c, f"{k} ({s})") for k, (c, s) in style.items()])
        rows = [[h(y), self.link(here, x, m.acronym(x)), h(m.label(x)), self.links(here, m.values(x, ISCM.status))]
                for y, x in dated]
        body = ("<p>Each mechanism at its founding year; the line runs to the edge of the chart, since the data "
                "records no year in which a mechanism stopped meeting. The marker gives the status recorded now.</p>"
                f'<div class="scroll">{"".join(svg)}</div>{legend}'
                + table(["Founded", "Acronym", "Name", "Status"], rows, caption="The same as a table")
                + f"<h2>Founding year not recorded ({len(undated)})</h2><p>{self.links(here, undated)}</p>")
        self.write(here, frame(here, "Timeline of the mechanisms", body))

    def disagreements_page(self) -> None:
        here = "disagreements.html"
        table_ = query.run("source-disagreements", {}, self.m.kg)
        col = {v: i for i, v in enumerate(table_.variables)}
        rows = []
        for r in table_.rows:
            def cell(name: str, row: tuple[Node | None, ...] = r) -> Node:
                return row[col[name]] or Literal("")

            rows.append([self.link(here, cell("mechanism"), str(cell("id"))), h(self.m.label(cell("property"))),
                         self.link(here, cell("value")), "preferred" if truthy(r[col["preferred"]]) else "",
                         h(r[col["reason"]] or ""),
                         self.sources_cell(here, [URIRef(s) for s in str(r[col["sources"]] or "").split(", ") if s])])
        self.write(here, frame(here, "Where sources disagree", "<p>From the query <code>source-disagreements</code>: "
                               "every value a source gives where another source gives a different one.</p>" + table(
                                   ["Mechanism", "Property", "Value", "Preferred", "Reason", "Sources"], rows,
                                   cls="sortable"), scripts=["table.js"]))

    def queries_page(self) -> None:
        from iscm_kg.query import catalogue

        here = "queries.html"
        blocks = []
        for q in catalogue.all_queries():
            params = ", ".join(f"{p.name} (e.g. {p.example})" for p in q.parameters)
            blocks.append(f'<section id="{h(q.name)}"><h2>{h(q.name)}: {h(q.title)}</h2><p>{h(q.question)}</p>'
                          + (f"<p>Parameters: {h(params)}</p>" if params else "")
                          + f"<p><code>iscm-kg query {h(q.name)}</code></p>"
                          f"<details><summary>SPARQL</summary><pre>{h(q.text)}</pre></details></section>")
        self.write(here, frame(here, "The canned queries", "".join(blocks)))

    def search_page(self) -> None:
        here = "search.html"
        body = ('<form class="search" action="search.html" role="search"><label for="q">Name, acronym or ISO code'
                '</label> <input id="q" name="q" type="search" autocomplete="off"> <button>Search</button></form>'
                '<ul id="results" class="results" aria-live="polite"></ul>'
                '<noscript><p>Search runs in the browser and needs JavaScript; the index pages list every entity: '
                '<a href="id/mechanism/index.html">mechanisms</a>, <a href="id/state/index.html">States</a>, '
                '<a href="id/organisation/index.html">organisations</a>.</p></noscript>')
        self.write(here, frame(here, "Search", body, scripts=["search-index.js", "search.js"]))

    def search_index(self) -> str:
        m = self.m
        entries = []
        kinds = ((ISCM.ISCM, "mechanism"), (ISCM.State, "State"), (ISCM.Organisation, "organisation"),
                 (ISCM.Territory, "territory"), (ISCM.Theme, "theme"), (ISCM.Region, "region"))
        for cls, kind in kinds:
            for x in m.instances(cls):
                target = page_of(x)
                if target is None:
                    continue
                keys = {str(v) for p in (SKOS.prefLabel, SKOS.altLabel, ISCM.acronym, ISCM.isoAlpha2, ISCM.isoAlpha3)
                        for v in m.index.objects(x, p)}
                keys.add(str(x).rsplit("/", 1)[1])
                entries.append({"n": m.label(x), "k": kind, "u": target, "t": sorted(keys)})
        return "window.ISCM_SEARCH = " + json.dumps(entries, ensure_ascii=False, sort_keys=True,
                                                      separators=(",", ":")) + ";\n"

    def write_all(self) -> None:
        m = self.m
        for name in ("site.css", "map.js", "search.js", "table.js", "matrix.js"):
            self.write(f"assets/{name}", (web_root() / name).read_text(encoding="utf-8"))
        for name in sorted(os.listdir(web_root() / "vendor")):
            if name.startswith("LICENSE") or name == "README.md":
                self.write(f"assets/vendor/{name}", (web_root() / "vendor" / name).read_text(encoding="utf-8"))
        self.write("assets/search-index.js", self.search_index())
        self.write("assets/world.svg", self.world_svg())
        self.home(self.state_counts())
        self.overlaps()
        self.timeline()
        self.disagreements_page()
        self.queries_page()
        self.search_page()
        for mech in m.mechanisms:
            self.mechanism_page(mech)
        done: set[URIRef] = set(m.mechanisms)
        for cls, kind, title in ((ISCM.State, "state", "States"), (ISCM.Organisation, "organisation", "Organisations"),
                                 (ISCM.Territory, "territory", "Territories and other entities")):
            who = m.instances(cls)
            for w in who:
                if page_of(w) and w not in done:
                    self.participant_page(w)
                    done.add(w)
            self.participant_index(f"id/{kind}/index.html", title, [w for w in who if page_of(w)], cls == ISCM.State)
        for cls, kind, title in ((ISCM.Theme, "theme", "Themes"), (ISCM.Region, "region", "Regions"),
                                 (ISCM.Status, "status", "Statuses"), (ISCM.Role, "role", "Roles")):
            concepts = [c for c in m.instances(cls) if page_of(c)]
            for c in concepts:
                self.concept_page(c, kind)
                done.add(c)
            self.index_page(f"id/{kind}/index.html", title, "<ul>" + "".join(
                f"<li>{self.link(f'id/{kind}/index.html', c)}</li>" for c in concepts) + "</ul>")
        for s in m.sources:
            self.source_page(s)
            done.add(s)
        src_index = "id/source/index.html"
        self.index_page(src_index, "Source documents", table(
            ["Source", "Read on", "Read in full", "Facts citing it"],
            ([self.link(src_index, s, str(m.value(s, DCTERMS.title) or s)), h(m.value(s, ISCM.readOn) or ""),
              h(m.value(s, ISCM.readInFull) or ""), h(len(set(m.citing.get(s, []))))] for s in m.sources),
            cls="sortable"))
        self.index_page("id/mechanism/index.html", "Mechanisms", self.mechanism_table("id/mechanism/index.html",
                                                                                       m.mechanisms))
        for kind, cls in (("participation", ISCM.Participation), ("claim", ISCM.Claim)):
            nodes = [n for n in m.instances(cls) if page_of(n)]
            for n in nodes:
                self.generic_page(n)
                done.add(n)
            path = f"id/{kind}/index.html"
            self.index_page(path, f"{kind.capitalize()}s", "<ul>" + "".join(
                f"<li>{self.link(path, n, self.describe(n))}</li>" for n in sorted(nodes, key=str)) + "</ul>")
        for s in sorted({s for s in m.index.out if isinstance(s, URIRef)} - done, key=str):
            if page_of(s) and not (self.folder / (page_of(s) or "")).exists():
                self.generic_page(s)
        self.downloads()
        self.write(MARKER, f"iscm-kg site {__version__}\n")

    def downloads(self) -> None:
        import pyoxigraph as ox

        # Blank nodes (the ontology's lists) get RDFC-1.0 canonical labels and the triples a fixed order, so the
        # same graph gives the same bytes (the release that holds the site is byte-reproducible).
        dataset = ox.Dataset(self.m.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        triples = sorted((ox.Triple(q.subject, q.predicate, q.object) for q in dataset), key=str)
        for ext, fmt in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES)):
            data = ox.serialize(triples, format=fmt, prefixes=PREFIXES if ext == "ttl" else None) or b""
            path = self.folder / "download" / f"iscm-kg.{ext}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


# ---------------------------------------------------------------- checking the built site


# The site's own HTML, read back: every text and attribute value is escaped when written (h()), so a tag is a
# "<" followed by a name, and the only raw text is inside <script> (embedded JSON-LD, the map's data). A regular
# expression reads it some ten times faster than html.parser, which was a third of the whole build.
_SCRIPT_BODY = re.compile(r"(<script\b[^>]*>).*?(</script>)", re.S | re.I)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>")  # h() escapes every ">" in an attribute value
# Text is escaped too (h() turns '"' into &quot;), so an href or src attribute can only be an attribute.
_LINK_ATTR = re.compile(r"""\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# Elements with no end tag, and the SVG shapes, which are written both ways.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr", "path", "circle", "rect", "line", "image"})


def internal_links(folder: Path, page: str) -> list[str]:
    """The page's links to files of the site, as site paths; raises SiteError when its tags do not nest."""
    text = _SCRIPT_BODY.sub(r"\1\2", (folder / page).read_text(encoding="utf-8"))
    stack: list[str] = []
    for closing, tag, self_closing in _TAG.findall(text):
        if tag in _VOID:
            continue
        if closing:
            if not stack or stack[-1] != tag:
                raise SiteError(f"{page} does not parse: </{tag}> closes <{stack[-1] if stack else 'nothing'}>")
            stack.pop()
        elif not self_closing:
            stack.append(tag)
    if stack:
        raise SiteError(f"{page} does not parse: <{stack[-1]}> is never closed")
    here = posixpath.dirname(page)
    found = (_resolve(here, quoted or single or bare) for quoted, single, bare in _LINK_ATTR.findall(text))
    return [target for target in found if target is not None]


@functools.cache
def _resolve(here: str, link: str) -> str | None:
    """The site path a link in folder `here` names; None for a link outside the site (or to the page itself)."""
    parts = urlsplit(html.unescape(link))
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return posixpath.normpath(posixpath.join(here, unquote(parts.path)))


def verify(folder: Path, site: Site) -> None:
    import pyoxigraph as ox

    held = {posixpath.join(os.path.relpath(top, folder), name).removeprefix("./")
            for top, _dirs, names in os.walk(folder) for name in names}
    for page in site.pages:
        for target in internal_links(folder, page):
            if target not in held:
                raise SiteError(f"{page} links to {target}, which the site does not hold")
    for relative in sorted(held):
        if not relative.endswith(".ttl") or relative.startswith("download/"):
            continue
        path = folder / relative
        iri = URIRef(ID + relative[len("id/"):-len(".ttl")])
        try:
            parsed = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise SiteError(f"{relative} does not parse as Turtle: {exc}") from None
        expected = len(cbd(site.m.store, iri))
        if len(parsed) != expected:
            raise SiteError(f"{relative} reads back as {len(parsed)} triples, the entity has {expected}")


def is_previous_site(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def check_target(output: Path, force: bool) -> None:
    staging.check_target(output, force, is_previous_site, f"a previous site (it has no {MARKER})")


def default_output() -> Path:
    return Path("dist") / "site"


def write_site(folder: Path, kg: KnowledgeGraph, base_url: str | None) -> Site:
    site = Site(read_model(kg), folder, base_url)
    site.write_all()
    verify(folder, site)
    return site


def build(output: Path, *, base_url: str | None = None, force: bool = False,
          kg: KnowledgeGraph | None = None) -> SiteResult:
    """Build the site into output; on any error the temporary folder is removed and output is untouched."""
    started = time.monotonic()
    output = Path(output)
    check_target(output, force)
    with staged(output, "site") as work:
        site = write_site(work, kg or kg_graph.load(), base_url)
    files = [p for p in output.rglob("*") if p.is_file()]
    return SiteResult(output, len(site.pages), len(files), sum(p.stat().st_size for p in files),
                      (output / "index.html").stat().st_size, time.monotonic() - started)
