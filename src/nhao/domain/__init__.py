"""Pure programme rules of nhao: standard library only, no database, no window."""
