/// Encryption at rest: AES-256-GCM records that name the key that sealed them.
///
/// Record layout: `version (1 B) ‖ key id (4 B, big-endian) ‖ nonce (12 B) ‖ ciphertext ‖
/// tag (16 B)`. The GCM AAD is the 5-byte header followed by the caller's AAD, so neither
/// the header nor the record's context (e.g. tenant id) can be swapped without `open`
/// failing. The key id lets the encryption key be rotated: old records stay readable
/// while new ones are sealed under `currentKeyID`.
public struct SecretBox: Sendable {
    /// The record format written by `seal`.
    public static let formatVersion: UInt8 = 1
    static let headerLength = 5
    /// The smallest possible record (empty plaintext).
    static let minimumRecordLength = headerLength + AESGCM.nonceLength + AESGCM.tagLength

    private let keys: [UInt32: SecretBytes]
    /// The key id `seal` uses.
    public let currentKeyID: UInt32

    /// A box whose only key (id 1) is the master key's subkey for `purpose`.
    public init(masterKey: MasterKey, purpose: MasterKey.Purpose = .encryption) {
        self.keys = [1: masterKey.subkey(for: purpose)]
        self.currentKeyID = 1
    }

    /// A box with several keys (rotation); seals with `currentKeyID`, opens with any.
    public init(keys: [UInt32: SecretBytes], currentKeyID: UInt32) {
        precondition(keys[currentKeyID] != nil, "the current key must be in the ring")
        precondition(keys.values.allSatisfy { $0.count == AESGCM.keyLength }, "AES-256 keys are 32 bytes")
        self.keys = keys
        self.currentKeyID = currentKeyID
    }

    /// Seals `plaintext` under the current key with a fresh random nonce, binding `aad`.
    public func seal(_ plaintext: [UInt8], aad: [UInt8]) throws -> [UInt8] {
        let header = Self.header(keyID: currentKeyID)
        let box = try AESGCM.seal(plaintext: plaintext, key: keys[currentKeyID]!, aad: header + aad)
        return header + box.nonce + box.ciphertext + box.tag
    }

    /// Opens a record written by `seal` with the same `aad`.
    ///
    /// Throws `SecretBoxError.malformed` for a short record or unknown version,
    /// `.unknownKey` when the key id is not in the ring, `.authenticationFailed` when the
    /// record or `aad` was changed.
    public func open(_ record: [UInt8], aad: [UInt8]) throws -> [UInt8] {
        guard record.count >= Self.minimumRecordLength, record[0] == Self.formatVersion else {
            throw SecretBoxError.malformed
        }
        let keyID = record[1..<5].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard let key = keys[keyID] else { throw SecretBoxError.unknownKey(id: keyID) }
        let nonceEnd = Self.headerLength + AESGCM.nonceLength
        let tagStart = record.count - AESGCM.tagLength
        let box = AESGCM.SealedBox(
            nonce: Array(record[Self.headerLength..<nonceEnd]),
            ciphertext: Array(record[nonceEnd..<tagStart]),
            tag: Array(record[tagStart...])
        )
        do {
            return try AESGCM.open(box, key: key, aad: Array(record[0..<Self.headerLength]) + aad)
        } catch CryptoError.authenticationFailed {
            throw SecretBoxError.authenticationFailed
        }
    }

    /// The key id that sealed `record`, or `nil` when it is not a record of this format.
    public static func keyID(of record: [UInt8]) -> UInt32? {
        guard record.count >= minimumRecordLength, record[0] == formatVersion else { return nil }
        return record[1..<5].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// An unambiguous AAD from several fields: each is a 4-byte big-endian length
    /// followed by its UTF-8 bytes, so `("ab", "c")` and `("a", "bc")` differ.
    public static func context(_ fields: String...) -> [UInt8] {
        var out: [UInt8] = []
        for field in fields {
            let bytes = Array(field.utf8)
            let length = UInt32(bytes.count)
            out += [UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
            out += bytes
        }
        return out
    }

    private static func header(keyID: UInt32) -> [UInt8] {
        [formatVersion, UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xff), UInt8(keyID >> 8 & 0xff), UInt8(keyID & 0xff)]
    }
}
