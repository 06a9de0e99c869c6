/// Settings for a ``TLSContext``: certificates, trust, ALPN, ciphers and groups.
///
/// Defaults follow docs/ARCHITECTURE.md "TLS": TLS 1.2 + 1.3 only, Mozilla "intermediate" ciphers
/// restricted to ECDHE + AEAD, groups `X25519:P-256:P-384`.
public struct TLSConfiguration: Sendable {
    /// Where a client finds the certificate authorities it trusts.
    public enum TrustRoots: Sendable {
        /// OpenSSL's default verify paths (the system store, e.g. `/etc/ssl/certs`).
        case system
        /// A PEM file of CA certificates.
        case file(String)
    }

    /// Server: PEM certificate chain, leaf first.
    public var certificateChainFile: String?
    /// Server: PEM private key (RSA or ECDSA) matching the leaf certificate.
    public var privateKeyFile: String?

    /// Client: the trust anchors used to verify the server's chain.
    public var trustRoots: TrustRoots = .system
    /// Client: verify the chain and the host name. Only tests turn this off.
    public var verifyPeer: Bool = true

    /// ALPN protocols in preference order. The server answers with the first of its own
    /// protocols that the client also offers; with none in common it fails the handshake
    /// with `no_application_protocol` (RFC 7301 §3.2). Empty disables ALPN.
    public var alpn: [String] = ["http/1.1"]
    /// TLS 1.2 cipher list (OpenSSL syntax).
    public var cipherList: String = TLSConfiguration.intermediateCipherList
    /// TLS 1.3 cipher suites (OpenSSL syntax).
    public var cipherSuites: String = TLSConfiguration.tls13CipherSuites
    /// Key-exchange groups, most preferred first.
    public var groups: String = "X25519:P-256:P-384"
    /// Server: how often a new session-ticket key is made. Tickets are valid for one interval
    /// and their key decrypts for two, so resumption survives a rotation.
    public var ticketKeyRotationInterval: Duration = .seconds(6 * 3600)

    /// Test hook: false caps the context at TLS 1.2 (for TLS 1.2 coverage between our own sessions).
    var allowsTLS13 = true

    /// Mozilla Server Side TLS "intermediate" (v5.7) TLS 1.2 ciphers, minus the DHE ones:
    /// ECDHE key exchange and AEAD only.
    public static let intermediateCipherList = [
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    /// The three TLS 1.3 suites Mozilla "intermediate" allows.
    public static let tls13CipherSuites =
        "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

    /// An empty configuration with the defaults; prefer ``server(certificateChainFile:privateKeyFile:)``
    /// or ``client(trustRoots:)``.
    public init() {}

    /// A server configuration presenting the given chain and key.
    public static func server(certificateChainFile: String, privateKeyFile: String) -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.certificateChainFile = certificateChainFile
        configuration.privateKeyFile = privateKeyFile
        return configuration
    }

    /// A client configuration that verifies servers against `trustRoots`.
    public static func client(trustRoots: TrustRoots = .system) -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.trustRoots = trustRoots
        return configuration
    }
}
