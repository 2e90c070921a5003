"""Limits every worker shares: per-kiosk request rates and failed kiosk logins kept as token buckets in the database."""

from __future__ import annotations

import sqlite3

from gateway import migrate, ratelimit, retention
from gateway.documents.register import IssuedDocument, SqliteIssuedDocuments
from gateway.storage import Database


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_two_workers_count_against_one_bucket(new_database):
    location = new_database("buckets")
    first, second = Database(location), Database(location)  # as two worker processes open it
    clock = Clock()
    try:
        one = ratelimit.SharedRateLimiter(first, "kiosk", per_second=1.0, burst=4, clock=clock)
        two = ratelimit.SharedRateLimiter(second, "kiosk", per_second=1.0, burst=4, clock=clock)
        assert [one.take("XM-HALL-001"), two.take("XM-HALL-001"), one.take("XM-HALL-001"),
                two.take("XM-HALL-001")] == [0, 0, 0, 0]
        assert one.take("XM-HALL-001") > 0 and two.take("XM-HALL-001") > 0  # the burst is spent, whoever answers
        assert one.take("XM-24H-001") == 0  # another kiosk has its own bucket
        clock.now += 0.5
        assert two.take("XM-HALL-001") == 1  # half a token back: Retry-After 1 s
        clock.now += 0.5  # a whole token: one more request, whichever worker answers
        assert two.take("XM-HALL-001") == 0 and one.take("XM-HALL-001") > 0
        clock.now += ratelimit.BUCKETS_KEPT_S + 1
        with first.transaction() as conn:
            assert retention.prune(conn, clock.now, 86400) >= 2  # quiet buckets are full again: forgotten
            assert conn.one("SELECT count(*) FROM rate_buckets")[0] == 0
    finally:
        first.close()
        second.close()


def test_workers_of_a_province_get_shared_limiters_a_hall_keeps_them_in_its_process(new_database):
    db = Database(new_database("which"))
    try:
        requests, logins = ratelimit.limiters(db, 20.0, 60, 10)
        kind = ratelimit.SharedRateLimiter if db.postgres else ratelimit.RateLimiter
        assert isinstance(requests, kind) and isinstance(logins, kind)
        assert logins.per_second == 10 / 60 and logins.burst == 10
    finally:
        db.close()


def test_issued_documents_table_comes_from_the_schema_and_an_older_one_is_kept(tmp_path):
    path = tmp_path / "older.sqlite3"
    db = Database(path)
    db.close()
    with sqlite3.connect(path) as raw:  # a gateway before the revision made the table itself, and used it
        raw.execute("DROP TABLE issued_documents")
        raw.execute("DROP TABLE rate_buckets")
        for column in ("collecting_unit_zh", "collecting_unit_en", "collecting_unit_code", "payer_id_number"):
            raw.execute(f"ALTER TABLE notices DROP COLUMN {column}")
        raw.execute("DROP TABLE result_links")  # and what later revisions made
        raw.execute("DROP INDEX feedback_follow_up")
        raw.execute("ALTER TABLE feedback DROP COLUMN record_number")
        raw.execute("ALTER TABLE feedback DROP COLUMN follow_up_phone")
        raw.execute("UPDATE alembic_version SET version_num = '0004'")
        raw.execute("CREATE TABLE issued_documents (code TEXT PRIMARY KEY, number TEXT NOT NULL, kind TEXT NOT NULL, "
                    "holder_masked TEXT NOT NULL, issued_at TEXT NOT NULL, kiosk_id TEXT NOT NULL, digest TEXT NOT NULL "
                    "UNIQUE, pages INTEGER NOT NULL, size INTEGER NOT NULL)")
        raw.execute("INSERT INTO issued_documents VALUES ('7K3M-9QXD-2HFA-P4WN', 'XM-1', 'household', '张*', "
                    "'2026-12-01T09:00:00+08:00', 'XM-HALL-001', 'ab', 1, 100)")
    db = Database(path)
    try:
        register = SqliteIssuedDocuments(db)
        found = register.by_code("7K3M-9QXD-2HFA-P4WN")
        assert found is not None and found.number == "XM-1"
        register.record(IssuedDocument("0000-0000-0000-0001", "XM-2", "household", "李*", "2026-12-02T09:00:00+08:00",
                                       "XM-HALL-001", "cd", 1, 100))
        assert register.by_digest("cd") is not None
        with db.read() as conn:
            assert conn.one("SELECT version_num FROM alembic_version")[0] == migrate.head()
    finally:
        db.close()
