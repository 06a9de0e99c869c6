/// What the jobs of one write transaction may remember between them, on the writer connection only.
///
/// A job that reads a value every later job of the same transaction would read again (the audit chain's
/// head) keeps it here, and the next job takes it instead of a round trip. The writer empties the memo
/// whenever what it holds might be wrong: when a transaction begins, commits or rolls back, and when a
/// job fails (its savepoint rolled back). Nothing else writes while the transaction holds the write lock
/// (SQLite `BEGIN IMMEDIATE`; PostgreSQL the writer's advisory lock), so a remembered value stays true.
public final class WriteMemo: @unchecked Sendable {
    // Touched only on the writer thread.
    private var values: [String: any Sendable] = [:]

    init() {}

    /// The value remembered under `key` in this transaction.
    public subscript<T: Sendable>(key: String, as type: T.Type = T.self) -> T? {
        get { values[key] as? T }
        set { values[key] = newValue }
    }

    func clear() {
        if !values.isEmpty { values.removeAll(keepingCapacity: true) }
    }
}
