"""What updating a household changes, said as a person reads it.

A clerk who re-imports the corrected register, choosing "update the existing
household", approves the preview before anything is written; "will update" alone
does not let them see that a row would also overwrite a phone number or a citizen ID
with an older one. Each change names the register's column and both values.
"""

from __future__ import annotations

from collections.abc import Mapping

from nhao.domain.citizen_id import mask_citizen_id
from nhao.domain.enums import Category, Sex
from nhao.imports.headers import FIELD_LABELS
from nhao.imports.values import shown
from nhao.services.households import CATEGORY_COLUMNS, HouseholdInput, household_columns

EMPTY = "(trống)"
# The register's order, so a long list reads like the row it came from.
_FIELDS = (
    ("household_code", "household_code"),
    ("head_name", "head_name"),
    ("birth_year", "birth_year"),
    ("sex", "sex"),
    ("ethnicity", "ethnicity"),
    ("citizen_id", "citizen_id"),
    ("phone", "phone"),
    ("hamlet", "unit_code"),
    ("address", "address"),
    ("poverty_list_year", "poverty_list_year"),
    ("members", "members"),
    ("lawful_land_use", "lawful_land_use"),
    ("land_certificate", "land_certificate"),
    ("land_dispute", "land_dispute"),
    ("hazard_zone", "hazard_zone"),
    ("certified_able_to_build", "certified_able_to_build"),
    ("notes", "notes"),
)


def household_changes(
    before: HouseholdInput, after: HouseholdInput, hamlet_names: Mapping[str, str]
) -> list[str]:
    """One phrase per register column whose stored value would change, in the
    register's order: 'Số nhân khẩu 4 → 5'. Compared as stored (NFC, ID digits only),
    so a value written differently but stored alike is no change."""
    old, new = household_columns(before), household_columns(after)
    phrases = []
    for name, column in _FIELDS:
        # The register puts the categories just before the poverty list's year.
        if name == "poverty_list_year" and any(old[c] != new[c] for c in CATEGORY_COLUMNS.values()):
            phrases.append(
                f"{FIELD_LABELS['categories']} {_categories(before)} → {_categories(after)}"
            )
        if old[column] != new[column]:
            was = _shown(column, old[column], hamlet_names)
            now = _shown(column, new[column], hamlet_names)
            phrases.append(f"{FIELD_LABELS[name]} {was} → {now}")
    return phrases


def _categories(data: HouseholdInput) -> str:
    chosen = [c.label_vi for c in Category if c in data.categories]
    return "“" + "; ".join(chosen) + "”" if chosen else EMPTY  # as the register writes them


def _shown(column: str, value: object, hamlet_names: Mapping[str, str]) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if column == "citizen_id":  # the report is passed around; the file has the number
        return mask_citizen_id(text)
    if column == "sex":
        return Sex(text).label_vi
    if column == "unit_code":
        # A hamlet the import is about to create has no code yet: "…:its name".
        text = hamlet_names.get(text) or text.split(":", 1)[-1]
    return f"“{shown(text)}”"
