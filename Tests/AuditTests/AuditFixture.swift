import Audit
import GatewayCore
import CSQLite
import Storage
import Testing
import TestSupport

/// A temporary gateway database with an audit log and a quota ledger on a manual clock.
final class AuditFixture {
    let directory: TemporaryDirectory
    /// The SQLite file, or the PostgreSQL database's URL.
    let path: String
    let backend: StoreBackend
    let clock = ManualWallClock(now: 1_750_000_000_000)
    private(set) var database: Database
    private let configuration: Database.Configuration
    private let postgres: PostgresTestDatabase?

    init(backend: StoreBackend = .sqlite, configuration: Database.Configuration = Database.Configuration()) async throws {
        directory = try TemporaryDirectory()
        self.backend = backend
        self.configuration = configuration
        switch backend {
        case .sqlite:
            postgres = nil
            path = directory.file("gateway.sqlite")
        case .postgres:
            let postgres = try await PostgresTestDatabase.create()
            self.postgres = postgres
            path = postgres.url
        }
        database = try await Self.open(backend, path, configuration)
    }

    /// Opens (and migrates) off the cooperative pool: libpq and migrations block.
    private static func open(_ backend: StoreBackend, _ path: String, _ configuration: Database.Configuration) async throws -> Database {
        try await offPool {
            switch backend {
            case .sqlite: try Database.open(path: path, migrations: .audit, configuration: configuration)
            case .postgres: try Database.connect(url: path, migrations: .audit)
            }
        }
    }

    deinit {
        database.close()
    }

    var log: SQLAuditLog { SQLAuditLog(database: database, clock: clock) }
    var ledger: SQLQuotaLedger { SQLQuotaLedger(database: database, clock: clock) }
    var journal: SQLMutationJournal { SQLMutationJournal(database: database, clock: clock) }

    /// Closes the database and opens the file again, as a restart would.
    func reopen() async throws {
        database.close()
        database = try await Self.open(backend, path, configuration)
    }

    /// Closes the database, runs `sql` on the file with the plain SQLite C API (an attacker
    /// with write access to the file), and reopens it.
    func tamper(_ sql: String) async throws {
        database.close()
        if backend == .postgres {
            let path = path
            try await offPool { try Database.executeOnce(url: path, script: sql) }
            database = try await Self.open(backend, path, configuration)
            return
        }
        var handle: OpaquePointer?
        #expect(sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK)
        let result = sqlite3_exec(handle, sql, nil, nil, nil)
        if result != SQLITE_OK {
            Issue.record("tamper SQL failed: \(String(cString: sqlite3_errmsg(handle)))")
        }
        sqlite3_close_v2(handle)
        database = try Database.open(path: path, migrations: .audit, configuration: configuration)
    }

    /// Appends `count` card.block intents, one `append` per row, `concurrency` at a time.
    @discardableResult
    func appendBlocks(_ count: Int, tenant: String = "acme") async throws -> [Int64] {
        let log = self.log
        return try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await log.append(Self.entry(index, tenant: tenant))
                }
            }
            var seqs: [Int64] = []
            for try await seq in group { seqs.append(seq) }
            return seqs.sorted()
        }
    }

    static func entry(_ index: Int, tenant: String = "acme", outcome: AuditOutcome = .intent) -> AuditEntry {
        AuditEntry(
            tenant: tenant,
            actor: "user-\(index % 7)",
            sessionID: "sid-\(index % 3)",
            action: .cardBlock,
            target: "card-\(index)",
            outcome: outcome,
            httpStatus: outcome == .intent ? nil : 200,
            requestID: "req-\(index)",
            clientIP: "203.0.113.\(index % 250)",
            userAgent: "Mozilla/5.0 (test)",
            details: try! AuditDetails(["reason": "lost", "attempt": .integer(Int64(index))])
        )
    }
}
