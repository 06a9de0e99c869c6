/// A `SessionStore` layered over another (`base`): every call it does not implement itself goes to `base`
/// unchanged. `CachedSessionStore` and `BatchedSessionReads` implement only what they change.
public protocol ForwardingSessionStore: SessionStore {
    /// The store underneath.
    var base: any SessionStore { get }
}

extension ForwardingSessionStore {
    public func create(tenantID: String, userID: String, identity: WeavrIdentity, weavrToken: String) async throws -> Session {
        try await base.create(tenantID: tenantID, userID: userID, identity: identity, weavrToken: weavrToken)
    }

    public func get(sid: String, tenantID: String) async throws -> Session? {
        try await base.get(sid: sid, tenantID: tenantID)
    }

    public func touch(sid: String, tenantID: String) async throws -> Session? {
        try await base.touch(sid: sid, tenantID: tenantID)
    }

    public func markSteppedUp(sid: String, tenantID: String, weavrToken: String?) async throws -> Session? {
        try await base.markSteppedUp(sid: sid, tenantID: tenantID, weavrToken: weavrToken)
    }

    public func revoke(sid: String, tenantID: String) async throws -> Bool {
        try await base.revoke(sid: sid, tenantID: tenantID)
    }

    public func revokeAll(tenantID: String) async throws -> Int {
        try await base.revokeAll(tenantID: tenantID)
    }

    public func list(tenantID: String) async throws -> [Session] {
        try await base.list(tenantID: tenantID)
    }

    public func weavrToken(sid: String, tenantID: String) async throws -> String? {
        try await base.weavrToken(sid: sid, tenantID: tenantID)
    }

    public func purge(before cutoff: Int64) async throws -> Int {
        try await base.purge(before: cutoff)
    }
}
