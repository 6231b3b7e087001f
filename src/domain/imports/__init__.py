"""Imports: the pure rules behind voter and resident imports (headers, rows, duplicates, counts)."""
