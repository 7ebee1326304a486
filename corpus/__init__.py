"""Stage 1: texts in, cleaned and structured clauses with stable ids, aligned across languages."""
