"""Documents nhao writes: Excel registers and reports, PDF documents."""
