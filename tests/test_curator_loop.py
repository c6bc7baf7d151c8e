"""The curator's loop: `validate FILE` validates the file with the shipped data (replacing the shipped file of the
same name), so a copy of a shipped file reports nothing new; `--alone` keeps the old behaviour; findings name
file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iscm_kg import resources, validate

from .conftest import cli


def summary(report: validate.ValidationReport) -> set[tuple[str, str, str]]:
    return {(f.severity, str(f.focus), f.message) for f in report.findings}


@pytest.mark.parametrize("name", ["RABAT.ttl", "ALMATY.ttl", "KHARTOUM.ttl"])
def test_copy_of_a_shipped_file_reports_nothing_new(name: str, tmp_path: Path) -> None:
    copy = tmp_path / name
    shutil.copy(resources.resource_root() / "data" / "mechanisms" / name, copy)
    _, shipped = validate.validate_files(engine="oxigraph")
    kg, with_copy = validate.validate_files([copy], engine="oxigraph")
    assert copy in kg.files and resources.resource_root() / "data" / "mechanisms" / name not in kg.files
    assert summary(with_copy) == summary(shipped)
    assert with_copy.conforms


def test_alone_validates_the_file_without_the_shipped_data(tmp_path: Path) -> None:
    copy = tmp_path / "RABAT.ttl"
    shutil.copy(resources.resource_root() / "data" / "mechanisms" / "RABAT.ttl", copy)
    _, alone = validate.validate_files([copy], engine="oxigraph", alone=True)
    assert not alone.conforms  # the States and organisations it names are not defined in the file alone


def test_an_added_file_is_checked_with_the_shipped_data(tmp_path: Path) -> None:
    # A participation of the shipped orgs:IOM in a shipped mechanism, in a new file: no false alarm about IOM.
    new = tmp_path / "extra.ttl"
    new.write_text(
        "@prefix iscm: <https://w3id.org/iscm-kg/ontology#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix part: <https://w3id.org/iscm-kg/id/participation/> .\n"
        "\n"
        "part:RCM-IOM-secretariat-support a iscm:Participation ;\n"
        "    org:member <https://w3id.org/iscm-kg/id/organisation/IOM> ;\n"
        "    org:organization <https://w3id.org/iscm-kg/id/mechanism/RCM> ;\n"
        "    org:role <https://w3id.org/iscm-kg/id/role/secretariat-support> ;\n"
        "    dcterms:source <https://www.iom.int/puebla-process> .\n"
        "part:RCM-IOM-chair-x a iscm:Participation ;\n"
        "    org:member <https://w3id.org/iscm-kg/id/organisation/IOM> ;\n"
        "    org:organization <https://w3id.org/iscm-kg/id/mechanism/RCM> ;\n"
        "    org:role <https://w3id.org/iscm-kg/id/role/observer> ;\n"
        "    dcterms:source <https://www.iom.int/puebla-process> .\n",
        encoding="utf-8")
    _, report = validate.validate_files([new], engine="oxigraph")
    mine = [f for f in report.findings if f.file == new]
    # Only the IRI that names another role than it states is reported, on the line where it starts.
    assert {(str(f.focus).rsplit("/", 1)[-1], f.line) for f in mine} == {("RCM-IOM-chair-x", 11)}
    result = cli("validate", str(new))
    assert result.returncode == 1
    assert f"{new}:11: part:RCM-IOM-chair-x" in result.stdout
