/// Why the master key could not be loaded. Messages name the source, never the value.
public enum MasterKeyError: Error, Sendable, Hashable {
    /// The variable is unset or empty, or the file is empty.
    case missing(source: String)
    /// Not valid base64 (RFC 4648 §4).
    case invalidBase64(source: String)
    /// Decoded to `actual` bytes instead of 32.
    case wrongLength(source: String, actual: Int)
    /// The file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// The file grants group or other permissions (`mode` is the permission bits).
    case fileTooPermissive(path: String, mode: UInt32)
}

extension MasterKeyError: CustomStringConvertible {
    /// A message for the operator; never contains key material.
    public var description: String {
        switch self {
        case .missing(let source):
            "\(source) is not set: provide a base64-encoded 32-byte key (e.g. `openssl rand -base64 32`)"
        case .invalidBase64(let source):
            "\(source) is not valid base64: expected a base64-encoded 32-byte key (e.g. `openssl rand -base64 32`)"
        case .wrongLength(let source, let actual):
            "\(source) decodes to \(actual) bytes: expected exactly \(MasterKey.length) bytes"
        case .unreadableFile(let path, let reason):
            "cannot read master key file \(path): \(reason)"
        case .fileTooPermissive(let path, let mode):
            "refusing master key file \(path): mode \(String(mode, radix: 8)) lets group or others access it; run `chmod 600 \(path)`"
        }
    }
}
