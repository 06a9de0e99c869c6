import NIOFreeHTTP
import Testing

/// A request the parser must accept, with what its head and body must say.
struct AcceptanceCase: Sendable, CustomTestStringConvertible {
    var name: String
    var request: String
    var method = "GET"
    var path = "/"
    var query: String?
    var version = HTTPVersion.http1_1
    var keepAlive = true
    var contentLength: Int?
    var isChunked = false
    var expectsContinue = false
    var body = ""
    var testDescription: String { name }
}

struct CodecParserAcceptanceTests {
    static let cases: [AcceptanceCase] = [
        .init(name: "minimal GET", request: "GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        .init(name: "path and query", request: "GET /a/b?x=1&y HTTP/1.1\r\nHost: a\r\n\r\n", path: "/a/b", query: "x=1&y"),
        .init(name: "empty query", request: "GET /? HTTP/1.1\r\nHost: a\r\n\r\n", query: ""),
        .init(name: "HTTP/1.0 without Host closes", request: "GET / HTTP/1.0\r\n\r\n", version: .http1_0, keepAlive: false),
        .init(name: "HTTP/1.0 keep-alive", request: "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", version: .http1_0),
        .init(name: "HTTP/1.1 close", request: "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", keepAlive: false),
        .init(name: "Connection list with keep-alive", request: "GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, Upgrade\r\n\r\n"),
        .init(name: "Connection list with CLOSE", request: "GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, CLOSE\r\n\r\n", keepAlive: false),
        .init(name: "OPTIONS asterisk", request: "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", method: "OPTIONS", path: "*"),
        .init(name: "absolute-form", request: "GET http://example.com/p?q HTTP/1.1\r\nHost: other\r\n\r\n", path: "/p", query: "q"),
        .init(name: "absolute-form https without path", request: "GET HTTPS://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n"),
        .init(name: "absolute-form query without path", request: "GET http://example.com?x HTTP/1.1\r\nHost: example.com\r\n\r\n", query: "x"),
        .init(name: "absolute-form IPv6 and port", request: "GET http://[::1]:8080/x HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", path: "/x"),
        .init(name: "Host with port", request: "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"),
        .init(name: "Host IPv4", request: "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
        .init(name: "Host IPv6", request: "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"),
        .init(name: "empty Host with origin-form", request: "GET / HTTP/1.1\r\nHost:\r\n\r\n"),
        .init(name: "Content-Length body", request: "POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", method: "POST", path: "/u", contentLength: 5, body: "hello"),
        .init(name: "Content-Length zero", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", method: "POST", contentLength: 0),
        .init(name: "Content-Length identical list", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello", method: "POST", contentLength: 5, body: "hello"),
        .init(name: "Content-Length identical duplicates", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\nhello", method: "POST", contentLength: 5, body: "hello"),
        .init(name: "Content-Length leading zeros", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\nseven!!", method: "POST", contentLength: 7, body: "seven!!"),
        .init(name: "chunked", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", method: "POST", isChunked: true, body: "hello"),
        .init(name: "chunked mixed case and uppercase hex", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", method: "POST", isChunked: true, body: "0123456789"),
        .init(name: "chunk extensions", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n1 ; a=\"b c\"\r\n!\r\n0;last\r\n\r\n", method: "POST", isChunked: true, body: "hello!"),
        .init(name: "chunked with trailers", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Checksum: 1\r\nX-Other: 2\r\n\r\n", method: "POST", isChunked: true, body: "abc"),
        .init(name: "many chunks", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n2\r\nbc\r\n3\r\ndef\r\n0\r\n\r\n", method: "POST", isChunked: true, body: "abcdef"),
        .init(name: "TE list with empty elements", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , chunked\r\n\r\n0\r\n\r\n", method: "POST", isChunked: true),
        .init(name: "leading empty lines", request: "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        .init(name: "OWS trimmed with tabs", request: "GET / HTTP/1.1\r\nHost:\t a \t\r\n\r\n"),
        .init(name: "obs-text in value", request: "GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\u{E9}\r\n\r\n"),
        .init(name: "Expect 100-continue with body", request: "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nok", method: "PUT", contentLength: 2, expectsContinue: true, body: "ok"),
        .init(name: "Expect 100-continue without body", request: "GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n"),
        .init(name: "Expect 100-continue on HTTP/1.0 ignored", request: "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx", method: "POST", version: .http1_0, keepAlive: false, contentLength: 1, body: "x"),
        .init(name: "lowercase method kept as sent", request: "get / HTTP/1.1\r\nHost: a\r\n\r\n", method: "get"),
        .init(name: "extension method", request: "PROPFIND /d HTTP/1.1\r\nHost: a\r\n\r\n", method: "PROPFIND", path: "/d"),
        .init(name: "HTTP/1.0 with body", request: "POST / HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc", method: "POST", version: .http1_0, keepAlive: false, contentLength: 3, body: "abc"),
        .init(name: "empty field value", request: "GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\n\r\n"),
        .init(name: "Expect 100-continue with chunked body", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n1\r\nz\r\n0\r\n\r\n", method: "POST", isChunked: true, expectsContinue: true, body: "z"),
        .init(name: "HTTP/1.0 keep-alive and close", request: "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", version: .http1_0, keepAlive: false),
        .init(name: "eight leading empty lines", request: String(repeating: "\r\n", count: 8) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        .init(name: "percent-encoded path", request: "GET /a%20b?c=%2F HTTP/1.1\r\nHost: a\r\n\r\n", path: "/a%20b", query: "c=%2F"),
    ]

    @Test func tableHasAtLeastTwentyFiveCases() {
        #expect(Self.cases.count >= 25)
    }

    @Test(arguments: cases)
    func acceptsValidRequest(_ c: AcceptanceCase) throws {
        let outcome = ParserHarness.parseEverySplit(Array(c.request.utf8))
        #expect(outcome.error == nil, "\(outcome)")
        #expect(outcome.endCount == 1)
        let head = try #require(outcome.heads.first)
        #expect(head.method == c.method)
        #expect(head.path == c.path)
        #expect(head.query == c.query)
        #expect(head.version == c.version)
        #expect(head.keepAlive == c.keepAlive)
        #expect(head.contentLength == c.contentLength)
        #expect(head.isChunked == c.isChunked)
        #expect(head.expectsContinue == c.expectsContinue)
        #expect(outcome.bodies == [Array(c.body.utf8)])
    }

    @Test func keepsHeaderOrderSpellingAndRawTarget() throws {
        let outcome = ParserHarness.parse(Array("GET http://h/x?y HTTP/1.1\r\nHost: h\r\nX-CuStOm:  v1 \r\nx-custom: v2\r\n\r\n".utf8))
        let head = try #require(outcome.heads.first)
        #expect(head.target == "http://h/x?y")
        #expect(head.headers == ["Host: h", "X-CuStOm: v1", "x-custom: v2"])
    }

    @Test func decodesObsTextAsUTF8() throws {
        let outcome = ParserHarness.parse(Array("GET / HTTP/1.1\r\nHost: a\r\nX-Name: café\r\n\r\n".utf8))
        #expect(try #require(outcome.heads.first).headers.last == "X-Name: café")
    }

    @Test func acceptsRequestLineAndHeadersExactlyAtTheirLimits() {
        let limits = HTTPParserLimits(maxRequestLineBytes: 20, maxHeaderBytes: 9, maxHeaderCount: 1)
        // "GET /123456 HTTP/1.1" is 20 bytes; "Host: a\r\n" is 9 bytes.
        let outcome = ParserHarness.parseEverySplit(Array("GET /123456 HTTP/1.1\r\nHost: a\r\n\r\n".utf8), limits: limits)
        #expect(outcome.error == nil)
        #expect(outcome.endCount == 1)
        let over = ParserHarness.parseEverySplit(Array("GET /1234567 HTTP/1.1\r\nHost: a\r\n\r\n".utf8), limits: limits)
        #expect(over.error?.status == 414)
        let overHeaders = ParserHarness.parseEverySplit(Array("GET / HTTP/1.1\r\nHost: ab\r\n\r\n".utf8), limits: limits)
        #expect(overHeaders.error?.status == 431)
    }

    @Test func acceptsChunkExtensionExactlyAtItsLimit() {
        let limits = HTTPParserLimits(maxChunkExtensionBytes: 4)
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let ok = ParserHarness.parseEverySplit(Array((head + "1;abc\r\nx\r\n0\r\n\r\n").utf8), limits: limits)
        #expect(ok.error == nil)
        #expect(ok.bodies == [Array("x".utf8)])
        let over = ParserHarness.parseEverySplit(Array((head + "1;abcd\r\nx\r\n0\r\n\r\n").utf8), limits: limits)
        #expect(over.error?.status == 400)
    }

    @Test func acceptsChunkedBodyExactlyAtMaxBodyBytes() {
        let limits = HTTPParserLimits(maxBodyBytes: 6)
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let ok = ParserHarness.parseEverySplit(Array((head + "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n").utf8), limits: limits)
        #expect(ok.bodies == [Array("abcdef".utf8)])
        let over = ParserHarness.parseEverySplit(Array((head + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n").utf8), limits: limits)
        #expect(over.error?.status == 413)
        #expect(over.bodies.isEmpty)
    }
}
