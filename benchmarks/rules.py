"""The derivation rules as shipped, and one equivalent rewrite that the benchmarks measure beside them.

ontology/rules/10-preferred-claims.rq asks, for every claim, whether NOT EXISTS another claim on the same
mechanism and property with another value. Oxigraph evaluates that EXISTS once per claim by scanning the
claims, so the rule is quadratic in the number of claims (33 ms at 10k triples, 4.2 s at 100k). Counting the
distinct values per mechanism and property once, in a grouped subquery, gives the same triples (checked by
`prepare` in benchmarks/tasks.py at every size where the shipped rule finishes) in linear time. The shipped
rule has taken this form since the benchmarks found the quadratic one, so the two variants now measure the same
text; the variant stays so that a change to either shows up side by side.
"""

from __future__ import annotations

from iscm_kg import resources

SLOW_RULE = "10-preferred-claims.rq"

REWRITTEN_PREFERRED_CLAIMS = """\
PREFIX iscm: <https://w3id.org/iscm-kg/ontology#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
CONSTRUCT { ?subject ?property ?value }
WHERE {
  ?claim a iscm:Claim ; iscm:claimSubject ?subject ; iscm:claimProperty ?property ; rdf:value ?value .
  OPTIONAL { ?claim iscm:preferred ?preferred }
  { SELECT ?subject ?property (COUNT(DISTINCT ?v) AS ?values)
    WHERE { ?c a iscm:Claim ; iscm:claimSubject ?subject ; iscm:claimProperty ?property ; rdf:value ?v }
    GROUP BY ?subject ?property }
  FILTER (COALESCE(?preferred = true, false) || ?values = 1)
}
"""


def rule_texts(rewritten: bool = False) -> list[str]:
    """The rule texts in the order the toolkit applies them; with rewritten, rule 10 is the grouped form."""
    texts = []
    for path in resources.rule_files():
        if rewritten and path.name == SLOW_RULE:
            texts.append(REWRITTEN_PREFERRED_CLAIMS)
        else:
            texts.append(path.read_text(encoding="utf-8"))
    return texts
