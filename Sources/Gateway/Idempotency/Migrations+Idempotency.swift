import Storage

extension Migrations {
    /// Version 4: the idempotency-key store of the `/v1` API. One row per tenant + user + key; `state`
    /// is `in_flight` until the first response is stored (`status`, the safe headers and `body`).
    /// Rows are dead once `expires_at` (ms) has passed and are purged by the store, a few at a time.
    static let idempotency = Migrations([
        Migration(
            version: 4,
            sql: """
                CREATE TABLE idempotency_keys (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    fingerprint BLOB NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('in_flight', 'complete')),
                    status INTEGER,
                    content_type TEXT,
                    location TEXT,
                    body BLOB,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id, idempotency_key),
                    CHECK ((state = 'complete') = (status IS NOT NULL AND body IS NOT NULL))
                ) STRICT;
                CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
                """
        ),
    ])
}
