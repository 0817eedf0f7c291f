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
    dispatcher.dispatch(job_id, "probe", "high")
    dispatcher.dispatch(job_id, "probe", "low")
    dispatcher.dispatch(job_id, "probe", "bogus")
    queued = [Message.decode(m) for m in broker.queues["mediagraph"].queue]
    assert [m.actor_name for m in queued] == ["jobs.run_high", "jobs.run_low", "jobs.run"]
    assert all(m.args == (str(job_id),) for m in queued)
    broker.close()


def test_dispatch_failure_is_swallowed_for_the_reaper():
    class Broken:
        def send(self, *args):
            raise ConnectionError("redis down")

    DramatiqDispatcher({"standard": Broken()}).dispatch(uuid.uuid4(), "probe", "standard")
