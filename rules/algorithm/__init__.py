"""Level 1 rules: algorithm."""
