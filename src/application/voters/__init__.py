"""Voters: reading and keeping the voter roll the imports fill."""
