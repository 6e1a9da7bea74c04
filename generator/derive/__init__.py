"""Derive: what follows from validated studies, as plain data (related studies, effects, citations)."""
