import NIOFreeHTTP
import Testing

/// RFC 9110 §9.1, §5.6.2 — the method is a token, checked byte by byte as the request line arrives: a peer
/// speaking another protocol gets its 400 at the first byte that cannot start a request, not after a line end
/// that may never come.
struct CodecMethodTokenTests {
    /// The first bytes of a TLS 1.2/1.3 ClientHello record: handshake (0x16), legacy version 3.1, length,
    /// ClientHello (0x01), then a version and random bytes. No LF anywhere.
    static let clientHello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03]
        + (0..<32).map { UInt8(0x20 + $0) }

    @Test func aTLSClientHelloIsRejectedAtItsFirstByte() {
        var parser = HTTPRequestParser()
        var events = 0
        let error = [Self.clientHello[0]].withUnsafeBytes { parser.feed($0) { _ in events += 1; return true } }
        #expect(error?.status == 400)
        #expect(events == 0)
        #expect(parser.state == .failed)
    }

    @Test func aTLSClientHelloIsRejectedInEverySplit() {
        let outcome = ParserHarness.parseEverySplit(Self.clientHello)
        #expect(outcome.error?.status == 400)
        #expect(outcome.events.isEmpty)
    }

    /// Partial request lines (no LF) and the index of the byte that must fail them.
    static let partialLines: [(String, Int)] = [
        ("G@T / HTTP/1.1", 1),
        (" GET", 0),
        ("GET\t/", 3),
        ("GE\u{0}T", 2),
        ("\rGET", 1),
        ("GET\r /", 3),
        ("PO\u{7F}ST", 2),
        ("GÉT", 1),
    ]

    @Test(arguments: partialLines)
    func theFirstNonTokenByteOfTheMethodFailsAsItArrives(_ line: String, _ badIndex: Int) {
        let bytes = Array(line.utf8)
        var parser = HTTPRequestParser()
        for (index, byte) in bytes.enumerated() {
            let error = [byte].withUnsafeBytes { parser.feed($0) { _ in true } }
            if index < badIndex {
                #expect(error == nil, "byte \(index) of \(line.debugDescription)")
            } else {
                #expect(error?.status == 400, "byte \(index) of \(line.debugDescription)")
                break
            }
        }
        #expect(ParserHarness.parseEverySplit(bytes).error?.status == 400)
    }

    @Test func leadingEmptyLinesAndAPartialOneStillWait() {
        var parser = HTTPRequestParser()
        for chunk in ["\r", "\n", "\r\n", "\r"] {
            let error = Array(chunk.utf8).withUnsafeBytes { parser.feed($0) { _ in true } }
            #expect(error == nil)
        }
        #expect(parser.state == .head)
        let outcome = ParserHarness.parseEverySplit(Array("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\nPOST /p HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(outcome.error == nil)
        #expect(outcome.heads.map(\.method) == ["GET", "POST"])
    }

    @Test func anExtensionMethodMadeOfTokenCharactersIsAccepted() {
        let outcome = ParserHarness.parseEverySplit(Array("M-SEARCH.v2!#$%&'*+^_`|~ / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.method == "M-SEARCH.v2!#$%&'*+^_`|~")
    }

    @Test func theMethodOfAPipelinedSecondRequestIsCheckedToo() {
        let first = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        var parser = HTTPRequestParser()
        var ends = 0
        let error = (first + [0x16, 0x03]).withUnsafeBytes { bytes in
            parser.feed(bytes) { event in
                if case .end = event { ends += 1 }
                return true
            }
        }
        #expect(ends == 1)
        #expect(error?.status == 400)
    }
}
