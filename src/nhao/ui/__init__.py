"""The PySide6 window. Talks to services only; never to SQL or ORM objects."""
