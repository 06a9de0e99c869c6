import Auth
import GatewayCore

/// A checkpoint of the audit chain in the C2SP `tlog-checkpoint` format, signed as a C2SP `signed-note`:
///
///     <origin>\n<tree size>\n<base64 root hash>\n
///     \n
///     — <key name> <base64(4-byte key id || 64-byte Ed25519 signature)>\n
///
/// The root is the audit chain's head at seq `treeSize`: the SHA-256 hash of that row, which covers every
/// row before it through `prev_hash` (not an RFC 6962 Merkle root; there are no inclusion proofs).
public struct AuditCheckpointNote: Sendable, Hashable {
    /// The log's identity, e.g. `weavr-gateway.example.com/audit`; also the signing key's name.
    public var origin: String
    /// Rows 1…treeSize are covered.
    public var treeSize: Int64
    /// The 32-byte hash of row `treeSize`.
    public var rootHash: [UInt8]

    public init(origin: String, treeSize: Int64, rootHash: [UInt8]) {
        self.origin = origin
        self.treeSize = treeSize
        self.rootHash = rootHash
    }

    /// The signed text (tlog-checkpoint: origin, decimal tree size, base64 root, each ending in a newline).
    public var body: String { "\(origin)\n\(treeSize)\n\(Base64.encode(rootHash))\n" }

    /// The em dash and space every signature line starts with (U+2014 U+0020, C2SP signed-note).
    static let signaturePrefix = "\u{2014} "

    /// A key name C2SP allows: non-empty, no whitespace, no `+`.
    public static func isValidKeyName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 }
    }

    /// The C2SP key id of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || public key)[:4].
    public static func keyID(name: String, publicKey: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(Array(name.utf8) + [0x0A, 0x01] + publicKey).prefix(4))
    }

    /// One signature line: `— <name> <base64(key id || signature)>`.
    public struct SignatureLine: Sendable, Hashable {
        public var name: String
        /// The 4-byte key id.
        public var keyID: [UInt8]
        public var signature: [UInt8]
    }

    /// A signed note split into its signed text and its signature lines.
    public struct Signed: Sendable, Hashable {
        /// The signed text, ending in a newline.
        public var text: String
        public var signatures: [SignatureLine]
    }

    /// Splits a signed note at its last blank line (C2SP signed-note): the text before (with its final
    /// newline) and the signature lines after. Throws on anything malformed.
    public static func split(_ note: String) throws(AuditCheckpointError) -> Signed {
        let bytes = Array(note.utf8)
        guard bytes.allSatisfy({ $0 >= 0x20 || $0 == 0x0A }), bytes.last == 0x0A else { throw .malformed("not a signed note") }
        var cut: Int?
        var index = bytes.count - 2
        while index > 0 {
            if bytes[index] == 0x0A, bytes[index - 1] == 0x0A { cut = index; break }
            index -= 1
        }
        guard let cut else { throw .malformed("no blank line before the signatures") }
        let text = String(decoding: bytes[..<cut], as: UTF8.self)
        var signatures: [SignatureLine] = []
        for line in String(decoding: bytes[(cut + 1)...], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            guard line.hasPrefix(signaturePrefix) else { throw .malformed("a signature line does not start with an em dash") }
            let parts = line.dropFirst(signaturePrefix.count).split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, isValidKeyName(String(parts[0])), let raw = Base64.decode(String(parts[1])), raw.count > 4 else {
                throw .malformed("a signature line is not `— <name> <base64>`")
            }
            signatures.append(SignatureLine(name: String(parts[0]), keyID: Array(raw.prefix(4)), signature: Array(raw.dropFirst(4))))
        }
        guard !signatures.isEmpty else { throw .malformed("no signature lines") }
        return Signed(text: text, signatures: signatures)
    }

    /// Parses a checkpoint body: origin, tree size, base64 32-byte root (extension lines are refused).
    public static func parse(body: String) throws(AuditCheckpointError) -> AuditCheckpointNote {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 4, lines[3].isEmpty, !lines[0].isEmpty,
            let size = Int64(lines[1]), size >= 0, String(size) == lines[1],
            let root = Base64.decode(String(lines[2])), root.count == 32
        else { throw .malformed("the text is not a checkpoint (origin, tree size, base64 root hash)") }
        return AuditCheckpointNote(origin: String(lines[0]), treeSize: size, rootHash: root)
    }
}

/// A checkpoint or key that cannot be used; says why, never any key material.
public enum AuditCheckpointError: Error, Sendable, Hashable, CustomStringConvertible {
    case malformed(String)
    case badKey(String)
    case unverified(String)

    public var description: String {
        switch self {
        case .malformed(let why): "malformed checkpoint: \(why)"
        case .badKey(let why): "unusable public key: \(why)"
        case .unverified(let why): "checkpoint not verified: \(why)"
        }
    }
}
