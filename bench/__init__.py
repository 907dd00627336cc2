"""Benchmarks and the large-portfolio generator they share."""
