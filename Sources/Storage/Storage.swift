/// SQLite storage for the gateway: connection, migrations, the single writer with group commit.
///
/// Not built yet (issue 4). Nothing in this module is used by the running server today.
public enum StorageModule {}
