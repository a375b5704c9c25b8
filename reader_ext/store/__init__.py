"""The annotation store: the only code that speaks SQL."""
