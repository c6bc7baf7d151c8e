"""Apache Jena's SHACL from Debian's libapache-jena-java, as a reference validator for the benchmarks.

The package ships jars only. The classpath is Jena's jars plus those of the package's Debian dependencies
(`apt-cache depends`, then `dpkg -L`), without the logging bindings that conflict; and Debian relocated Jena's
bundled Xerces classes to `xerces.*` but left their `.properties` resources under `org/apache/jena/ext/xerces/`,
so every command dies in `XSSimpleTypeDecl.applyFacets1` until a copy of those resources is put on the
classpath under `xerces/impl/` (/work/shared/notes/independent-engines.md). Install: `apt-get install
libapache-jena-java` (as root).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

JAVA_DIR = Path("/usr/share/java")
PACKAGE = "libapache-jena-java"
LOGGING = re.compile(r"log4j|slf4j-(log4j|jdk|simple|nop|reload|jcl|migrator)|jcl-over|jul-to")
VERSIONED = re.compile(r"-\d[\d.]*\.jar$")  # the versioned twin of an unversioned symlink


def available() -> bool:
    return (JAVA_DIR / "jena-shacl.jar").is_file() and shutil.which("java") is not None and \
        shutil.which("dpkg") is not None


def classpath(workdir: Path) -> str:
    """The classpath of Jena's command-line tools, with the Xerces resources fixed up in workdir."""
    depends = subprocess.run(["apt-cache", "depends", PACKAGE], capture_output=True, text=True, check=True).stdout
    jars: list[str] = sorted(str(p) for p in JAVA_DIR.glob("jena-*.jar") if not VERSIONED.search(p.name))
    for package in re.findall(r"^\s*Depends:\s*(\S+)", depends, re.MULTILINE):
        listed = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout.split()
        for path in listed:
            if path.startswith(f"{JAVA_DIR}/") and path.endswith(".jar") and not VERSIONED.search(path) \
                    and not LOGGING.search(path) and path not in jars:
                jars.append(path)
    fix = workdir / "jena-xerces-fix"
    if not (fix / "xerces" / "impl").is_dir():
        prefix = "org/apache/jena/ext/xerces/impl/"
        with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
            for name in jar.namelist():
                if name.startswith(prefix) and not name.endswith("/") and not name.endswith(".class"):
                    target = fix / "xerces" / "impl" / name[len(prefix):]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(jar.read(name))
    return ":".join([*jars, str(fix)])


def shacl_command(workdir: Path, shapes: Path, data: Path) -> list[str]:
    """`shacl validate` as a java command line; the report (Turtle) goes to standard output."""
    return ["java", "-cp", classpath(workdir), "shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(data)]
