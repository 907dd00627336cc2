"""Departmental returns: templates out, tolerant import in, chasing and summaries."""
