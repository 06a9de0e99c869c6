import Storage

extension Migrations {
    /// Version 15: the separate Weavr sessions made for one card reveal (`RevealSessions`), each logged out at
    /// Weavr once it expires. The Weavr token is a `SecretBox` record (AAD `reveal-token`, tenant, id).
    static let reveal = Migrations([
        Migration(
            version: 15,
            sql: """
                CREATE TABLE reveal_sessions (
                    id TEXT PRIMARY KEY NOT NULL,
                    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                    user_id TEXT NOT NULL,
                    card_id TEXT NOT NULL,
                    weavr_token_sealed BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0
                ) STRICT;
                CREATE INDEX reveal_sessions_by_expiry ON reveal_sessions (expires_at);
                CREATE INDEX reveal_sessions_by_user ON reveal_sessions (tenant_id, user_id);
                """
        ),
    ])
}
