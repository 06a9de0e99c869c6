#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

import GatewayCore

/// The gateway's root secret (32 bytes), from `GATEWAY_MASTER_KEY` or a key file.
///
/// Nothing uses it directly: each purpose gets its own subkey derived with HKDF-SHA256
/// (RFC 5869), `info` = `"weavr-gateway/v1/" + purpose`. Neither the key nor a subkey ever
/// appears in a `description` or an error message.
public struct MasterKey: Sendable {
    /// The required key length in bytes.
    public static let length = 32
    /// The environment variable read by `fromEnvironment()`.
    public static let environmentVariable = "GATEWAY_MASTER_KEY"
    /// Key files larger than this are refused without reading further.
    static let maxFileSize = 4096

    private let subkeys: [Purpose: SecretBytes]

    /// Uses `bytes` (exactly 32) as the master key.
    public init(bytes: [UInt8]) throws {
        try self.init(bytes: bytes, source: "master key")
    }

    /// Parses a base64 (RFC 4648 §4) master key of exactly 32 bytes.
    public init(base64: String) throws {
        try self.init(base64: base64, source: "master key")
    }

    private init(base64: String, source: String) throws {
        let trimmed = base64.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { throw MasterKeyError.missing(source: source) }
        guard let bytes = Base64.decode(trimmed) else { throw MasterKeyError.invalidBase64(source: source) }
        try self.init(bytes: bytes, source: source)
    }

    private init(bytes: [UInt8], source: String) throws {
        guard bytes.count == Self.length else {
            throw MasterKeyError.wrongLength(source: source, actual: bytes.count)
        }
        var subkeys: [Purpose: SecretBytes] = [:]
        for purpose in Purpose.allCases {
            // RFC 5869 §3.1: the salt is optional when the input key is already uniformly
            // random; §3.2: `info` binds each output to its purpose.
            let derived = try HKDF.deriveKey(inputKey: bytes, info: Array(purpose.info.utf8), length: 32)
            subkeys[purpose] = SecretBytes(derived)
        }
        self.subkeys = subkeys
    }

    /// The master key from `GATEWAY_MASTER_KEY` (base64, 32 bytes).
    ///
    /// `environment` replaces the process environment (for tests). Throws
    /// `MasterKeyError.missing` when the variable is unset or empty.
    public static func fromEnvironment(_ environment: [String: String]? = nil) throws -> MasterKey {
        let value: String?
        if let environment {
            value = environment[environmentVariable]
        } else {
            value = getenv(environmentVariable).map { String(cString: $0) }
        }
        guard let value else { throw MasterKeyError.missing(source: environmentVariable) }
        return try MasterKey(base64: value, source: environmentVariable)
    }

    /// The master key from the file at `path`: exactly 32 raw bytes, or base64 text.
    ///
    /// The file must be a regular file with no group or other permissions (mode 0600 or
    /// 0400), otherwise `MasterKeyError.fileTooPermissive`.
    public static func load(fileAt path: String) throws -> MasterKey {
        let source = "key file \(path)"
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            throw MasterKeyError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        // fstat on the opened descriptor: the checked file is the file read.
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw MasterKeyError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw MasterKeyError.unreadableFile(path: path, reason: "not a regular file")
        }
        let permissions = UInt32(status.st_mode) & 0o777
        guard permissions & 0o077 == 0 else {
            throw MasterKeyError.fileTooPermissive(path: path, mode: permissions)
        }
        guard Int(status.st_size) <= maxFileSize else {
            throw MasterKeyError.unreadableFile(path: path, reason: "larger than \(maxFileSize) bytes")
        }
        var contents = [UInt8](repeating: 0, count: maxFileSize + 1)
        var total = 0
        while total < contents.count {
            let count = contents.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + total, buffer.count - total)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw MasterKeyError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            total += count
        }
        defer { for index in contents.indices { contents[index] = 0 } }
        guard total <= maxFileSize else {
            throw MasterKeyError.unreadableFile(path: path, reason: "larger than \(maxFileSize) bytes")
        }
        let bytes = Array(contents[0..<total])
        if bytes.count == length {
            return try MasterKey(bytes: bytes, source: source)
        }
        return try MasterKey(base64: String(decoding: bytes, as: UTF8.self), source: source)
    }

    /// A fresh random master key, for `weavr-gateway demo` only: it lives in memory, so
    /// everything encrypted under it is unreadable after a restart.
    public static func generate() throws -> MasterKey {
        try MasterKey(bytes: SecureRandom.bytes(length))
    }

    /// The 32-byte subkey for `purpose`.
    public func subkey(for purpose: Purpose) -> SecretBytes {
        subkeys[purpose]!
    }
}

extension MasterKey: CustomStringConvertible {
    /// `MasterKey(redacted)`.
    public var description: String { "MasterKey(redacted)" }
}
