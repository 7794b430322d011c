"""Scheduler and alert figures: fire-time cost, tick cost, worker start latency, alert delivery.

    .venv/bin/python benchmarks/scheduler.py

Baselines measured in the same run: croniter iterating an aware datetime directly (what a
naive implementation does, without the DST rules) and running a recipe inline (no worker).
"""

from __future__ import annotations

import os
import socket
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bots.scheduling import UTC, ManualClock, next_fires  # noqa: E402
from bots.triggers import Schedule  # noqa: E402


def median_us(func, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        samples.append((time.perf_counter() - t0) * 1e6)
    return statistics.median(samples)


def fire_times() -> None:
    after = datetime(2026, 10, 20, tzinfo=UTC)
    kinds = {
        "every 15m": Schedule(every="15m", timezone="Europe/Berlin"),
        "daily 02:30 Berlin": Schedule(daily=True, at="02:30", timezone="Europe/Berlin"),
        "weekly mon,thu": Schedule(weekly=["mon", "thu"], at="07:00", timezone="America/New_York"),
        "monthly business_day 1 CN": Schedule(monthly={"business_day": 1}, at="06:00", timezone="Asia/Shanghai",
                                              calendar="CN"),
        "cron 30 * * * * Berlin": Schedule(cron="30 * * * *", timezone="Europe/Berlin"),
    }
    print("next 5 fire times (median of 200):")
    for name, schedule in kinds.items():
        print(f"  {name:<28} {median_us(lambda: next_fires(schedule, after, 5), 200):8.0f} us")
    from croniter import croniter

    zone = ZoneInfo("Europe/Berlin")

    def baseline():
        it = croniter("30 * * * *", after.astimezone(zone))
        return [it.get_next(datetime) for _ in range(5)]

    print(f"  {'baseline: croniter aware':<28} {median_us(baseline, 200):8.0f} us")
    # correctness over the night clocks go back (25 Oct 2026, Berlin): daily at 02:30
    from bots.scheduling import fires_between

    start, end = datetime(2026, 10, 24, 12, tzinfo=zone), datetime(2026, 10, 26, 12, tzinfo=zone)
    ours = fires_between(Schedule(cron="30 2 * * *", timezone="Europe/Berlin"), start, end)
    it, theirs = croniter("30 2 * * *", start), []
    while (moment := it.get_next(datetime)) <= end:
        theirs.append(moment)
    print(f"  fires of '30 2 * * *' from 24 Oct 12:00 to 26 Oct 12:00 Berlin (2 days): ours {len(ours)},"
          f" croniter aware {len(theirs)} ({', '.join(m.strftime('%d %H:%M%z') for m in theirs)})")


def tick_cost(tmp: Path) -> None:
    from scheduler import Scheduler

    recipes = tmp / "recipes"
    recipes.mkdir()
    for i in range(50):
        (recipes / f"r{i}.yaml").write_text(
            f"name: r{i}\non: {{schedule: {{cron: '{i % 60} 3 * * *', timezone: Europe/Berlin}}}}\nsteps: [{{log: x}}]\n")
    inbox = tmp / "inbox"
    inbox.mkdir()
    for i in range(200):
        (inbox / f"old{i}.txt").write_text("not matched")
    (recipes / "intake.yaml").write_text(f"name: intake\non: {{files: {{folder: '{inbox}', pattern: '*.pdf'}}}}\n"
                                         "steps: [{log: x}]\n")
    clock = ManualClock(datetime(2026, 11, 30, 12, tzinfo=UTC))
    sched = Scheduler([str(recipes)], home=tmp / "home", clock=clock, inline=True, schedules_file=None,
                      default_calendar=None)
    sched.tick()
    samples = []
    for _ in range(50):
        clock.advance(seconds=1)
        t0 = time.perf_counter()
        sched.tick()
        samples.append((time.perf_counter() - t0) * 1000)
    print(f"tick with 50 time triggers + 1 folder of 200 files: median {statistics.median(samples):.2f} ms"
          f" (max {max(samples):.2f} ms)")
    sched.shutdown()


def worker_latency(tmp: Path) -> None:
    from bots.store import RunStore
    from scheduler import Scheduler

    recipe = tmp / "quick.yaml"
    recipe.write_text("name: quick\non: {schedule: {every: 1m}}\nsteps: [{log: x}]\n")

    def measure(inline: bool, home: Path, rounds: int) -> list[float]:
        clock = ManualClock(datetime(2026, 11, 30, 12, 0, 30, tzinfo=UTC))
        sched = Scheduler([str(recipe)], home=home, clock=clock, inline=inline, schedules_file=None,
                          default_calendar=None)
        sched.tick()
        out = []
        for _ in range(rounds):
            clock.advance(minutes=1)
            t0 = time.perf_counter()
            sched.tick()
            while sched.workers:
                time.sleep(0.005)
                sched.reap()
            out.append(time.perf_counter() - t0)
        sched.shutdown()
        store = RunStore(home)
        assert len(store.list_runs(limit=100)) == rounds
        store.close()
        return out

    spawned = measure(False, tmp / "h-spawn", 3)
    inline = measure(True, tmp / "h-inline", 3)
    print(f"fire -> run finished, worker process (spawn): median {statistics.median(spawned) * 1000:.0f} ms;"
          f" baseline inline: {statistics.median(inline) * 1000:.0f} ms")


def alert_delivery(tmp: Path) -> None:
    from aiosmtpd.controller import Controller

    from bots import alerts

    class Inbox:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Inbox.count += 1
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"DESKBOT_SMTP_HOST": "127.0.0.1", "DESKBOT_SMTP_PORT": str(port), "DESKBOT_SMTP_TLS": "none",
           "DESKBOT_SMTP_RETRIES": "1"}
    config = alerts.SmtpConfig.from_env(env)
    home = tmp / "alerts"
    shot = tmp / "shot.png"
    shot.write_bytes(os.urandom(200_000))
    message = alerts.compose("deskbot@example.com", ["ops@example.com"], "bench", text="x" * 4000,
                             attachments=[shot])
    for _ in range(20):
        alerts.queue(message, home)
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        t0 = time.perf_counter()
        sent = alerts.flush_outbox(home, config)
        flush = time.perf_counter() - t0
        samples = []
        for _ in range(10):
            t0 = time.perf_counter()
            msg = alerts.compose("deskbot@example.com", ["ops@example.com"], "bench", text="x" * 4000,
                                 attachments=[shot])
            alerts.send_message(msg, home, config=config)
            samples.append((time.perf_counter() - t0) * 1000)
    finally:
        controller.stop()
    print(f"outbox flush: {sent} waiting alerts (200 kB screenshot each) in {flush * 1000:.0f} ms"
          f" ({flush / max(sent, 1) * 1000:.1f} ms each); compose+queue+send one alert: median"
          f" {statistics.median(samples):.1f} ms; delivered {Inbox.count}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        os.environ["DESKBOT_HOME"] = str(tmp / "home")
        fire_times()
        tick_cost(tmp)
        worker_latency(tmp)
        alert_delivery(tmp)


if __name__ == "__main__":
    main()
