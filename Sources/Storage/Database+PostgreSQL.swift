extension Database {
    /// Everything `Database.connect` can be told; every limit has a documented default.
    public struct PostgresConfiguration: Sendable {
        /// Reader connections, each on its own thread (the pool is bounded: one writer plus these). Default 4.
        public var readerCount = 4
        /// How long a `read` waits for a free reader before `StorageError.busy`. Default 2 s.
        public var readerCheckoutTimeout: Duration = .seconds(2)
        /// `statement_timeout` of every connection: a statement (or its wait for a lock) that runs
        /// longer fails with `busy`. Default 5 s.
        public var statementTimeout: Duration = .seconds(5)
        /// `connect_timeout` unless the URL sets one. Default 5 s.
        public var connectTimeout: Duration = .seconds(5)
        /// The most jobs committed by one transaction. Default 512.
        public var maxBatchSize = 512
        /// The most jobs waiting for the writer; beyond it `write` throws `busy` at once. Default 10,000.
        public var maxQueueLength = 10_000
        /// `application_name` unless the URL sets one.
        public var applicationName = "weavr-gateway"

        public init() {}
    }

    /// `true` for `postgres://` and `postgresql://` URLs: `--db` and `database.url` select PostgreSQL with them.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// `true` when `url` carries a password (`user:password@` or `password=`), which belongs in the
    /// environment (`PGPASSWORD`, `PGPASSFILE`), never in a configuration file or on a command line.
    public static func urlHasPassword(_ url: String) -> Bool {
        redacted(url: url) != url
    }

    /// `url` without its password, for logs and errors.
    public static func redacted(url: String) -> String {
        let characters = Array(url)
        guard let colon = characters.firstIndex(of: ":"), characters[colon...].starts(with: Array("://")) else { return url }
        let authorityStart = colon + 3
        let authorityEnd = characters[authorityStart...].firstIndex { $0 == "/" || $0 == "?" } ?? characters.endIndex
        var authority = characters[authorityStart..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            let user = authority[..<at].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? []
            authority = ArraySlice(Array(user) + ["@"] + Array(authority[authority.index(after: at)...]))
        }
        var tail = characters[authorityEnd...]
        if let question = tail.firstIndex(of: "?") {
            let query = tail[tail.index(after: question)...].split(separator: "&")
                .filter { !String($0).lowercased().hasPrefix("password=") }
            tail = tail[..<question] + (query.isEmpty ? [] : ["?"] + Array(query.joined(separator: "&")))
        }
        return String(characters[..<authorityStart]) + String(authority) + String(tail)
    }

    /// Connects to PostgreSQL at `url` (libpq: `sslmode`, `PGPASSWORD`, `PGPASSFILE` and the other
    /// `PG*` variables apply), runs the pending `migrations` under an advisory lock and opens the
    /// writer and `readerCount` reader connections.
    ///
    /// Throws `StorageError.unreachable` (the reason, without the password, in `PostgresConnectError`)
    /// when the server cannot be reached, `.schemaTooNew` for a database newer than `migrations`.
    public static func connect(
        url: String, migrations: Migrations, configuration: PostgresConfiguration = PostgresConfiguration()
    ) throws -> Database {
        let durable = PostgresConnection.Settings(
            statementTimeout: configuration.statementTimeout, connectTimeout: configuration.connectTimeout,
            synchronousCommit: true, applicationName: configuration.applicationName
        )
        let writer = try PostgresConnection.opening(url: url, settings: durable)
        do {
            try migrations.apply(to: writer)
        } catch {
            writer.close()
            throw error
        }
        var readers: [PostgresConnection] = []
        do {
            for _ in 0..<configuration.readerCount {
                readers.append(try PostgresConnection.opening(url: url, settings: durable))
            }
        } catch {
            readers.forEach { $0.close() }
            writer.close()
            throw error
        }
        return Database(
            path: redacted(url: url),
            dialect: .postgres,
            writer: DatabaseWriter(
                connection: writer,
                limits: DatabaseWriter.Limits(
                    groupCommit: true, maxBatchSize: configuration.maxBatchSize, maxQueueLength: configuration.maxQueueLength
                )
            ),
            readers: ReaderPool(connections: readers, checkoutTimeout: configuration.readerCheckoutTimeout),
            listenTarget: PostgresListenTarget(url: url, settings: durable)
        )
    }

    /// The schema version: SQLite's `user_version`, PostgreSQL's newest `schema_migrations` row.
    public func schemaVersion() async throws -> Int {
        let dialect = self.dialect
        return try await read { connection in
            switch dialect {
            case .sqlite:
                Int(try connection.query("PRAGMA user_version", []).first?[0].int64Value ?? 0)
            case .postgres:
                try Migrations.postgresVersion(of: connection)
            }
        }
    }
}

/// A PostgreSQL server could not be reached when connecting; `reason` is libpq's, without the password.
public struct PostgresConnectError: Error, CustomStringConvertible, Sendable {
    /// The URL without its password.
    public let url: String
    /// libpq's first line, e.g. "connection to server at "127.0.0.1", port 5433 failed: Connection refused".
    public let reason: String

    public var description: String {
        "cannot connect to PostgreSQL at \(url): \(reason)"
    }
}

extension PostgresConnection {
    /// Connects, or throws `PostgresConnectError` naming libpq's reason.
    static func opening(url: String, settings: Settings) throws -> PostgresConnection {
        let connection = PostgresConnection(url: url, settings: settings)
        guard connection.isConnected else {
            throw PostgresConnectError(url: Database.redacted(url: url), reason: connection.lastConnectFailure ?? "unreachable")
        }
        return connection
    }
}
