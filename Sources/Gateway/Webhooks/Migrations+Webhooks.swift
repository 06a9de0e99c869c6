import Storage

extension Migrations {
    /// Version 11: the `call-ref`s of Weavr webhooks already taken in, per tenant (`WeavrEventStore`): the
    /// primary key makes a second delivery of one `call-ref` a no-op, exactly, under any concurrency and across
    /// instances. Version 12: the per-tenant event log `/v1/events` streams from (`seq` is the SSE event id), kept
    /// for `events.retention` (7 days by default) and pruned by `RetentionTask`; receipts go with their events. The seq comes
    /// from `weavr_events_head` (one row, moved by the writer), not a sequence: ids never repeat after pruning, and
    /// `db copy` carries the head like any other row (the schema has no PostgreSQL sequences).
    static let webhooks = Migrations([
        Migration(
            version: 11,
            sql: """
                CREATE TABLE webhook_receipts (
                    tenant_id TEXT NOT NULL,
                    call_ref TEXT NOT NULL,
                    received_at INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, call_ref)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX webhook_receipts_by_time ON webhook_receipts (received_at);
                """,
            postgres: """
                CREATE TABLE webhook_receipts (
                    tenant_id TEXT NOT NULL,
                    call_ref TEXT NOT NULL,
                    received_at BIGINT NOT NULL,
                    PRIMARY KEY (tenant_id, call_ref)
                );
                CREATE INDEX webhook_receipts_by_time ON webhook_receipts (received_at);
                """
        ),
        Migration(
            version: 12,
            sql: """
                CREATE TABLE weavr_events (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    tenant_id TEXT NOT NULL,
                    identity_type TEXT,
                    identity_id TEXT,
                    kind TEXT NOT NULL,
                    data TEXT NOT NULL,
                    received_at INTEGER NOT NULL
                ) STRICT;
                CREATE INDEX weavr_events_by_identity ON weavr_events (tenant_id, identity_id, seq);
                CREATE INDEX weavr_events_by_time ON weavr_events (received_at);
                CREATE TABLE weavr_events_head (
                    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                    seq INTEGER NOT NULL
                ) STRICT;
                INSERT INTO weavr_events_head (id, seq) VALUES (1, 0);
                """,
            postgres: """
                CREATE TABLE weavr_events (
                    seq BIGINT PRIMARY KEY NOT NULL,
                    tenant_id TEXT NOT NULL,
                    identity_type TEXT,
                    identity_id TEXT,
                    kind TEXT NOT NULL,
                    data TEXT NOT NULL,
                    received_at BIGINT NOT NULL
                );
                CREATE INDEX weavr_events_by_identity ON weavr_events (tenant_id, identity_id, seq);
                CREATE INDEX weavr_events_by_time ON weavr_events (received_at);
                CREATE TABLE weavr_events_head (
                    id BIGINT PRIMARY KEY NOT NULL CHECK (id = 1),
                    seq BIGINT NOT NULL
                );
                INSERT INTO weavr_events_head (id, seq) VALUES (1, 0);
                """
        ),
    ])
}
