import Auth
import GatewayCore

/// The CSRF token of a cookie session: HMAC(csrf subkey, sid), hex. Stateless; it dies with the session.
struct CSRFTokens: Sendable {
    let key: SecretBytes

    func token(sid: String) -> String {
        Hex.encode(HMACSHA256.authenticate(key: key, message: Array("csrf|\(sid)".utf8)))
    }
}
