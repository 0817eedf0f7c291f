"""Branding resolvers."""
