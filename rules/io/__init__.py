"""Level 4 rules: io."""
