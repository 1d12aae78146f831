"""requirements.lock pins every package that `pip install -r requirements.lock` brings,
on Windows too, where some packages need one more (the developers test on Linux)."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = Path(__file__).parents[1] / "requirements.lock"

# 64-bit Windows 10/11 with the oldest and the newest Python nhao supports.
WINDOWS = [
    {
        "sys_platform": "win32",
        "platform_system": "Windows",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "python_version": version,
        "python_full_version": f"{version}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }
    for version in ("3.11", "3.13")
]


def pinned() -> dict[str, Requirement]:
    lines = LOCK.read_text(encoding="utf-8").splitlines()
    found = [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]
    return {canonicalize_name(r.name): r for r in found}


@pytest.mark.parametrize("env", WINDOWS, ids=lambda env: env["python_version"])
def test_the_lock_pins_what_windows_installs(env: dict[str, str]) -> None:
    lock = pinned()
    assert all(str(r.specifier).startswith("==") for r in lock.values())
    missing = set()
    # A package pinned for Windows alone is not installed here: its own needs go unread.
    wanted = ["nhao"] + [n for n, r in lock.items() if not r.marker or r.marker.evaluate()]
    for name in wanted:
        for text in metadata.distribution(name).requires or []:
            needed = Requirement(text)
            extras = ("test",) if name == "nhao" else ("",)
            if needed.marker and not any(
                needed.marker.evaluate({**env, "extra": extra}) for extra in extras
            ):
                continue
            if canonicalize_name(needed.name) not in lock:
                missing.add(f"{needed.name} (for {name})")
    assert not missing, f"not pinned in requirements.lock: {sorted(missing)}"
