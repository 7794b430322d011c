"""The dashboard reads rollups by day: index them so."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "run_rollups_day" not in {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("run_rollups")}:
        op.create_index("run_rollups_day", "run_rollups", ["day"])
