extension AESGCM {
    /// The output of `AESGCM.seal`: a 12-byte nonce, the ciphertext (as long as the
    /// plaintext) and a 16-byte tag.
    public struct SealedBox: Sendable, Hashable {
        /// The nonce (IV).
        public var nonce: [UInt8]
        /// The ciphertext.
        public var ciphertext: [UInt8]
        /// The authentication tag.
        public var tag: [UInt8]

        /// Creates a box from its parts, e.g. as read back from storage.
        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }
}
