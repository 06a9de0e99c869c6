/// Where sessions live. Every lookup is scoped by tenant: a session of tenant A is never
/// returned, changed or revoked through tenant B. Reads return only live sessions (not
/// revoked, neither expiry passed).
public protocol SessionStore: Sendable {
    /// Creates a session with a fresh 128-bit sid; the Weavr token is stored encrypted.
    func create(tenantID: String, userID: String, identity: WeavrIdentity, weavrToken: String) async throws -> Session
    /// The live session `sid` of `tenantID`, or `nil`.
    func get(sid: String, tenantID: String) async throws -> Session?
    /// Records use: `lastSeenAt = now`, idle expiry slides to `now + idleTimeout` but never
    /// past the absolute expiry. `nil` when the session is not live.
    func touch(sid: String, tenantID: String) async throws -> Session?
    /// Records a successful step-up, optionally replacing the Weavr token. `nil` when not live.
    func markSteppedUp(sid: String, tenantID: String, weavrToken: String?) async throws -> Session?
    /// Revokes one session; `false` when there was no such session of the tenant.
    func revoke(sid: String, tenantID: String) async throws -> Bool
    /// Revokes every session of the tenant; returns how many were live.
    func revokeAll(tenantID: String) async throws -> Int
    /// The tenant's live sessions, newest first (no secrets).
    func list(tenantID: String) async throws -> [Session]
    /// Decrypts the Weavr token of a live session; `nil` when not live.
    func weavrToken(sid: String, tenantID: String) async throws -> String?
    /// Deletes sessions that expired or were revoked before `cutoff` (ms); returns the count.
    func purge(before cutoff: Int64) async throws -> Int
}
