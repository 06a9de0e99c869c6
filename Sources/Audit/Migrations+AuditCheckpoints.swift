public import Storage

extension Migrations {
    /// Version 13: `audit_checkpoint`, the signed checkpoints of the audit chain (one row per tree size: the
    /// chain head's hash at that seq, the signing key's id and the whole signed note as written to the sinks).
    public static let auditCheckpoints = Migrations([
        Migration(
            version: 13,
            sql: """
                CREATE TABLE audit_checkpoint (
                    tree_size INTEGER PRIMARY KEY NOT NULL,
                    root_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    key_id TEXT NOT NULL,
                    note TEXT NOT NULL
                ) STRICT;
                """
        ),
    ])
}
