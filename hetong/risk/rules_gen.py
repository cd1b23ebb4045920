"""Rules of the gen family (spec Part C)."""
