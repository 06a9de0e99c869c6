internal import CLibPQ

extension Database {
    /// Runs `script` on a one-off PostgreSQL connection to `url`, outside any transaction (for
    /// `CREATE DATABASE`, `DROP DATABASE` and other administration). Throws `PostgresConnectError`
    /// when the server cannot be reached, a `StorageError` when the script fails.
    public static func executeOnce(url: String, script: String) throws {
        let connection = try PostgresConnection.opening(
            url: url,
            settings: PostgresConnection.Settings(
                statementTimeout: .seconds(60), connectTimeout: .seconds(5), synchronousCommit: true,
                applicationName: "weavr-gateway-admin"
            )
        )
        defer { connection.close() }
        try connection.execute(script)
    }

    /// `url` with its database name replaced by `name` (the path after the host), keeping the query.
    public static func url(_ url: String, withDatabase name: String) -> String {
        let characters = Array(url)
        guard let colon = characters.firstIndex(of: ":"), characters[colon...].starts(with: Array("://")) else { return url }
        let authorityStart = colon + 3
        let query = characters[authorityStart...].firstIndex(of: "?") ?? characters.endIndex
        let pathStart = characters[authorityStart..<query].firstIndex(of: "/") ?? query
        return String(characters[..<pathStart]) + "/" + name + String(characters[query...])
    }
}
