"""Usage records: what every job consumed, the basis of all billing."""
