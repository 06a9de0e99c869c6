import NIOFreeHTTP

/// The address of the client a request came from: the socket peer, or — only when the peer is a trusted
/// proxy — the nearest untrusted hop named by `Forwarded` (RFC 7239) or else `X-Forwarded-For`, read from
/// the right so a client cannot choose its own address by sending the header itself.
enum ClientAddress {
    static func of(_ request: HTTPRequest, trusting proxies: TrustedProxies) -> String {
        var candidate = request.peer.host
        guard !proxies.isEmpty, proxies.contains(candidate) else { return candidate }
        let hops = forwardedHops(request) ?? forwardedForHops(request)
        for hop in hops.reversed() {
            guard proxies.contains(candidate), TrustedProxies.ipBytes(hop) != nil else { break }
            candidate = hop
        }
        return candidate
    }

    /// `for=` values of every `Forwarded` field element, in order; nil when there is no `Forwarded` field.
    static func forwardedHops(_ request: HTTPRequest) -> [String]? {
        let fields = request.headers.values("forwarded")
        guard !fields.isEmpty else { return nil }
        var hops: [String] = []
        for field in fields {
            for element in field.split(separator: ",") {
                for pair in element.split(separator: ";") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, parts[0].trimmingSpaces().lowercased() == "for" else { continue }
                    hops.append(node(String(parts[1].trimmingSpaces())))
                }
            }
        }
        return hops
    }

    static func forwardedForHops(_ request: HTTPRequest) -> [String] {
        request.headers.values("x-forwarded-for").flatMap { $0.split(separator: ",").map { String($0.trimmingSpaces()) } }
    }

    /// A `Forwarded` node without quotes, brackets or port: `"[2001:db8::1]:4711"` → `2001:db8::1`.
    static func node(_ value: String) -> String {
        var text = Substring(value)
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") { return String(text[text.index(after: text.startIndex)..<close]) }
        if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") { return String(text[..<colon]) }
        return String(text)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}

extension TrustedProxies {
    /// The client address of `request` under these proxies (`ClientAddress`).
    func clientAddress(of request: HTTPRequest) -> String {
        ClientAddress.of(request, trusting: self)
    }
}
