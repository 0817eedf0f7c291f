"""Tenants, API keys and the viewer a request acts as."""
