import Auth
import GatewayCore
import Synchronization

/// The admin API's bearer tokens, known only by their SHA-256 hashes (config lines `NAME sha256:HEX`).
/// `weavr-gateway admin-token NAME` makes a token and prints its line.
public struct AdminTokens: Sendable {
    private let hashes: [(name: String, hash: [UInt8])]

    /// Parses lines `name sha256:<64 hex>`; `#` comments and blank lines are skipped.
    public init(configuration text: String) throws(AdminTokensError) {
        var parsed: [(String, [UInt8])] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            let digest = parts.count == 2 ? parts[1].dropFirst(7) : ""
            guard parts.count == 2, parts[1].hasPrefix("sha256:"), digest == digest.lowercased(),
                  let hash = Hex.decode(String(digest)), hash.count == 32,
                  parts[0].utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }) else {
                throw AdminTokensError(line: number + 1)
            }
            parsed.append((String(parts[0]), hash))
        }
        hashes = parsed
    }

    public var isEmpty: Bool { hashes.isEmpty }

    /// `true` while a token of the admin `name` is configured (console sessions end when it is removed).
    public func contains(admin name: String) -> Bool {
        hashes.contains { $0.name == name }
    }

    /// The name of the admin whose token this is, or nil. Compares every hash in constant time.
    public func admin(for token: String) -> String? {
        let digest = SHA256.hash(Array(token.utf8))
        var found: String?
        for entry in hashes where HMACSHA256.constantTimeEquals(digest, entry.hash) {
            found = entry.name
        }
        return found
    }

    /// A new random token and its configuration line.
    public static func generate(name: String) throws -> (token: String, line: String) {
        let token = "gwa_" + (try SecureRandom.hex(32))
        return (token, "\(name) sha256:\(SHA256.hexHash(token))")
    }

}

/// A bad line in the admin tokens configuration (the line number only; never its content).
public struct AdminTokensError: Error, CustomStringConvertible {
    public var line: Int
    public var description: String { "admin tokens: line \(line) is not `NAME sha256:<64 lower-case hex>`" }
}

extension Substring {
    fileprivate func trimmingCharacters() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }
}
