"""argparse speaking Vietnamese: the people who run nhao's commands read its messages in
Vietnamese, so its help pages and its usage errors are Vietnamese too. argparse writes
its own words ("usage:", "options", its error sentences) in English in every Python;
they are replaced here, not through a gettext catalogue, because Windows sets none of
the variables gettext chooses a language by."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from nhao.cli.common import EXIT_USAGE

# argparse's own error sentences (3.11 to 3.13), each with its Vietnamese. One that is
# not here is shown as argparse wrote it rather than lost.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"the following arguments are required: (.+)"), "thiếu {0}"),
    (
        re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"),
        "{0}: không có lựa chọn {1}; hãy chọn một trong: {2}",
    ),
    (re.compile(r"unrecognized arguments: (.+)"), "không hiểu: {0}"),
    (re.compile(r"argument (.+?): expected one argument"), "{0} cần một giá trị theo sau"),
    (
        re.compile(r"argument (.+?): expected at least one argument"),
        "{0} cần ít nhất một giá trị theo sau",
    ),
    (re.compile(r"argument (.+?): ignored explicit argument (.+)"), "{0} không nhận giá trị {1}"),
    (re.compile(r"argument (.+?): invalid \w+ value: (.+)"), "{0}: giá trị không hợp lệ: {1}"),
    (re.compile(r"argument (.+?): not allowed with argument (.+)"), "{0} không dùng cùng {1}"),
    (
        re.compile(r"ambiguous option: (.+?) could match (.+)"),
        "{0} không rõ là tùy chọn nào: {1}",
    ),
    # Our own type checks already speak Vietnamese: keep only the argument's name.
    (re.compile(r"argument (.+?): (.+)"), "{0}: {1}"),
)


def vietnamese_error(message: str) -> str:
    for pattern, text in _ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return text.format(*found.groups())
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help and usage errors are Vietnamese; a usage error exits
    with 2, as argparse's own do."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        with_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        if with_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS,
                help="in hướng dẫn này rồi thôi",
            )

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"nhao: {vietnamese_error(message)}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
