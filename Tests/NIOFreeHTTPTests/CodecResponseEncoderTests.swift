import NIOFreeHTTP
import Testing

struct CodecResponseEncoderTests {
    private func head(
        _ status: Int = 200,
        _ headers: HTTPHeaders = [:],
        framing: HTTPResponseEncoder.Framing = .contentLength(0),
        keepAlive: Bool = true,
        version: HTTPVersion = .http1_1
    ) -> String {
        var buffer: [UInt8] = []
        HTTPResponseEncoder.encodeHead(status: status, headers: headers, framing: framing, keepAlive: keepAlive, requestVersion: version, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func writesStatusLineHeadersAndContentLength() {
        #expect(head(200, ["Content-Type": "text/plain", "X-A": "1"], framing: .contentLength(12))
            == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A: 1\r\ncontent-length: 12\r\n\r\n")
    }

    @Test func writesChunkedFraming() {
        #expect(head(201, [:], framing: .chunked) == "HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n")
    }

    @Test func writesNoFramingHeaderForNone() {
        #expect(head(204, [:], framing: .none) == "HTTP/1.1 204 No Content\r\n\r\n")
    }

    @Test func announcesCloseWhenNotKeepingAlive() {
        #expect(head(framing: .contentLength(0), keepAlive: false) == "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
    }

    @Test func announcesKeepAliveToHTTP10() {
        #expect(head(version: .http1_0) == "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: keep-alive\r\n\r\n")
        #expect(head(keepAlive: false, version: .http1_0) == "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
    }

    @Test func ignoresCallerFramingAndConnectionHeaders() {
        let text = head(200, ["Content-Length": "99", "TRANSFER-ENCODING": "gzip", "Connection": "upgrade", "X-Kept": "y"], framing: .contentLength(1))
        #expect(text == "HTTP/1.1 200 OK\r\nX-Kept: y\r\ncontent-length: 1\r\n\r\n")
    }

    @Test(arguments: ["a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "a\u{0}b", "a\u{7F}b"])
    func dropsValuesThatWouldSplitTheResponse(_ value: String) {
        #expect(head(200, ["X-Evil": value, "X-Ok": "fine"]) == "HTTP/1.1 200 OK\r\nX-Ok: fine\r\ncontent-length: 0\r\n\r\n")
    }

    @Test(arguments: ["", "Bad Name", "X:Y", "X\r\nY", "Ünicode"])
    func dropsInvalidNames(_ name: String) {
        #expect(head(200, [name: "v"]) == "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
    }

    @Test func keepsTabsAndNonASCIIInValues() {
        #expect(head(200, ["X-T": "a\tb café"]) == "HTTP/1.1 200 OK\r\nX-T: a\tb café\r\ncontent-length: 0\r\n\r\n")
    }

    @Test(arguments: [(100, "Continue"), (404, "Not Found"), (413, "Content Too Large"), (431, "Request Header Fields Too Large"), (505, "HTTP Version Not Supported"), (599, "")])
    func knowsReasonPhrases(_ status: Int, _ phrase: String) {
        #expect(HTTPResponseEncoder.reasonPhrase(status) == phrase)
    }

    @Test func sendsUnregisteredStatusWithEmptyReasonAndClampsInvalidOnes() {
        #expect(head(299, framing: .none) == "HTTP/1.1 299 \r\n\r\n")
        #expect(head(42, framing: .none) == "HTTP/1.1 500 Internal Server Error\r\n\r\n")
    }

    @Test(arguments: [(1, "1"), (15, "f"), (16, "10"), (255, "ff"), (4096, "1000"), (1_000_000, "f4240")])
    func encodesChunkSizeInHex(_ size: Int, _ hex: String) {
        var buffer: [UInt8] = []
        let data = [UInt8](repeating: 0x61, count: size)
        data.withUnsafeBytes { HTTPResponseEncoder.encodeChunk($0, into: &buffer) }
        #expect(buffer == Array("\(hex)\r\n".utf8) + data + Array("\r\n".utf8))
    }

    @Test func encodesNothingForAnEmptyChunkAndALastChunk() {
        var buffer: [UInt8] = [1]
        [UInt8]().withUnsafeBytes { HTTPResponseEncoder.encodeChunk($0, into: &buffer) }
        #expect(buffer == [1])
        HTTPResponseEncoder.encodeLastChunk(into: &buffer)
        #expect(buffer == [1] + Array("0\r\n\r\n".utf8))
    }

    @Test func appendsWithoutReallocatingWhenCapacitySuffices() {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1024)
        let before = buffer.withUnsafeBufferPointer { $0.baseAddress }
        HTTPResponseEncoder.encodeHead(status: 200, headers: ["X-A": "1"], framing: .chunked, keepAlive: true, requestVersion: .http1_1, into: &buffer)
        Array("hello".utf8).withUnsafeBytes { HTTPResponseEncoder.encodeChunk($0, into: &buffer) }
        HTTPResponseEncoder.encodeLastChunk(into: &buffer)
        #expect(buffer.withUnsafeBufferPointer { $0.baseAddress } == before)
    }

    @Test func encodedChunkedResponseParsesBackAsAChunkedBody() {
        // The encoder's chunk format round-trips through the parser's chunked decoder.
        var buffer = Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        Array("hello ".utf8).withUnsafeBytes { HTTPResponseEncoder.encodeChunk($0, into: &buffer) }
        Array("world".utf8).withUnsafeBytes { HTTPResponseEncoder.encodeChunk($0, into: &buffer) }
        HTTPResponseEncoder.encodeLastChunk(into: &buffer)
        #expect(ParserHarness.parseEverySplit(buffer).bodies == [Array("hello world".utf8)])
    }
}
