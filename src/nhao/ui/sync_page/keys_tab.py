"""Keys: this computer's key and its fingerprint (mã nhận dạng khóa), the public key
file, the trusted stations, trusting a key against its paper certificate, revoking."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.enums import UnitLevel
from nhao.domain.errors import DomainError
from nhao.services.sync import keys, revoked_since
from nhao.services.sync.certificate import write_certificate
from nhao.ui.context import AppContext
from nhao.ui.sync_page.common import (
    KEY_SUFFIX,
    AskPassword,
    UnitNames,
    local_time_text,
    make_table,
    may_manage_keys,
    monospace,
    selected_row,
    set_widths,
    unit_file_stem,
)
from nhao.ui.sync_page.models import TrustedKeysModel
from nhao.ui.sync_page.trust_dialog import TrustKeyDialog
from nhao.ui.task_runner import describe_failure

UNIT_COLUMN_MOST = 400
REVOKED_COLUMN_MOST = 220
FINGERPRINT_COLUMN_MOST = 320


class KeysTab(QWidget):
    sig_trust_changed = Signal()

    def __init__(
        self, ctx: AppContext, ask_password: AskPassword, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.ask_password = ask_password
        self.trust_dialog: TrustKeyDialog | None = None
        self.names = UnitNames(ctx.db)
        self.own_unit = QLabel()
        self.station_id = QLabel()  # the fingerprint covers it, and the unit
        self.station_id.setFont(monospace())
        self.key_id = QLabel()
        self.key_id.setFont(monospace())
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setFont(monospace(1.6, bold=True))
        self.created = QLabel()
        for label in (self.station_id, self.key_id, self.fingerprint):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton(self.tr("Export public key…"))
        self.export_button.clicked.connect(self.export_public_key)
        self.certificate_button = QPushButton(self.tr("Print certificate…"))
        self.certificate_button.clicked.connect(self.print_certificate)
        self.rotate_button = QPushButton(self.tr("New key, signed by this one…"))
        self.rotate_button.setToolTip(self.tr(
            "The units that trust this computer take the new key with its next bundle."))
        self.rotate_button.clicked.connect(self.rotate_own_key)
        self.replace_button = QPushButton(self.tr("Replace a lost key…"))
        self.replace_button.setToolTip(self.tr(
            "When nobody here can open the key any more: every unit must trust the new one "
            "again from its file and certificate."))
        self.replace_button.clicked.connect(self.replace_lost_key)
        self.model = TrustedKeysModel(self.names, self)
        self.table = make_table(self.model)
        self.table.setFont(self.font())
        set_widths(self.table, (220, 100, 150, 230, 120, 130))
        # "Revoked from" beside the role: sixth, it lay past the table's edge at 1366×768
        # and 125 %, and a revoked key (a stolen laptop's) read as trusted.
        header = self.table.horizontalHeader()
        header.moveSection(header.visualIndex(TrustedKeysModel.REVOKED), TrustedKeysModel.KEY_ID)
        self.trust_button = QPushButton(self.tr("Trust a key…"))
        self.trust_button.clicked.connect(self.trust_key_file)
        self.revoke_button = QPushButton(self.tr("Revoke…"))
        self.revoke_button.clicked.connect(self.revoke_current)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._build_layout()
        if not may_manage_keys(ctx.actor):
            tip = self.tr("Only an administrator may trust or revoke keys.")
            self.trust_button.setToolTip(tip)
            self.revoke_button.setToolTip(tip)

    def _build_layout(self) -> None:
        own = QGroupBox(self.tr("This computer's key"))
        form = QFormLayout(own)
        form.addRow(self.tr("Unit"), self.own_unit)
        form.addRow(self.tr("Station"), self.station_id)
        form.addRow(self.tr("Key ID"), self.key_id)
        form.addRow(self.tr("Fingerprint"), self.fingerprint)
        form.addRow(self.tr("Created"), self.created)
        note = QLabel(self.tr(
            "Give the public key file to the unit above together with a printed certificate "
            "showing this fingerprint, signed and stamped; they compare it before trusting."))
        note.setWordWrap(True)
        form.addRow("", note)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.certificate_button)
        row.addStretch(1)
        row.addWidget(self.rotate_button)
        row.addWidget(self.replace_button)
        form.addRow("", row)
        trusted = QGroupBox(self.tr("Trusted computers"))
        box = QVBoxLayout(trusted)
        buttons = QHBoxLayout()
        buttons.addWidget(self.trust_button)
        buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        box.addWidget(self.table, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(own)
        layout.addWidget(trusted, 1)

    def refresh(self) -> None:
        self.names = UnitNames(self.ctx.db)
        try:
            info = keys.show_key(self.ctx.db)
        except DomainError as error:
            self.station_id.setText("")
            self.key_id.setText("")
            self.fingerprint.setText("")
            self.created.setText(describe_failure(error))
            self.export_button.setEnabled(False)
            self.certificate_button.setEnabled(False)
        else:
            self.own_unit.setText(self.names.label(info.unit_code))
            self.station_id.setText(info.station_id)
            self.key_id.setText(info.key_id)
            self.fingerprint.setText(info.fingerprint)
            self.created.setText(local_time_text(info.created_at))
            self.export_button.setEnabled(True)
            self.certificate_button.setEnabled(True)
        self.model.set_rows(keys.list_trusted(self.ctx.db), self.names)
        # A hamlet's name and code ("Thôn Khau Ràng Trên (06112-a4dd5e6c)") was cut short
        # while the revocation column, empty as a rule, took the room left.
        # So was "Replaced by a new key" in Vietnamese, beside the role, and a fingerprint
        # of wide letters, the text a person compares with the signed paper.
        for column, most in ((TrustedKeysModel.UNIT, UNIT_COLUMN_MOST),
                             (TrustedKeysModel.REVOKED, REVOKED_COLUMN_MOST),
                             (TrustedKeysModel.FINGERPRINT, FINGERPRINT_COLUMN_MOST)):  # fmt: skip
            fit = self.table.sizeHintForColumn(column)
            if fit > self.table.columnWidth(column):
                self.table.setColumnWidth(column, min(fit, most))
        self._update_buttons()

    def _update_buttons(self) -> None:
        admin = may_manage_keys(self.ctx.actor)
        row = selected_row(self.table)
        revocable = row >= 0 and self.model.item(row).revoked_from is None
        self.trust_button.setEnabled(admin)
        self.revoke_button.setEnabled(admin and revocable)
        self.rotate_button.setEnabled(admin)
        self.replace_button.setEnabled(admin)

    # ---- Own key ------------------------------------------------------------------

    def export_public_key(self) -> None:
        title = self.tr("Export public key")
        suggested = f"nhao-{unit_file_stem(self.ctx.station.unit)}{KEY_SUFFIX}"
        out = self.ctx.prompts.save_file(
            self, title, suggested, self.tr("nhao key file (*%1)").replace("%1", KEY_SUFFIX)
        )
        if out is None:
            return
        if out.suffix.lower() != KEY_SUFFIX:
            out = out.with_name(out.name + KEY_SUFFIX)
        saved = self.tr("Public key saved to %1. Send it with the signed certificate.")
        self._write_file(title, lambda db: keys.export_public_key(db, out), saved, out)

    def print_certificate(self) -> None:
        """The signed and stamped paper that carries the fingerprint (PDF to print)."""
        title = self.tr("Print key certificate")
        suggested = f"giay-chung-nhan-khoa-{unit_file_stem(self.ctx.station.unit)}.pdf"
        out = self.ctx.prompts.save_file(self, title, suggested, self.tr("PDF (*.pdf)"))
        if out is None:
            return
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")
        saved = (
            # A thôn has no seal: its commune certifies the team leader's laptop.
            self.tr("Certificate saved to %1. Print it and sign it, then ask the commune "
                    "to certify it, sign it and stamp it.")
            if self.ctx.station.unit.level is UnitLevel.hamlet
            else self.tr("Certificate saved to %1. Print it, sign it and stamp it.")
        )
        self._write_file(title, lambda db: write_certificate(db, out), saved, out)

    def _write_file(self, title: str, write, saved: str, out: Path) -> None:  # type: ignore[no-untyped-def]
        """Off the GUI thread: a USB stick can take its time, and an antivirus scanning
        the file just written makes nhao try the rename again for a moment."""
        db = self.ctx.db
        self.ctx.runner.run(
            lambda _progress, _cancel: write(db),
            parent=self,
            title=title,
            on_success=lambda _done: self.ctx.prompts.info(
                self, title, saved.replace("%1", str(out))
            ),
            on_failure=lambda error: self.ctx.prompts.error(self, title, describe_failure(error)),
        )

    # ---- Trust and revoke -----------------------------------------------------------

    def suggested_role(self, unit_code: str) -> str:
        """A unit on the way up from this station is a parent; anything else a child."""
        info = self.ctx.station
        above = {info.unit.parent_code}
        above |= {u.code for u in (info.commune, info.province) if u is not None}
        above.discard(info.unit.code)
        return "parent" if unit_code in above else "child"

    def trust_key_file(self) -> None:
        if not may_manage_keys(self.ctx.actor):
            return
        title = self.tr("Trust a key")
        paths = self.ctx.prompts.open_files(
            self, title, self.tr("nhao key file (*%1)").replace("%1", KEY_SUFFIX)
        )
        if not paths:
            return
        path = paths[0]
        try:
            document = keys.read_key_file(path)
        except DomainError as error:
            self.ctx.prompts.error(self, title, describe_failure(error))
            return
        unit = str(document.get("unit", ""))
        dialog = TrustKeyDialog(
            path.name, self.names.label(unit), self.suggested_role(unit),
            submit=lambda fingerprint, role: self._trust(path, fingerprint, role),
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._trust_dialog_closed)
        self.trust_dialog = dialog
        dialog.open()  # not exec(): no nested event loop, and tests can fill it in

    def _trust_dialog_closed(self, _result: int) -> None:
        self.trust_dialog = None

    def _trust(self, path: Path, fingerprint: str, role: str) -> bool:
        title = self.tr("Trust a key")
        try:
            view = keys.trust_key(self.ctx.db, self.ctx.actor, path, fingerprint, role)
        except DomainError as error:
            self.ctx.prompts.error(self, title, describe_failure(error))
            return False
        self.refresh()
        self.sig_trust_changed.emit()
        unit = self.names.label(view.unit_code)
        if view.already_trusted:  # the same key file enrolled again: kept as it was
            said = self.tr("The key of %1 was trusted already, since %2.").replace(
                "%2", local_time_text(view.enrolled_at)
            )
        else:
            said = self.tr("The key of %1 is now trusted.")
        self.ctx.prompts.info(self, title, said.replace("%1", unit))
        return True

    def rotate_own_key(self) -> None:
        self._new_own_key(
            self.tr("New key"),
            self.tr("Make a new key for this computer, signed by the current one? The units "
                    "that trust this computer take it with its next bundle."),
            keys.rotate_key,
            # Trusting units follow a rotation by themselves: no paper round.
            self.tr("This computer's new key: %1. The units that trust it take it with the "
                    "next bundle they get from it; a unit that revoked this computer's key "
                    "trusts the new one only from its file and a new certificate."),
        )

    def replace_lost_key(self) -> None:
        self._new_own_key(
            self.tr("Replace a lost key"),
            self.tr("Only when nobody on this computer can open its key any more. The new key "
                    "is not signed by the old one: every unit that trusts this computer must "
                    "trust the new key again from its file and a new certificate, and the "
                    "others who exchange bundles here need their passwords reset. Go on?"),
            keys.replace_lost_key,
            self.tr("This computer's new key: %1. Export it and print its certificate for "
                    "the units that trust this computer."),
        )

    def _new_own_key(self, title: str, question: str, make, made: str) -> None:  # type: ignore[no-untyped-def]
        if not may_manage_keys(self.ctx.actor) or not self.ctx.prompts.confirm(
            self, title, question
        ):
            return
        password = self.ask_password(title)
        if password is None:
            return
        db, actor = self.ctx.db, self.ctx.actor
        # Off the GUI thread: the password's key derivation (Argon2) takes a moment on an
        # old laptop, and a new key is wrapped again for every person who may export.
        self.ctx.runner.run(
            lambda _progress, _cancel: make(db, actor, password),
            parent=self,
            title=title,
            on_success=lambda info: self._new_key_made(title, made, info),
            on_failure=lambda error: self.ctx.prompts.error(self, title, describe_failure(error)),
        )

    def _new_key_made(self, title: str, made: str, info) -> None:  # type: ignore[no-untyped-def]
        self.refresh()
        self.ctx.prompts.info(self, title, made.replace("%1", info.fingerprint))

    def revoke_current(self) -> None:
        row = selected_row(self.table)
        if row < 0 or not may_manage_keys(self.ctx.actor):
            return
        item = self.model.item(row)
        title = self.tr("Revoke key")
        question = self.tr(
            "Revoke the key %1 of %2? Bundles it signed from the day you give next will be "
            "refused on this computer."
        ).replace("%1", item.key_id).replace("%2", self.names.label(item.unit_code))
        if in_use := keys.key_in_use(self.ctx.db, item.key_id):
            question += "\n\n" + self.tr(
                "This key was replaced by the key %1, which that computer signs with now: it "
                "stays trusted if it came here before the day you give next, and is revoked too "
                "if it came since. For a lost or stolen computer, revoke the key %1 instead: "
                "the keys before it are revoked with it."
            ).replace("%1", in_use)
        if not self.ctx.prompts.confirm(self, title, question):
            return
        reason = self.ctx.prompts.ask_text(self, title, self.tr("Why is the key revoked?"))
        if reason is None:
            return
        if not reason.strip():
            self.ctx.prompts.error(self, title, self.tr("Please write why the key is revoked."))
            return
        # A theft is often heard of days later: what was signed since is refused too.
        day = self.ctx.prompts.ask_text(self, title, self.tr(
            "From which day (dd/mm/yyyy)? For a lost or stolen computer, the day it went "
            "missing. Leave empty for from now."))
        if day is None:
            return
        try:
            since = keys.revocation_time(day) if day.strip() else None
            keys.revoke_key(
                self.ctx.db, self.ctx.actor, item.key_id, from_time=since, reason=reason.strip()
            )
        except DomainError as error:
            self.ctx.prompts.error(self, title, describe_failure(error))
            return
        self.refresh()
        self.sig_trust_changed.emit()
        if (taken := revoked_since.taken_since_revocation(self.ctx.db, item.key_id)) is not None:
            self.ctx.prompts.info(self, title, self._taken_text(taken))

    def _taken_text(self, taken: revoked_since.TakenSince) -> str:
        """What that computer brought in since the day given, taken here as genuine."""
        names = ", ".join(taken.names) + (", …" if taken.households > len(taken.names) else "")
        households = ""
        if taken.households:
            households = self.tr(", to %1 household(s) (%2)").replace(
                "%1", str(taken.households)
            ).replace("%2", names)
        text = self.tr(
            "Already taken in here: %1 change(s) that computer made since %2%3. They came "
            "before the key was revoked and were taken as genuine: look at them again."
        )
        return (
            text.replace("%1", str(taken.changes))
            .replace("%2", local_time_text(taken.since))
            .replace("%3", households)
        )
