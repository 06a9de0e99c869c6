extension MasterKey {
    /// What a subkey is for; each gets an independent HKDF output.
    public enum Purpose: String, Sendable, CaseIterable {
        /// Wraps (AES-256-GCM) the random HMAC keys of the session-token key ring at rest.
        case tokenSigning = "token-signing"
        /// CSRF tokens for cookie sessions.
        case csrf
        /// AES-256-GCM encryption at rest (`SecretBox`).
        case encryption
        /// The audit log's hash chain.
        case audit
        /// `idempotency-ref`s sent to Weavr and the fingerprints of stored idempotent requests.
        case idempotency
        /// The Ed25519 key (its 32-byte seed) that signs audit checkpoints, unless `checkpoints.keyFile` names one.
        case auditCheckpoint = "audit-checkpoint"

        /// The HKDF `info` string: `"weavr-gateway/v1/" + rawValue`.
        public var info: String { "weavr-gateway/v1/" + rawValue }
    }
}
