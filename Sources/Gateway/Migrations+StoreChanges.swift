import Storage

extension Migrations {
    /// Version 8: a generation counter that every change to tenants or signing keys bumps — by triggers, so
    /// every writer of the database counts, whether a running gateway, the `tenant`/`keys` commands or
    /// another instance. Running gateways poll this one row cheaply and reload what changed
    /// (`StoreChangeWatcher`).
    static let storeChanges = Migrations([
        Migration(
            version: 8,
            sql: """
                CREATE TABLE store_changes (
                    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                    generation INTEGER NOT NULL
                ) STRICT;
                INSERT INTO store_changes (id, generation) VALUES (1, 0);
                CREATE TRIGGER tenants_inserted AFTER INSERT ON tenants BEGIN UPDATE store_changes SET generation = generation + 1; END;
                CREATE TRIGGER tenants_updated AFTER UPDATE ON tenants BEGIN UPDATE store_changes SET generation = generation + 1; END;
                CREATE TRIGGER tenants_deleted AFTER DELETE ON tenants BEGIN UPDATE store_changes SET generation = generation + 1; END;
                CREATE TRIGGER signing_keys_inserted AFTER INSERT ON signing_keys BEGIN UPDATE store_changes SET generation = generation + 1; END;
                CREATE TRIGGER signing_keys_updated AFTER UPDATE ON signing_keys BEGIN UPDATE store_changes SET generation = generation + 1; END;
                CREATE TRIGGER signing_keys_deleted AFTER DELETE ON signing_keys BEGIN UPDATE store_changes SET generation = generation + 1; END;
                """,
            postgres: """
                CREATE TABLE store_changes (
                    id BIGINT PRIMARY KEY NOT NULL CHECK (id = 1),
                    generation BIGINT NOT NULL
                );
                INSERT INTO store_changes (id, generation) VALUES (1, 0);
                CREATE FUNCTION weavr_gateway_store_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE store_changes SET generation = generation + 1 WHERE id = 1;
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER tenants_changed AFTER INSERT OR UPDATE OR DELETE ON tenants
                    FOR EACH STATEMENT EXECUTE FUNCTION weavr_gateway_store_changed();
                CREATE TRIGGER signing_keys_changed AFTER INSERT OR UPDATE OR DELETE ON signing_keys
                    FOR EACH STATEMENT EXECUTE FUNCTION weavr_gateway_store_changed();
                """
        ),
    ])
}
