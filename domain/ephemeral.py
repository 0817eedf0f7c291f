"""Short-lived secrets (credentials for one download): Fernet-encrypted, in Redis with a TTL when the deployment
has Redis (the worker may be another process), else in this process's memory; taken once, never stored at rest."""
from __future__ import annotations

import json
import threading
import time

from domain import secrets

PURPOSE = "ephemeral"


class EphemeralSecrets:
    def __init__(self, secret_key: str, redis_url: str | None = None, namespace: str = "mediagraph"):
        self.secret_key, self.namespace = secret_key, namespace
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url)
        self._memory: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def put(self, key: str, value: dict, ttl_s: int = 900) -> None:
        token = secrets.encrypt(self.secret_key, PURPOSE, json.dumps(value))
        if self._redis is not None:
            self._redis.set(f"{self.namespace}:eph:{key}", token, ex=ttl_s)
            return
        with self._lock:
            now = time.monotonic()
            self._memory = {k: v for k, v in self._memory.items() if v[0] > now}
            self._memory[key] = (now + ttl_s, token)

    def take(self, key: str) -> dict | None:
        if self._redis is not None:
            token = self._redis.getdel(f"{self.namespace}:eph:{key}")
            token = token.decode() if token else None
        else:
            with self._lock:
                expires, token = self._memory.pop(key, (0.0, None))
                token = token if expires > time.monotonic() else None
        return json.loads(secrets.decrypt(self.secret_key, PURPOSE, token)) if token else None
