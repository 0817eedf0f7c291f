"""Transcript resolvers."""
