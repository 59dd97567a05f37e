"""Fuzzing: seeded mutations of real-shaped files through the real importers (reusable by any format)."""
