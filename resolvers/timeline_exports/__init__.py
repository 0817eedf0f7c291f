"""Resolvers of timeline exports."""
