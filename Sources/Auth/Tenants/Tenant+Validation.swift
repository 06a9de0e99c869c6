internal import FoundationEssentials
import GatewayCore

extension Tenant {
    /// The most characters of a Weavr api-key.
    static let maxAPIKeyLength = 512

    /// Throws the first `TenantValidationError` found, naming the field.
    public func validate() throws(TenantValidationError) {
        guard Self.isSlug(id) else {
            throw TenantValidationError(field: "id", expected: "a slug matching ^[a-z0-9][a-z0-9-]{1,62}$")
        }
        guard (1...200).contains(name.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
              name.trimmingASCIIWhitespace() == name
        else {
            throw TenantValidationError(field: "name", expected: "1-200 characters, no control characters or surrounding spaces")
        }
        guard Self.isWeavrBaseURL(weavrBaseURL) else {
            throw TenantValidationError(
                field: "weavrBaseURL",
                expected: "an absolute http or https URL without credentials, query or fragment, e.g. https://sandbox.weavr.io"
            )
        }
        for (mode, table) in [("prepaid", cardProfiles.prepaid), ("debit", cardProfiles.debit)] {
            for (currency, profileID) in table.sorted(by: { $0.key < $1.key }) {
                guard Self.isCurrency(currency) else {
                    throw TenantValidationError(field: "cardProfiles.\(mode)", expected: "ISO 4217 currency codes (three upper-case letters) as keys")
                }
                guard Self.isProfileID(profileID) else {
                    throw TenantValidationError(field: "cardProfiles.\(mode).\(currency)", expected: "a Weavr profile id (1-64 of A-Z a-z 0-9 _ -)")
                }
            }
        }
        if let transfer = cardProfiles.transfer, !Self.isProfileID(transfer) {
            throw TenantValidationError(field: "cardProfiles.transfer", expected: "a Weavr profile id (1-64 of A-Z a-z 0-9 _ -)")
        }
        guard allowedOrigins.count <= 50 else {
            throw TenantValidationError(field: "allowedOrigins", expected: "at most 50 origins")
        }
        for (index, origin) in allowedOrigins.enumerated() where !Self.isOrigin(origin) {
            throw TenantValidationError(
                field: "allowedOrigins[\(index)]",
                expected: "an exact lower-case origin scheme://host[:port] with scheme http or https, no path or trailing slash"
            )
        }
        guard !sessionModes.isEmpty else {
            throw TenantValidationError(field: "sessionModes", expected: "at least one of cookie, bearer")
        }
        for (operation, limit) in quotas.sorted(by: { $0.key < $1.key }) {
            if Self.rateLimitKeys.contains(operation) {
                guard (1...1_000_000).contains(limit) else {
                    throw TenantValidationError(field: "quotas.\(operation)", expected: "requests per minute from 1 to 1000000")
                }
                continue
            }
            if Self.isMoneyQuota(operation) {
                guard (0...Self.maxMoneyQuota).contains(limit) else {
                    throw TenantValidationError(field: "quotas.\(operation)", expected: "a daily amount in minor units from 0 to \(Self.maxMoneyQuota)")
                }
                continue
            }
            guard Self.quotaOperations.contains(operation) else {
                throw TenantValidationError(
                    field: "quotas",
                    expected: "keys among \((Self.quotaOperations + Self.rateLimitKeys).joined(separator: ", ")) or money.<CUR> (e.g. money.EUR)"
                )
            }
            guard (0...10_000_000).contains(limit) else {
                throw TenantValidationError(field: "quotas.\(operation)", expected: "a daily limit from 0 to 10000000")
            }
        }
    }

    /// Throws unless `apiKey` looks like a Weavr api-key (1–512 printable ASCII, no spaces).
    static func validate(apiKey: String) throws(TenantValidationError) {
        let bytes = Array(apiKey.utf8)
        guard (1...maxAPIKeyLength).contains(bytes.count), bytes.allSatisfy({ (0x21...0x7e).contains($0) }) else {
            throw TenantValidationError(field: "weavrAPIKey", expected: "1-512 printable ASCII characters without spaces")
        }
    }

    /// `^[a-z0-9][a-z0-9-]{1,62}$`
    public static func isSlug(_ value: String) -> Bool {
        isSlug(bytes: value.utf8)
    }

    /// `isSlug` over UTF-8 bytes (a session token's `tid` is checked before it becomes a `String`).
    public static func isSlug<Bytes: Collection<UInt8>>(bytes: Bytes) -> Bool {
        guard (2...63).contains(bytes.count), let first = bytes.first, isLowerAlnum(first) else { return false }
        return bytes.dropFirst().allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    @inline(__always) private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (0x61...0x7a).contains(byte) || (0x30...0x39).contains(byte)
    }

    private static func isCurrency(_ value: String) -> Bool {
        value.utf8.count == 3 && value.utf8.allSatisfy { (0x41...0x5a).contains($0) }
    }

    private static func isProfileID(_ value: String) -> Bool {
        (1...64).contains(value.utf8.count)
            && value.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
    }

    private static func isWeavrBaseURL(_ value: String) -> Bool {
        guard (1...2048).contains(value.utf8.count), value.utf8.allSatisfy({ (0x21...0x7e).contains($0) }),
              let components = URLComponents(string: value),
              let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = components.host, !host.isEmpty,
              components.user == nil, components.password == nil,
              components.query == nil, components.fragment == nil
        else { return false }
        return true
    }

    /// RFC 6454 §6.2 serialization restricted to http/https DNS names and IPv4:
    /// `scheme "://" host [ ":" port ]`, lower case, port without leading zeros.
    static func isOrigin(_ value: String) -> Bool {
        let rest: Substring
        if value.hasPrefix("https://") {
            rest = value.dropFirst(8)
        } else if value.hasPrefix("http://") {
            rest = value.dropFirst(7)
        } else {
            return false
        }
        let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let host = parts[0]
        guard (1...253).contains(host.utf8.count) else { return false }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            let bytes = Array(label.utf8)
            guard (1...63).contains(bytes.count),
                  bytes.allSatisfy({ (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }),
                  bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-")
            else { return false }
        }
        if parts.count == 2 {
            let port = parts[1]
            guard (1...5).contains(port.utf8.count), port.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                  port.first != "0", let number = Int(port), number <= 65_535
            else { return false }
        }
        return true
    }
}
