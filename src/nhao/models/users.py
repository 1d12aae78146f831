"""People who sign in to a station."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nhao.models.base import Base, Record


class User(Record, Base):
    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("username"),)

    username: Mapped[str] = mapped_column(String(60))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    hamlet_code: Mapped[str | None] = mapped_column(String(64), default=None)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)

    # Never copied into audit events or change logs in clear.
    SECRET_FIELDS = ("password_hash",)
