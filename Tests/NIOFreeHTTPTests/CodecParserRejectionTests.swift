import NIOFreeHTTP
import Testing

/// A request the parser must reject, and the status it must give.
struct RejectionCase: Sendable, CustomTestStringConvertible {
    var name: String
    var request: String
    var status: Int
    var testDescription: String { "\(name) → \(status)" }

    init(_ name: String, _ request: String, _ status: Int) {
        self.name = name
        self.request = request
        self.status = status
    }

    /// A request with a valid request line, the given field lines, and `body` after the head.
    static func fields(_ name: String, _ lines: [String], body: String = "", version: String = "HTTP/1.1", _ status: Int) -> RejectionCase {
        RejectionCase(name, "POST /p \(version)\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n" + body, status)
    }

    /// A chunked request with the given body bytes.
    static func chunked(_ name: String, _ body: String, _ status: Int) -> RejectionCase {
        RejectionCase(name, "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body, status)
    }
}

struct CodecParserRejectionTests {
    static let requestLineCases: [RejectionCase] = [
        .init("double SP after method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("trailing SP after version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400),
        .init("leading SP", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("HTAB as separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("non-token method", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("SP inside target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        .init("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505),
        .init("HTTP/0.9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505),
        .init("lowercase http version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400),
        .init("version without minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", 400),
        .init("two-digit major", "GET / HTTP/11.1\r\nHost: a\r\n\r\n", 400),
        .init("missing version", "GET /\r\nHost: a\r\n\r\n", 400),
        .init("NUL in target", "GET /\u{0} HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("DEL in target", "GET /\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("non-ASCII in target", "GET /é HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("fragment in target", "GET /#frag HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("asterisk without OPTIONS", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501),
        .init("authority-form without CONNECT", "GET example.com:80 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("unsupported scheme", "GET ftp://x/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("absolute-form empty authority", "GET http:///p HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("absolute-form userinfo", "GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        .init("bare LF after request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400),
        .init("bare LF ending the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400),
        .init("bare CR in request line", "GET / HTTP/1.1\rHost: a\r\n\r\n", 400),
        .init("too many leading empty lines", String(repeating: "\r\n", count: 9) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("leading bare LF", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("empty request line only CRLF then garbage", "\r\nxyz\r\n\r\n", 400),
    ]

    static let fieldCases: [RejectionCase] = [
        .fields("whitespace before colon", ["Host : a"], 400),
        .fields("Transfer-Encoding SP colon", ["Host: a", "Transfer-Encoding : chunked"], body: "0\r\n\r\n", 400),
        .fields("obs-fold with SP", ["Host: a", "X-A: b", " folded"], 400),
        .fields("obs-fold with HTAB", ["Host: a", "X-A: b", "\tfolded"], 400),
        .fields("TE continued by obs-fold", ["Host: a", "Transfer-Encoding: chunked", " identity"], body: "0\r\n\r\n", 400),
        .fields("obs-fold as first field", [" Host: a"], 400),
        .fields("empty field name", ["Host: a", ": value"], 400),
        .fields("no colon", ["Host: a", "NoColon"], 400),
        .fields("non-token name", ["Host: a", "X(y): z"], 400),
        .fields("NUL in value", ["Host: a", "X-A: a\u{0}b"], 400),
        .fields("CTL in value", ["Host: a", "X-A: a\u{1}b"], 400),
        .fields("DEL in value", ["Host: a", "X-A: a\u{7F}b"], 400),
        .fields("bare CR in value", ["Host: a", "X-A: a\rb"], 400),
        .fields("bare LF in field section", ["Host: a\nX-A: b"], 400),
        .fields("missing Host on 1.1", ["X-A: b"], 400),
        .fields("duplicate Host", ["Host: a", "Host: a"], 400),
        .fields("duplicate Host on 1.0", ["Host: a", "host: b"], version: "HTTP/1.0", 400),
        .fields("Host with space", ["Host: a b"], 400),
        .fields("Host with userinfo", ["Host: user@a"], 400),
        .fields("Host with path", ["Host: a/b"], 400),
        .fields("Host with only a port", ["Host: :80"], 400),
        .fields("Host with bad port", ["Host: a:80x"], 400),
        .fields("Host with unclosed IPv6", ["Host: [::1"], 400),
        .init("absolute-form still needs Host on 1.1", "GET http://a/ HTTP/1.1\r\n\r\n", 400),
        .init("empty Host with absolute-form", "GET http://a/ HTTP/1.1\r\nHost:\r\n\r\n", 400),
        .fields("Expect other than 100-continue", ["Host: a", "Expect: something"], 417),
        .fields("Expect list with unknown member", ["Host: a", "Content-Length: 1", "Expect: 100-continue, foo"], body: "x", 417),
        .init("too many fields", "GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X-A: b\r\n", count: 100) + "\r\n", 431),
    ]

    static let contentLengthCases: [RejectionCase] = [
        .fields("plus sign", ["Host: a", "Content-Length: +5"], body: "hello", 400),
        .fields("negative", ["Host: a", "Content-Length: -1"], 400),
        .fields("hex", ["Host: a", "Content-Length: 0x10"], 400),
        .fields("two numbers with space", ["Host: a", "Content-Length:  5 5"], body: "hello", 400),
        .fields("empty", ["Host: a", "Content-Length:"], 400),
        .fields("underscore", ["Host: a", "Content-Length: 1_0"], body: "0123456789", 400),
        .fields("list of differing values", ["Host: a", "Content-Length: 5, 6"], body: "hello!", 400),
        .fields("duplicate differing fields", ["Host: a", "Content-Length: 5", "Content-Length: 6"], body: "hello!", 400),
        .fields("19 digits", ["Host: a", "Content-Length: 1000000000000000000"], 400),
        .fields("beyond Int.max", ["Host: a", "Content-Length: 99999999999999999999999"], 400),
        .fields("trailing comma", ["Host: a", "Content-Length: 5,"], body: "hello", 400),
        .fields("decimal point", ["Host: a", "Content-Length: 5.0"], body: "hello", 400),
        .fields("over maxBodyBytes", ["Host: a", "Content-Length: 2000000"], 413),
    ]

    static let transferEncodingCases: [RejectionCase] = [
        .fields("CL then TE", ["Host: a", "Content-Length: 5", "Transfer-Encoding: chunked"], body: "0\r\n\r\n", 400),
        .fields("TE then CL", ["Host: a", "Transfer-Encoding: chunked", "Content-Length: 5"], body: "0\r\n\r\n", 400),
        .fields("chunked, identity", ["Host: a", "Transfer-Encoding: chunked, identity"], body: "0\r\n\r\n", 400),
        .fields("identity alone", ["Host: a", "Transfer-Encoding: identity"], 400),
        .fields("gzip alone", ["Host: a", "Transfer-Encoding: gzip"], 400),
        .fields("gzip, chunked", ["Host: a", "Transfer-Encoding: gzip, chunked"], body: "0\r\n\r\n", 501),
        .fields("chunked twice in a list", ["Host: a", "Transfer-Encoding: chunked, chunked"], body: "0\r\n\r\n", 400),
        .fields("chunked in two fields", ["Host: a", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"], body: "0\r\n\r\n", 400),
        .fields("TE on HTTP/1.0", ["Host: a", "Transfer-Encoding: chunked"], body: "0\r\n\r\n", version: "HTTP/1.0", 400),
        .fields("xchunked", ["Host: a", "Transfer-Encoding: xchunked"], 400),
        .fields("chunked with parameter", ["Host: a", "Transfer-Encoding: chunked;a=b"], 400),
        .fields("empty TE", ["Host: a", "Transfer-Encoding:"], 400),
        .fields("quoted chunked", ["Host: a", "Transfer-Encoding: \"chunked\""], 400),
        .fields("chunked then gzip in second field", ["Host: a", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip"], 400),
    ]

    static let chunkedCases: [RejectionCase] = [
        .chunked("chunk size overflow", "ffffffffffffffffff\r\n", 400),
        .chunked("16 hex digits", "1000000000000000\r\n", 400),
        .chunked("non-hex size", "g\r\n", 400),
        .chunked("empty size line", "\r\n", 400),
        .chunked("negative size", "-1\r\n", 400),
        .chunked("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", 400),
        .chunked("two sizes", "5 6\r\nhello\r\n0\r\n\r\n", 400),
        .chunked("trailing whitespace after size", "5 \r\nhello\r\n0\r\n\r\n", 400),
        .chunked("huge chunk extension", "5;" + String(repeating: "a", count: 300) + "\r\nhello\r\n0\r\n\r\n", 400),
        .chunked("NUL in chunk extension", "5;a=\u{0}\r\nhello\r\n0\r\n\r\n", 400),
        .chunked("data longer than size", "5\r\nhelloXX\r\n0\r\n\r\n", 400),
        .chunked("data ended by bare LF", "5\r\nhello\n0\r\n\r\n", 400),
        .chunked("size line ended by bare LF", "5\nhello\r\n0\r\n\r\n", 400),
        .chunked("size line with bare CR", "5\rhello\r\n0\r\n\r\n", 400),
        .chunked("chunked total over maxBodyBytes", "100001\r\n", 413),
        .chunked("trailer obs-fold", "0\r\nX-T: a\r\n folded\r\n\r\n", 400),
        .chunked("trailer bad name", "0\r\nX T: a\r\n\r\n", 400),
        .chunked("trailer NUL", "0\r\nX-T: \u{0}\r\n\r\n", 400),
        .chunked("last chunk bare LF", "0\n\r\n", 400),
    ]

    static let allCases = requestLineCases + fieldCases + contentLengthCases + transferEncodingCases + chunkedCases

    @Test func tableHasAtLeastSixtyCases() {
        #expect(Self.allCases.count >= 60)
    }

    @Test(arguments: requestLineCases)
    func rejectsMalformedRequestLine(_ c: RejectionCase) {
        expectRejected(c)
    }

    @Test(arguments: fieldCases)
    func rejectsMalformedFieldOrHost(_ c: RejectionCase) {
        expectRejected(c)
    }

    @Test(arguments: contentLengthCases)
    func rejectsInvalidContentLength(_ c: RejectionCase) {
        expectRejected(c)
    }

    @Test(arguments: transferEncodingCases)
    func rejectsInvalidTransferEncoding(_ c: RejectionCase) {
        expectRejected(c)
    }

    @Test(arguments: chunkedCases)
    func rejectsMalformedChunkedBody(_ c: RejectionCase) {
        expectRejected(c)
    }

    @Test(arguments: allCases)
    func errorReasonNeverEchoesInput(_ c: RejectionCase) {
        let outcome = ParserHarness.parse(Array(c.request.utf8))
        let reason = outcome.error?.reason ?? ""
        #expect(!reason.contains("example"))
        #expect(reason.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
    }

    @Test func rejectsBodyOverLimitBeforeAnyBodyByte() {
        var parser = HTTPRequestParser(limits: HTTPParserLimits(maxBodyBytes: 10))
        var events = 0
        let input = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n".utf8)
        let error = input.withUnsafeBytes { parser.feed($0) { _ in events += 1; return true } }
        #expect(error?.status == 413)
        #expect(events == 0)
        #expect(parser.state == .failed)
    }

    @Test func failedParserKeepsReturningTheFirstError() {
        var parser = HTTPRequestParser()
        let bad = Array("GET / HTTP/9.9\r\n".utf8)
        let first = bad.withUnsafeBytes { parser.feed($0) { _ in true } }
        let good = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        var events = 0
        let second = good.withUnsafeBytes { parser.feed($0) { _ in events += 1; return true } }
        #expect(first?.status == 505)
        #expect(second == first)
        #expect(events == 0)
        #expect(parser.resume { _ in true } == first)
    }

    private func expectRejected(_ c: RejectionCase, sourceLocation: SourceLocation = #_sourceLocation) {
        let outcome = ParserHarness.parseEverySplit(Array(c.request.utf8), sourceLocation: sourceLocation)
        #expect(outcome.error?.status == c.status, "\(c.name): \(outcome)", sourceLocation: sourceLocation)
        #expect(!outcome.events.contains(.end), "\(c.name) must not complete", sourceLocation: sourceLocation)
    }
}
