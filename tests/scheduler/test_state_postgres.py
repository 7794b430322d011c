"""The scheduler's state on a real PostgreSQL, shared by schedulers on several machines (each with
its own DESKBOT_HOME): a fire and a file are each taken by exactly one of them, and each
machine's old schedule.db is imported into the shared store without losing the later fires."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from bots.scheduling import UTC, ScheduleState, stamp
from tests.scheduler.test_state_upgrade import old_state_file


def race(calls) -> list:
    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def go(i):
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_schedulers_on_several_machines_take_each_fire_and_each_file_once(postgres_url, tmp_path):
    machines = [ScheduleState(tmp_path / f"machine-{n}", url=postgres_url) for n in range(4)]
    t0 = datetime(2026, 11, 30, 12, tzinfo=UTC)
    for state in machines:  # all see the trigger for the first time; one row, counted from t0
        state.start_trigger("close:schedule[0]", "close", "fp", t0)
    fire = {"recipe": "close", "recipe_file": "recipes/close.yaml", "trigger": {"type": "schedule"}}
    for minute in range(1, 6):
        last, new = t0 + timedelta(minutes=minute - 1), t0 + timedelta(minutes=minute)
        won = race([lambda s=s: s.claim_fires("close:schedule[0]", last, new, [fire]) for s in machines])
        assert won.count(True) == 1, won
    assert len(machines[0].due()) == 5
    file_run = {"recipe": "close", "recipe_file": "recipes/close.yaml", "trigger": {"type": "file"}}
    taken = race([lambda s=s: s.take_file("close:files", "/share/inbox/a.pdf", 10, 123456789012345678, file_run)
                  for s in machines])
    assert taken.count(True) == 1 and machines[3].file_seen("close:files", "/share/inbox/a.pdf", 10, 123456789012345678)
    due = machines[0].due()
    claimed = race([lambda s=s, n=n: s.claim(due[0].id, f"machine-{n}:1") for n, s in enumerate(machines)])
    assert claimed.count(True) == 1
    started = race([lambda s=s: s.start(due[0].id) for s in machines])
    assert started.count(True) == 1 and len(machines[1].due()) == 5


def test_each_machines_old_schedule_db_is_imported_into_the_shared_store_keeping_the_later_fire(postgres_url,
                                                                                                   tmp_path):
    early, late = datetime(2026, 11, 29, 6, tzinfo=UTC), datetime(2026, 11, 30, 6, tzinfo=UTC)
    for n, last in ((1, early), (2, late)):
        old_state_file(tmp_path / f"machine-{n}",
                       triggers=[("close:schedule[0]", "close", "fp", stamp(last), stamp(last))],
                       seen=[("close:files", f"/inbox/from-{n}.pdf", 5, 7, stamp(last))])
    first = ScheduleState(tmp_path / "machine-2", url=postgres_url)
    second = ScheduleState(tmp_path / "machine-1", url=postgres_url)
    assert first.trigger_state("close:schedule[0]") == (late, "fp")  # the earlier file does not move it back
    assert second.files_taken() == {"close:files": 2}
    assert not (tmp_path / "machine-1" / "schedule.db").exists()
