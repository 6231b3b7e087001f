"""Imports: the use cases that turn an uploaded file into voters or residents."""
