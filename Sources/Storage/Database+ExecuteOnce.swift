extension Database {
    /// Runs `script` on a one-off PostgreSQL connection to `url` in autocommit mode, then closes it:
    /// for tools and tests that manage whole databases (`CREATE DATABASE x`, `DROP DATABASE x WITH (FORCE)`).
    ///
    /// libpq runs a script of several statements as one implicit transaction, and `CREATE DATABASE`
    /// or `DROP DATABASE` refuse to run in one: send those one per call. Throws `PostgresConnectError`
    /// (without the password) when the server cannot be reached, `StorageError` when a statement fails.
    public static func executeOnce(url: String, script: String, statementTimeout: Duration = .seconds(60)) throws {
        let connection = try PostgresConnection.opening(
            url: url,
            settings: PostgresConnection.Settings(
                statementTimeout: statementTimeout, connectTimeout: .seconds(5),
                synchronousCommit: true, applicationName: "weavr-gateway"
            )
        )
        defer { connection.close() }
        try connection.execute(script)
    }
}
