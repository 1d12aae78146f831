"""Accounts and sign-in (argon2id hashes)."""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from nhao.domain.enums import Role
from nhao.domain.errors import ValidationError
from nhao.domain.text import nfc, password_forms
from nhao.models import Unit, User
from nhao.models.database import Database
from nhao.services.actor import Actor, Permission
from nhao.services.errors import AuthenticationFailed
from nhao.services.unit_of_work import UnitOfWork, unit_of_work

# OWASP's minimum for argon2id (19 MiB, t=2, p=1): safe, and quick on an old laptop.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_PASSWORD_LENGTH = 4


@dataclass(frozen=True)
class UserView:
    id: str
    username: str
    full_name: str
    role: Role
    hamlet_code: str | None
    active: bool


def view_of(user: User) -> UserView:
    return UserView(
        id=str(user.id),
        username=user.username,
        full_name=user.full_name,
        role=Role(user.role),
        hamlet_code=user.hamlet_code,
        active=user.active,
    )


def actor_of(user: User) -> Actor:
    return Actor(
        user_id=str(user.id),
        username=user.username,
        role=Role(user.role),
        full_name=user.full_name,
        hamlet_code=user.hamlet_code,
    )


def create_user(
    db: Database,
    actor: Actor,
    *,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    hamlet_code: str | None = None,
) -> UserView:
    actor.require(Permission.manage_users)
    with unit_of_work(db, actor) as uow:
        user = insert_user(
            uow,
            username=username,
            password=password,
            role=role,
            full_name=full_name,
            hamlet_code=hamlet_code,
        )
        return view_of(user)


def check_new_credentials(username: str, password: str) -> str:
    username = nfc(username)
    if not username:
        raise ValidationError(field="username", message="Tên đăng nhập không được để trống.")
    # Counted as kept (NFC): "mật" typed decomposed is five code points, composed three.
    if len(password_forms(password)[0]) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            field="password", message=f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự."
        )
    return username


def insert_user(
    uow: UnitOfWork,
    *,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    hamlet_code: str | None = None,
) -> User:
    username = check_new_credentials(username, password)
    if uow.session.scalar(select(User).where(User.username == username)) is not None:
        raise ValidationError(field="username", message=f"Tên đăng nhập {username} đã có.")
    check_role_hamlet(uow, role, hamlet_code)
    user = uow.insert(
        User(
            unit_code=uow.station.unit_code,
            username=username,
            full_name=nfc(full_name),
            role=role.value,
            hamlet_code=hamlet_code if role is Role.team_leader else None,
            password_hash=hash_password(password),
        ),
        summary=f"Tạo tài khoản {username} ({role.label_vi})",
    )
    return user


def check_role_hamlet(uow: UnitOfWork, role: Role, hamlet_code: str | None) -> None:
    """A team leader reaches only their hamlet, so they must have one of this commune."""
    if role is not Role.team_leader:
        return
    hamlet = uow.session.scalar(
        select(Unit).where(
            Unit.code == hamlet_code, Unit.level == "hamlet", Unit.deleted_at.is_(None)
        )
    )
    if hamlet is None:
        raise ValidationError(
            field="hamlet", message="Tổ trưởng phải gắn với một thôn, xóm của xã."
        )


def authenticate(db: Database, username: str, password: str) -> Actor:
    """The actor for these credentials; the same message whatever was wrong."""
    refusal = AuthenticationFailed("Tên đăng nhập hoặc mật khẩu không đúng.")
    with db.session() as session:
        user = session.scalar(
            select(User).where(User.username == nfc(username), User.deleted_at.is_(None))
        )
        if user is None or not user.active:
            # Spend the same time as a real check so names cannot be probed.
            with contextlib.suppress(VerificationError):
                HASHER.verify(_dummy_hash(), password)
            raise refusal
        if not password_matches(user.password_hash, password):
            raise refusal
        return actor_of(user)


def hash_password(password: str) -> str:
    return HASHER.hash(password_forms(password)[0])


def password_matches(stored_hash: str, password: str) -> bool:
    for form in password_forms(password):
        try:
            return HASHER.verify(stored_hash, form)
        except InvalidHashError:
            return False
        except VerificationError:
            continue
    return False


def list_users(db: Database) -> list[UserView]:
    with db.session() as session:
        rows = session.scalars(
            select(User).where(User.deleted_at.is_(None)).order_by(User.username)
        )
        return [view_of(u) for u in rows]


def first_admin(db: Database) -> str | None:
    with db.session() as session:
        return session.scalar(
            select(User.username)
            .where(
                User.role == Role.admin.value,
                User.active.is_(True),  # one turned off cannot sign in: the next acts
                User.deleted_at.is_(None),
            )
            .order_by(User.created_at)
            .limit(1)
        )


@functools.cache
def _dummy_hash() -> str:
    return HASHER.hash("nhao-dummy-password")
