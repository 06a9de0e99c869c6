internal import CLibPQ

/// The non-blocking half of `PostgresConnection`, for `PostgresLoopReader`: a statement is sent without waiting
/// (`PQsendQueryPrepared`, or `PQsendPrepare` first when its SQL is new to the session) and its result is read
/// when the event loop says the socket is readable. Same placeholders, parameters, prepared statements and
/// errors as the blocking calls.
extension PostgresConnection {
    /// What a sent statement is waiting for.
    enum Sent {
        /// The statement's prepare (`name`, for `key`); `sendPrepared` follows once its result is in.
        case preparing(name: String, key: PreparedKey)
        /// The statement itself (`prepared`: the prepared statement that runs it, nil for `PQsendQueryParams`).
        case executing(prepared: String?)
    }

    /// The connection's socket, for an event loop to watch; -1 when closed.
    var socket: Int32 { handle.map { PQsocket($0) } ?? -1 }

    /// Puts the connection in non-blocking mode (sends never wait for the socket). False when it cannot.
    func makeNonBlocking() -> Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        return PQsetnonblocking(handle, 1) == 0
    }

    /// Sends `sql` with `values` without waiting for an answer; then `flushOutput` until it returns true.
    func startStatement(_ sql: String, _ values: [SQLValue]) throws -> Sent {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { throw StorageError.unreachable }
        let text = numbered(sql)
        return try Self.withParameters(values) { types, valuePointers, lengths, formats in
            let key = PreparedKey(sql: text, types: types)
            switch plan(for: key) {
            case .ready(let name):
                guard PQsendQueryPrepared(handle, name, Int32(values.count), valuePointers, lengths, formats, 0) == 1 else {
                    throw StorageError.unreachable
                }
                return .executing(prepared: name)
            case .unprepared:
                guard PQsendQueryParams(handle, text, Int32(values.count), types, valuePointers, lengths, formats, 0) == 1 else {
                    throw StorageError.unreachable
                }
                return .executing(prepared: nil)
            case .prepare(let name):
                guard PQsendPrepare(handle, name, text, Int32(types.count), types) == 1 else { throw StorageError.unreachable }
                return .preparing(name: name, key: key)
            }
        }
    }

    /// After a prepare's result came back without an error: remembers the statement and sends it.
    func sendPrepared(name: String, key: PreparedKey, values: [SQLValue]) throws {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { throw StorageError.unreachable }
        preparedStatements[key] = name
        try Self.withParameters(values) { _, valuePointers, lengths, formats in
            guard PQsendQueryPrepared(handle, name, Int32(values.count), valuePointers, lengths, formats, 0) == 1 else {
                throw StorageError.unreachable
            }
        }
    }

    /// Writes what libpq holds to the socket: true when all of it is out, false when the socket is full (wait for
    /// it to be writable and call again). Throws `unreachable` when the connection broke.
    func flushOutput() throws -> Bool {
        guard let handle else { throw StorageError.unreachable }
        switch PQflush(handle) {
        case 0: return true
        case 1: return false
        default: throw StorageError.unreachable
        }
    }

    /// Reads what the socket holds. Throws `unreachable` when the connection broke.
    func consumeInput() throws {
        guard let handle, PQconsumeInput(handle) == 1 else { throw StorageError.unreachable }
    }

    /// The next result of the command being answered, when it is in: `.result` for each result, `.end` once the
    /// command is complete, `.waiting` when more input is needed.
    enum Incoming {
        case waiting
        case result(OpaquePointer)
        case end
    }

    func nextIncoming() -> Incoming {
        guard let handle, PQisBusy(handle) == 0 else { return .waiting }
        guard let result = PQgetResult(handle) else { return .end }
        return .result(result)
    }

    /// The rows of a finished statement's result, or its error (`check`); frees the result. A stale plan is
    /// forgotten but not `DEALLOCATE`d (that would be a second round trip; the name is never reused).
    func finish(_ result: OpaquePointer?, prepared: String?) throws -> [Row] {
        defer { if let result { PQclear(result) } }
        if let prepared, let result, Self.isStalePlan(result) { forgetPrepared(prepared) }
        try check(result)
        return Self.rows(of: result!)
    }

    /// Checks a prepare's result; frees it.
    func finishPrepare(_ result: OpaquePointer?) throws {
        defer { if let result { PQclear(result) } }
        try check(result)
    }
}
