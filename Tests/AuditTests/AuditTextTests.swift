@testable import Audit
import Testing

/// The free-text fields of an audit row: control characters removed, cut to a number of characters.
struct AuditTextTests {
    @Test func printableTextIsKeptAndControlCharactersAreRemoved() {
        #expect(AuditText.clean("curl/8.5.0", maxLength: 256) == "curl/8.5.0")
        #expect(AuditText.clean("a\r\nb\u{7}c\u{7F}d\u{85}e", maxLength: 256) == "abcde")
        #expect(AuditText.clean("\u{1B}[31mred", maxLength: 256) == "[31mred")
        #expect(AuditText.clean("Zürich ✓", maxLength: 256) == "Zürich ✓")
    }

    @Test func textIsCutToMaxLengthCharactersOnEveryPath() {
        #expect(AuditText.clean("abcdef", maxLength: 4) == "abcd")  // printable ASCII
        #expect(AuditText.clean("éééééé", maxLength: 4) == "éééé")  // four characters, eight bytes
        #expect(AuditText.clean("a\nbcdef", maxLength: 4) == "abcd")  // removed characters do not count
        #expect(AuditText.clean(String?.none, maxLength: 4) == nil)
        #expect(AuditText.clean(Optional("\n\t"), maxLength: 4) == nil)  // nothing left: no value
    }
}
