"""The pages of the left navigation, in order. A page appears here once it is built."""

from __future__ import annotations

from nhao.ui.main_window import PageFactory


def default_pages() -> list[PageFactory]:
    from nhao.ui.households.page import HouseholdsPage
    from nhao.ui.settings_page import SettingsPage
    from nhao.ui.sync_page.page import SyncPage

    return [HouseholdsPage, SyncPage, SettingsPage]
