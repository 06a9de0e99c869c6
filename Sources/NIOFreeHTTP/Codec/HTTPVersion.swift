/// An HTTP protocol version as sent on the request line.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    /// The major version digit.
    public var major: Int
    /// The minor version digit.
    public var minor: Int

    /// Creates a version from its two digits.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.0.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1.
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// "HTTP/major.minor".
    public var description: String { "HTTP/\(major).\(minor)" }

    /// RFC 9112 §2.3 — HTTP-version = "HTTP/" DIGIT "." DIGIT; 1.0 and 1.1 accepted, other versions 505.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<HTTPVersion, HTTPParseError> {
        guard bytes.count == 8,
            bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"), bytes[2] == UInt8(ascii: "T"),
            bytes[3] == UInt8(ascii: "P"), bytes[4] == UInt8(ascii: "/"),
            HTTPByteClass.isDigit(bytes[5]), bytes[6] == UInt8(ascii: "."), HTTPByteClass.isDigit(bytes[7])
        else { return .failure(.badRequest("invalid HTTP version")) }
        let version = HTTPVersion(major: Int(bytes[5] &- 0x30), minor: Int(bytes[7] &- 0x30))
        guard version == .http1_1 || version == .http1_0 else {
            return .failure(HTTPParseError(status: 505, reason: "HTTP version not supported"))
        }
        return .success(version)
    }
}
