"""Keeping the station's accounts: adding people, changing and resetting passwords,
turning accounts off and on again.

The station's signing key follows the passwords: it is sealed under a data key that
is wrapped once per user allowed to exchange bundles (nhao.services.sync.keys). So
every change here that touches a password also rewraps or drops that user's wrap, in
the same transaction; a forgotten step would leave an old password able to sign, or a
new one unable to.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nhao.domain.enums import Role
from nhao.domain.errors import ValidationError
from nhao.domain.text import nfc, password_forms
from nhao.models import User
from nhao.models.database import Database
from nhao.services import users
from nhao.services.actor import ROLE_PERMISSIONS, Actor, Permission
from nhao.services.errors import AuthenticationFailed, NotFound, PermissionDenied
from nhao.services.sync import keys
from nhao.services.unit_of_work import UnitOfWork, unit_of_work


@dataclass(frozen=True)
class AccountView:
    user: users.UserView
    may_sign: bool  # holds a wrap of the station's signing key


@dataclass(frozen=True)
class AccountChange:
    account: AccountView
    note: str  # what happened to the signing key, for the person; "" when nothing to say


def list_accounts(db: Database, actor: Actor) -> list[AccountView]:
    actor.require(Permission.manage_users)
    with db.session() as session:
        _require_live_admin(session, actor)
        rows = session.scalars(
            select(User).where(User.deleted_at.is_(None)).order_by(User.username)
        )
        return [AccountView(users.view_of(u), keys.holds_wrap(session, str(u.id))) for u in rows]


def add_account(
    db: Database,
    actor: Actor,
    actor_password: str,
    *,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    hamlet_code: str | None = None,
) -> AccountChange:
    """A new account; one whose role exchanges bundles is handed the signing key (made
    now if this station has none yet), which needs the acting administrator's password."""
    actor.require(Permission.manage_users)
    _check_actor_password(db, actor, actor_password)
    with unit_of_work(db, actor) as uow:
        _require_live_admin(uow.session, actor)
        user = users.insert_user(
            uow,
            username=username,
            password=password,
            role=role,
            full_name=full_name,
            hamlet_code=hamlet_code,
        )
        note = _hand_over_key(uow, actor_password, user, password)
        return _change(uow, user, note)


def change_own_password(
    db: Database, actor: Actor, old_password: str, new_password: str
) -> AccountChange:
    """The signed-in person's new password; their signing key opens with it, and no
    longer with the old one."""
    _check_actor_password(db, actor, old_password)
    if password_forms(new_password)[0] == password_forms(old_password)[0]:
        raise ValidationError(
            field="new_password", message="Mật khẩu mới phải khác mật khẩu đang dùng."
        )
    users.check_new_credentials(actor.username, new_password)
    with unit_of_work(db, actor) as uow:
        user = _user(uow, actor.username)
        if keys.holds_wrap(uow.session, str(user.id)):
            data_key = keys.data_key_of(uow.session, actor, old_password)
            keys.wrap_data_key_for(uow.session, data_key, str(user.id), new_password)
        uow.update(
            user,
            {"password_hash": users.hash_password(new_password)},
            summary=f"{actor.username} đổi mật khẩu",
        )
        return _change(uow, user, "")


def reset_password(
    db: Database, actor: Actor, actor_password: str, username: str, new_password: str
) -> AccountChange:
    """An administrator sets a new password for someone who forgot theirs, or whose
    password another person may know. A turned-off account is turned on again. The old
    password stops opening the signing key; the new one opens it when the administrator
    can hand the key over."""
    actor.require(Permission.manage_users)
    _check_actor_password(db, actor, actor_password)
    with unit_of_work(db, actor) as uow:
        _require_live_admin(uow.session, actor)
        user = _user(uow, username)
        if str(user.id) == actor.user_id:
            raise ValidationError(
                field="username",
                message="Hãy dùng “Đổi mật khẩu của tôi” để đổi mật khẩu của chính mình.",
            )
        users.check_new_credentials(user.username, new_password)
        keys.drop_wrap(uow.session, str(user.id))
        uow.update(
            user,
            {"password_hash": users.hash_password(new_password), "active": True},
            summary=f"Đặt lại mật khẩu cho {user.username}",
        )
        note = _hand_over_key(uow, actor_password, user, new_password)
        return _change(uow, user, note)


def change_role(
    db: Database, actor: Actor, username: str, role: Role, hamlet_code: str | None = None
) -> AccountChange:
    """Another role, or another hamlet for a team leader (the person keeps their name
    and password). A role that no longer exchanges bundles loses the signing key; one
    that newly does gets it at the next password reset, since only the person's own
    password can wrap it for them."""
    actor.require(Permission.manage_users)
    with unit_of_work(db, actor) as uow:
        _require_live_admin(uow.session, actor)
        user = _user(uow, username)
        if str(user.id) == actor.user_id:
            raise ValidationError(
                field="role", message="Không tự đổi vai trò của tài khoản đang đăng nhập."
            )
        users.check_role_hamlet(uow, role, hamlet_code)
        was = Role(user.role)
        if role is not Role.admin:
            _keep_last_admin(uow, user, "role", "đổi vai trò của")
        hamlet = hamlet_code if role is Role.team_leader else None
        changed = uow.update(
            user,
            {"role": role.value, "hamlet_code": hamlet},
            summary=f"Đổi vai trò của {user.username}: {was.label_vi} → {role.label_vi}",
        )
        note = ""
        if not _role_signs(role):
            keys.drop_wrap(uow.session, str(user.id))
        elif changed and not keys.holds_wrap(uow.session, str(user.id)):
            note = (
                f"{user.username} chưa ký được gói dữ liệu; hãy đặt lại mật khẩu cho tài "
                "khoản này để giao khóa ký."
            )
        return _change(uow, user, note)


def set_active(db: Database, actor: Actor, username: str, active: bool) -> AccountChange:
    """Turn an account off (the person left the team, the laptop changed hands) or back
    on. Turned off, it cannot sign in nor unlock the signing key; turning it on again does
    not give the key back, a password reset does."""
    actor.require(Permission.manage_users)
    with unit_of_work(db, actor) as uow:
        # No password is asked here, so the account behind a window left open is checked.
        _require_live_admin(uow.session, actor)
        user = _user(uow, username)
        if user.active == active:
            return _change(uow, user, "")
        if not active:
            if str(user.id) == actor.user_id:
                raise ValidationError(
                    field="username", message="Không tự khóa tài khoản đang đăng nhập."
                )
            _keep_last_admin(uow, user, "username", "khóa")
            keys.drop_wrap(uow.session, str(user.id))
        uow.update(
            user,
            {"active": active},
            summary=f"{'Mở lại' if active else 'Khóa'} tài khoản {user.username}",
        )
        note = (
            "Tài khoản chưa ký được gói dữ liệu; hãy đặt lại mật khẩu để giao khóa ký."
            if active and _role_signs(Role(user.role))
            else ""
        )
        return _change(uow, user, note)


# -- pieces ----------------------------------------------------------------------


def _check_actor_password(db: Database, actor: Actor, password: str) -> None:
    try:
        users.authenticate(db, actor.username, password)
    except AuthenticationFailed:
        raise AuthenticationFailed(f"Mật khẩu của {actor.username} không đúng.") from None


def _require_live_admin(session: Session, actor: Actor) -> None:
    """The acting account as the database holds it now, not as it was at sign-in: an
    administrator turned off since (a window left open) manages no account."""
    me = session.get(User, uuid.UUID(actor.user_id)) if actor.user_id is not None else None
    if me is None or not me.active or me.deleted_at is not None:
        raise PermissionDenied(
            f"Tài khoản {actor.username} đã bị khóa trên máy này; "
            "không quản lý được người dùng."
        )
    Actor(actor.user_id, me.username, Role(me.role)).require(Permission.manage_users)


def _user(uow: UnitOfWork, username: str) -> User:
    user = uow.session.scalar(
        select(User).where(User.username == nfc(username), User.deleted_at.is_(None))
    )
    if user is None:
        raise NotFound(f"Không có tài khoản {nfc(username)}.")
    return user


def _keep_last_admin(uow: UnitOfWork, user: User, field: str, doing: str) -> None:
    """Refuse to take the last active administrator away: nobody could manage the
    station's accounts any more."""
    if user.role != Role.admin.value or not user.active:
        return
    admins = uow.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.admin.value, User.active.is_(True), User.deleted_at.is_(None))
    )
    if (admins or 0) <= 1:
        raise ValidationError(
            field=field,
            message=f"{user.username} là quản trị cuối cùng còn dùng được; hãy tạo một quản "
            f"trị khác trước khi {doing} tài khoản này.",
        )


def _role_signs(role: Role) -> bool:
    return Permission.exchange_bundles in ROLE_PERMISSIONS[role]


def _hand_over_key(uow: UnitOfWork, actor_password: str, user: User, user_password: str) -> str:
    """Wrap the station's data key for `user` when their role exchanges bundles; returns
    a note when that could not be done."""
    if not _role_signs(Role(user.role)):
        return ""
    session = uow.session
    if not keys.current_key_exists(session):
        keys.create_station_key(session, uow.actor, actor_password)
    try:
        data_key = keys.data_key_of(session, uow.actor, actor_password)
    except PermissionDenied:
        return (
            f"{uow.actor.username} chưa giữ khóa ký của máy này nên chưa giao được khóa ký "
            f"cho {user.username}; người giữ khóa hãy đặt lại mật khẩu cho tài khoản này. "
            "Nếu không còn ai mở được khóa ký: nút “Thay khóa bị mất…” ở thẻ Khóa của trang "
            "Đồng bộ (nhao keys replace)."
        )
    keys.wrap_data_key_for(session, data_key, str(user.id), user_password)
    return ""


def _change(uow: UnitOfWork, user: User, note: str) -> AccountChange:
    return AccountChange(
        AccountView(users.view_of(user), keys.holds_wrap(uow.session, str(user.id))), note
    )
