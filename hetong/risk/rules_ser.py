"""Rules of the ser family (spec Part C)."""
