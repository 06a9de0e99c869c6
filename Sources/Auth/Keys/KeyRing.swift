internal import Synchronization

/// The session-token signing keys in memory: the active key signs, active and verifying
/// keys verify. Lookups take a lock but never touch storage; `reload()` refreshes the
/// snapshot after a rotation or retirement (here or by another instance).
public final class KeyRing: Sendable {
    private struct Snapshot {
        var activeKeyID: String?
        var keys: [String: [UInt8]] = [:]
        /// The same keys with their HMAC states computed once (verification on every request).
        var prepared: [String: HMACSHA256.PreparedKey] = [:]
    }

    private let store: any KeyRingStore
    private let snapshot = Mutex(Snapshot())

    /// Loads the ring from `store`, creating the first active key when there is none.
    public init(store: any KeyRingStore) async throws {
        self.store = store
        _ = try await store.ensureActiveKey()
        try await reload()
    }

    /// Re-reads the active and verifying keys from the store.
    public func reload() async throws {
        let keys = try await store.loadVerifyingKeys()
        var fresh = Snapshot()
        for key in keys {
            fresh.keys[key.info.kid] = key.material.bytes
            fresh.prepared[key.info.kid] = HMACSHA256.PreparedKey(key.material.bytes)
            if key.info.state == .active { fresh.activeKeyID = key.info.kid }
        }
        let loaded = fresh
        snapshot.withLock { $0 = loaded }
    }

    /// Rotates in the store and reloads: new tokens carry the new `kid`, old ones still verify.
    @discardableResult
    public func rotate() async throws -> SigningKeyInfo {
        let info = try await store.rotate()
        try await reload()
        return info
    }

    /// Retires `kid` in the store and reloads: tokens signed with it stop verifying.
    @discardableResult
    public func retire(_ kid: String) async throws -> SigningKeyInfo {
        let info = try await store.retire(kid)
        try await reload()
        return info
    }

    /// The kid new tokens are signed with.
    public var activeKeyID: String? {
        snapshot.withLock { $0.activeKeyID }
    }

    /// The active kid and key bytes.
    func signingKey() -> (kid: String, key: [UInt8])? {
        snapshot.withLock { state in
            state.activeKeyID.flatMap { kid in state.keys[kid].map { (kid, $0) } }
        }
    }

    /// The key bytes for `kid` when it is active or verifying.
    func verificationKey(for kid: Substring) -> [UInt8]? {
        snapshot.withLock { $0.keys[String(kid)] }
    }

    /// The key for `kid`, HMAC states precomputed, when it is active or verifying (what `SessionToken.verify`
    /// uses on every request).
    func preparedVerificationKey(for kid: String) -> HMACSHA256.PreparedKey? {
        snapshot.withLock { $0.prepared[kid] }
    }
}
