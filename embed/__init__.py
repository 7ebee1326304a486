"""Stage 2: clauses and queries to vectors (sentence-transformers, bundled offline model)."""
