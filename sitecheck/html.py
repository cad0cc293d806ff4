"""Every generated page is valid HTML, according to the Nu Html Checker (vnu.jar)."""

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from sitecheck import Failure

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


# Up to this many pages the checker runs on the client compiler alone: such a run is over
# before the optimising compiler pays for itself (22.9 -> 10.1 CPU-s on the sample site's
# 488 pages); a whole archive's run of minutes gets both (not measured). The JIT level cannot change what
# the validator reports.
CLIENT_COMPILER_PAGES = 2000


def jvm_options(output):
    pages = sum(1 for _ in zip(range(CLIENT_COMPILER_PAGES + 1), Path(output).rglob("*.html")))
    fast_start = ["-XX:TieredStopAtLevel=1"] if pages <= CLIENT_COMPILER_PAGES else []
    return [*fast_start, "-XX:+UseSerialGC"]


def check(output, **_):
    output = output.resolve()
    if not VNU_JAR.exists():
        return [Failure("-", "html", f"{VNU_JAR} is missing: run `npm ci --ignore-scripts`")]
    result = subprocess.run(
        ["java", "-Xss4m", *jvm_options(output), "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html",
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
