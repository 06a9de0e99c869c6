import Auth
import GatewayCore

/// Opens signed checkpoints with one trusted Ed25519 public key.
public struct AuditCheckpointVerifier: Sendable {
    /// The key name the signature line must carry; nil accepts any name whose key id matches the key (a PEM
    /// key file carries no name).
    public let keyName: String?
    public let publicKey: [UInt8]

    public init(keyName: String?, publicKey: [UInt8]) {
        self.keyName = keyName
        self.publicKey = publicKey
    }

    /// A verifier from a key file: a C2SP verifier key (`name+hexid+base64(0x01||key)`, what
    /// `GET /admin/v1/audit/checkpoint-key` calls `verifierKey`) or a PEM Ed25519 `PUBLIC KEY`.
    public init(keyFile text: String) throws(AuditCheckpointError) {
        if text.contains("-----BEGIN PUBLIC KEY-----") {
            guard let key = Ed25519.publicKey(pem: text) else { throw .badKey("not an Ed25519 PEM public key") }
            self.init(keyName: nil, publicKey: key)
            return
        }
        let parts = text.trimmedOf([" ", "\n", "\r", "\t"]).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, AuditCheckpointNote.isValidKeyName(String(parts[0])), let id = Hex.decode(String(parts[1]).lowercased()), id.count == 4,
            let raw = Base64.decode(String(parts[2])), raw.count == 33, raw[0] == 0x01
        else { throw .badKey("not a verifier key `name+hexid+base64(0x01||key)` or PEM") }
        let key = Array(raw.dropFirst())
        guard AuditCheckpointNote.keyID(name: String(parts[0]), publicKey: key) == id else { throw .badKey("the key id does not match the key") }
        self.init(keyName: String(parts[0]), publicKey: key)
    }

    /// The checkpoint of `note` when a signature line of this key verifies; throws otherwise (a bad signature
    /// of this key refuses the whole note, as C2SP signed-note asks).
    public func open(_ note: String) throws(AuditCheckpointError) -> AuditCheckpointNote {
        let signed = try AuditCheckpointNote.split(note)
        let candidates = signed.signatures.filter { line in
            (keyName == nil || keyName == line.name) && line.keyID == AuditCheckpointNote.keyID(name: line.name, publicKey: publicKey)
        }
        guard let line = candidates.first else { throw .unverified("no signature by this key") }
        guard Ed25519.isValidSignature(line.signature, of: Array(signed.text.utf8), publicKey: publicKey) else {
            throw .unverified("the signature does not verify")
        }
        return try AuditCheckpointNote.parse(body: signed.text)
    }
}

extension String {
    fileprivate func trimmedOf(_ set: Set<Character>) -> Substring {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return s
    }
}
