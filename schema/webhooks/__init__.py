"""Webhook schema: the secret rotation root field and its payload (Webhook and deliveries are fields of Job)."""
