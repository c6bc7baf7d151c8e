"""The analyst tables: the graph as a Frictionless data package (a CSV per table, datapackage.json with a Table
Schema per table and the foreign keys between them) and as one XLSX workbook with a sheet per table.

For people who do not use RDF: every IRI is kept (it is each entity's key) and a label or code column people read
stands beside it; years and dates are ISO (2002, 2026-11-23); a value the data does not give is blank, never 0 (a
mechanism whose member list was not read has no recorded count, not a count of 0). Each table is one SELECT run by
the graph's own engine; labels come from query.labels like the _label columns of `iscm-kg query --format csv`.

The bytes depend on the graph only: rows sorted by key, list cells sorted, JSON written in one order, and the
workbook carries a fixed creation time (SOURCE_DATE_EPOCH's when the release gives one) and the fixed ZIP times of
XlsxWriter, so a release stays byte-identical.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from iscm_kg import __version__
from iscm_kg.errors import IscmError
from iscm_kg.graph import KnowledgeGraph
from iscm_kg.publish import staging, void
from iscm_kg.publish.staging import staged
from iscm_kg.query.labels import label_of

if TYPE_CHECKING:
    import pandas

FOLDER = "tables"  # the folder of the release that holds the package
DESCRIPTOR = "datapackage.json"
WORKBOOK = "iscm-kg-tables.xlsx"
PACKAGE_NAME = "iscm-kg-tables"
LIST_SEPARATOR = "; "
# The data's licence, CC BY 4.0 (LICENSE-DATA), as void.ttl states it (dcterms:license).
LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International", "path": str(void.CC_BY)}
# The workbook's creation time when no SOURCE_DATE_EPOCH is given: the ZIP epoch XlsxWriter gives its parts.
FIXED_CREATED = datetime.datetime(1980, 1, 1, tzinfo=datetime.timezone.utc)

PREFIXES = """PREFIX iscm: <https://w3id.org/iscm-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

Cell = str | int | bool | None


class TablesError(IscmError):
    """The graph cannot be put in a table as it is (a value that should be single is not), or the written package
    does not read back: nothing was put in place."""


@dataclass(frozen=True)
class Column:
    """One column: its Table Schema type, and where its value comes from (a variable of the table's query, or the
    label of another column's IRI). A list column gathers every distinct value, sorted, joined by '; '."""

    name: str
    type: str  # Table Schema: string, integer, boolean, year, date
    description: str
    var: str | None = None  # the query variable (default: the column's name)
    label: str | None = None  # this column is the label of that column's IRI
    uri: bool = False  # the value is an IRI
    required: bool = False
    many: bool = False  # a list of values
    kind: tuple[str, str] | None = None  # (variable, value): holds its value only in rows where that variable has it

    @property
    def variable(self) -> str:
        return self.var or self.name

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.uri and not self.many:
            out["format"] = "uri"
        if self.required:
            out["constraints"] = {"required": True}
        return out


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    query: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("iri",)
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column there)

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fields": [c.schema() for c in self.columns], "missingValues": [""],
                               "primaryKey": list(self.key)}
        if self.foreign_keys:
            out["foreignKeys"] = [{"fields": col, "reference": {"resource": table, "fields": ref}}
                                  for col, table, ref in self.foreign_keys]
        return out


def _iri(name: str, what: str, **kw: Any) -> Column:
    return Column(name, "string", what, uri=True, **kw)


def _label(name: str, of: str, what: str) -> Column:
    return Column(name, "string", what, label=of)


IRI = _iri("iri", "The entity's persistent IRI: the key other tables refer to.", required=True)

TABLES: tuple[Table, ...] = (
    Table(
        "mechanisms", "Mechanisms",
        "Every inter-State consultation mechanism on migration, with the type, status, founding year, stated member "
        "count and completeness of its member list that the data adopts (preferred claims; see claims for every "
        "value a source gives).",
        """SELECT ?iri ?id ?name ?type ?status ?founding_year ?member_states_recorded ?stated_member_count
                  ?member_list_complete ?region ?theme ?associated_with
        WHERE {
          ?iri a ?type . ?type rdfs:subClassOf iscm:ISCM . FILTER (?type != iscm:ISCM)
          ?iri skos:notation ?id .
          OPTIONAL { ?iri skos:prefLabel ?name FILTER (LANG(?name) = "en") }
          OPTIONAL { ?iri iscm:status ?status }
          OPTIONAL { ?iri iscm:foundingYear ?founding_year }
          OPTIONAL {
            SELECT ?iri (COUNT(DISTINCT ?state) AS ?member_states_recorded)
            WHERE { ?state iscm:memberOf ?iri ; a iscm:State }
            GROUP BY ?iri
          }
          OPTIONAL { ?iri iscm:statedMemberCount ?stated_member_count }
          OPTIONAL { ?iri iscm:memberListComplete ?member_list_complete }
          OPTIONAL { ?iri iscm:region/skos:prefLabel ?region FILTER (LANG(?region) = "en") }
          OPTIONAL { ?iri iscm:theme ?t . BIND (STRAFTER(STR(?t), "/theme/") AS ?theme) }
          OPTIONAL { ?iri iscm:associatedWith ?o . BIND (STRAFTER(STR(?o), "/organisation/") AS ?associated_with) }
        }""",
        (
            IRI,
            Column("id", "string", "The mechanism's acronym (skos:notation), as in its IRI.", required=True),
            Column("name", "string", "The English name."),
            _iri("type", "The mechanism type (a subclass of iscm:ISCM), from its preferred claim."),
            _label("type_label", "type", "The type's name."),
            _iri("status", "The status (active, emerging, dormant, ...), from its preferred claim."),
            _label("status_label", "status", "The status's name."),
            Column("founding_year", "year", "The founding year, from its preferred claim; blank where no source gives "
                                            "one."),
            Column("member_states_recorded", "integer",
                   "How many member States the data records; blank where no member list was read (unknown, not 0)."),
            Column("stated_member_count", "integer",
                   "The number of member States a source states (preferred claim); blank where none does."),
            Column("member_list_complete", "boolean",
                   "Whether the recorded member list is the whole list of its source; blank where not stated."),
            Column("regions", "string", "The regions whose States take part, as sources name them ('; ' between).",
                   var="region", many=True),
            Column("themes", "string", "The thematic areas' codes (see themes; '; ' between).", var="theme",
                   many=True),
            Column("associated_with", "string",
                   "The codes of organisations the mechanism is formally associated with (see organisations).",
                   many=True),
        ),
    ),
    Table(
        "participations", "Participations",
        "The analyst's master table: who takes part in which mechanism, in which role, from when to when, according "
        "to which sources. A participant is a State, a territory or an organisation: the column of its kind holds "
        "its IRI (the key of that table), the other two are blank.",
        """SELECT ?iri ?mechanism ?mechanism_id ?participant ?participant_type ?role ?start_year ?end_year ?source
        WHERE {
          VALUES ?class { iscm:State iscm:Territory iscm:Organisation }
          ?iri a iscm:Participation ; org:member ?participant ; org:organization ?mechanism ; org:role ?role .
          ?mechanism skos:notation ?mechanism_id .
          ?participant a ?class .
          BIND (IF(?class = iscm:State, "state", IF(?class = iscm:Territory, "territory", "organisation"))
                AS ?participant_type)
          OPTIONAL { ?iri iscm:startYear ?start_year }
          OPTIONAL { ?iri iscm:endYear ?end_year }
          OPTIONAL { ?iri dcterms:source ?source }
        }""",
        (
            IRI,
            _iri("mechanism", "The mechanism (mechanisms.iri).", required=True),
            Column("mechanism_id", "string", "The mechanism's acronym."),
            _iri("participant", "The participant: a State, territory or organisation.", required=True),
            _label("participant_label", "participant", "The participant's name."),
            Column("participant_type", "string", "state, territory or organisation.", required=True),
            _iri("state", "The participant if it is a State (states.iri), else blank.", var="participant",
                 kind=("participant_type", "state")),
            _iri("territory", "The participant if it is a territory or entity (territories.iri), else blank.",
                 var="participant", kind=("participant_type", "territory")),
            _iri("organisation", "The participant if it is an organisation (organisations.iri), else blank.",
                 var="participant", kind=("participant_type", "organisation")),
            _iri("role", "The role (member, observer, chair, secretariat, ...).", required=True),
            _label("role_label", "role", "The role's name."),
            Column("start_year", "year", "The year from which it holds, as its source states; blank where not "
                                         "stated."),
            Column("end_year", "year", "The last year in which it held; blank while it holds or where not stated."),
            _iri("sources", "The IRIs of the source documents it cites (sources.iri; '; ' between).", var="source",
                 many=True),
        ),
        foreign_keys=(("mechanism", "mechanisms", "iri"), ("state", "states", "iri"),
                      ("territory", "territories", "iri"), ("organisation", "organisations", "iri")),
    ),
    Table(
        "states", "States",
        "The 193 UN member States and the UN observer States, with their ISO 3166-1 and UN M49 codes, names in "
        "English, French and Spanish, and their UN M49 region and sub-region.",
        """SELECT ?iri ?iso_alpha3 ?iso_alpha2 ?m49_code ?name ?name_fr ?name_es ?un_status ?region ?sub_region
        WHERE {
          ?iri a iscm:State .
          OPTIONAL { ?iri iscm:isoAlpha3 ?iso_alpha3 }
          OPTIONAL { ?iri iscm:isoAlpha2 ?iso_alpha2 }
          OPTIONAL { ?iri iscm:m49Code ?m49_code }
          OPTIONAL { ?iri skos:prefLabel ?name FILTER (LANG(?name) = "en") }
          OPTIONAL { ?iri skos:prefLabel ?name_fr FILTER (LANG(?name_fr) = "fr") }
          OPTIONAL { ?iri skos:prefLabel ?name_es FILTER (LANG(?name_es) = "es") }
          OPTIONAL { ?iri iscm:unStatus ?un_status }
          OPTIONAL { ?iri iscm:inRegion ?r . ?r skos:topConceptOf ?scheme ; skos:prefLabel ?region
                     FILTER (LANG(?region) = "en") }
          OPTIONAL { ?iri iscm:inRegion ?s . ?s skos:broader ?top ; skos:prefLabel ?sub_region
                     FILTER (LANG(?sub_region) = "en") }
        }""",
        (
            IRI,
            Column("iso_alpha3", "string", "The ISO 3166-1 alpha-3 code (as in the IRI)."),
            Column("iso_alpha2", "string", "The ISO 3166-1 alpha-2 code."),
            Column("m49_code", "string", "The UN M49 numeric code (three digits, leading zeros kept)."),
            Column("name", "string", "The English name."),
            Column("name_fr", "string", "The French name."),
            Column("name_es", "string", "The Spanish name."),
            Column("un_status", "string", "member or observer (of the United Nations)."),
            Column("region", "string", "The UN M49 region."),
            Column("sub_region", "string", "The UN M49 sub-region."),
        ),
    ),
    Table(
        "territories", "Territories and other entities",
        "Participants that sources list among the States of a mechanism but that are neither UN member nor observer "
        "States.",
        """SELECT ?iri ?code ?name WHERE {
          ?iri a iscm:Territory . BIND (STRAFTER(STR(?iri), "/territory/") AS ?code)
          OPTIONAL { ?iri skos:prefLabel ?name FILTER (LANG(?name) = "en") }
        }""",
        (
            IRI,
            Column("code", "string", "The short name in the IRI.", required=True),
            Column("name", "string", "The English name."),
        ),
    ),
    Table(
        "organisations", "Organisations",
        "International, intergovernmental and regional organisations and other bodies that take part in mechanisms.",
        """SELECT ?iri ?code ?name ?regional WHERE {
          ?iri a iscm:Organisation . BIND (STRAFTER(STR(?iri), "/organisation/") AS ?code)
          OPTIONAL { ?iri skos:prefLabel ?name FILTER (LANG(?name) = "en") }
          BIND (EXISTS { ?iri a iscm:RegionalOrganisation } AS ?regional)
        }""",
        (
            IRI,
            Column("code", "string", "The usual acronym, as in the IRI.", required=True),
            Column("name", "string", "The English name."),
            Column("regional", "boolean", "Whether it is a regional organisation (of States of one region or of an "
                                          "economic or political union)."),
        ),
    ),
    Table(
        "claims", "Claims",
        "Every value a source gives for a mechanism's type, status, founding year, stated member count or "
        "completeness of its member list; where sources disagree each value is its own claim and one is marked "
        "preferred, with the reason.",
        """SELECT ?iri ?mechanism ?mechanism_id ?property ?value ?preferred ?adopted ?preference_reason ?source
        WHERE {
          ?iri a iscm:Claim ; iscm:claimSubject ?mechanism ; iscm:claimProperty ?property ; rdf:value ?value .
          ?mechanism skos:notation ?mechanism_id .
          OPTIONAL { ?iri iscm:preferred ?marked }
          BIND (COALESCE(?marked, false) AS ?preferred)
          BIND (EXISTS { ?mechanism ?property ?value } AS ?adopted)
          OPTIONAL { ?iri iscm:preferenceReason ?preference_reason }
          OPTIONAL { ?iri dcterms:source ?source }
        }""",
        (
            IRI,
            _iri("mechanism", "The mechanism the claim is about (mechanisms.iri).", required=True),
            Column("mechanism_id", "string", "The mechanism's acronym."),
            _iri("property", "The property whose value the claim states.", required=True),
            _label("property_label", "property", "The property's name."),
            Column("value", "string", "The value as written in the data (an IRI, a year, a number or true/false).",
                   required=True),
            _label("value_label", "value", "The value's name where it is an IRI (a type or a status), else blank."),
            Column("preferred", "boolean", "Whether the claim is marked preferred over claims that disagree."),
            Column("adopted", "boolean", "Whether the data adopts its value (the preferred claim, or one no other "
                                         "claim contradicts)."),
            Column("preference_reason", "string", "Why the claim is preferred, where it is."),
            _iri("sources", "The IRIs of the source documents it cites (sources.iri; '; ' between).", var="source",
                 many=True),
        ),
        foreign_keys=(("mechanism", "mechanisms", "iri"),),
    ),
    Table(
        "sources", "Source documents",
        "Every document the data cites: a seed document of the project or a web page by its address, with the date "
        "it was read and whether the copy read was whole.",
        """SELECT ?iri ?title ?publisher ?publisher_type ?issued ?read_on ?read_in_full ?seed_file ?cited_by WHERE {
          ?iri a iscm:SourceDocument .
          OPTIONAL { ?iri dcterms:title ?title }
          OPTIONAL { ?iri dcterms:publisher ?publisher . ?publisher a ?publisher_class .
                     FILTER (?publisher_class IN (iscm:State, iscm:Organisation))
                     BIND (IF(?publisher_class = iscm:State, "state", "organisation") AS ?publisher_type) }
          OPTIONAL { ?iri dcterms:issued ?issued }
          OPTIONAL { ?iri iscm:readOn ?read_on }
          OPTIONAL { ?iri iscm:readInFull ?read_in_full }
          OPTIONAL { ?iri iscm:seedFile ?seed_file }
          { SELECT ?iri (COUNT(DISTINCT ?entity) AS ?cited_by)
            WHERE { ?iri a iscm:SourceDocument . OPTIONAL { ?entity dcterms:source ?iri } } GROUP BY ?iri }
        }""",
        (
            _iri("iri", "The document's IRI: the page's own address, or the project's IRI of a seed document.",
                 required=True),
            Column("title", "string", "The title ('; ' between where the data gives more than one)."),
            _iri("publisher", "The publisher, where the data names one: an organisation or a State (a ministry's "
                              "page is published by its State)."),
            _label("publisher_label", "publisher", "The publisher's name."),
            Column("publisher_type", "string", "organisation or state; blank where the data names no publisher."),
            _iri("publisher_organisation", "The publisher if it is an organisation (organisations.iri), else blank.",
                 var="publisher", kind=("publisher_type", "organisation")),
            _iri("publisher_state", "The publisher if it is a State (states.iri), else blank.", var="publisher",
                 kind=("publisher_type", "state")),
            Column("issued", "year", "The year the document states as its own date; blank where it states none."),
            Column("read_on", "date", "The day the curators read it."),
            Column("read_in_full", "boolean", "False where the copy read was cut short (lists from it may be "
                                              "incomplete)."),
            Column("seed_file", "string", "The file of a seed document in the project's seeds folder."),
            Column("cited_by", "integer", "How many entities (mechanisms, participations, claims, States, ...) cite "
                                          "it."),
        ),
        foreign_keys=(("publisher_organisation", "organisations", "iri"), ("publisher_state", "states", "iri")),
    ),
    Table(
        "themes", "Thematic areas",
        "The thematic areas of migration policy, with how many mechanisms a source states address each.",
        """SELECT ?iri ?code ?name ?mechanisms WHERE {
          ?iri a iscm:Theme . BIND (STRAFTER(STR(?iri), "/theme/") AS ?code)
          OPTIONAL { ?iri skos:prefLabel ?name FILTER (LANG(?name) = "en") }
          { SELECT ?iri (COUNT(DISTINCT ?m) AS ?mechanisms)
            WHERE { ?iri a iscm:Theme . OPTIONAL { ?m iscm:theme ?iri } } GROUP BY ?iri }
        }""",
        (
            IRI,
            Column("code", "string", "The short name in the IRI (as in mechanisms.themes).", required=True),
            Column("name", "string", "The English name."),
            Column("mechanisms", "integer", "How many mechanisms a source states address it."),
        ),
    ),
    Table(
        "mechanism_themes", "Mechanisms and their thematic areas",
        "One row per mechanism and thematic area it addresses (the link between mechanisms and themes).",
        """SELECT ?mechanism ?mechanism_id ?theme ?theme_code WHERE {
          ?mechanism iscm:theme ?theme ; skos:notation ?mechanism_id .
          ?theme a iscm:Theme . BIND (STRAFTER(STR(?theme), "/theme/") AS ?theme_code)
        }""",
        (
            _iri("mechanism", "The mechanism (mechanisms.iri).", required=True),
            Column("mechanism_id", "string", "The mechanism's acronym."),
            _iri("theme", "The thematic area (themes.iri).", required=True),
            Column("theme_code", "string", "The theme's code."),
        ),
        key=("mechanism", "theme"),
        foreign_keys=(("mechanism", "mechanisms", "iri"), ("theme", "themes", "iri")),
    ),
)

# ---------------------------------------------------------------- reading the graph into rows


def _value(term: Node | None, column: Column) -> Cell:
    """One RDF term as the cell of a column of the given type."""
    if term is None:
        return None
    text = str(term)
    if column.type == "integer":
        return int(text)
    if column.type == "year":
        return int(text[:4]) if text[:4].isdigit() else None
    if column.type == "boolean":
        if isinstance(term, Literal) and isinstance(term.toPython(), bool):
            return bool(term.toPython())
        return text == "true"
    if column.type == "date":
        return text[:10]
    return text


def _typed_for_kind(column: Column, row: dict[str, Node | None]) -> bool:
    """A column of one kind (the state column of participations, say) holds a value only in rows of its kind."""
    if column.kind is None:
        return True
    variable, value = column.kind
    return str(row.get(variable)) == value


@dataclass
class Rows:
    """A table's rows, as cells in the order of its columns, sorted by the key."""

    table: Table
    rows: list[tuple[Cell, ...]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.table.columns]


def read_table(kg: KnowledgeGraph, table: Table, label: Callable[[URIRef], str]) -> Rows:
    """Run the table's SELECT and fold its rows into one per key: a list column gathers its values, a text column
    with several values (a document with two titles) joins them; any other column with two values is an error."""
    result = kg.select(PREFIXES + table.query)
    index = {v: i for i, v in enumerate(result.variables)}
    key_columns = [c for c in table.columns if c.name in table.key]
    labelled = {c.name: next(s for s in table.columns if s.name == c.label) for c in table.columns if c.label}
    merged: dict[tuple[str, ...], dict[str, set[Cell]]] = {}
    for raw in result.rows:
        row = {v: raw[i] for v, i in index.items()}
        key = tuple(str(row[c.variable]) for c in key_columns)
        cells = merged.setdefault(key, {c.name: set() for c in table.columns})
        for column in table.columns:
            if column.label:
                term = row.get(labelled[column.name].variable)
                value: Cell = label(term) if isinstance(term, URIRef) else None
            elif not _typed_for_kind(column, row):
                value = None
            else:
                value = _value(row.get(column.variable), column)
            if value is not None:
                cells[column.name].add(value)
    out = Rows(table)
    for key in sorted(merged):
        cells = merged[key]
        values: list[Cell] = []
        for column in table.columns:
            found = cells[column.name]
            if column.many or (column.type == "string" and not column.uri and len(found) > 1):
                values.append(LIST_SEPARATOR.join(sorted(str(v) for v in found)) if found else None)
            elif len(found) > 1:
                raise TablesError(f"{table.name}: {key[0]} has {len(found)} values of {column.name} "
                                  f"({', '.join(sorted(map(str, found)))}); the table keeps one")
            else:
                values.append(next(iter(found)) if found else None)
        out.rows.append(tuple(values))
    return out


def read_all(kg: KnowledgeGraph) -> dict[str, Rows]:
    """Every table, read from the graph (one SELECT each), labels from the graph too."""
    labels: dict[URIRef, str] = {}

    def label(iri: URIRef) -> str:
        if iri not in labels:
            labels[iri] = label_of(kg, iri)
        return labels[iri]

    return {t.name: read_table(kg, t, label) for t in TABLES}


# ---------------------------------------------------------------- writing the package


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(rows: Rows) -> bytes:
    """RFC 4180 CSV in UTF-8 (CRLF line ends), the header row first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(rows.names)
    for row in rows.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def descriptor(contents: dict[str, bytes]) -> dict[str, Any]:
    """datapackage.json: the package's name, version and licence, and a resource per CSV with its schema, size and
    hash (which frictionless checks)."""
    resources = []
    for table in TABLES:
        data = contents[f"{table.name}.csv"]
        resources.append({
            "name": table.name, "title": table.title, "description": table.description,
            "path": f"{table.name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
            "schema": table.schema(),
        })
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "ISCM knowledge graph: tables",
        "description": "The inter-State consultation mechanisms on migration, the States and organisations that take "
                       "part in them, in which role, and according to which source, as tables (CSV, and one XLSX "
                       f"workbook, {WORKBOOK}, with a sheet per table). Made from the ISCM knowledge graph; every "
                       "entity keeps its IRI.",
        "version": __version__,
        "homepage": "https://w3id.org/iscm-kg/dataset",
        "licenses": [LICENCE],
        "resources": resources,
    }


def to_xlsx(tables: dict[str, Rows], created: datetime.datetime | None = None) -> bytes:
    """One sheet per table (the same rows as the CSVs, numbers and true/false as such, IRIs as text), with a fixed
    creation time so that the same tables give the same bytes."""
    import xlsxwriter

    buffer = io.BytesIO()
    # strings_to_urls off: IRIs stay plain text (Excel caps a sheet at 65,530 links); strings_to_formulas off: a
    # value starting with '=' stays text; in_memory: XlsxWriter's fixed ZIP times do not depend on the time zone.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_urls": False,
                                            "strings_to_formulas": False, "strings_to_numbers": False})
    when = (created or FIXED_CREATED).astimezone(datetime.timezone.utc).replace(tzinfo=None)
    workbook.set_properties({"title": "ISCM knowledge graph: tables", "author": "iscm-kg", "created": when,
                             "comments": f"iscm-kg {__version__}"})
    bold = workbook.add_format({"bold": True})
    for name, rows in tables.items():
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, rows.names, bold)
        for r, row in enumerate(rows.rows, start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, value)
        sheet.freeze_panes(1, 0)
        if rows.rows:
            sheet.autofilter(0, 0, len(rows.rows), len(rows.names) - 1)
    workbook.close()
    return buffer.getvalue()


def package_names() -> list[str]:
    """The names of the package's files, sorted."""
    return sorted([f"{t.name}.csv" for t in TABLES] + [DESCRIPTOR, WORKBOOK])


def package_files(tables: dict[str, Rows], created: datetime.datetime | None = None) -> dict[str, bytes]:
    """The package's files by name: a CSV per table, datapackage.json, the workbook."""
    files = {f"{name}.csv": to_csv(rows) for name, rows in tables.items()}
    text = json.dumps(descriptor(files), ensure_ascii=False, indent=2) + "\n"
    files[DESCRIPTOR] = text.encode("utf-8")
    files[WORKBOOK] = to_xlsx(tables, created)
    return files


def verify(folder: Path, tables: dict[str, Rows]) -> None:
    """Read the written CSVs back: the header is the schema's, the rows are the table's, every foreign key is found
    in the table it names. Raise TablesError on the first problem."""
    read: dict[str, list[dict[str, str]]] = {}
    for name, rows in tables.items():
        with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
            records = list(csv.reader(handle))
        if not records or records[0] != rows.names:
            raise TablesError(f"{name}.csv: its header is not the schema's fields")
        if [tuple(r) for r in records[1:]] != [tuple(_csv_cell(v) for v in row) for row in rows.rows]:
            raise TablesError(f"{name}.csv does not read back as the table it was written from")
        read[name] = [dict(zip(records[0], r, strict=True)) for r in records[1:]]
    for table in TABLES:
        keys = [tuple(r[k] for k in table.key) for r in read[table.name]]
        if len(set(keys)) != len(keys):
            raise TablesError(f"{table.name}.csv: its key {', '.join(table.key)} is not unique")
        for column, other, ref in table.foreign_keys:
            known = {r[ref] for r in read[other]}
            missing = sorted({r[column] for r in read[table.name] if r[column] and r[column] not in known})
            if missing:
                raise TablesError(f"{table.name}.csv: {column} {missing[0]} is not in {other}.csv "
                                  f"({len(missing)} value(s) missing)")


def write_package(folder: Path, kg: KnowledgeGraph, created: datetime.datetime | None = None) -> dict[str, Rows]:
    """Write the package into folder (made if missing) and check it; the tables written."""
    tables = read_all(kg)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in package_files(tables, created).items():
        (folder / name).write_bytes(data)
    verify(folder, tables)
    return tables


# ---------------------------------------------------------------- iscm-kg tables --output DIR


@dataclass(frozen=True)
class TablesResult:
    output: Path
    files: int
    rows: dict[str, int]
    size: int
    seconds: float


def is_previous_package(folder: Path) -> bool:
    """A folder this command made: its datapackage.json names exactly the CSVs it holds, beside the workbook."""
    try:
        doc = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
        listed = {r["path"] for r in doc["resources"]} | {DESCRIPTOR, WORKBOOK}
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return doc.get("name") == PACKAGE_NAME and listed == {p.name for p in folder.iterdir()}


def check_target(output: Path, force: bool) -> None:
    staging.check_target(output, force, is_previous_package,
                         f"a previous tables folder (its {DESCRIPTOR} does not name exactly its files)")


def build(output: Path, *, force: bool = False, kg: KnowledgeGraph | None = None) -> TablesResult:
    """Write the package into a temporary folder beside output, check it, then rename it into place."""
    started = time.monotonic()
    output = Path(output)
    check_target(output, force)
    if kg is None:
        from iscm_kg import graph

        kg = graph.load()
    with staged(output, "tables") as work:
        written = write_package(work, kg)
    names = package_names()
    size = sum((output / n).stat().st_size for n in names)
    counts = {name: len(rows.rows) for name, rows in written.items()}
    return TablesResult(output, len(names), counts, size, time.monotonic() - started)


# ---------------------------------------------------------------- pandas


PANDAS_TYPES = {"integer": "Int64", "year": "Int64", "boolean": "boolean", "string": "string"}


def frames(kg: KnowledgeGraph | None = None) -> dict[str, pandas.DataFrame]:
    """Every table as a pandas DataFrame: integer and year columns as nullable integers (Int64), booleans as the
    nullable boolean type, dates as datetime64, text as strings; blanks are missing values (<NA>, NaT)."""
    try:
        import pandas
    except ImportError:
        raise IscmError("iscm_kg.tables() needs pandas: pip install 'iscm-kg[pandas]'") from None
    if kg is None:
        from iscm_kg import graph

        kg = graph.load()
    out: dict[str, pandas.DataFrame] = {}
    for name, rows in read_all(kg).items():
        columns = rows.table.columns
        data: dict[str, Sequence[Cell]] = {c.name: [row[i] for row in rows.rows] for i, c in enumerate(columns)}
        frame = pandas.DataFrame(data, columns=[c.name for c in columns])
        for column in columns:
            if column.type == "date":
                frame[column.name] = pandas.to_datetime(frame[column.name], format="%Y-%m-%d")
            else:
                frame[column.name] = frame[column.name].astype(PANDAS_TYPES[column.type])  # type: ignore[call-overload]
        out[name] = frame
    return out
