import Auth

/// `weavr-gateway keys rotate|list|retire` as library calls returning text to print.
/// Output shows key ids and states, never key bytes. Running gateways on the same database pick
/// changes up within about a second (they poll its change counter).
struct KeyCommands: Sendable {
    private let store: any KeyRingStore

    /// Commands over `store`.
    init(store: any KeyRingStore) {
        self.store = store
    }

    /// `keys rotate`: a new active key; the previous one keeps verifying (nobody is logged out).
    func rotate() async throws -> String {
        let previous = try await store.list().first { $0.state == .active }
        let info = try await store.rotate()
        if let previous {
            return "new active signing key \(info.kid); \(previous.kid) now only verifies existing tokens; running gateways on this database apply it within 1 s\n"
        }
        return "new active signing key \(info.kid)\n"
    }

    /// `keys list`: kid, state, created (ms since the Unix epoch), retired.
    func list() async throws -> String {
        let keys = try await store.list()
        guard !keys.isEmpty else { return "no signing keys\n" }
        return "kid\tstate\tcreated_ms\tretired_ms\n"
            + keys.map { "\($0.kid)\t\($0.state.rawValue)\t\($0.createdAt)\t\($0.retiredAt.map(String.init) ?? "-")\n" }.joined()
    }

    /// `keys retire KID`: tokens signed with it stop verifying (those sessions must log in again).
    func retire(_ kid: String) async throws -> String {
        let info = try await store.retire(kid)
        return "retired signing key \(info.kid); running gateways on this database stop accepting the tokens it signed within 1 s\n"
    }
}
