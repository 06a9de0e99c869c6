public import Storage

extension Migrations {
    /// Versions 1–3: the tables behind the `Auth` module's stores (tenants, session-token
    /// signing keys, sessions). Secrets are stored only as `SecretBox` records (BLOB).
    public static let auth = Migrations([
        Migration(
            version: 1,
            sql: """
                CREATE TABLE tenants (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
                    weavr_base_url TEXT NOT NULL,
                    card_profiles TEXT NOT NULL,
                    allowed_origins TEXT NOT NULL,
                    session_modes TEXT NOT NULL,
                    quotas TEXT NOT NULL,
                    api_key_sealed BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                ) STRICT;
                """
        ),
        Migration(
            version: 2,
            sql: """
                CREATE TABLE signing_keys (
                    kid TEXT PRIMARY KEY NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('active', 'verifying', 'retired')),
                    key_sealed BLOB,
                    created_at INTEGER NOT NULL,
                    retired_at INTEGER,
                    CHECK ((state = 'retired') = (key_sealed IS NULL))
                ) STRICT;
                CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (state) WHERE state = 'active';
                """
        ),
        Migration(
            version: 3,
            sql: """
                CREATE TABLE sessions (
                    sid TEXT PRIMARY KEY NOT NULL,
                    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                    user_id TEXT NOT NULL,
                    identity_type TEXT NOT NULL,
                    identity_id TEXT NOT NULL,
                    weavr_token_sealed BLOB NOT NULL,
                    stepped_up_at INTEGER,
                    created_at INTEGER NOT NULL,
                    last_seen_at INTEGER NOT NULL,
                    idle_expires_at INTEGER NOT NULL,
                    absolute_expires_at INTEGER NOT NULL,
                    revoked_at INTEGER
                ) STRICT;
                CREATE INDEX sessions_by_tenant ON sessions (tenant_id, created_at);
                """
        ),
    ])
}
