"""nhao — offline register of the programme that replaces temporary and dilapidated houses."""

__version__ = "0.1.0"
