/// The formats of `AuditLog.export`.
public enum AuditExportFormat: String, Sendable, Hashable, CaseIterable {
    /// One JSON object per line (`details` as a nested object); lossless, so the hashes
    /// can be recomputed from it.
    case ndjson
    /// RFC 4180 CSV with a header row, CRLF line ends. For spreadsheets: a text field that
    /// starts with `=`, `+`, `-` or `@` gets a leading `'` (OWASP CSV injection), so
    /// such fields do not round-trip byte for byte; use NDJSON to re-verify hashes.
    case csv
}
