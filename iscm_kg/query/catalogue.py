"""The canned queries: each queries/NAME.rq file with its comment header (title, question, parameters)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from iscm_kg import resources
from iscm_kg.errors import IscmError
from iscm_kg.query.nearest import did_you_mean

PARAM_TYPES = (
    "mechanism", "state", "organisation", "participant", "theme", "region", "status", "role",
    "mechanism-type", "integer", "year-range", "string",
)


@dataclass(frozen=True)
class Parameter:
    """One '# param:' line. A type written with a trailing '+' ('region+') takes one or more values
    (--param region=asia --param region=europe): bound as one VALUES row per value, with ?NAME_count bound to
    how many were given, so that a query can ask for all of them by GROUP BY ... HAVING. A 'year-range'
    parameter NAME takes a year (2015) or a range FROM..TO (2010..2015; either end may be left open: 2010..,
    ..2015, ..) and binds ?NAME_from and ?NAME_to, both inclusive (an open end binds OPEN_START or OPEN_END)."""

    name: str
    type: str
    default: str | None
    example: str
    description: str
    multiple: bool = False


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    title: str
    question: str
    description: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    lists: tuple[str, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        """The query without its comment header: some endpoints' clients misread header prose as SPARQL."""
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return "\n".join(line for line in lines if not line.startswith("#")) + "\n"


HEADER_LINE = re.compile(r"^#\s*(\w+):\s*(.*)$")


def parse_header(path: Path) -> CannedQuery:
    """Read the '# key: value' lines at the top of a query file."""
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = HEADER_LINE.match(line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "param":
            parts = [p.strip() for p in value.split("|")]
            multiple = len(parts) == 5 and parts[1].endswith("+")
            if multiple:
                parts[1] = parts[1][:-1]
            if len(parts) != 5 or parts[1] not in PARAM_TYPES or (multiple and parts[1] == "year-range"):
                raise IscmError(
                    f"{path}:{number}: a parameter line reads 'name | type | default | example | description' "
                    f"with a type among {', '.join(PARAM_TYPES)} (TYPE+ for one or more values)"
                )
            name, ptype, default, example, description = parts
            params.append(Parameter(name, ptype, default or None, example, description, multiple))
        else:
            fields[key] = value
    for required in ("title", "question"):
        if required not in fields:
            raise IscmError(f"{path}: the header has no '# {required}:' line")
    return CannedQuery(
        name=path.stem,
        path=path,
        title=fields["title"],
        question=fields["question"],
        description=fields.get("description", ""),
        parameters=tuple(params),
        lists=tuple(c.strip() for c in fields.get("lists", "").split(",") if c.strip()),
    )


def all_queries() -> list[CannedQuery]:
    return [parse_header(path) for path in resources.query_files()]


def get(name: str) -> CannedQuery:
    path = resources.resource_root() / "queries" / f"{name}.rq"
    if not path.is_file():
        near = did_you_mean(name, [p.stem for p in resources.query_files()])
        hint = f"did you mean: {', '.join(near)}?" if near else "see 'iscm-kg queries' for the list"
        raise IscmError(f"unknown query '{name}'; {hint}")
    return parse_header(path)
