"""Wake-on-send for Redis queues: an idle consumer of a waking queue blocks on the queue's wake list, and every send
to that queue pushes one, so a probe is fetched the moment it is sent instead of at the consumer's next poll.

Dramatiq's Redis consumer sleeps between fetches when its queue is empty (a backoff up to the worker's timeout):
with a 20 ms poll a short job waited ~10 ms on average and ~20 ms at worst before any worker saw it, the largest
part of the dispatch latency. Polling faster costs CPU in every idle worker; a blocking pop costs nothing while idle.
A wake nobody waits for stays in the list (trimmed to a few), and only makes some consumer's next fetch earlier.
Written here because Dramatiq has no such hook; it extends the broker through its own `consumer_class` property.
"""
from __future__ import annotations

import redis
from dramatiq.brokers.redis import RedisBroker, _RedisConsumer
from dramatiq.errors import ConnectionClosed

WAKES_KEPT = 16  # wakes left by sends that found every consumer busy: more would only mean more empty fetches


class WakingRedisBroker(RedisBroker):
    """A RedisBroker whose `waking` queues wake their idle consumers on every send (delayed sends included, as they
    come due: Dramatiq re-sends them through `enqueue`)."""

    def __init__(self, *, waking: frozenset[str], idle_wait_s: float, **options):
        super().__init__(**options)
        self.waking, self.idle_wait_s = waking, idle_wait_s

    def wake_key(self, queue_name: str) -> str:
        return f"{self.namespace}:{queue_name}.wake"

    @property
    def consumer_class(self):
        return _consumer

    def enqueue(self, message, *, delay=None):
        message = super().enqueue(message, delay=delay)
        if delay is None and message.queue_name in self.waking:
            key = self.wake_key(message.queue_name)
            self.client.pipeline(transaction=False).lpush(key, 1).ltrim(key, 0, WAKES_KEPT - 1).execute()
        return message


def _consumer(broker: WakingRedisBroker, queue_name: str, prefetch: int, timeout: int):
    if queue_name in broker.waking:  # never a delay queue: its consumer must wake for messages coming due
        return _WakingConsumer(broker, queue_name, prefetch, timeout)
    return _RedisConsumer(broker, queue_name, prefetch, timeout)


class _WakingConsumer(_RedisConsumer):
    def __next__(self):
        if not self.message_cache and self.outstanding_message_count < self.prefetch:
            # Idle with room: fetch, and when the queue is empty wait for a send rather than sleep a poll interval.
            try:
                self.message_cache = self.broker.do_fetch(self.queue_name,
                                                          self.prefetch - self.outstanding_message_count)
                if not self.message_cache:
                    self.broker.client.blpop([self.broker.wake_key(self.queue_name)], timeout=self.broker.idle_wait_s)
                    return None  # Dramatiq's consumer thread asks again at once: the next fetch finds the message
            except redis.TimeoutError:
                return None  # the client's socket timeout ended the wait first: fetch again, as after a wake
            except redis.ConnectionError as exc:
                raise ConnectionClosed(exc) from None
        return super().__next__()  # from the prefetched messages, or the backoff of a consumer with no room

