public import Storage

extension Migrations {
    /// Versions 5–7: the audit log and the quota ledger.
    ///
    /// - 5: `audit_log` (the hash-chained rows, `seq` assigned by the writer, gapless),
    ///   `audit_head` (seq and hash of the newest row, updated in the same transaction as
    ///   every append, so truncating the tail is detected) and `audit_anchor` (seq and hash
    ///   of the last pruned row, written in the same transaction as the prune; verification
    ///   starts from it). Both hold exactly one row; seq 0 with 64 zeros is the genesis.
    /// - 6: `quota_usage`, units used per tenant, UTC day and operation.
    /// - 7: `audit_once`, keys of audit events recorded at most once (a finished bulk's
    ///   per-operation rows), inserted in the same transaction as the rows they stand for.
    public static let audit = Migrations([
        Migration(
            version: 5,
            sql: """
                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    time INTEGER NOT NULL,
                    tenant TEXT,
                    actor TEXT NOT NULL,
                    session_hash TEXT,
                    action TEXT NOT NULL,
                    target TEXT,
                    outcome TEXT NOT NULL,
                    http_status INTEGER,
                    upstream_status INTEGER,
                    upstream_ref TEXT,
                    request_id TEXT,
                    client_ip TEXT,
                    user_agent TEXT,
                    details TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                ) STRICT;
                CREATE INDEX audit_log_by_tenant ON audit_log (tenant, seq);
                CREATE INDEX audit_log_by_target ON audit_log (target, seq) WHERE target IS NOT NULL;
                CREATE INDEX audit_log_by_time ON audit_log (time);
                CREATE TABLE audit_head (
                    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                    seq INTEGER NOT NULL,
                    hash TEXT NOT NULL
                ) STRICT;
                CREATE TABLE audit_anchor (
                    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                    seq INTEGER NOT NULL,
                    hash TEXT NOT NULL,
                    pruned_at INTEGER
                ) STRICT;
                INSERT INTO audit_head (id, seq, hash)
                    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
                INSERT INTO audit_anchor (id, seq, hash)
                    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
                """
        ),
        Migration(
            version: 6,
            sql: """
                CREATE TABLE quota_usage (
                    tenant TEXT NOT NULL,
                    day TEXT NOT NULL,
                    operation TEXT NOT NULL,
                    used INTEGER NOT NULL CHECK (used >= 0),
                    PRIMARY KEY (tenant, day, operation)
                ) STRICT, WITHOUT ROWID;
                """
        ),
        Migration(
            version: 7,
            sql: """
                CREATE TABLE audit_once (
                    key TEXT PRIMARY KEY NOT NULL,
                    recorded_at INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID;
                """
        ),
    ])
}
