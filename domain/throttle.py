"""Abuse budgets: requests a minute per bucket (tenant or address), and live-subscription leases per tenant.

Counters live in Redis when REDIS_URL is set, so every API process spends from one budget; in memory otherwise.
Rate limits are the `limits` library's moving windows, which check and record a hit in one Lua call (no
read-then-write race between processes, unlike Litestar's own limiter). Subscription leases are hand-written
because no library counts "things open now": each lease is a member of a per-tenant sorted set scored by its
expiry, renewed while its websocket lives, so a crashed process's leases lapse on their own.
"""
from __future__ import annotations

import functools
import logging
import math
import time

import redis.asyncio as aioredis
from limits import RateLimitItemPerMinute
from limits.errors import StorageError
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


def _fails_open(fallback):
    """A budget whose store is down admits the request: an outage of Redis must not answer 500 for every call."""
    def wrap(method):
        @functools.wraps(method)
        async def guarded(*args, **kwargs):
            try:
                return await method(*args, **kwargs)
            except (OSError, aioredis.RedisError, StorageError) as error:
                log.warning("throttle store unavailable (%s); admitting", type(error).__name__)
                return fallback
        return guarded
    return wrap


# Drop lapsed leases, then add the new one only while fewer than the cap are held: one atomic step.
_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""


class Throttle:
    """Budgets shared by every process on the same Redis namespace (or one process's, without Redis)."""

    def __init__(self, redis_url: str | None, namespace: str):
        self._prefix = f"{namespace}:throttle"
        if redis_url:
            storage = RedisStorage("async+" + redis_url, implementation="redispy", key_prefix=self._prefix)
        else:
            storage = MemoryStorage()
        self._limiter = MovingWindowRateLimiter(storage)
        self._redis_url = redis_url
        self._redis = None
        self._leases: dict[str, dict[str, float]] = {}

    # ------------------------------------------------------------ rates
    @_fails_open(0)
    async def spend(self, bucket: str, who: str, per_minute: int) -> int:
        """Count one request; 0 when it fits, else the seconds until the window has room again."""
        if per_minute <= 0:
            return 0
        item = RateLimitItemPerMinute(per_minute)
        if await self._limiter.hit(item, bucket, who):
            return 0
        return await self._retry_after(item, bucket, who)

    @_fails_open(0)
    async def exhausted(self, bucket: str, who: str, per_minute: int) -> int:
        """Like spend, without counting: seconds to wait when the budget is already used up, else 0."""
        if per_minute <= 0:
            return 0
        item = RateLimitItemPerMinute(per_minute)
        if await self._limiter.test(item, bucket, who):
            return 0
        return await self._retry_after(item, bucket, who)

    async def _retry_after(self, item, bucket: str, who: str) -> int:
        stats = await self._limiter.get_window_stats(item, bucket, who)
        return max(1, math.ceil(stats.reset_time - time.time()))

    # ------------------------------------------------------------ leases
    @_fails_open(True)
    async def acquire(self, tenant: str, member: str, cap: int, ttl_s: float) -> bool:
        """Hold one of `cap` leases of a tenant for ttl_s (renew to keep it); False when all are held."""
        if cap <= 0:
            return True
        now = time.time()
        if self._redis_url is None:
            held = self._leases.setdefault(tenant, {})
            for name in [n for n, expiry in held.items() if expiry <= now]:
                del held[name]
            if len(held) >= cap:
                return False
            held[member] = now + ttl_s
            return True
        client = self._client()
        return bool(await client.eval(_ACQUIRE, 1, self._lease_key(tenant), now, now + ttl_s, member, cap,
                                      math.ceil(ttl_s) + 1))

    @_fails_open(None)
    async def renew(self, tenant: str, members: list[str], ttl_s: float) -> None:
        if not members:
            return
        expiry = time.time() + ttl_s
        if self._redis_url is None:
            held = self._leases.setdefault(tenant, {})
            held.update({member: expiry for member in members if member in held})
            return
        client = self._client()
        key = self._lease_key(tenant)
        async with client.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {member: expiry for member in members}, xx=True)
            pipe.expire(key, math.ceil(ttl_s) + 1)
            await pipe.execute()

    @_fails_open(None)
    async def release(self, tenant: str, member: str) -> None:
        if self._redis_url is None:
            self._leases.get(tenant, {}).pop(member, None)
            return
        await self._client().zrem(self._lease_key(tenant), member)

    def _lease_key(self, tenant: str) -> str:
        return f"{self._prefix}:subscriptions:{tenant}"

    def _client(self):
        if self._redis is None:
            self._redis = aioredis.Redis.from_url(self._redis_url)
        return self._redis
