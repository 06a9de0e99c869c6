import Auth
import GatewayCore

/// The Ed25519 key that signs audit checkpoints, named by the log's origin.
///
/// The key is the 32-byte seed of HKDF purpose `audit-checkpoint` of the master key, or a key file's
/// (`checkpoints.keyFile`); README "Signed audit checkpoints" says how to rotate it.
public struct AuditCheckpointSigner: Sendable {
    /// The key name in the signature line (the origin).
    public let keyName: String
    private let key: Ed25519.PrivateKey

    /// A signer named `keyName` (a C2SP key name: no spaces, no `+`) with the key whose seed is `seed`.
    public init(keyName: String, seed: [UInt8]) throws {
        guard AuditCheckpointNote.isValidKeyName(keyName) else { throw AuditCheckpointError.badKey("the name must be non-empty, without spaces or `+`") }
        self.keyName = keyName
        key = try Ed25519.PrivateKey(seed: seed)
    }

    /// The 32-byte Ed25519 public key.
    public var publicKey: [UInt8] { key.publicKey }
    /// The 4-byte C2SP key id.
    public var keyID: [UInt8] { AuditCheckpointNote.keyID(name: keyName, publicKey: publicKey) }
    /// The C2SP verifier key: `<name>+<hex key id>+<base64(0x01 || public key)>`.
    public var verifierKey: String { "\(keyName)+\(Hex.encode(keyID))+\(Base64.encode([0x01] + publicKey))" }
    /// The public key as PEM (what `openssl pkeyutl -verify -pubin` reads).
    public var publicKeyPEM: String { Ed25519.pem(publicKey: publicKey) }

    /// The signed note of `checkpoint`: its body, a blank line, one signature line.
    public func sign(_ checkpoint: AuditCheckpointNote) throws -> String {
        let body = checkpoint.body
        let signature = try key.sign(Array(body.utf8))
        return body + "\n" + AuditCheckpointNote.signaturePrefix + keyName + " " + Base64.encode(keyID + signature) + "\n"
    }
}
