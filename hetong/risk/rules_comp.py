"""Rules of the comp family (spec Part C)."""
