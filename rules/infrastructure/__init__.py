"""Level 5 rules: infrastructure."""
