extension Migrations {
    /// Versions 5–9 (reserved): the audit log and the quota ledger.
    static let auditSchema: [Migration] = []
}
