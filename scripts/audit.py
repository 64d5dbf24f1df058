"""`make audit`: known vulnerabilities in the installed dependencies (catalogue I10).

Runs pip-audit (PyPI's vulnerability data) on the virtualenv, without the editable Leitwerk
package itself, and fails on any known vulnerability. pip-audit's `--strict` would also fail
on every package it could not look up; here that is reported with a count instead, because a
package index mirror without vulnerability data makes every package "not found":

- at least one vulnerability: exit 1, with package, version, advisory and fixed versions;
- vulnerability data missing for some packages: exit 1 (as --strict), naming them;
- missing for *all* packages (the index has no vulnerability data at all): exit 2, unless
  LEITWERK_AUDIT_ALLOW_UNAVAILABLE=1, then a loud warning and exit 0 (CI on a mirror).
"""

from __future__ import annotations

import json
import os
import subprocess  # noqa: S404
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def say(text: str, *, error: bool = False) -> None:
    (sys.stderr if error else sys.stdout).write(text + "\n")


def main() -> int:
    done = subprocess.run(  # noqa: S603 - fixed command
        [
            str(BIN / "pip-audit"),
            "--skip-editable",
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except ValueError:
        sys.stderr.write(f"pip-audit lieferte keinen Bericht:\n{done.stderr}\n")
        return 2
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    skipped = [d for d in dependencies if "skip_reason" in d and d["name"] != "leitwerk"]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "keine"
            say(
                f"VERWUNDBAR {dependency['name']} {dependency['version']}: {vuln['id']} "
                f"(behoben in: {fixed})"
            )
    say(f"{len(audited)} Pakete geprüft, {len(skipped)} ohne Schwachstellendaten.")
    if vulnerable:
        return 1
    if skipped and not audited:
        say(
            "WARNUNG: Der Paketindex liefert keine Schwachstellendaten (pip-audit fand keines "
            "der Pakete) – es wurde nichts geprüft. Bitte mit Zugang zu pypi.org wiederholen.",
            error=True,
        )
        return 0 if os.environ.get("LEITWERK_AUDIT_ALLOW_UNAVAILABLE") == "1" else 2
    if skipped:
        names = ", ".join(sorted(d["name"] for d in skipped))
        say(f"Nicht prüfbar: {names}", error=True)
        return 1
    say("Keine bekannten Schwachstellen.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
