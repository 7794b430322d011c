"""Runs record their recipe version and duration; artifacts keep their order in an id column;
indexes for the console's filters; rollups counted from the history a first time.

A store made by the sqlite3 version of deskbot (before SQLAlchemy) is brought to this shape.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    inspector = sa.inspect(conn)
    run_columns = {c["name"] for c in inspector.get_columns("runs")}
    with op.batch_alter_table("runs") as batch:
        if "recipe_version" not in run_columns:
            batch.add_column(sa.Column("recipe_version", sa.String(64)))
        if "duration_ms" not in run_columns:
            batch.add_column(sa.Column("duration_ms", sa.Float))
    run_indexes = {i["name"]: i["column_names"] for i in inspector.get_indexes("runs")}
    for name, columns in {"runs_started": ["started", "id"], "runs_recipe": ["recipe", "started", "id"],
                          "runs_status": ["status", "started", "id"]}.items():
        if run_indexes.get(name) != columns:
            if name in run_indexes:
                op.drop_index(name, table_name="runs")
            op.create_index(name, "runs", columns)
    if "duration_ms" not in run_columns and conn.dialect.name == "sqlite":
        conn.execute(sa.text("UPDATE runs SET duration_ms = (julianday(ended) - julianday(started)) * 86400000.0"
                             " WHERE ended IS NOT NULL"))

    if "id" not in {c["name"] for c in inspector.get_columns("artifacts")}:
        # the old table ordered by SQLite's rowid; keep that order in an explicit key
        op.create_table("artifacts_new",
                        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                        sa.Column("run_id", sa.String(64), nullable=False),
                        sa.Column("seq", sa.Integer),
                        sa.Column("kind", sa.String(40), nullable=False),
                        sa.Column("path", sa.Text, nullable=False))
        conn.execute(sa.text("INSERT INTO artifacts_new (id, run_id, seq, kind, path)"
                             " SELECT rowid, run_id, seq, kind, path FROM artifacts ORDER BY rowid"))
        op.drop_table("artifacts")
        op.rename_table("artifacts_new", "artifacts")
        op.create_index("artifacts_run", "artifacts", ["run_id"])

    step_indexes = {i["name"] for i in inspector.get_indexes("step_attempts")}
    if "step_attempts_pk" not in step_indexes:
        op.create_index("step_attempts_pk", "step_attempts", ["run_id", "seq"], unique=True)

    from bots.store import rebuild_rollups  # the rollups' arithmetic is the store's
    rebuild_rollups(conn)
