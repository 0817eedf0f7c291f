"""How many messages wait in each broker queue: Redis list lengths, or the in-process broker's own queues."""
from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker


def depths(broker: dramatiq.Broker) -> dict[str, int]:
    """Waiting messages per declared queue (delay queues included); messages being worked on are not counted."""
    if isinstance(broker, RedisBroker):
        # Dramatiq keeps a queue's waiting message ids in the list "<namespace>:<queue>".
        pipe = broker.client.pipeline(transaction=False)
        names = sorted(broker.get_declared_queues())
        for name in names:
            pipe.llen(f"{broker.namespace}:{name}")
        return dict(zip(names, pipe.execute()))
    if isinstance(broker, StubBroker):
        return {name: queue.qsize() for name, queue in sorted(broker.queues.items())}
    return {}
