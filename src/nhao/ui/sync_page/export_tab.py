"""Export: choose the recipient, incremental or full, where to save; sign (and seal
when the recipient's key is trusted) off the GUI thread. Also reads the
acknowledgements (giấy báo nhận) that recipients send back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from nhao.services import sync, units
from nhao.services.sync import keys
from nhao.sync.bundle import BUNDLE_SUFFIX
from nhao.tasks import Cancelled
from nhao.ui.context import AppContext
from nhao.ui.sync_page.common import (
    ACK_SUFFIX,
    AskPassword,
    UnitNames,
    file_stem,
    may_exchange,
    unit_file_stem,
)
from nhao.ui.task_runner import describe_failure

RECEIPT_REFUSALS = 5  # refused changes listed in the box; the rest are counted


def suggested_bundle_name(
    unit: units.UnitView, now: datetime | None = None, *, to: str = ""
) -> str:
    """nhao-<unit name>-<code>-<yyyymmdd-hhmm>.nhao, in the laptop's own time; with
    `to` (the file stem of a recipient other than the unit above) …-cho-<to>-…: a
    commune sends up and down in the same minute, and the second file was offered the
    first one's name (written over it), or told apart from it by the minute alone."""
    at = now or datetime.now()
    middle = f"-cho-{to}" if to else ""
    return f"nhao-{unit_file_stem(unit)}{middle}-{at:%Y%m%d-%H%M}{BUNDLE_SUFFIX}"


class ExportTab(QWidget):
    sig_exported = Signal(object)  # the ExportResult

    def __init__(self, ctx: AppContext, ask_password: AskPassword, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._ask_password = ask_password
        self._folder: Path | None = None
        self._working = False  # a bundle is being written: one at a time
        self.last_result: sync.ExportResult | None = None
        self._trusted: list[keys.TrustedKeyView] = []  # read by refresh(), from the page
        self.recipient = QComboBox()
        self.recipient.setMinimumWidth(320)
        self.recipient.currentIndexChanged.connect(self._show_sealing)
        self.incremental = QRadioButton(self.tr("Only what changed since the last bundle sent"))
        self.full = QRadioButton(self.tr("Everything (a full bundle that fills any gap)"))
        self.incremental.setChecked(True)
        self.new_epoch = QCheckBox(
            self.tr("Start numbering afresh (this laptop's data was put back from a copy)")
        )
        self.new_epoch.setToolTip(
            self.tr("Only when a recipient refused a bundle because it already had changes "
                    "with the same numbers")
        )
        self.restamp = QCheckBox(
            self.tr("Stamp the time again (the clock once ran ahead; a recipient refused a bundle)")
        )
        self.restamp.setToolTip(
            self.tr("Only once the laptop's date and time are right again")
        )
        group = QButtonGroup(self)
        group.addButton(self.incremental)
        group.addButton(self.full)
        self.sealing = QLabel()
        self.sealing.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Export bundle…"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.result_label = QLabel()
        self.result_label.setObjectName("exportResult")
        self.result_label.setWordWrap(True)
        self.ack_button = QPushButton(self.tr("Read acknowledgement…"))
        self.ack_button.setToolTip(
            self.tr("Read the acknowledgement a recipient sent back, so the next bundle "
                    "starts from what it really has")
        )
        self.ack_button.clicked.connect(self.read_acknowledgements)
        self._build_layout()
        allowed = may_exchange(ctx.actor)
        for widget in (self.export_button, self.ack_button):
            widget.setEnabled(allowed)
        if not allowed:
            self.result_label.setText(self.tr("Your account may only view: it cannot export."))

    def _build_layout(self) -> None:
        box = QGroupBox(self.tr("Export a bundle"))
        form = QFormLayout(box)
        # The note in the recipient's cell: a wrapped label in a row of its own was given
        # the height of five lines at a narrow width (QFormLayout's row), three of them empty.
        recipient = QVBoxLayout()
        recipient.addWidget(self.recipient)
        recipient.addWidget(self.sealing)
        form.addRow(self.tr("Send to"), recipient)
        form.addRow(self.tr("What to put in"), self.incremental)
        form.addRow("", self.full)
        form.addRow("", self.new_epoch)
        form.addRow("", self.restamp)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        form.addRow("", self.result_label)
        acks = QGroupBox(self.tr("Acknowledgements"))
        ack_layout = QVBoxLayout(acks)
        note = QLabel(
            self.tr("When a recipient imports your bundle it can write an acknowledgement; "
                    "reading it here makes the next bundle start from what it has.")
        )
        note.setWordWrap(True)
        ack_layout.addWidget(note)
        row = QHBoxLayout()
        row.addWidget(self.ack_button)
        row.addStretch(1)
        ack_layout.addLayout(row)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(acks)
        layout.addStretch(1)

    # ---- Recipients -----------------------------------------------------------------

    def refresh(self) -> None:
        """The unit above first, then every trusted unit above or below."""
        names = UnitNames(self.ctx.db)
        current = self.recipient.currentData()
        self._trusted = [
            k for k in keys.list_trusted(self.ctx.db)
            if k.revoked_from is None and k.replaced_by is None
        ]
        choices: list[tuple[str | None, str]] = []
        parent = self.ctx.station.unit.parent_code
        if parent:
            above = self.tr("%1 — the unit above").replace("%1", names.label(parent))
            choices.append((parent, above))
        for key in sorted(self._trusted, key=lambda k: (k.role != "parent", k.unit_code)):
            if key.unit_code not in {code for code, _ in choices}:
                role = self.tr("unit above") if key.role == "parent" else self.tr("unit below")
                choices.append((key.unit_code, f"{names.label(key.unit_code)} — {role}"))
        if not choices:
            choices.append((None, self.tr("No particular recipient")))
        self.recipient.blockSignals(True)
        self.recipient.clear()
        for code, text in choices:
            self.recipient.addItem(text, code)
        index = self.recipient.findData(current) if current else 0
        self.recipient.setCurrentIndex(max(0, index))
        self.recipient.blockSignals(False)
        self._show_sealing()

    def _show_sealing(self) -> None:
        code = self.recipient.currentData()
        if code and any(k.unit_code == code for k in self._trusted):
            text = self.tr("Sealed: only the recipient's computer can read the bundle.")
        else:
            text = self.tr(
                "Not sealed: the recipient's key is not trusted on this computer, so anyone "
                "who gets the file can read it. Trust its key first (Keys tab)."
            )
        if code and any(k.unit_code == code and k.role == "child" for k in self._trusted):
            # What a bundle down carries is not everything here: say so before it is sent.
            text += "\n" + self.tr(
                "Down to a unit below go the targets set for it and the steps taken here on "
                "its support cases (review, approval, acceptance…), not households."
            )
        self.sealing.setText(text)

    # ---- Export ---------------------------------------------------------------------

    def export(self) -> None:
        if not may_exchange(self.ctx.actor) or self._working:
            return
        title = self.tr("Export bundle")
        unit, code = self.ctx.station.unit, self.recipient.currentData()
        to = file_stem(UnitNames(self.ctx.db).name(code), code) if code else ""
        suggested = suggested_bundle_name(unit, to="" if code == unit.parent_code else to)
        if self._folder is not None:
            suggested = str(self._folder / suggested)
        out = self.ctx.prompts.save_file(
            self, title, suggested, self.tr("nhao data bundle (*.nhao)")
        )
        if out is None:
            return
        if out.suffix.lower() != BUNDLE_SUFFIX:
            out = out.with_name(out.name + BUNDLE_SUFFIX)
        self._folder = out.parent
        if sender := sync.received_bundle_at(self.ctx.db, out):  # type: ignore[arg-type]
            self.ctx.prompts.error(
                self,
                title,
                self.tr(
                    "%1 is a bundle %2 sent here, perhaps not imported yet: the export would "
                    "be written over it and it would be lost. Choose another name."
                )
                .replace("%1", out.name)
                .replace("%2", sender),
            )
            return
        password = self._ask_password(title)
        if not password:
            return
        options = {
            "to": self.recipient.currentData(),
            "full": self.full.isChecked(),
            "new_epoch": self.new_epoch.isChecked(),
            "restamp": self.restamp.isChecked(),
        }
        if options["restamp"] and not self._clock_confirmed(title):
            return
        db, actor = self.ctx.db, self.ctx.actor
        signing = self.tr("Signing the bundle…")

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            progress.update(0, 0, signing)
            try:
                cancel.raise_if_cancelled()
                return sync.export_bundle(
                    db, actor, password, out, progress=progress, cancel=cancel, **options
                )
            except Cancelled:  # nothing was written; the button comes back
                return None

        # A second press before the bundle is written would write another one holding
        # nothing (the changes count as sent), over the first when the name is the
        # same: the button waits.
        self._set_working(True)
        self.ctx.runner.run(
            work,
            parent=self,
            title=self.tr("Exporting the bundle"),
            on_success=self._exported,
            on_failure=lambda error: self._failed(title, error),
        )

    def _clock_confirmed(self, title: str) -> bool:
        """Only a person can say the clock is right now: stamping again with a clock
        that is behind would date this laptop's work in the past."""
        now = datetime.now().strftime("%d/%m/%Y %H:%M")
        question = self.tr(
            "This laptop's date and time now: %1. Is that right? If it is, the changes "
            "stamped ahead of it are stamped again from now. If not, correct the clock first."
        )
        return self.ctx.prompts.confirm(self, title, question.replace("%1", now))

    def _set_working(self, working: bool) -> None:
        self._working = working
        self.export_button.setEnabled(may_exchange(self.ctx.actor) and not working)

    def _exported(self, result: sync.ExportResult | None) -> None:
        self._set_working(False)
        if result is None:  # cancelled
            return
        self.last_result = result
        self.new_epoch.setChecked(False)  # done once, after a refusal; never by habit
        self.restamp.setChecked(False)
        self.incremental.setChecked(True)  # a full bundle heals a gap once: not every time
        sealed = self.tr("sealed") if result.sealed else self.tr("not sealed")
        text = self.tr("Saved %1: %n change(s), %2.", "", result.changes)
        shown = text.replace("%1", str(result.path)).replace("%2", sealed)
        if result.changes == 0:  # a file of nothing, sent through the chat all the same
            shown += "\n" + self.tr(
                "Nothing was changed here since the last bundle to this recipient: this one "
                "carries no change and need not be sent, unless this computer just made a new "
                "key signed by the old one (the bundle carries it)."
            )
        if result.clock_ahead_to is not None:
            shown += "\n" + sync.clock_warning(result.clock_ahead_to)
        if result.missing_files:
            missing = self.tr(
                "%n photo(s) or document(s) are not on this computer and were not put in: %1. "
                "Their records travel without them; once the files are back, export "
                "everything (a full bundle).", "", len(result.missing_files),
            )
            shown += "\n" + missing.replace("%1", ", ".join(result.missing_files))
        self.result_label.setText(shown)
        self.sig_exported.emit(result)
        self.ctx.changed("sync")  # the status bar counts what is not yet exported

    def _failed(self, title: str, error: BaseException) -> None:
        self._set_working(False)
        self.result_label.setText("")
        self.ctx.prompts.error(self, title, describe_failure(error))

    # ---- Acknowledgements -----------------------------------------------------------

    def read_acknowledgements(self) -> None:
        title = self.tr("Read acknowledgement")
        paths = self.ctx.prompts.open_files(
            self, title, self.tr("nhao acknowledgement (*%1)").replace("%1", ACK_SUFFIX)
        )
        if not paths:
            return
        db, actor = self.ctx.db, self.ctx.actor

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            receipts = []
            for done, path in enumerate(paths):
                cancel.raise_if_cancelled()
                progress.update(done, len(paths), path.name)
                receipts.append(sync.import_ack(db, actor, path))
            return receipts

        def done(receipts: list[dict]) -> None:
            names = UnitNames(self.ctx.db)
            # One read before, or older than one read, changed nothing: its own line says
            # so, and only that (not also that the next bundle starts from it).
            taken = [r for r in receipts if not _changed_nothing(r)]
            units = ", ".join(sorted({names.label(r["producer"]["unit"]) for r in taken}))
            said = [
                self.tr("Read %n acknowledgement(s) from %1. The next bundle to them starts "
                        "from what they have.", "", len(taken)).replace("%1", units)
            ] if taken else []
            # What became of each bundle: a refused or waiting one was read as "fine".
            said += [
                self._receipt_text(path, r, names)
                for path, r in zip(paths, receipts, strict=True)
            ]
            self.ctx.prompts.info(self, title, "\n".join(said))
            self.ctx.changed("sync")

        self.ctx.runner.run(
            work, parent=self, title=title, on_success=done,
            on_failure=lambda error: self.ctx.prompts.error(self, title, describe_failure(error)),
        )

    def _refused_text(self, receipt: dict) -> str:
        """The changes of a bundle taken in that the recipient would not take one by one
        (a lock, a step not this unit's): here they still look done."""
        count = int(receipt.get("refused_count") or 0)
        if count <= 0:
            return ""
        listed = [str(said) for said in receipt.get("refused_changes") or []][:RECEIPT_REFUSALS]
        text = "\n" + self.tr("%n of its changes were not taken there:", "", count)
        text += "".join(f"\n• {said}" for said in listed)
        if count > len(listed):
            text += "\n" + self.tr(
                "… and %n more; the import report there lists them all.", "", count - len(listed)
            )
        return text

    def _receipt_text(self, path: Path, receipt: dict, names: UnitNames) -> str:
        """One line per receipt: what the recipient did with the bundle it names."""
        unit = names.label(receipt["producer"]["unit"])
        if receipt.get("already_read"):
            return self.tr("%1 was read before: nothing changed.").replace("%1", path.name)
        if receipt.get("stale") and receipt.get("previous_missing"):
            return self.tr(
                "%1 is older than an acknowledgement already read from %2, but says the bundle "
                "made for it before the one it acknowledges never came: the next bundle sends "
                "again everything it has not acknowledged."
            ).replace("%1", path.name).replace("%2", unit)
        if receipt.get("stale"):
            return self.tr(
                "%1 is older than an acknowledgement already read from %2: nothing changed."
            ).replace("%1", path.name).replace("%2", unit)
        words = {
            "applied": self.tr("%1 imported %2."),
            "skipped": self.tr("%1 already had everything in %2."),
            "pending": self.tr("%1 holds %2 until an earlier bundle comes; the next bundle "
                               "sends what it lacks."),
            "refused": self.tr("%1 refused %2; the next bundle sends its changes again."),
        }
        text = words.get(str(receipt.get("status")), self.tr("%1 received %2."))
        text = text.replace("%1", unit).replace("%2", str(receipt.get("file", ""))[:80])
        if receipt.get("status") == "refused" and receipt.get("reason"):
            text += " " + self.tr("Its reason: %1").replace("%1", str(receipt["reason"]))
        text += self._refused_text(receipt)
        if receipt.get("previous_missing"):
            text += " " + self.tr(
                "It does not have the bundle made for it before that one (not sent, or lost "
                "on the way): the next bundle sends again everything it has not acknowledged."
            )
        if receipt.get("new_epoch"):
            text += " " + self.tr(
                "It has changes of this computer that this computer no longer has (its data "
                "was put back from a copy): they are sent again, numbered afresh, in the next "
                "bundle."
            )
        return text


def _changed_nothing(receipt: dict) -> bool:
    """A receipt read before, or older than one read, that says nothing new either."""
    return bool(
        receipt.get("already_read")
        or (receipt.get("stale") and not receipt.get("previous_missing"))
    )
