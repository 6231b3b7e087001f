"""Pure rules of the import engine."""
