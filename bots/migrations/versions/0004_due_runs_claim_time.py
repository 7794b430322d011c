"""Due runs record when a scheduler claimed them, so a claim left by a scheduler on another
machine that died is freed after a lease (``bots.schedule_state.FOREIGN_CLAIM_LEASE``)."""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "claimed_at" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("schedule_due_runs")}:
        with op.batch_alter_table("schedule_due_runs") as batch:
            batch.add_column(sa.Column("claimed_at", sa.String(40)))
