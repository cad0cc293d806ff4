"""Every generated page is valid HTML, according to the Nu Html Checker (vnu.jar)."""

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from sitecheck import Failure

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def check(output, **_):
    output = output.resolve()
    if not VNU_JAR.exists():
        return [Failure("-", "html", f"{VNU_JAR} is missing: run `npm ci --ignore-scripts`")]
    result = subprocess.run(
        # C1 only and the serial collector: a run of a few hundred pages is over before the
        # optimising compiler pays for itself; this halves the checker's CPU (22.9 -> 10.1
        # CPU-s on the 488 pages of the sample site), and the JIT level cannot change what
        # the validator reports.
        ["java", "-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html",
         "--filterpattern", ".*pagefind.*", str(output)],
        capture_output=True, text=True, check=False,
    )
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        return [Failure("-", "html", f"vnu.jar failed: {(result.stderr or result.stdout)[:500]}")]
    failures = []
    for message in report.get("messages", []):
        if message.get("type") != "error":
            continue
        path = Path(unquote(urlparse(message.get("url", "")).path))
        try:
            name = path.relative_to(output).as_posix()
        except ValueError:
            name = str(path)
        if "pagefind" in Path(name).parts:
            continue
        where = f"line {message.get('lastLine', '?')}: " if message.get("lastLine") else ""
        failures.append(Failure(name, "html", where + message.get("message", "")))
    return failures
