"""The 14 everyday questions of issue 15, each answered by one command whose output a program can load.

The issue names the seven that were not one command (States in no RCP; when Turkey chaired the Budapest Process;
mechanisms covering both Asia and Europe; everything about the Bali Process; one mechanism as JSON-LD; a CSV of
all participations; how many member States a mechanism has when no list was read). It does not list the seven that
already were; they are taken here from the README's headline examples and the questions of the canned queries.
Each test runs the CLI in-process (`main(argv)`), loads the answer as CSV or JSON-LD, and checks it against facts
read from the data files themselves (parsed here with rdflib, not through the knowledge graph).
"""

from __future__ import annotations

import contextlib
import csv
import io

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from iscm_kg.cli import main

from .conftest import ROOT

ID = "https://w3id.org/iscm-kg/id/"
ISCM = "https://w3id.org/iscm-kg/ontology#"
ORG = "http://www.w3.org/ns/org#"
MEMBER_ROLES = {URIRef(ID + "role/member"), URIRef(ID + "role/founding-member")}
DATA = ROOT / "data"


def run(*argv: str) -> str:
    """One command, as typed, run in-process; it must succeed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    assert code == 0, argv
    return out.getvalue()


def rows(*argv: str) -> list[dict[str, str]]:
    """The command's answer loaded as a program would: CSV with a header."""
    return list(csv.DictReader(io.StringIO(run(*argv, "--format", "csv"))))


def mechanism_file(acronym: str) -> Graph:
    return Graph().parse(DATA / "mechanisms" / f"{acronym}.ttl")


def members_in_file(acronym: str) -> set[str]:
    """States in the role member or founding member, as the mechanism's own file records them."""
    g = mechanism_file(acronym)
    return {str(g.value(p, URIRef(ORG + "member"))) for p in g.subjects(RDF.type, URIRef(ISCM + "Participation"))
            if g.value(p, URIRef(ORG + "role")) in MEMBER_ROLES
            and str(g.value(p, URIRef(ORG + "member"))).startswith(ID + "state/")}


def test_q01_which_states_take_part_in_no_rcp() -> None:
    answer = {r["iso3"] for r in rows("query", "states-not-in-type", "--param", "type=RCP")}
    states_ttl = (DATA / "states.ttl").read_text(encoding="utf-8")
    assert "state:ISL" in states_ttl
    mentioned = {p.stem for p in (DATA / "mechanisms").glob("*.ttl") if "state:ISL " in p.read_text(encoding="utf-8")}
    assert not mentioned  # Iceland: a State no mechanism file names
    assert "ISL" in answer
    assert "AND" in answer  # Andorra: member and chair of FIBEMYD only (FIBEMYD.ttl: an IRF)
    assert "KEN" not in answer  # Kenya: member of NAIROBI (NAIROBI.ttl: an RCP)
    rcm = {s.rsplit("/", 1)[-1] for s in members_in_file("RCM")}  # RCM.ttl: an RCP
    assert rcm and not rcm & answer


def test_q02_when_did_turkey_chair_the_budapest_process() -> None:
    answer = rows("query", "mechanisms-of-state", "--param", "state=Turkey")  # "Turkey" finds Türkiye
    chair = [r for r in answer if r["id"] == "BUDAPEST" and r["role"] == ID + "role/chair"]
    # BUDAPEST.ttl: part:BUDAPEST-TUR-chair, iscm:startYear 2006 ("took over the Chairmanship ... in January 2006").
    assert [r["start"] for r in chair] == ["2006"]
    assert chair[0]["mechanism_label"] == "Budapest Process" and chair[0]["role_label"] == "chair"


def test_q03_which_mechanisms_cover_both_asia_and_europe() -> None:
    answer = {r["id"] for r in rows("query", "mechanisms-spanning-regions", "--param", "region=Asia",
                                    "--param", "region=Europe")}
    wanted = {URIRef(ID + "region/asia"), URIRef(ID + "region/europe")}
    region = URIRef(ISCM + "region")
    both = {path.stem for path in (DATA / "mechanisms").glob("*.ttl")
            if wanted <= set(Graph().parse(path).objects(URIRef(ID + "mechanism/" + path.stem), region))}
    assert both and both <= answer  # every file that names Asia and Europe (BALI, BUDAPEST, IGC, ...)
    assert "PRAGUE" in answer  # PRAGUE.ttl: Europe and Central Asia, a sub-region of Asia
    assert not {"COLOMBO", "RABAT", "EU-CAUCASUS"} & answer  # Asia only; Africa and Europe; Europe only


def test_q04_everything_about_the_bali_process() -> None:
    [profile] = rows("query", "mechanism-profile", "--param", "mechanism=Bali Process")
    # BALI.ttl: an IRF (claim), active, founded 2002, 45 members stated (the preferred claim), IOM its secretariat.
    assert profile["mechanism"] == ID + "mechanism/BALI"
    assert profile["type"] == ISCM + "IRF" and profile["status_label"] == "active" and profile["founded"] == "2002"
    assert profile["statedMembers"] == "45"
    assert int(profile["memberStates"]) == len(members_in_file("BALI"))
    assert {"Asia", "Europe"} <= set(profile["regions"].split(", "))
    assert "secretariat" in profile["iomRoles"].split(", ")


def test_q05_one_mechanism_as_json_ld() -> None:
    doc = Graph().parse(data=run("export", "--mechanism", "BALI", "--format", "jsonld"), format="json-ld")
    bali = URIRef(ID + "mechanism/BALI")
    shipped = mechanism_file("BALI")
    participations = set(shipped.subjects(URIRef(ORG + "organization"), bali))
    assert participations and participations <= set(doc.subjects(URIRef(ORG + "organization"), bali))
    assert (URIRef(ID + "participation/BALI-IOM-secretariat"), URIRef(ORG + "role"),
            URIRef(ID + "role/secretariat")) in doc
    others = {o for o in doc.objects(None, URIRef(ORG + "organization")) if o != bali}
    assert not others  # the one mechanism, not the whole graph


def test_q06_a_csv_of_all_participations() -> None:
    table = rows("query", "participations")
    assert {"mechanism", "mechanism_label", "participant", "participant_label", "role", "role_label", "start", "end",
            "sources"} <= set(table[0])
    shipped = Graph()
    for path in DATA.rglob("*.ttl"):
        shipped.parse(path)
    participations = set(shipped.subjects(RDF.type, URIRef(ISCM + "Participation")))
    assert len(table) == len(participations)  # one row per participation
    # NAIROBI.ttl: part:NAIROBI-KEN-chair, Kenya chaired from 2020 to 2022.
    kenya = [r for r in table if r["id"] == "NAIROBI" and r["participant"] == ID + "state/KEN"
             and r["role"] == ID + "role/chair"]
    assert [(r["participant_label"], r["start"], r["end"]) for r in kenya] == [("Kenya", "2020", "2022")]


def test_q07_how_many_member_states_has_the_budapest_process() -> None:
    budapest = next(r for r in rows("query", "mechanisms") if r["id"] == "BUDAPEST")
    # BUDAPEST.ttl: the member States recorded beside the count its preferred claim states, and a note on why
    # they differ (the list is marked incomplete).
    g = mechanism_file("BUDAPEST")
    preferred = [g.value(c, RDF.value)
                 for c in g.subjects(URIRef(ISCM + "claimProperty"), URIRef(ISCM + "statedMemberCount"))
                 if (c, URIRef(ISCM + "preferred"), Literal(True)) in g]
    assert len(preferred) == 1
    assert budapest["memberStates"] == str(len(members_in_file("BUDAPEST")))
    assert budapest["statedMembers"] == str(preferred[0])
    assert budapest["memberStates"] != budapest["statedMembers"] and budapest["memberCountNote"]
    # MANILA.ttl records no member at all: its count is unknown, not zero, and the reason stands beside it.
    manila = next(r for r in rows("query", "mechanisms") if r["id"] == "MANILA")
    assert not members_in_file("MANILA")
    assert manila["memberStates"] == ""
    assert manila["memberCountNote"].startswith("no member list read")


def test_q08_where_is_iom_the_secretariat() -> None:
    answer = {(r["id"], r["role"].rsplit("/", 1)[-1]) for r in rows("query", "iom-secretariat")}
    # BALI.ttl, RIAM.ttl, IGC.ttl and GFMD.ttl: IOM's secretariat participations.
    assert {("BALI", "secretariat"), ("RIAM", "technical-secretariat"), ("IGC", "secretariat-host"),
            ("GFMD", "secretariat-host")} <= answer
    assert not any(role in ("member", "observer", "partner") for _, role in answer)


def test_q09_which_mechanisms_does_kenya_take_part_in() -> None:
    answer = {(r["id"], r["role_label"], r["start"]) for r in rows("query", "mechanisms-of-state",
                                                                     "--param", "state=Kenya")}
    assert ("NAIROBI", "chair", "2020") in answer  # NAIROBI.ttl
    kenya_files = {p.stem for p in (DATA / "mechanisms").glob("*.ttl")
                   if "org:member state:KEN " in p.read_text(encoding="utf-8")}
    assert kenya_files and {m for m, _, _ in answer} == kenya_files


def test_q10_who_are_the_members_of_the_rcm() -> None:
    answer = rows("query", "members-of", "--param", "mechanism=Regional Conference on Migration")
    states = {r["participant"] for r in answer if r["kind"] == ISCM + "State" and URIRef(r["role"]) in MEMBER_ROLES}
    assert states == members_in_file("RCM")
    observers = {r["participant_label"] for r in answer if r["role_label"] == "observer"}
    assert "Argentina" in observers  # RCM.ttl: an observer State, listed with its role


def test_q11_which_mechanisms_are_in_africa() -> None:
    answer = {r["id"] for r in rows("query", "mechanisms-in-region", "--param", "region=Africa")}
    # RABAT.ttl names Africa; MIDWA.ttl West Africa, a sub-region; COLOMBO.ttl Asia only.
    assert {"RABAT", "MIDWA", "NAIROBI"} <= answer
    assert "COLOMBO" not in answer


def test_q12_which_states_belong_to_both_the_add_and_the_colombo_process() -> None:
    answer = {r["state"] for r in rows("query", "membership-overlap", "--param", "first=Abu Dhabi Dialogue",
                                       "--param", "second=Colombo Process")}
    assert answer == members_in_file("ADD") & members_in_file("COLOMBO")
    assert answer


def test_q13_which_mechanisms_are_dormant() -> None:
    answer = {r["id"] for r in rows("query", "mechanisms-by-status", "--param", "status=dormant")}
    assert "MTM" in answer  # MTM.ttl: status claim dormant
    assert "BALI" not in answer  # BALI.ttl: status claim active


def test_q14_where_do_sources_disagree() -> None:
    answer = rows("query", "source-disagreements")
    igc = {r["value"]: r["preferred"] for r in answer
           if r["id"] == "IGC" and r["property"] == ISCM + "foundingYear"}
    claimed = {str(v) for c in mechanism_file("IGC").subjects(URIRef(ISCM + "claimProperty"),
                                                                URIRef(ISCM + "foundingYear"))
               for v in mechanism_file("IGC").objects(c, RDF.value)}
    assert claimed == {"1985", "1986"}  # IGC.ttl: two founding years claimed
    assert set(igc) == claimed
    bali = {r["value"] for r in answer if r["id"] == "BALI" and r["property"] == ISCM + "statedMemberCount"}
    assert {"45", "48"} <= bali  # BALI.ttl: 45 (preferred) against a news report's 48
