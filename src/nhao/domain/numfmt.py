"""Numbers written the Vietnamese way: decimal comma (25,5 m²)."""

from __future__ import annotations


def format_decimal(x: float, places: int = 1) -> str:
    """``x`` with exactly ``places`` decimals and a comma: 20 → "20,0"."""
    return f"{x:.{places}f}".replace(".", ",")


def format_threshold(x: float) -> str:
    """A setting value without a useless ",0": 30.0 → "30", 25.5 → "25,5"."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:g}".replace(".", ",")
