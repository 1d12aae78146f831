"""What an import leaves for people: bundles waiting for an earlier one (gói chờ),
conflicts to resolve (xung đột dữ liệu) and possible duplicates (có thể trùng)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nhao.domain.text import fold
from nhao.services import households as hh
from nhao.services import sync
from nhao.services.actor import Actor
from nhao.services.history import field_label, value_text
from nhao.ui.context import AppContext
from nhao.ui.sync_page.common import (
    AskPassword,
    UnitNames,
    current_place,
    make_table,
    may_exchange,
    may_review,
    restore_place,
    selected_row,
    selected_rows,
    set_widths,
)
from nhao.ui.sync_page.models import (
    ConflictRow,
    ConflictsModel,
    DuplicateRow,
    DuplicatesModel,
    PendingModel,
)
from nhao.ui.task_runner import Work, describe_failure, unless_cancelled

RESOLVED = "sync_conflict"  # announced with the record's entity when a conflict is resolved


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class PendingTab(QWidget):
    def __init__(self, ctx: AppContext, ask_password: AskPassword, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._ask_password = ask_password
        self.model = PendingModel(UnitNames(ctx.db), self)
        self.table = make_table(self.model)
        set_widths(self.table, (200, 200, 520))
        self.retry_button = QPushButton(self.tr("Try again now"))
        self.retry_button.clicked.connect(self.retry)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(_note(self.tr(
            "These bundles arrived before an earlier one from the same computer. They are "
            "applied by themselves as soon as the missing bundle is imported.")))
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        # What is missing comes at the end of a long sentence the column cuts short.
        self.details = _note("")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_details())
        layout.addWidget(self.details)

    def refresh(self) -> None:
        self.model.set_rows(sync.list_pending(self.ctx.db), UnitNames(self.ctx.db))
        self.retry_button.setEnabled(may_exchange(self.ctx.actor) and self.model.rowCount() > 0)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._show_details()

    def _show_details(self) -> None:
        row = selected_row(self.table)
        self.details.setText(
            self.model.index(row, PendingModel.WAITING).data() if row >= 0 else ""
        )

    def count(self) -> int:
        return self.model.rowCount()

    def retry(self) -> None:
        title = self.tr("Apply waiting bundles")
        password = self._ask_password(title)
        if not password:
            return
        db, actor = self.ctx.db, self.ctx.actor

        def done(reports: list[dict]) -> None:
            entities = {e for r in reports if r["status"] == "applied" for e in r["entities"]}
            self.ctx.changed(*entities, "sync")
            refused = [str(r.get("reason", r["file"])) for r in reports if r["status"] == "refused"]
            if refused:  # a wrong password, or a bundle this computer cannot take: say why
                self.ctx.prompts.error(self, title, "\n".join(refused))
            elif not reports:
                self.ctx.prompts.info(
                    self, title, self.tr("The missing bundles have not arrived yet.")
                )
            else:  # the table empties: say it was done, not only let a row vanish
                applied = sum(r["status"] in ("applied", "skipped") for r in reports)
                self.ctx.prompts.info(
                    self, title, self.tr("%n waiting bundle(s) applied.", "", applied)
                )

        self.ctx.runner.run(
            lambda _progress, _cancel: sync.apply_pending(db, actor, password=password),
            parent=self, title=title, on_success=done,
            on_failure=lambda error: self.ctx.prompts.error(self, title, describe_failure(error)),
        )


def household_text(
    briefs: dict[str, hh.HouseholdBrief], household_id: str
) -> tuple[str, str]:
    """(“Name — hamlet”, details for the tooltip) of a household, or its id when unknown."""
    view = briefs.get(household_id)
    if view is None:
        return household_id[:8], household_id
    place = f"{view.hamlet_name}, {view.commune_name}" if view.commune_name else view.hamlet_name
    short = f"{view.head_name} — {place}"
    facts = [short]
    if view.birth_year:
        facts.append(str(view.birth_year))
    if view.citizen_id:
        facts.append(view.citizen_id)
    if view.address:
        facts.append(view.address)
    return short, "\n".join(facts)


def _view_id(row: object) -> str:
    """What a conflict's or a pair's row is known by across reloads."""
    return row.view.id  # type: ignore[attr-defined]


# What a possible duplicate's row says of its households: a conflict resolved on one of
# these changes the rows of the Possible duplicates tab.
NAMING_FIELDS = frozenset({"head_name", "unit_code", "birth_year", "citizen_id", "address"})


class DecidingTab(QWidget):
    """A tab whose buttons write a person's decision, for one row or many chosen, off
    the GUI thread: they stay off while it is written and come back however it ends."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._busy = False  # a decision is being written
        self._moved_on_at: float | None = None  # when a decision chose the next row

    def _update_buttons(self) -> None:
        raise NotImplementedError

    def _chosen_changed(self) -> None:
        self._moved_on_at = None  # the person chose: their next click is meant
        self._update_buttons()

    def _too_soon(self) -> bool:
        """A click that follows a decision within a double-click's time, the row the
        decision chose for the next one untouched: the second half of a double-click,
        which would decide a row the person has not looked at."""
        if self._moved_on_at is None:
            return False
        interval = QApplication.doubleClickInterval() / 1000
        return time.monotonic() - self._moved_on_at < interval

    def _may_decide(self, title: str, count: int, question: str) -> bool:
        """Whether a click on a decision button goes on: not while one is written, not
        as a double-click's second half, and for several rows only once asked."""
        if not count or self._busy or self._too_soon():
            return False
        return count == 1 or self.ctx.prompts.confirm(self, title, question)

    def _decide(self, title: str, work: Work, done: Callable[[Any], None]) -> None:
        """Run `work`; `done` gets its result. Cancelled, nothing was written."""

        def finished(result: Any) -> None:
            self._busy = False
            if result is not None:
                done(result)  # the rows are read again, the next one chosen
                self._moved_on_at = time.monotonic()
            self._update_buttons()

        def failed(error: BaseException) -> None:
            self._busy = False
            self._update_buttons()
            self.ctx.prompts.error(self, title, describe_failure(error))

        self._busy = True
        self._update_buttons()
        self.ctx.runner.run(
            unless_cancelled(work), parent=self, title=title, on_success=finished,
            on_failure=failed,
        )  # fmt: skip


class ConflictsTab(DecidingTab):
    sig_resolved = Signal(object)  # {(entity, field)} of the conflicts resolved

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.model = ConflictsModel(self)
        # Several rows chosen are resolved alike: a province's hundreds of conflicts
        # over phone numbers were a click each.
        self.table = make_table(self.model, many=True)
        # At 1366×768 the names and the two values need the room; the empty "resolved"
        # column only shows with resolved conflicts.
        set_widths(self.table, (95, 250, 105, 130, 130, 122, 122, 90))
        self.show_resolved = QCheckBox(self.tr("Show resolved conflicts too"))
        self.show_resolved.toggled.connect(self._show_resolved_toggled)
        self.table.setColumnHidden(ConflictsModel.RESOLVED, True)
        self.keep_button = QPushButton(self.tr("Keep the current value"))
        self.keep_button.clicked.connect(lambda: self.resolve(keep=True))
        self.other_button = QPushButton(self.tr("Use the other value"))
        self.other_button.clicked.connect(lambda: self.resolve(keep=False))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._chosen_changed())
        self.table.pressed.connect(lambda _index: self._chosen_changed())  # the row chosen again
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_resolved)
        layout = QVBoxLayout(self)
        layout.addWidget(_note(self.tr(
            "The same field was changed on two computers. The later change stands; choose "
            "which value is right. Your choice is sent on with the next bundles. Rows chosen "
            "together (Ctrl or Shift with a click, Ctrl+A for all) are decided at once.")))
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.done_label = _note("")  # the row leaves the list: what was done stays said
        layout.addWidget(self.done_label)
        self._update_buttons()

    def _show_resolved_toggled(self, on: bool) -> None:
        self.table.setColumnHidden(ConflictsModel.RESOLVED, not on)
        self.refresh()

    def refresh(self) -> None:
        views = sync.list_conflicts(self.ctx.db, open_only=not self.show_resolved.isChecked())
        names = UnitNames(self.ctx.db)
        hamlets = {code: names.name(code) for code in {v.unit_code for v in views}}
        briefs = hh.brief_households(
            self.ctx.db, self.ctx.actor, {v.record_id for v in views if v.entity == "household"}
        )
        rows = []
        for view in views:
            record = (
                household_text(briefs, view.record_id)[0]
                if view.entity == "household"
                else f"{view.record_id[:8]} — {names.name(view.unit_code)}"
            )
            rows.append(ConflictRow(
                view=view,
                record=record,
                field=field_label(view.entity, view.field),
                kept=value_text(view.entity, view.field, view.kept_value, hamlets),
                other=value_text(view.entity, view.field, view.lost_value, hamlets),
                chosen=value_text(view.entity, view.field, view.chosen["v"], hamlets)
                if view.chosen else "",
            ))
        place = current_place(self.table, _view_id)
        self.model.set_rows(rows)
        # Mostly households alone: their kind, said on every row, took the room the
        # choice made needs at 1366 pixels.
        self.table.setColumnHidden(
            ConflictsModel.ENTITY, len({row.view.entity for row in rows}) < 2
        )
        restore_place(self.table, place, _view_id)
        self._update_buttons()

    def count(self) -> int:
        return sum(1 for row in self.model.items() if row.view.resolved_at is None)

    def current(self) -> ConflictRow | None:
        row = selected_row(self.table)
        return self.model.item(row) if row >= 0 else None

    def chosen(self) -> list[ConflictRow]:
        return [self.model.item(row) for row in selected_rows(self.table)]

    def _update_buttons(self) -> None:
        """Alive when every row chosen is open and this person may resolve it."""
        rows = self.chosen()
        actor = self.ctx.actor
        why_not = ""  # a disabled button says why on hover: Ctrl+A may take in a few
        if any(row.view.resolved_at is not None for row in rows):
            why_not = self.tr("Some of the chosen conflicts are resolved already.")
        elif not all(
            sync.may_resolve(actor, row.view.entity, row.view.field, row.view.unit_code)
            for row in rows
        ):
            why_not = self.tr("Your account may not change the records of some chosen rows.")
        allowed = bool(rows) and not self._busy and not why_not
        self.keep_button.setToolTip(why_not or self.tr("Confirm the value that stands now"))
        self.other_button.setToolTip(
            why_not or self.tr("Replace the value that stands with the other one")
        )
        for button in (self.keep_button, self.other_button):
            button.setEnabled(allowed)

    def resolve(self, *, keep: bool) -> None:
        rows = [row for row in self.chosen() if row.view.resolved_at is None]
        title = self.tr("Resolve conflict")
        question = (
            self.tr("Keep the current value in the %n chosen conflict(s)?", "", len(rows))
            if keep else
            self.tr("Use the other value in the %n chosen conflict(s)?", "", len(rows))
        )  # fmt: skip
        if not self._may_decide(title, len(rows), question):
            return
        choices = [(r.view.id, r.view.kept_value if keep else r.view.lost_value) for r in rows]
        db, actor = self.ctx.db, self.ctx.actor

        def done(resolved: int) -> None:
            if len(rows) == 1:
                shown = rows[0].kept if keep else rows[0].other
                self.done_label.setText(
                    self.tr("%1 of %2: “%3” chosen; the choice goes with the next bundle.")
                    .replace("%1", rows[0].field).replace("%2", rows[0].record)
                    .replace("%3", shown)
                )  # fmt: skip
            else:
                self.done_label.setText(self.tr(
                    "%n conflict(s) resolved; the choices go with the next bundle.", "", resolved
                ))
            touched = frozenset((row.view.entity, row.view.field) for row in rows)
            # The page updates what the choices change (sig_resolved); "sync" re-read
            # every tab, and at a province every possible duplicate.
            self.sig_resolved.emit(touched)
            self.ctx.changed(*{entity for entity, _ in touched}, RESOLVED)

        self._decide(
            title,
            lambda progress, cancel: sync.resolve_conflicts(db, actor, choices, progress, cancel),
            done,
        )


def duplicate_rows(
    db: object, actor: Actor, *, undecided_only: bool
) -> tuple[list[DuplicateRow], dict[str, str]]:
    """The rows of the Possible duplicates tab and the names of the communes they reach
    into (none at a commune and below). No widget is touched: it runs off the GUI thread."""
    views = sync.list_duplicates(db, undecided_only=undecided_only)  # type: ignore[arg-type]
    briefs = hh.brief_households(
        db,  # type: ignore[arg-type]
        actor, {v.household_a for v in views} | {v.household_b for v in views},
    )

    # The pairs sharing a card first (the service's order), then by name and birth
    # year: "Nguyễn Văn Hùng, 1962" in twenty communes is 190 pairs, found bundle by
    # bundle; side by side they are looked at together, not met again and again.
    def by_person(view: sync.DuplicateView) -> tuple:  # type: ignore[type-arg]
        brief = briefs.get(view.household_a)
        who = (fold(brief.head_name), brief.birth_year or 0) if brief else ("", 0)
        return (view.reason != "citizen_id", *who)

    rows = []
    for view in sorted(views, key=by_person):
        first, first_details = household_text(briefs, view.household_a)
        second, second_details = household_text(briefs, view.household_b)
        # The review needs both households within reach (a team leader: their own
        # hamlet's), the very ones brief_households gives this person.
        reachable = view.household_a in briefs and view.household_b in briefs
        communes = frozenset(
            briefs[h].commune_code
            for h in (view.household_a, view.household_b)
            if h in briefs and briefs[h].commune_name
        )
        rows.append(DuplicateRow(
            view, first, second, first_details, second_details, reachable, communes
        ))
    names = {b.commune_code: b.commune_name for b in briefs.values() if b.commune_name}
    return rows, names


class DuplicatesTab(DecidingTab):
    sig_counted = Signal()  # the pairs were read, or one was marked: the count changed

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.model = DuplicatesModel(self)
        # Several rows chosen are marked alike: a commune's hundreds of pairs that share
        # only a common name and a birth year.
        self.table = make_table(self.model, many=True)
        # Room for "Name — Thôn 1, Phường Hàm Rồng" at a province, within 1366 pixels.
        set_widths(self.table, (370, 370, 170))
        self.same_button = QPushButton(self.tr("Same household"))
        self.same_button.clicked.connect(lambda: self.mark(same=True))
        self.different_button = QPushButton(self.tr("Different households"))
        self.different_button.clicked.connect(lambda: self.mark(same=False))
        self.show_decided = QCheckBox(self.tr("Show reviewed pairs too"))
        self.show_decided.toggled.connect(lambda _on: self.refresh())
        # A district or province lists thousands of pairs from every commune: an officer
        # works through them one commune at a time. Hidden at a commune and below.
        self.commune = QComboBox()
        self.commune.setToolTip(self.tr("Only the pairs with a household in this commune"))
        self.commune.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.commune.currentIndexChanged.connect(lambda _i: self._show_rows(keep=False))
        self.commune.setHidden(True)
        self._all_rows: list[DuplicateRow] = []
        self._commune_names: dict[str, str] = {}
        self._loads = 0  # readings started; only the latest one's rows are shown
        self._marks: list[tuple[str, str]] = []  # (pair, decision) since a reading began
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._chosen_changed())
        self.table.pressed.connect(lambda _index: self._chosen_changed())  # the row chosen again
        buttons = QHBoxLayout()
        buttons.addWidget(self.same_button)
        buttons.addWidget(self.different_button)
        buttons.addStretch(1)
        buttons.addWidget(self.commune)
        buttons.addWidget(self.show_decided)
        layout = QVBoxLayout(self)
        layout.addWidget(_note(self.tr(
            "These households look like the same people listed in two places (same citizen "
            "ID, or same name and birth year within one commune). Nothing is merged; say what "
            "you found. Rows chosen together (Ctrl or Shift with a click, Ctrl+A for all) are "
            "decided at once.")))
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.done_label = _note("")  # the pair leaves the list: what was done stays said
        layout.addWidget(self.done_label)
        self._update_buttons()

    def refresh(self) -> None:
        """Read the pairs again, off the GUI thread: at a province with 22,000 pairs the
        reading and the rows took a second, each time the page was shown and after
        each import or resolved conflict, with the window standing still."""
        db, actor = self.ctx.db, self.ctx.actor
        undecided_only = not self.show_decided.isChecked()
        self._loads += 1
        load, marked_before = self._loads, len(self._marks)
        self.ctx.runner.run(
            lambda _progress, _cancel: duplicate_rows(db, actor, undecided_only=undecided_only),
            parent=self, title=self.tr("Reading the possible duplicates"),
            on_success=lambda result: self._loaded(load, marked_before, *result),
            on_failure=lambda error: self.ctx.prompts.error(
                self, self.tr("Possible duplicates"), describe_failure(error)
            ),
        )

    def _loaded(
        self, load: int, marked_before: int, rows: list[DuplicateRow], names: dict[str, str]
    ) -> None:
        if load != self._loads:
            return  # a later reading is on its way
        # Pairs marked while the reading ran may have been read before their mark.
        self._all_rows, self._commune_names = rows, names
        self._apply_marks(dict(self._marks))
        del self._marks[:marked_before]  # those the reading saw already
        self._fill_communes()
        self._show_rows()
        self.sig_counted.emit()

    def _fill_communes(self) -> None:
        """The communes the pairs reach into, each with its count; the choice kept."""
        names = self._commune_names
        counts: dict[str, int] = dict.fromkeys(names, 0)
        for row in self._all_rows:
            for code in row.communes:
                counts[code] += 1
        chosen = self.commune.currentData()
        self.commune.blockSignals(True)
        self.commune.clear()
        self.commune.addItem(self.tr("All communes (%1)").replace("%1", str(len(self._all_rows))))
        for code in sorted(names, key=lambda c: (fold(names[c]), c)):
            self.commune.addItem(f"{names[code]} ({counts[code]})", code)
        at = self.commune.findData(chosen) if chosen else 0
        self.commune.setCurrentIndex(max(at, 0))
        self.commune.blockSignals(False)
        self.commune.setHidden(not names)

    def _show_rows(self, *, keep: bool = True) -> None:
        """The pairs of the chosen commune; `keep`: the row chosen stays chosen."""
        chosen = self.commune.currentData()
        place = current_place(self.table, _view_id) if keep else (None, -1)
        self.model.set_rows(
            [row for row in self._all_rows if row.communes and chosen in row.communes]
            if chosen else self._all_rows
        )
        restore_place(self.table, place, _view_id)
        self._update_buttons()

    def count(self) -> int:
        return sum(1 for row in self._all_rows if row.view.decision is None)

    def _update_buttons(self) -> None:
        """Alive when this person may review every pair chosen."""
        items = [self.model.item(row) for row in selected_rows(self.table)]
        why_not = ""  # a disabled button says why on hover: Ctrl+A may take in a few
        if may_review(self.ctx.actor) and not all(item.reachable for item in items):
            why_not = self.tr(
                "Some chosen pairs have a household outside the hamlet your account works in."
            )
        allowed = bool(items) and not self._busy and may_review(self.ctx.actor) and not why_not
        for button in (self.same_button, self.different_button):
            button.setEnabled(allowed)
            button.setToolTip(why_not)

    def mark(self, *, same: bool) -> None:
        items = [self.model.item(row) for row in selected_rows(self.table)]
        title = self.tr("Possible duplicates")
        question = (
            self.tr("Mark the %n chosen pair(s) as the same household?", "", len(items))
            if same else
            self.tr("Mark the %n chosen pair(s) as different households?", "", len(items))
        )  # fmt: skip
        if not self._may_decide(title, len(items), question):
            return
        db, actor = self.ctx.db, self.ctx.actor
        ids = [item.view.id for item in items]

        def done(marked: int) -> None:
            if len(items) == 1:
                said = (
                    self.tr("Marked as the same household: %1 and %2.")
                    if same
                    else self.tr("Marked as different households: %1 and %2.")
                ).replace("%1", items[0].first).replace("%2", items[0].second)
            else:
                said = (
                    self.tr("%n pair(s) marked as the same household.", "", marked)
                    if same
                    else self.tr("%n pair(s) marked as different households.", "", marked)
                )
            self.done_label.setText(said)
            self._decided(ids, "same" if same else "different")
            # Not "sync": that re-reads every tab of the page, and at a province the
            # pairs' thousands of households (a second's wait after each decision).
            self.ctx.changed("household_pair_review")

        self._decide(
            title,
            lambda progress, cancel: sync.mark_duplicates(db, actor, ids, same, progress, cancel),
            done,
        )

    def _decided(self, pair_ids: list[str], decision: str) -> None:
        """The pairs marked, in the rows as they are: they leave the list, or (reviewed
        pairs shown) say their decision; other pairs are as they were."""
        self._marks.extend((pair_id, decision) for pair_id in pair_ids)
        self._apply_marks(dict.fromkeys(pair_ids, decision))
        self._fill_communes()
        self._show_rows()
        self.sig_counted.emit()

    def _apply_marks(self, marks: dict[str, str]) -> None:
        """One pass over the rows, however many pairs were marked."""
        if not marks:
            return
        if self.show_decided.isChecked():
            self._all_rows = [
                replace(row, view=replace(row.view, decision=marks[row.view.id]))
                if row.view.id in marks else row
                for row in self._all_rows
            ]  # fmt: skip
        else:
            self._all_rows = [row for row in self._all_rows if row.view.id not in marks]
