"""Level 3 rules: caching."""
