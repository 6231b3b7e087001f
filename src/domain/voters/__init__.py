"""Voters: the student council's voter roll, filled by imports and kept by the office."""
