// TEMPORARY stub of the codec API so the server compiles before the real codec lands. Deleted on merge.
public struct HTTPParserLimits: Sendable, Equatable {
    public var maxRequestLineBytes: Int = 8 * 1024
    public var maxHeaderBytes: Int = 32 * 1024
    public var maxHeaderCount: Int = 100
    public var maxBodyBytes: Int = 1024 * 1024
    public var maxChunkExtensionBytes: Int = 256
    public var maxTrailerBytes: Int = 8 * 1024
    public init() {}
}
public struct HTTPVersion: Sendable, Hashable {
    public var major: Int
    public var minor: Int
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)
}
public struct HTTPHeaders: Sendable, Sequence, Equatable, ExpressibleByDictionaryLiteral {
    var fields: [(name: String, value: String)] = []
    public init() {}
    public init(_ pairs: [(String, String)]) { fields = pairs.map { ($0.0, $0.1) } }
    public init(dictionaryLiteral elements: (String, String)...) { fields = elements.map { ($0.0, $0.1) } }
    public subscript(_ name: String) -> String? { fields.first { $0.name.lowercased() == name.lowercased() }?.value }
    public func values(_ name: String) -> [String] { fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }
    public func contains(_ name: String) -> Bool { self[name] != nil }
    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }
    public mutating func replaceOrAdd(_ name: String, _ value: String) { remove(name); add(name, value) }
    public mutating func remove(_ name: String) { fields.removeAll { $0.name.lowercased() == name.lowercased() } }
    public var count: Int { fields.count }
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }
    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool { a.fields.elementsEqual(b.fields) { $0 == $1 } }
}
public struct HTTPRequestHead: Sendable {
    public var method: String
    public var target: String
    public var path: String
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var keepAlive: Bool
    public var contentLength: Int?
    public var isChunked: Bool
    public var expectsContinue: Bool
}
public enum HTTPParserEvent {
    case head(HTTPRequestHead)
    case body(UnsafeRawBufferPointer)
    case end
}
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var reason: String
    public var description: String { "\(status) \(reason)" }
}
public struct HTTPRequestParser: Sendable {
    public enum State: Sendable, Equatable { case idle, head, body, failed }
    public private(set) var state: State = .idle
    var buffer: [UInt8] = []
    var remainingBody = 0
    let limits: HTTPParserLimits
    public init(limits: HTTPParserLimits = .init()) { self.limits = limits }
    public var bufferedByteCount: Int { buffer.count }
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ onEvent: (HTTPParserEvent) -> Bool) -> HTTPParseError? {
        buffer.append(contentsOf: bytes)
        return resume(onEvent)
    }
    public mutating func resume(_ onEvent: (HTTPParserEvent) -> Bool) -> HTTPParseError? {
        while true {
            if state == .body {
                let n = min(remainingBody, buffer.count)
                if n > 0 {
                    let chunk = Array(buffer[0..<n]); buffer.removeFirst(n); remainingBody -= n
                    _ = chunk.withUnsafeBytes { onEvent(.body($0)) }
                }
                if remainingBody > 0 { return nil }
                state = .idle
                if !onEvent(.end) { return nil }
                continue
            }
            guard !buffer.isEmpty else { state = .idle; return nil }
            state = .head
            guard let end = findHeadEnd() else { return nil }
            let text = String(decoding: buffer[0..<end], as: UTF8.self)
            buffer.removeFirst(end + 4)
            var lines = text.components("\r\n")
            let parts = lines.removeFirst().split(separator: " ")
            guard parts.count == 3 else { state = .failed; return HTTPParseError(status: 400, reason: "bad request line") }
            var headers = HTTPHeaders()
            for line in lines {
                guard let c = line.firstIndex(of: ":") else { state = .failed; return HTTPParseError(status: 400, reason: "bad header") }
                headers.add(String(line[..<c]), String(line[line.index(after: c)...]).trimmingSpaces())
            }
            let version: HTTPVersion = parts[2] == "HTTP/1.0" ? .http1_0 : .http1_1
            let target = String(parts[1])
            let q = target.firstIndex(of: "?")
            let cl = headers["content-length"].flatMap { Int($0) }
            let conn = headers["connection"]?.lowercased()
            let keepAlive = version == .http1_1 ? conn != "close" : conn == "keep-alive"
            let head = HTTPRequestHead(method: String(parts[0]), target: target, path: q.map { String(target[..<$0]) } ?? target,
                query: q.map { String(target[target.index(after: $0)...]) }, version: version, headers: headers, keepAlive: keepAlive,
                contentLength: cl, isChunked: false, expectsContinue: false)
            if let cl, cl > limits.maxBodyBytes { state = .failed; return HTTPParseError(status: 413, reason: "body too large") }
            remainingBody = cl ?? 0
            state = .body
            if !onEvent(.head(head)) { return nil }
        }
    }
    func findHeadEnd() -> Int? {
        if buffer.count < 4 { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i+1] == 10 && buffer[i+2] == 13 && buffer[i+3] == 10 { return i }
        return nil
    }
}
extension String {
    func components(_ sep: String) -> [String] {
        var out: [String] = []; var rest = Substring(self)
        while let r = rest.firstRange(of: sep) { out.append(String(rest[..<r.lowerBound])); rest = rest[r.upperBound...] }
        out.append(String(rest)); return out
    }
    func trimmingSpaces() -> String { String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
public enum HTTPResponseEncoder {
    public enum Framing: Sendable { case contentLength(Int), chunked, none }
    public static func encodeHead(status: Int, headers: HTTPHeaders, framing: Framing, keepAlive: Bool, requestVersion: HTTPVersion, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: "HTTP/1.1 \(status) \(reasonPhrase(status))\r\n".utf8)
        for (n, v) in headers { buffer.append(contentsOf: "\(n): \(v)\r\n".utf8) }
        switch framing {
        case .contentLength(let n): buffer.append(contentsOf: "content-length: \(n)\r\n".utf8)
        case .chunked: buffer.append(contentsOf: "transfer-encoding: chunked\r\n".utf8)
        case .none: break
        }
        if !keepAlive { buffer.append(contentsOf: "connection: close\r\n".utf8) }
        else if requestVersion == .http1_0 { buffer.append(contentsOf: "connection: keep-alive\r\n".utf8) }
        buffer.append(contentsOf: "\r\n".utf8)
    }
    public static func encodeChunk(_ bytes: UnsafeRawBufferPointer, into buffer: inout [UInt8]) {
        guard bytes.count > 0 else { return }
        buffer.append(contentsOf: String(bytes.count, radix: 16).utf8); buffer.append(contentsOf: "\r\n".utf8)
        buffer.append(contentsOf: bytes); buffer.append(contentsOf: "\r\n".utf8)
    }
    public static func encodeLastChunk(into buffer: inout [UInt8]) { buffer.append(contentsOf: "0\r\n\r\n".utf8) }
    public static func reasonPhrase(_ status: Int) -> String {
        switch status { case 200: "OK"; case 400: "Bad Request"; case 404: "Not Found"; case 408: "Request Timeout"; case 413: "Content Too Large"; case 503: "Service Unavailable"; default: "Status" }
    }
}
