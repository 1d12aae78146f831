"""Messages under form fields: errors in red, warnings in amber, each under the
field it is about, shown once the person has touched that field."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

ERROR_COLOUR = "#b00020"
WARNING_COLOUR = "#8a5300"  # amber dark enough to read on a light background


class FieldMessages:
    """The message labels of one form, keyed by the services' field names."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}
        self._shown: dict[QLabel, list[str]] = {}
        # Nothing shows in red before a person has touched a field (a new form is blank).
        self._touched: set[str] = set()
        self._refused: dict[str, str] = {}  # what the service said when saving

    # ---- Building -------------------------------------------------------------------

    def under(self, editor: QWidget | None, *fields: str, layout=None) -> QWidget:  # type: ignore[no-untyped-def]
        """A box with the editor (or a layout) and, below it, the label of ``fields``."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if editor is not None:
            column.addWidget(editor)
        if layout is not None:
            column.addLayout(layout)
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setObjectName("message")
        label.hide()
        column.addWidget(label)
        for name in fields:  # land fields share one label
            self._labels[name] = label
        return box

    def fields(self) -> set[str]:
        return set(self._labels)

    # ---- State ----------------------------------------------------------------------

    def touch(self, *fields: str) -> None:
        self._touched.update(fields)
        for name in fields:
            self._refused.pop(name, None)  # the field changed, the old refusal is moot

    def touch_all(self) -> None:
        self._touched.update(self._labels)

    def refuse(self, field: str, text: str) -> bool:
        """Put a service's refusal under its field; False when the form has no such field."""
        if field not in self._labels:
            return False
        self._refused[field] = text
        self._touched.add(field)
        return True

    def show(self, errors: dict[str, str], warnings: dict[str, str]) -> dict[str, str]:
        """Show the messages of touched fields; returns every error, refusals included."""
        errors = {**errors, **self._refused}
        lines: dict[QLabel, list[tuple[str, str]]] = {m: [] for m in self._labels.values()}
        for colour, found in ((ERROR_COLOUR, errors), (WARNING_COLOUR, warnings)):
            for name, text in found.items():
                label = self._labels.get(name)
                if label is None or name not in self._touched:
                    continue
                if (colour, text) not in lines[label]:
                    lines[label].append((colour, text))
        for label, parts in lines.items():
            label.setText(
                "<br>".join(f'<span style="color:{c}">{html.escape(t)}</span>' for c, t in parts)
            )
            label.setVisible(bool(parts))
            self._shown[label] = [t for _, t in parts]
        return errors

    def text(self, field: str) -> str:
        """The plain text under a field (tests read it; so could a screen reader)."""
        return "\n".join(self._shown.get(self._labels[field], []))

    def label(self, field: str) -> QLabel:
        return self._labels[field]
