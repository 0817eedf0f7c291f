"""Clip and export resolvers."""
