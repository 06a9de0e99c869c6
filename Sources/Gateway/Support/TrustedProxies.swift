import Glibc

/// Addresses (IPv4/IPv6, single or CIDR) of reverse proxies whose `Forwarded` / `X-Forwarded-For` the
/// gateway believes. Empty by default: the client address is the socket peer.
public struct TrustedProxies: Sendable, Equatable {
    struct Network: Sendable, Equatable {
        var address: [UInt8]
        var prefixLength: Int

        func contains(_ other: [UInt8]) -> Bool {
            guard other.count == address.count else { return false }
            var bits = prefixLength
            for index in address.indices where bits > 0 {
                let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                if address[index] & mask != other[index] & mask { return false }
                bits -= 8
            }
            return true
        }
    }

    let networks: [Network]

    /// No trusted proxy.
    public static let none = TrustedProxies(networks: [])

    init(networks: [Network]) {
        self.networks = networks
    }

    /// Parses entries like `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`; nil names the first bad entry.
    public static func parse(_ entries: [String]) -> Result<TrustedProxies, TrustedProxiesError> {
        var networks: [Network] = []
        for entry in entries {
            let parts = entry.split(separator: "/", maxSplits: 1)
            guard let first = parts.first, let address = ipBytes(String(first)) else { return .failure(TrustedProxiesError(entry: entry)) }
            var prefix = address.count * 8
            if parts.count == 2 {
                guard let length = Int(parts[1]), (0...address.count * 8).contains(length) else { return .failure(TrustedProxiesError(entry: entry)) }
                prefix = length
            }
            networks.append(Network(address: address, prefixLength: prefix))
        }
        return .success(TrustedProxies(networks: networks))
    }

    public var isEmpty: Bool { networks.isEmpty }

    /// True when `host` (a literal address) is one of the trusted proxies.
    public func contains(_ host: String) -> Bool {
        guard !networks.isEmpty, let bytes = Self.ipBytes(host) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The 4 or 16 bytes of a literal IPv4/IPv6 address (an IPv4-mapped IPv6 address becomes IPv4), or nil.
    static func ipBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4.s_addr) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12..<16]) }
            return bytes
        }
        return nil
    }
}

/// A `trustedProxies` entry that is not an address or CIDR.
public struct TrustedProxiesError: Error, Equatable {
    public var entry: String
}
