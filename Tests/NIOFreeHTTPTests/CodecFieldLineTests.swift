@testable import NIOFreeHTTP
import Testing

/// The field lines both writers share (`HTTPFieldLine`): the client's request serializer keeps `host` and the
/// framing fields its own, the response encoder the framing fields and, when given one, `Date`; both drop names
/// that are not tokens and values that would inject a line.
@Suite("Field lines")
struct CodecFieldLineTests {
    static let caller: HTTPHeaders = [
        "Host": "evil.example", "Content-Length": "99", "TRANSFER-ENCODING": "chunked", "connection": "upgrade",
        "Date": "Thu, 01 Jan 1970 00:00:00 GMT", "X-Kept": "y", "X-Evil": "a\r\nx-injected: 1", "bad name": "v",
    ]

    @Test func theClientSendsItsOwnHostAndFraming() throws {
        let (origin, target) = try #require(HTTPOrigin.parse("http://weavr.example:8080/managed_cards/1?x=y"))
        let wire = HTTPClient.serialize(HTTPClientRequest(method: "POST", url: "http://weavr.example:8080/managed_cards/1?x=y", headers: Self.caller, body: Array("{}".utf8)), origin: origin, target: target)
        #expect(String(decoding: wire, as: UTF8.self) == "POST /managed_cards/1?x=y HTTP/1.1\r\nhost: weavr.example:8080\r\n"
            + "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\nX-Kept: y\r\ncontent-length: 2\r\n\r\n{}")
    }

    @Test func theEncoderSendsItsOwnFramingAndTheGivenDate() {
        var withDate: [UInt8] = []
        HTTPResponseEncoder.encodeHead(status: 200, headers: Self.caller, date: "Wed, 02 Dec 2026 10:00:00 GMT", framing: .contentLength(0),
                                       keepAlive: true, requestVersion: .http1_1, into: &withDate)
        #expect(String(decoding: withDate, as: UTF8.self) == "HTTP/1.1 200 OK\r\nHost: evil.example\r\nX-Kept: y\r\n"
            + "date: Wed, 02 Dec 2026 10:00:00 GMT\r\ncontent-length: 0\r\n\r\n")
        var withoutDate: [UInt8] = []
        HTTPResponseEncoder.encodeHead(status: 200, headers: Self.caller, framing: .contentLength(0), keepAlive: true,
                                       requestVersion: .http1_1, into: &withoutDate)
        #expect(String(decoding: withoutDate, as: UTF8.self) == "HTTP/1.1 200 OK\r\nHost: evil.example\r\n"
            + "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\nX-Kept: y\r\ncontent-length: 0\r\n\r\n")
    }
}
