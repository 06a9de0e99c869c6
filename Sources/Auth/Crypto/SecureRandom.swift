internal import COpenSSL
import GatewayCore

/// Bytes from OpenSSL's CSPRNG (`RAND_bytes`).
public enum SecureRandom {
    /// `count` cryptographically strong random bytes.
    ///
    /// Throws `CryptoError.randomUnavailable` rather than returning weak bytes.
    public static func bytes(_ count: Int) throws -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max))
        var output = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return output }
        let result = output.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        // RAND_bytes(3): 1 on success; anything else means the output must not be used.
        guard result == 1 else { throw CryptoError.randomUnavailable }
        return output
    }

    /// `count` random bytes as lower-case hex (2 × `count` characters).
    public static func hex(_ count: Int) throws -> String {
        Hex.encode(try bytes(count))
    }
}
