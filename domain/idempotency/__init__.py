"""Idempotency keys: a retried create answers as the first one did and creates nothing."""
