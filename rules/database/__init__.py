"""Level 2 rules: database."""
