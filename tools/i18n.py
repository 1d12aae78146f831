"""Translations of the window: `update` collects tr() strings into the .ts files,
`compile` turns them into the .qm files nhao loads (run by make).

    python tools/i18n.py update     # after changing window strings; then translate
    python tools/i18n.py compile
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "src" / "nhao" / "ui", ROOT / "src" / "nhao" / "app.py"]
TRANSLATIONS = ROOT / "src" / "nhao" / "resources" / "translations"
LANGUAGES = ("vi",)


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    return found


def ts_file(language: str) -> Path:
    return TRANSLATIONS / f"nhao_{language}.ts"


def update(target: Path | None = None, language: str = "vi") -> None:
    """Merge the current source strings into a .ts file (existing translations kept)."""
    ts = target or ts_file(language)
    subprocess.run(
        [tool("pyside6-lupdate"), "-extensions", "py", "-locations", "none", "-no-obsolete",
         *map(str, SOURCES), "-ts", str(ts)],
        check=True,
        capture_output=True,
    )


def compile_all() -> None:
    for language in LANGUAGES:
        ts = ts_file(language)
        subprocess.run(
            [tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))],
            check=True,
            capture_output=True,
        )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        for lang in LANGUAGES:
            update(language=lang)
    elif command == "compile":
        compile_all()
    else:
        raise SystemExit(__doc__)


def merge(into: Path, source: Path) -> int:
    """Copy finished translations from another .ts file (same context and source
    text) into `into`; returns how many were filled."""
    import xml.etree.ElementTree as ET

    def finished(message: ET.Element) -> ET.Element | None:
        translation = message.find("translation")
        if translation is None or translation.get("type") in {"unfinished", "vanished", "obsolete"}:
            return None
        if not (translation.text or translation.findall("numerusform")):
            return None
        return translation

    known: dict[tuple[str, str], ET.Element] = {}
    for context in ET.parse(source).getroot().iter("context"):
        for message in context.iter("message"):
            done = finished(message)
            if done is not None:
                known[(context.findtext("name") or "", message.findtext("source") or "")] = done
    tree = ET.parse(into)
    filled = 0
    for context in tree.getroot().iter("context"):
        for message in context.iter("message"):
            key = (context.findtext("name") or "", message.findtext("source") or "")
            if key in known and finished(message) is None:
                old = message.find("translation")
                if old is not None:
                    message.remove(old)
                message.append(known[key])
                filled += 1
    tree.write(into, encoding="utf-8", xml_declaration=True)
    return filled
