"""The Dramatiq dispatcher maps job priorities onto actors the worker orders by priority."""
import uuid

from dramatiq import Message
from dramatiq.brokers.stub import StubBroker

from workers.broker import DramatiqDispatcher, declare_actors


def test_priorities_map_to_ordered_actors():
    broker = StubBroker()
    actors = declare_actors(broker)
    assert actors["high"].priority < actors["standard"].priority < actors["low"].priority
    dispatcher = DramatiqDispatcher(actors)
    job_id = uuid.uuid4()
    for priority in ("high", "low", "bogus"):
        assert dispatcher.dispatch(job_id, "transcription", priority) is True
    # Long work: one queue per priority, so a high job is fetched ahead of everything queued before it.
    queued = {name: [Message.decode(m) for m in broker.queues[name].queue]
              for name in ("mediagraph-high", "mediagraph", "mediagraph-low")}
    assert {name: [m.actor_name for m in messages] for name, messages in queued.items()} == {
        "mediagraph-high": ["jobs.run_high"], "mediagraph": ["jobs.run"], "mediagraph-low": ["jobs.run_low"]}
    assert all(m.args == (str(job_id),) for messages in queued.values() for m in messages)
    broker.close()


def test_dispatch_failure_is_swallowed_for_the_reaper():
    class Broken:
        def send(self, *args):
            raise ConnectionError("redis down")

    DramatiqDispatcher({"standard": Broken()}).dispatch(uuid.uuid4(), "probe", "standard")
