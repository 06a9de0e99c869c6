internal import CLibPQ
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// One libpq connection, owned by one storage thread (the writer or a reader), which is the
/// only thread that calls it: libpq's blocking calls never run on an event loop. An event loop's own
/// connection (`PostgresLoopReader`) is connected off the loop and then makes only the non-blocking
/// calls (`PostgresConnection+NonBlocking.swift`).
///
/// Statements are sent with `PQexecParams` (parameters always bound, never spliced into the
/// SQL); `?` placeholders become `$1…` once per SQL text. Results come back in text format
/// and are typed by column OID into `SQLValue`s.
///
/// A lost connection is not reconnected behind a caller's back in the middle of a transaction:
/// statements fail with `StorageError.unreachable`, and `reconnectIfBroken()` — called by the
/// writer before a batch and by the readers before a read — opens a new one, at most once per
/// backoff interval (100 ms doubling to 5 s), so a database that is down costs one quick
/// refusal per request, and the store recovers by itself when it returns.
final class PostgresConnection {
    /// Session settings applied after every (re)connect.
    struct Settings: Sendable {
        /// `statement_timeout`: a statement running (or waiting for a lock) longer fails with `busy`.
        var statementTimeout: Duration
        /// `connect_timeout` unless the URL sets one.
        var connectTimeout: Duration
        /// `synchronous_commit`; `true` (durable) except for connections that write only
        /// ephemeral rows (rate-limit state).
        var synchronousCommit: Bool
        /// `application_name` unless the URL sets one (shows in `pg_stat_activity`).
        var applicationName: String
    }

    /// The cluster-wide lock every write batch takes first (`pg_advisory_xact_lock`), so the
    /// batches of several instances run one after another: the audit chain stays gapless and
    /// batches never deadlock on each other's rows.
    static let writerLockKey: Int64 = 0x7765_6176_7201
    /// The lock `migrate` holds, so two instances starting together do not both migrate.
    static let migrationLockKey: Int64 = 0x7765_6176_7202

    private let url: String
    private let settings: Settings
    /// Internal (not private) for the non-blocking calls (`PostgresConnection+NonBlocking.swift`).
    private(set) var handle: OpaquePointer?
    private var numberedSQL: [String: String] = [:]
    /// Server-side prepared statements of this session, by SQL text and parameter types: parsed and
    /// planned once per connection instead of per call. Emptied on every (re)connect.
    var preparedStatements: [PreparedKey: String] = [:]
    var preparedCount = 0
    /// The most statements prepared per connection; others go through `PQexecParams`.
    static let preparedStatementLimit = 256

    struct PreparedKey: Hashable {
        var sql: String
        var types: [Oid]
    }
    private var failedAttempts = 0
    /// Set on the writer connection only (`DatabaseWriter`).
    var writeMemo: WriteMemo?
    private var nextAttempt = ContinuousClock.now
    /// libpq's reason the last connection attempt failed (host, port and the server's answer; never the password).
    private(set) var lastConnectFailure: String?

    /// Connects to `url` (a `postgresql://` URI or a libpq connection string). When it cannot,
    /// `isConnected` is `false` and `lastConnectFailure` says why; statements fail until a reconnect.
    init(url: String, settings: Settings) {
        self.url = url
        self.settings = settings
        try? connect()
    }

    /// The libpq connection, for `waitForNotifications` (nil when closed).
    var rawHandle: OpaquePointer? { handle }

    /// `true` while the connection is up.
    var isConnected: Bool {
        handle.map { PQstatus($0) == CONNECTION_OK } ?? false
    }

    deinit {
        close()
    }

    var dialect: SQLDialect { .postgres }

    /// Opens a new connection if the current one is broken, unless the last attempt failed less
    /// than the backoff interval ago. Never throws: a statement on a broken connection does.
    func reconnectIfBroken() {
        if let handle, PQstatus(handle) == CONNECTION_OK { return }
        guard ContinuousClock.now >= nextAttempt else { return }
        do {
            try connect()
        } catch {
            // `connect` has set the next attempt.
        }
    }

    private func connect() throws {
        close()
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = [String(max(1, Int(settings.connectTimeout.components.seconds))), settings.applicationName, url]
        let connection = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let reason = connection.map { Self.firstLine(String(cString: PQerrorMessage($0))) } ?? "out of memory"
            if let connection { PQfinish(connection) }
            failedAttempts += 1
            let backoff = min(Duration.milliseconds(100) * (1 << min(failedAttempts - 1, 6)), .seconds(5))
            nextAttempt = .now + backoff
            lastConnectFailure = reason
            throw StorageError.unreachable
        }
        handle = connection
        preparedStatements.removeAll()
        failedAttempts = 0
        let milliseconds = settings.statementTimeout.components.seconds * 1000
            + settings.statementTimeout.components.attoseconds / 1_000_000_000_000_000
        do {
            try execute( """
            SET statement_timeout = \(milliseconds);
            SET idle_in_transaction_session_timeout = 60000;
            SET synchronous_commit = \(settings.synchronousCommit ? "on" : "off");
            SET client_min_messages = warning;
            """)
        } catch {
            lastConnectFailure = "session settings refused: \(error)"
            close()
            throw error
        }
    }

    /// Runs a script of statements without parameters (migrations, session settings).
    func execute(_ script: String) throws {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { throw StorageError.unreachable }
        let result = PQexec(handle, script)
        defer { PQclear(result) }
        try check(result)
    }

    @discardableResult
    func run(_ sql: String, _ values: [SQLValue]) throws -> Int {
        let result = try send(sql, values)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    func query(_ sql: String, _ values: [SQLValue]) throws -> [Row] {
        let result = try send(sql, values)
        defer { PQclear(result) }
        return Self.rows(of: result)
    }

    /// The rows of a query's result, typed by column OID.
    static func rows(of result: OpaquePointer) -> [Row] {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let names = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        let types = (0..<columnCount).map { PQftype(result, Int32($0)) }
        var rows: [Row] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var rowValues: [SQLValue] = []
            rowValues.reserveCapacity(columnCount)
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) != 0 {
                    rowValues.append(.null)
                } else {
                    let text = String(cString: PQgetvalue(result, row, column))
                    rowValues.append(Self.value(text, type: types[Int(column)]))
                }
            }
            rows.append(Row(columnNames: names, values: rowValues))
        }
        return rows
    }

    var isInTransaction: Bool {
        guard let handle else { return false }
        switch PQtransactionStatus(handle) {
        case PQTRANS_INTRANS, PQTRANS_INERROR, PQTRANS_ACTIVE: return true
        default: return false
        }
    }

    func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    // MARK: - Sending

    private func send(_ sql: String, _ values: [SQLValue]) throws -> OpaquePointer {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { throw StorageError.unreachable }
        let text = numbered(sql)
        let statementAndResult: (String?, OpaquePointer?) = try Self.withParameters(values) { types, valuePointers, lengths, formats in
            let statement = try prepared(text, types: types, on: handle)
            let result = if let statement {
                PQexecPrepared(handle, statement, Int32(values.count), valuePointers, lengths, formats, 0)
            } else {
                PQexecParams(handle, text, Int32(values.count), types, valuePointers, lengths, formats, 0)
            }
            return (statement, result)
        }
        let statement = statementAndResult.0
        guard let result = statementAndResult.1 else { throw StorageError.unreachable }
        if let statement, Self.isStalePlan(result) {
            // "cached plan must not change result type": another instance migrated the schema under this
            // session's plan. Forget the statement; the caller's next call prepares it again.
            forgetPrepared(statement)
            if PQtransactionStatus(handle) == PQTRANS_IDLE { _ = PQexec(handle, "DEALLOCATE \(statement)").map(PQclear) }
        }
        do {
            try check(result)
        } catch {
            PQclear(result)
            throw error
        }
        return result
    }

    /// True for a prepared statement's "cached plan must not change result type" (another instance migrated
    /// the schema under this session's plan).
    static func isStalePlan(_ result: OpaquePointer) -> Bool {
        PQresultStatus(result) == PGRES_FATAL_ERROR
            && PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map({ String(cString: $0) }) == "0A000"
    }

    /// Forgets a prepared statement; the next call with its SQL prepares it again.
    func forgetPrepared(_ statement: String) {
        preparedStatements = preparedStatements.filter { $0.value != statement }
    }

    /// Calls `body` with `values` as libpq's parameter arrays (types, value pointers, lengths, formats), valid
    /// only during the call: integers, reals and text in text format, blobs in binary.
    static func withParameters<T>(
        _ values: [SQLValue],
        _ body: ([Oid], UnsafePointer<UnsafePointer<CChar>?>?, [Int32], [Int32]) throws -> T
    ) rethrows -> T {
        var types: [Oid] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        var buffers: [UnsafeMutablePointer<CChar>?] = []
        types.reserveCapacity(values.count)
        defer { buffers.forEach { free($0) } }
        for value in values {
            switch value {
            case .null:
                types.append(0); lengths.append(0); formats.append(0); buffers.append(nil)
            case .integer(let number):
                types.append(20); lengths.append(0); formats.append(0); buffers.append(strdup(String(number)))
            case .real(let number):
                types.append(701); lengths.append(0); formats.append(0)
                buffers.append(strdup(number.isNaN ? "NaN" : number.isInfinite ? (number < 0 ? "-Infinity" : "Infinity") : "\(number)"))
            case .text(let string):
                types.append(25); lengths.append(0); formats.append(0); buffers.append(strdup(string))
            case .blob(let bytes):
                let buffer = malloc(max(bytes.count, 1))!.assumingMemoryBound(to: CChar.self)
                bytes.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { memcpy(buffer, base, bytes.count) }
                }
                types.append(17); lengths.append(Int32(bytes.count)); formats.append(1); buffers.append(buffer)
            }
        }
        return try buffers.withUnsafeBufferPointer { bufferPointers in
            try bufferPointers.withMemoryRebound(to: UnsafePointer<CChar>?.self) { valuePointers in
                try body(types, valuePointers.baseAddress, lengths, formats)
            }
        }
    }

    /// How a statement with `key` runs on this session: its prepared statement, one to prepare now (a new name,
    /// counted), or unprepared once the session holds `preparedStatementLimit` of them. For both the blocking
    /// `prepared` and the non-blocking `startStatement`.
    enum PreparedPlan {
        case ready(String)
        case prepare(String)
        case unprepared
    }

    func plan(for key: PreparedKey) -> PreparedPlan {
        if let name = preparedStatements[key] { return .ready(name) }
        guard preparedStatements.count < Self.preparedStatementLimit else { return .unprepared }
        preparedCount += 1
        return .prepare("wg_\(preparedCount)")
    }

    /// The name of the prepared statement for `text` with parameters of `types`, preparing it on first use;
    /// `nil` once the connection holds `preparedStatementLimit` of them.
    private func prepared(_ text: String, types: [Oid], on handle: OpaquePointer) throws -> String? {
        let key = PreparedKey(sql: text, types: types)
        switch plan(for: key) {
        case .ready(let name):
            return name
        case .unprepared:
            return nil
        case .prepare(let name):
            let result = PQprepare(handle, name, text, Int32(types.count), types)
            defer { PQclear(result) }
            try check(result)
            preparedStatements[key] = name
            return name
        }
    }

    func check(_ result: OpaquePointer?) throws {
        guard let result else { throw StorageError.unreachable }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            // The primary message only: DETAIL may quote the values of a conflicting row.
            let message = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
                ?? Self.firstLine(String(cString: PQresultErrorMessage(result)))
            if let handle, PQstatus(handle) != CONNECTION_OK { throw StorageError.unreachable }
            throw Self.error(state: state, message: message)
        }
    }

    /// Classifies a failed statement by its SQLSTATE.
    static func error(state: String, message: String) -> StorageError {
        switch state {
        case "40001", "40P01", "55P03", "57014", "53300": return .busy
        case "53100", "53200": return .full
        case "58030": return .ioError
        case "25006": return .readOnly
        case "57P01", "57P02", "57P03": return .unreachable
        default:
            if state.hasPrefix("23") { return .constraint(message) }
            if state.hasPrefix("08") { return .unreachable }
            return .other(code: 0, message: "PostgreSQL \(state): \(message)")
        }
    }

    /// `sql` with its `?` placeholders numbered `$1…` (outside quoted literals and identifiers), cached.
    func numbered(_ sql: String) -> String {
        if let cached = numberedSQL[sql] { return cached }
        let converted = Self.numberPlaceholders(sql)
        if numberedSQL.count < 512 { numberedSQL[sql] = converted }
        return converted
    }

    /// `?` becomes `$1`, `$2`, … in order; SQLite's numbered `?NNN` becomes `$NNN`.
    static func numberPlaceholders(_ sql: String) -> String {
        let characters = Array(sql)
        var output = ""
        output.reserveCapacity(characters.count + 16)
        var quote: Character?
        var next = 1
        for (index, character) in characters.enumerated() {
            if let open = quote {
                if character == open { quote = nil }
                output.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                output.append(character)
            } else if character == "?" {
                let numbered = index + 1 < characters.count && characters[index + 1].isASCII && characters[index + 1].isNumber
                output += numbered ? "$" : "$\(next)"
                if !numbered { next += 1 }
            } else {
                output.append(character)
            }
        }
        return output
    }

    /// A text-format result value typed by its column's OID.
    static func value(_ text: String, type: Oid) -> SQLValue {
        switch type {
        case 20, 21, 23, 26, 28:
            return Int64(text).map(SQLValue.integer) ?? .text(text)
        case 16:
            return .integer(text == "t" ? 1 : 0)
        case 700, 701:
            return Double(text).map(SQLValue.real) ?? .text(text)
        case 1700:
            if let integer = Int64(text) { return .integer(integer) }
            return Double(text).map(SQLValue.real) ?? .text(text)
        case 17:
            return .blob(hexBytes(text))
        default:
            return .text(text)
        }
    }

    /// The bytes of a `bytea` in hex output format (`\x0a1b…`).
    static func hexBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        let digits = Array(text.utf8.dropFirst(2))
        bytes.reserveCapacity(digits.count / 2)
        func nibble(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: c &- UInt8(ascii: "A") &+ 10
            }
        }
        var index = 0
        while index + 1 < digits.count {
            bytes.append(nibble(digits[index]) << 4 | nibble(digits[index + 1]))
            index += 2
        }
        return bytes
    }

    static func firstLine(_ message: String) -> String {
        String(message.split(separator: "\n").first ?? "").trimmingSpaces()
    }
}

extension PostgresConnection: EngineConnection {
    /// Every commit of the writer is flushed (`synchronous_commit` on): `WriteDurability.withNextFlush` is
    /// SQLite's alone.
    func flushCommits(_ flush: Bool) throws -> Bool { settings.synchronousCommit }

    func beginWriteTransaction() throws {
        reconnectIfBroken()
        try run("BEGIN", [])
        try run("SELECT pg_advisory_xact_lock(\(Self.writerLockKey))", [])
    }

    var transactionHasFailed: Bool {
        handle.map { PQtransactionStatus($0) == PQTRANS_INERROR } ?? false
    }

    func commitWriteTransaction() throws {
        guard let handle else { throw StorageError.unreachable }
        // A statement failed inside the transaction (and a job swallowed the error): COMMIT would roll back.
        guard PQtransactionStatus(handle) != PQTRANS_INERROR else {
            throw StorageError.other(code: 0, message: "the write transaction was aborted by a failed statement")
        }
        let result = PQexec(handle, "COMMIT")
        defer { PQclear(result) }
        try check(result)
        guard String(cString: PQcmdStatus(result)) == "COMMIT" else {
            throw StorageError.other(code: 0, message: "COMMIT was answered by \(String(cString: PQcmdStatus(result)))")
        }
    }

    func finishStatements() {}

    func prepareForJob() {
        reconnectIfBroken()
    }
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { body($0.baseAddress!) }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
