"""The scheduler's state and the intake journal move into the store (they were the SQLite files
``DESKBOT_HOME/schedule.db`` and ``intake.db``): ``schedule_triggers``, ``schedule_due_runs``,
``schedule_seen_files``, ``intake_files``, ``intake_bookings``, ``intake_events``.

``create_all`` makes these tables before migrations run, so here they are only made when missing
(a no-op on a store just opened). The rows of the old files are imported by the processes that
use them, on first use (``bots.schedule_state``, ``bots.intake_journal``): the files live under each
machine's ``DESKBOT_HOME``, which a migration of a shared PostgreSQL store cannot see.
"""

from alembic import op

from bots.store import metadata

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("schedule_triggers", "schedule_due_runs", "schedule_seen_files", "intake_files", "intake_bookings",
          "intake_events")


def upgrade() -> None:
    import bots.intake_journal  # noqa: F401  (declare the tables on the store's metadata)
    import bots.schedule_state  # noqa: F401

    for name in TABLES:
        metadata.tables[name].create(op.get_bind(), checkfirst=True)
