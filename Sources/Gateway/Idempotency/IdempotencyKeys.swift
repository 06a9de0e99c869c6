import Auth
import GatewayCore
import NIOFreeHTTP

/// The keyed hashes of idempotency, under their own master-key purpose (`MasterKey.Purpose.idempotency`):
/// the `idempotency-ref` forwarded to Weavr and the fingerprint that tells a repeated request from another
/// one under the same key. Neither reveals the key, the user or the body.
struct IdempotencyKeys: Sendable {
    let key: SecretBytes

    /// The `idempotency-ref` for a client's `Idempotency-Key`: HMAC over tenant, owner (user, or user and
    /// session), method, route and key — keys of different users or routes never collide — 32 hex characters.
    func ref(tenantID: String, owner: String, route: String, method: String, key clientKey: String) -> String {
        let message = Array([tenantID, owner, method, route, clientKey].joined(separator: "\u{1F}").utf8)
        let digest = HMACSHA256.authenticate(key: key, message: Array("idempotency|".utf8) + message)
        return Hex.encode(Array(digest.prefix(16)))
    }

    /// HMAC over method, path, query and body: a different request under the same key is detected without
    /// keeping the body.
    func fingerprint(of request: HTTPRequest) -> [UInt8] {
        var message = Array("idempotency-fingerprint|".utf8)
        for part in [request.method, request.path, request.query ?? ""] {
            message += Array(part.utf8)
            message.append(0x1F)
        }
        message += request.body
        return HMACSHA256.authenticate(key: key, message: message)
    }
}
