"""Webhooks: job lifecycle events POSTed to the caller, signed per Standard Webhooks, retried, recorded."""
