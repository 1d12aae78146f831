"""Households page: the register table, its search and filters, and the household form."""
