"""Bundles: format, keys and signatures, scope and authority, the merge (DESIGN.md §5)."""
