"""Who is acting, and what each role may do — enforced here, not only hidden in the window."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nhao.domain.enums import Role
from nhao.services.errors import PermissionDenied


class Permission(StrEnum):
    read_households = "read_households"
    write_households = "write_households"
    manage_cases = "manage_cases"
    approve_cases = "approve_cases"
    read_fund = "read_fund"
    write_fund = "write_fund"
    manage_users = "manage_users"
    manage_units = "manage_units"
    exchange_bundles = "exchange_bundles"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.admin: frozenset(Permission),
    Role.team_leader: frozenset(
        {
            Permission.read_households,
            Permission.write_households,
            Permission.manage_cases,
            Permission.exchange_bundles,
        }
    ),
    Role.accountant: frozenset(
        {
            Permission.read_households,
            Permission.read_fund,
            Permission.write_fund,
            Permission.exchange_bundles,
        }
    ),
    Role.viewer: frozenset({Permission.read_households, Permission.read_fund}),
}

DENIED_MESSAGES = {
    Permission.read_households: "xem danh sách hộ",
    Permission.write_households: "thêm hoặc sửa hộ gia đình",
    Permission.manage_cases: "cập nhật hồ sơ hỗ trợ",
    Permission.approve_cases: "phê duyệt hồ sơ hỗ trợ",
    Permission.read_fund: "xem sổ quỹ",
    Permission.write_fund: "ghi sổ quỹ",
    Permission.manage_users: "quản lý người dùng",
    Permission.manage_units: "quản lý thôn, xóm",
    Permission.exchange_bundles: "xuất, nhập gói dữ liệu",
}


@dataclass(frozen=True)
class Actor:
    """The signed-in person. A team leader is limited to `hamlet_code`."""

    user_id: str | None
    username: str
    role: Role
    full_name: str = ""
    hamlet_code: str | None = None

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"Tài khoản {self.username} ({self.role.label_vi}) không được "
                f"{DENIED_MESSAGES[permission]}."
            )

    def require_unit(self, unit_code: str) -> None:
        """A team leader only reaches the households of their own hamlet."""
        if self.role is Role.team_leader and unit_code != self.hamlet_code:
            raise PermissionDenied(f"Tài khoản {self.username} chỉ làm việc với hộ của thôn mình.")

    @property
    def label(self) -> str:
        return self.full_name or self.username


SYSTEM_ACTOR = Actor(user_id=None, username="nhao", role=Role.admin, full_name="nhao")
