"""Webhook resolvers."""
