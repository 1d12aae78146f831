"""A trusted station with a fault signing a manifest whose fields are not of the shape
nhao writes: refused in one sentence naming the bundle and the field, nothing written.
Before, each of these stopped the import with an error out of the checks (the other
files given with it not taken either), and a span numbered with a boolean was named
"số True–9" in the reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from nhao.sync import minisign

from .conftest import Tree
from .test_adversarial import members, refused, rezip
from .test_faulty_station import FaultyStation, _templates
from .test_numbers_in_a_bundle import _signed


def _set(**values: object) -> Callable[[dict], None]:
    return lambda manifest: manifest.update(values)


def _span(**values: object) -> Callable[[dict], None]:
    def edit(manifest: dict) -> None:
        for span in manifest["origins"].values():
            span.update(values)

    return edit


def _without_unit(manifest: dict) -> None:
    for span in manifest["origins"].values():
        del span["unit"]


def _span_as_list(manifest: dict) -> None:
    for station in manifest["origins"]:
        manifest["origins"][station] = [1, 1]


def _members_as_list(manifest: dict) -> None:
    manifest["members"] = list(manifest["members"])


def _member_as_text(manifest: dict) -> None:
    for member in manifest["members"]:
        manifest["members"][member] = "?"


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (_set(origins="tất cả"), "origins"),
        (_span(**{"from": "1"}), "origins"),
        (_span(to="9"), "origins"),
        (_span(**{"from": True}), "origins"),
        (_span(unit=42), "origins"),
        (_without_unit, "origins"),
        (_span_as_list, "origins"),
        (_set(producer="Thôn Nà Pàn"), "producer"),
        (_set(format_version="1"), "format_version"),
        (_set(recipient=6112), "recipient"),
        (_set(rotations="không"), "rotations"),
    ],
)
def test_a_manifest_not_of_the_shape_nhao_writes_is_refused(
    tree: Tree, tmp_path: Path, edit: Callable[[dict], None], field: str
) -> None:
    faulty = FaultyStation(tree.a, tree.commune, _templates(tree), tmp_path)
    lines = faulty.entries([], "household")
    refused(tree.commune, _signed(faulty, lines, [1], 1, edit), f"({field})", "không có gì")


@pytest.mark.parametrize(
    ("edit", "field"),
    [(_members_as_list, "members"), (_member_as_text, "members"), (_set(sealed="có"), "sealed")],
)
def test_a_list_of_members_not_of_the_shape_nhao_writes_is_refused(
    tree: Tree, tmp_path: Path, edit: Callable[[dict], None], field: str
) -> None:
    """The members and the sealing are written with the signature: edited, then
    signed again."""
    faulty = FaultyStation(tree.a, tree.commune, _templates(tree), tmp_path)
    sent = _signed(faulty, faulty.entries([], "household"), [1], 1)
    items = members(sent)
    manifest = json.loads(items["manifest.json"])
    edit(manifest)
    items["manifest.json"] = json.dumps(manifest).encode()
    key = faulty.signer
    items["manifest.sig"] = minisign.sign(
        key.ed, bytes.fromhex(key.key_id), items["manifest.json"], "x"
    ).encode()
    bad = rezip(sent, list(items.items()), tmp_path / "danh-sach.nhao")
    refused(tree.commune, bad, f"({field})", "không có gì")


def _renamed(station: str, lines: list[dict]) -> Callable[[dict], None]:
    """The changes and the manifest under another station id, numbered from 1: a
    station the commune has seen nothing of."""

    def edit(manifest: dict) -> None:
        (span,) = manifest["origins"].values()
        manifest["origins"] = {station: {**span, "from": 1, "to": len(lines)}}
        for number, line in enumerate(lines, 1):
            line["seq"] = number

    return edit


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("station", "tram-thon-na-pan-" + "0" * 30, "(origins); không có gì được ghi"),
        ("station", "01A20481-0EFF-7D4E-8E1B-C74FB97DDA34", "(origins)"),
        ("epoch", 2**31, "dòng thay đổi sai định dạng"),  # past PostgreSQL's integer
        ("epoch", -1, "dòng thay đổi sai định dạng"),
    ],
)
def test_numbers_and_ids_of_the_changes_nhao_never_writes_are_refused(
    tree: Tree, tmp_path: Path, key: str, value: object, words: str
) -> None:
    """Stored in the change log as they came: SQLite kept them, PostgreSQL stopped the
    import with an error; the same bundle is refused alike on both."""
    faulty = FaultyStation(tree.a, tree.commune, _templates(tree), tmp_path)
    lines = faulty.entries([], "household")
    for line in lines:
        line[key] = value
    edit = _renamed(str(value), lines) if key == "station" else None
    refused(tree.commune, _signed(faulty, lines, [1], 1, edit), words)
