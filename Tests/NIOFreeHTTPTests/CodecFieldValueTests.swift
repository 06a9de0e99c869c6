@testable import NIOFreeHTTP
import Testing

/// `HTTPByteClass.allFieldValue`, which checks field values eight bytes at a time (the parser's, the response
/// encoder's and the client's check): each refused byte at every offset of the first three words is found, and
/// HTAB and obs-text anywhere are allowed, exactly as the byte-by-byte rule says.
@Suite("Field value bytes")
struct CodecFieldValueTests {
    static func check(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { HTTPByteClass.allFieldValue($0) }
    }

    @Test func everyByteAtEveryOffsetIsJudgedAsByteByByte() {
        let plain = Array("Bearer gw1.abcdefghijklmnopqrstuvwx".utf8)
        for offset in 0...24 {
            for byte in UInt8.min...UInt8.max {
                var value = Array(plain.prefix(24))
                value.insert(byte, at: offset)
                #expect(Self.check(value) == HTTPByteClass.isFieldValue(byte), "byte \(byte) at offset \(offset)")
            }
        }
        #expect(Self.check([]))
        #expect(Self.check(Array("\t obs-text \u{e9} and a tab\t".utf8)))
        #expect(!Self.check(Array("a value with a CR\r".utf8)))
    }
}
