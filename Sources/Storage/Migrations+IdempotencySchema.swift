extension Migrations {
    /// Version 4 (reserved): the idempotency-key store of the `/v1` API.
    static let idempotencySchema: [Migration] = []
}
