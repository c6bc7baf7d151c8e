"""Seeded synthetic data shaped like the shipped data, for the benchmarks (docs/benchmarks.md).

    python benchmarks/generate.py --triples 100000 --seed 1 --output /tmp/syn-100k.nt [--profile realistic]

The output is N-Triples in the shape of data/: mechanisms typed iscm:ISCM whose type, status, founding year,
stated member count and member-list completeness come from iscm:Claim nodes (some disagreeing, one then
preferred with a reason), org:Membership-style iscm:Participation nodes in the shipped roles, States with
unique ISO codes, organisations, territories, source documents and stated figures. The role, theme, region
and status IRIs are read from the shipped ontology files, so the data conforms to the shapes when validated
with the ontology alone (`iscm-kg validate FILE`). Everything minted here is visibly synthetic
(mechanism/SYN-000123, state/SYN-AAX, organisation/SYN-ORG-0001, source/SYN-...).

How it scales, in two profiles (--profile):
- dense (the default, the first profile): per mechanism the counts follow the shipped data (about 24
  participations, 5 claims and 6 source documents each); organisations and territories grow with the data;
  States grow too but stop at 676, the number of distinct two-letter codes the shapes allow. At 1M triples
  each State then has hundreds of participations: the worst case for the per-State queries.
- realistic: States stop at about 200 (the world's number, as in the shipped data: 195), and the graph grows
  as the field does, in mechanisms, meetings and years: each mechanism meets once or twice a year from its
  founding to 2025 (meetings with dates, places, chairs and outcome documents, in the shape of the shipped
  meetings), its chair rotates every year or two (one dated participation per term), and memberships carry
  the year they began and, for some, ended.
Mechanisms are added until the triple count reaches the target, so the output holds the target plus at
most one mechanism's triples.

The same seed and size always give the same bytes (one random.Random, lists only, no set or dict order).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ISCM = "https://w3id.org/iscm-kg/ontology#"
ID = "https://w3id.org/iscm-kg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
A = RDF + "type"

# The shipped data (iscm-kg info): 12,425 asserted triples, 195 States, 52 organisations, 11 territories.
SHIPPED_TRIPLES = 12_425
SHIPPED_STATES = 195
SHIPPED_ORGANISATIONS = 52
SHIPPED_TERRITORIES = 11
MAX_STATES = 26 * 26  # two-letter ISO codes must be unique (shp:StateShape)
REALISTIC_STATES = 200  # about the world's number of States (the shipped data lists 195)
PROFILES = ("dense", "realistic")
LAST_YEAR = 2025
# Meeting classes of the ontology, in about the shipped proportions.
MEETING_WEIGHTS = (("MinisterialMeeting", 3), ("SeniorOfficialsMeeting", 4), ("Meeting", 3))
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Mechanism types in the shipped proportions (19 RCPs, 20 IRFs, 3 global processes).
TYPE_WEIGHTS = (("RCP", 19), ("IRF", 20), ("GlobalProcess", 3))
STATUS_WEIGHTS = (("active", 60), ("dormant", 30), ("emerging", 5), ("concluded", 5))
# Roles the hub organisation (the IOM of the synthetic data) takes, roughly as IOM does in the shipped data.
HUB_ROLES = (("observer", 16), ("technical-secretariat", 9), ("secretariat-support", 5),
             ("secretariat-host", 2), ("secretariat", 6), ("partner", 4))


def iri(text: str) -> str:
    return f"<{text}>"


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """An N-Triples literal; the texts written here hold no quotes, backslashes or line breaks."""
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


def year(value: int) -> str:
    return lit(str(value), datatype=XSD + "gYear")


@dataclass(frozen=True)
class Vocabulary:
    """The concept IRIs the shipped ontology defines, read from its files (so the data reuses them exactly)."""

    roles: tuple[str, ...]
    themes: tuple[str, ...]
    statuses: tuple[str, ...]
    regions: tuple[str, ...]  # top-level regions
    subregions: tuple[tuple[str, str], ...]  # (subregion, its broader region)

    def role(self, slug: str) -> str:
        return self._pick(self.roles, "role/", slug)

    def status(self, slug: str) -> str:
        return self._pick(self.statuses, "status/", slug)

    @staticmethod
    def _pick(pool: Sequence[str], kind: str, slug: str) -> str:
        wanted = ID + kind + slug
        if wanted not in pool:
            raise SystemExit(f"the shipped ontology defines no {wanted}")
        return wanted


def shipped_vocabulary() -> Vocabulary:
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF as RDF_NS
    from rdflib.namespace import SKOS as SKOS_NS

    from iscm_kg import resources

    graph = Graph()
    for path in resources.ontology_files():
        graph.parse(path, format="turtle")

    def instances(cls: str) -> tuple[str, ...]:
        return tuple(sorted(str(s) for s in graph.subjects(RDF_NS.type, URIRef(ISCM + cls))))

    regions = instances("Region")
    broader = {str(s): str(o) for s, o in graph.subject_objects(SKOS_NS.broader) if str(s) in regions}
    top = tuple(r for r in regions if r not in broader)
    sub = tuple((r, broader[r]) for r in regions if r in broader)
    return Vocabulary(instances("Role"), instances("Theme"), instances("Status"), top, sub)


@dataclass(frozen=True)
class Participant:
    iri: str
    slug: str  # the local name used in participation IRIs


class Generator:
    """Yields N-Triples lines; `count` is the number written so far."""

    def __init__(self, target: int, seed: int, vocabulary: Vocabulary, profile: str = "dense") -> None:
        if profile not in PROFILES:
            raise SystemExit(f"unknown profile {profile!r}; the profiles are {', '.join(PROFILES)}")
        self.target = target
        self.profile = profile
        self.rng = random.Random(seed)
        self.vocab = vocabulary
        self.count = 0
        self.states: list[Participant] = []
        self.organisations: list[Participant] = []
        self.regional: list[Participant] = []
        self.territories: list[Participant] = []
        self.seed_sources: list[str] = []

    def triple(self, s: str, p: str, o: str) -> str:
        self.count += 1
        return f"{s} <{p}> {o} .\n"

    def lines(self) -> Iterator[str]:
        yield from self.sources_and_figures()
        most_states = REALISTIC_STATES if self.profile == "realistic" else MAX_STATES
        yield from self.make_states(scaled(self.target, SHIPPED_STATES, 8, most_states))
        yield from self.make_organisations(scaled(self.target, SHIPPED_ORGANISATIONS, 4, 10**6))
        yield from self.make_territories(scaled(self.target, SHIPPED_TERRITORIES, 1, 200))
        number = 0
        while self.count < self.target:
            yield from Mechanism(self, number).lines()
            number += 1

    # ---------------------------------------------------------------- sources, figures, participants

    def source_document(self, node: str, title: str, read_in_full: bool = True) -> Iterator[str]:
        s = iri(node)
        yield self.triple(s, A, iri(ISCM + "SourceDocument"))
        yield self.triple(s, DCT + "title", lit(title, lang="en"))
        day = self.rng.randint(1, 28)
        month = self.rng.randint(1, 12)
        yield self.triple(s, ISCM + "readOn", lit(f"2026-{month:02d}-{day:02d}", datatype=XSD + "date"))
        yield self.triple(s, ISCM + "readInFull", lit("true" if read_in_full else "false", datatype=XSD + "boolean"))

    def sources_and_figures(self) -> Iterator[str]:
        for n in range(5):
            node = f"{ID}source/SYN-seed-{n:03d}"
            self.seed_sources.append(node)
            yield from self.source_document(node, f"Synthetic seed document {n}")
        yield from self.source_document(f"{ID}source/SYN-lib-states", "Synthetic list of States")
        measures = ["active-rcps", "active-irfs", "global-processes", "countries-in-rcp", "countries-in-irf",
                    "countries-in-two-global"]
        measures += ["theme:" + t.rsplit("/", 1)[-1] for t in self.vocab.themes[:12]]
        measures += ["iom-role:" + r for r in ("observer", "technical-secretariat", "secretariat-support",
                                              "secretariat-host")]
        for n, measure in enumerate(measures):
            s = iri(f"{ID}figure/SYN-{n:02d}")
            yield self.triple(s, A, iri(ISCM + "StatedFigure"))
            yield self.triple(s, RDFS + "label", lit(f"synthetic figure {measure}", lang="en"))
            yield self.triple(s, ISCM + "measure", lit(measure))
            yield self.triple(s, RDF + "value", lit(str(self.rng.randint(1, 200)), datatype=XSD + "integer"))
            yield self.triple(s, DCT + "source", iri(self.seed_sources[0]))

    def make_states(self, how_many: int) -> Iterator[str]:
        for n in range(how_many):
            alpha2 = LETTERS[n // 26] + LETTERS[n % 26]
            alpha3 = alpha2 + "X"  # unique because alpha2 is
            node = f"{ID}state/SYN-{alpha3}"
            self.states.append(Participant(node, f"SYN-{alpha3}"))
            s = iri(node)
            sub, top = self.rng.choice(self.vocab.subregions)
            yield self.triple(s, A, iri(ISCM + "State"))
            yield self.triple(s, SKOS + "prefLabel", lit(f"Synthetic State {alpha2}", lang="en"))
            yield self.triple(s, SKOS + "prefLabel", lit(f"Etat synthetique {alpha2}", lang="fr"))
            yield self.triple(s, SKOS + "prefLabel", lit(f"Estado sintetico {alpha2}", lang="es"))
            if self.rng.random() < 0.7:
                yield self.triple(s, SKOS + "altLabel", lit(f"Republic of Synthetic {alpha2}", lang="en"))
            yield self.triple(s, ISCM + "isoAlpha2", lit(alpha2))
            yield self.triple(s, ISCM + "isoAlpha3", lit(alpha3))
            yield self.triple(s, ISCM + "m49Code", lit(f"{n % 1000:03d}"))
            yield self.triple(s, ISCM + "inRegion", iri(sub))
            yield self.triple(s, ISCM + "inRegion", iri(top))
            yield self.triple(s, ISCM + "unStatus", lit("member" if self.rng.random() < 0.99 else "observer"))
            yield self.triple(s, DCT + "source", iri(f"{ID}source/SYN-lib-states"))

    def make_organisations(self, how_many: int) -> Iterator[str]:
        for n in range(how_many):
            slug = f"SYN-ORG-{n:04d}"
            node = f"{ID}organisation/{slug}"
            participant = Participant(node, slug)
            self.organisations.append(participant)
            regional = n > 0 and self.rng.random() < 0.4  # organisation 0 is the hub, like IOM
            if regional:
                self.regional.append(participant)
            s = iri(node)
            yield self.triple(s, A, iri(ISCM + ("RegionalOrganisation" if regional else "Organisation")))
            yield self.triple(s, SKOS + "prefLabel", lit(f"Synthetic Organisation {n}", lang="en"))
            yield self.triple(s, SKOS + "altLabel", lit(slug, lang="en"))
            yield self.triple(s, DCT + "source", iri(self.rng.choice(self.seed_sources)))
        if not self.regional:
            self.regional.append(self.organisations[-1])

    def make_territories(self, how_many: int) -> Iterator[str]:
        for n in range(how_many):
            slug = f"syn-territory-{n}"
            node = f"{ID}territory/{slug}"
            self.territories.append(Participant(node, slug))
            s = iri(node)
            yield self.triple(s, A, iri(ISCM + "Territory"))
            yield self.triple(s, SKOS + "prefLabel", lit(f"Synthetic Territory {n}", lang="en"))
            yield self.triple(s, DCT + "source", iri(self.rng.choice(self.seed_sources)))

    def weighted(self, options: Sequence[tuple[str, int]]) -> str:
        return self.rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def scaled(target: int, shipped: int, low: int, high: int) -> int:
    """A count in the shipped proportion to the data size, kept within [low, high]."""
    return max(low, min(high, round(target * shipped / SHIPPED_TRIPLES)))


class Mechanism:
    """One mechanism with its claims, participations and the source documents they cite."""

    def __init__(self, gen: Generator, number: int) -> None:
        self.gen = gen
        self.rng = gen.rng
        self.slug = f"SYN-{number:06d}"
        self.node = f"{ID}mechanism/{self.slug}"
        self.kind = gen.weighted(TYPE_WEIGHTS)
        self.founded = self.rng.randint(1985, 2023) if self.rng.random() < 0.85 else None
        self.pages: list[str] = []
        self.participations: list[str] = []  # IRIs already used, so that no triple is written twice
        self.members: list[Participant] = []

    def triple(self, s: str, p: str, o: str) -> str:
        return self.gen.triple(s, p, o)

    def cite(self, s: str, most: int = 2) -> Iterator[str]:
        for page in self.rng.sample(self.pages, self.rng.randint(1, min(most, len(self.pages)))):
            yield self.triple(s, DCT + "source", iri(page))

    def lines(self) -> Iterator[str]:
        yield from self.sources()
        yield from self.description()
        yield from self.claims()
        yield from self.participation_lines()
        if self.gen.profile == "realistic":
            yield from self.meetings()

    def sources(self) -> Iterator[str]:
        for n in range(self.rng.randint(2, 9)):
            page = f"{ID}source/{self.slug}-page-{n}"
            self.pages.append(page)
            yield from self.gen.source_document(page, f"Synthetic page {n} about {self.slug}",
                                                read_in_full=self.rng.random() > 0.1)
            if self.rng.random() < 0.4:
                yield self.triple(iri(page), DCT + "publisher", iri(self.gen.organisations[0].iri))

    def description(self) -> Iterator[str]:
        s, rng, vocab = iri(self.node), self.rng, self.gen.vocab
        yield self.triple(s, A, iri(ISCM + "ISCM"))
        yield self.triple(s, SKOS + "prefLabel", lit(f"Synthetic Mechanism {self.slug}", lang="en"))
        if rng.random() < 0.3:
            yield self.triple(s, SKOS + "prefLabel", lit(f"Mecanisme synthetique {self.slug}", lang="fr"))
            yield self.triple(s, SKOS + "altLabel", lit(f"Proceso sintetico {self.slug}", lang="es"))
        yield self.triple(s, ISCM + "acronym", lit(self.slug))
        yield self.triple(s, SKOS + "notation", lit(self.slug))
        # IRFs connect two or more regions and RCPs cover one (the shapes warn otherwise).
        regions = {"RCP": (1, 2), "IRF": (2, 4), "GlobalProcess": (0, 1)}[self.kind]
        pool = list(vocab.regions) + [sub for sub, _ in vocab.subregions]
        for region in rng.sample(pool, rng.randint(*regions)):
            yield self.triple(s, ISCM + "region", iri(region))
        for theme in rng.sample(vocab.themes, rng.randint(0, min(11, len(vocab.themes)))):
            yield self.triple(s, ISCM + "theme", iri(theme))
        if rng.random() < 0.5:
            yield self.triple(s, ISCM + "associatedWith", iri(rng.choice(self.gen.regional).iri))
        if rng.random() < 0.5:
            yield self.triple(s, RDFS + "comment", lit(f"Synthetic notes on {self.slug}.", lang="en"))
        yield self.triple(s, DCT + "source", iri(rng.choice(self.gen.seed_sources)))
        for page in self.pages:
            yield self.triple(s, DCT + "source", iri(page))

    # ---------------------------------------------------------------- claims

    def claims(self) -> Iterator[str]:
        rng, vocab = self.rng, self.gen.vocab
        other_kind = rng.choice([k for k, _ in TYPE_WEIGHTS if k != self.kind])
        yield from self.claim("type", RDF + "type", [iri(ISCM + self.kind), iri(ISCM + other_kind)])
        status = vocab.status(self.gen.weighted(STATUS_WEIGHTS))
        other_status = rng.choice([s for s in vocab.statuses if s != status])
        yield from self.claim("status", ISCM + "status", [iri(status), iri(other_status)])
        if self.founded is not None:
            yield from self.claim("founding-year", ISCM + "foundingYear",
                                  [year(self.founded), year(self.founded + rng.choice((-2, -1, 1, 2)))],
                                  disagree=0.2)
        counted = rng.random() < 0.75
        listed = rng.random() < 0.6
        complete = rng.random() < 0.7
        if counted:
            stated = rng.randint(3, 40)
            # The synthetic list and count are drawn independently: say so, as a curator would, so that the
            # count-versus-list warning (shapes/count-shapes.ttl) does not fire on every synthetic mechanism.
            explained = "Synthetic: the list and the count are drawn independently." if listed and complete else None
            yield from self.claim("member-count", ISCM + "statedMemberCount",
                                  [lit(str(stated), datatype=XSD + "integer"),
                                   lit(str(stated + 2), datatype=XSD + "integer")], explained=explained)
        if listed:
            yield from self.claim("member-list", ISCM + "memberListComplete",
                                  [lit("true" if complete else "false", datatype=XSD + "boolean")], disagree=0)

    def claim(self, label: str, prop: str, values: list[str], disagree: float = 0.1,
              explained: str | None = None) -> Iterator[str]:
        """One claim, or (with probability disagree) two disagreeing ones, the first preferred with a reason."""
        two = len(values) > 1 and self.rng.random() < disagree
        for n, value in enumerate(values[: 2 if two else 1], start=1):
            s = iri(f"{ID}claim/{self.slug}-{label}-{n}")
            yield self.triple(s, A, iri(ISCM + "Claim"))
            yield self.triple(s, ISCM + "claimSubject", iri(self.node))
            yield self.triple(s, ISCM + "claimProperty", iri(prop))
            yield self.triple(s, RDF + "value", value)
            if explained is not None:
                yield self.triple(s, ISCM + "countDifferenceExplained", lit(explained, lang="en"))
            if two and n == 1:
                yield self.triple(s, ISCM + "preferred", lit("true", datatype=XSD + "boolean"))
                yield self.triple(s, ISCM + "preferenceReason", lit("Synthetic: the more recent source.", lang="en"))
            elif two and self.rng.random() < 0.5:
                yield self.triple(s, ISCM + "preferred", lit("false", datatype=XSD + "boolean"))
            yield from self.cite(s)

    # ---------------------------------------------------------------- participations

    def participation(self, who: Participant, role: str, start: int | None = None, end: int | None = None,
                      dated_iri: bool = False) -> Iterator[str]:
        local = f"{self.slug}-{who.slug}-{role}" + (f"-{start}" if dated_iri and start is not None else "")
        if local in self.participations:
            return
        self.participations.append(local)
        s = iri(f"{ID}participation/{local}")
        yield self.triple(s, A, iri(ISCM + "Participation"))
        yield self.triple(s, ORG + "member", iri(who.iri))
        yield self.triple(s, ORG + "organization", iri(self.node))
        yield self.triple(s, ORG + "role", iri(self.gen.vocab.role(role)))
        if start is not None:
            yield self.triple(s, ISCM + "startYear", year(start))
        if end is not None:
            yield self.triple(s, ISCM + "endYear", year(end))
        yield from self.cite(s)

    def participation_lines(self) -> Iterator[str]:
        rng, gen = self.rng, self.gen
        first = self.founded or 2000
        members = rng.sample(gen.states, min(len(gen.states), rng.randint(3, 25)))
        if gen.territories and rng.random() < 0.1:
            members.append(rng.choice(gen.territories))
        self.members = members
        realistic = gen.profile == "realistic"
        for who in members:
            if realistic:  # most memberships say when they began, some when they ended
                start = rng.randint(first, 2024) if rng.random() < 0.7 else None
                end = rng.randint(start, LAST_YEAR) if start is not None and rng.random() < 0.15 else None
                yield from self.participation(who, "member", start, end)
                continue
            start = rng.randint(first, 2024) if rng.random() < 0.1 else None
            yield from self.participation(who, "member", start)
        if self.founded is not None and rng.random() < 0.35:
            for who in members[: rng.randint(2, min(8, len(members)))]:
                yield from self.participation(who, "founding-member", self.founded)
        yield from self.chairs(members, first)
        # Observers are never also members: the shapes forbid being both at the same time.
        outsiders = [s for s in gen.states if s not in members]
        for who in rng.sample(outsiders, min(len(outsiders), rng.randint(0, 3))):
            yield from self.participation(who, "observer")
        yield from self.organisation_roles(members)

    def chairs(self, members: list[Participant], first: int) -> Iterator[str]:
        rng = self.rng
        if self.gen.profile == "realistic":  # the chair rotates: one term of a year or two, every term dated
            start = first
            while start <= LAST_YEAR:
                term = rng.choice((1, 1, 2))
                yield from self.participation(rng.choice(members), "chair", start, min(start + term - 1, LAST_YEAR),
                                              dated_iri=True)
                start += term
            return
        count = rng.randint(0, 6)
        years = sorted(rng.sample(range(first, 2026), min(count, 2026 - first)))
        for start in years:
            who = rng.choice(members)
            end = start + rng.randint(0, 2) if rng.random() < 0.4 else None
            yield from self.participation(who, "chair", start, end, dated_iri=True)
        if rng.random() < 0.3:
            yield from self.participation(rng.choice(members), "chair")

    # ---------------------------------------------------------------- meetings (realistic profile)

    def meetings(self) -> Iterator[str]:
        """Once or twice a year from the founding (or 2000) to 2025, in the shape of the shipped meetings."""
        rng, gen = self.rng, self.gen
        hosts = [who for who in self.members if who in gen.states] or gen.states  # a member State hosts
        number = 0
        for held in range(self.founded or 2000, LAST_YEAR + 1):
            for _ in range(rng.choice((1, 1, 2))):
                number += 1
                kind = gen.weighted(MEETING_WEIGHTS)
                node = f"{ID}meeting/{self.slug}-{held}-{number}"
                s = iri(node)
                yield self.triple(s, A, iri(ISCM + kind))
                yield self.triple(s, SKOS + "prefLabel", lit(f"Synthetic meeting {number} of {self.slug}", lang="en"))
                yield self.triple(s, ISCM + "ofMechanism", iri(self.node))
                month, day = rng.randint(1, 12), rng.randint(1, 26)
                yield self.triple(s, DCT + "date", lit(f"{held}-{month:02d}-{day:02d}", datatype=XSD + "date"))
                if rng.random() < 0.5:
                    yield self.triple(s, ISCM + "endDate",
                                      lit(f"{held}-{month:02d}-{day + rng.randint(1, 2):02d}", datatype=XSD + "date"))
                host = rng.choice(hosts)
                yield self.triple(s, ISCM + "city", lit(f"Synthetic city of {host.slug}", lang="en"))
                yield self.triple(s, PROV + "atLocation", iri(host.iri))
                if rng.random() < 0.6:
                    yield self.triple(s, ISCM + "chairedBy", iri(host.iri))
                if rng.random() < 0.3:
                    yield self.triple(s, ISCM + "statedParticipantCount",
                                      lit(str(rng.randint(5, 60)), datatype=XSD + "integer"))
                yield from self.cite(s)
                if rng.random() < 0.3:
                    doc = iri(f"{ID}document/{self.slug}-{held}-{number}")
                    yield self.triple(s, PROV + "generated", doc)
                    yield self.triple(doc, A, iri(ISCM + "OutcomeDocument"))
                    yield self.triple(doc, DCT + "title", lit(f"Synthetic declaration {number} of {self.slug}",
                                                             lang="en"))
                    yield self.triple(doc, DCT + "issued", year(held))
                    yield from self.cite(doc)

    def organisation_roles(self, members: list[Participant]) -> Iterator[str]:
        rng, gen = self.rng, self.gen
        hub = gen.organisations[0]
        if rng.random() < 0.6:
            yield from self.participation(hub, gen.weighted(HUB_ROLES))
        others = gen.organisations[1:] or gen.organisations
        if rng.random() < 0.4:
            yield from self.participation(rng.choice(others), "secretariat")
        for who in rng.sample(others, min(len(others), rng.randint(0, 2))):
            yield from self.participation(who, "partner")
        if rng.random() < 0.25:
            yield from self.participation(rng.choice(members + others[:5]), "convener")


def generate(triples: int, seed: int, profile: str = "dense") -> Iterator[str]:
    """The N-Triples lines of a synthetic graph of about `triples` triples."""
    yield from Generator(triples, seed, shipped_vocabulary(), profile).lines()


def write(path: Path, triples: int, seed: int, profile: str = "dense") -> int:
    """Write the data to path; returns the number of triples written."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for line in generate(triples, seed, profile):
            handle.write(line)
            count += 1
    return count


def parse_size(text: str) -> int:
    """'10k', '1M', '2500' -> a number of triples."""
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=parse_size, required=True, help="target size, e.g. 10000, 100k or 1M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, required=True, help="the N-Triples file to write")
    parser.add_argument("--profile", choices=PROFILES, default="dense",
                        help="dense: States up to 676, growth in mechanisms; realistic: about 200 States, growth in "
                             "mechanisms, meetings and years (see the module's text)")
    args = parser.parse_args(argv)
    written = write(args.output, args.triples, args.seed, args.profile)
    print(f"{args.output}: {written} triples (seed {args.seed}, profile {args.profile})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
