import Foundation
import Testing
import Upstream

/// `WeavrJSON` (the reader the client decodes cards with) against Foundation's `JSONDecoder`: the same value for
/// every document both accept, a refusal for every document `JSONDecoder` refuses, on the spec-shaped examples
/// and the fuzz corpus (`fuzz/corpus/weavr-json`) and on tables of edge cases.
@Suite struct WeavrJSONTests {
    static let corpusDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("../../fuzz/corpus/weavr-json")
        .standardizedFileURL

    static func corpus() throws -> [(name: String, bytes: [UInt8])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path).sorted()
        return try names.map { ($0, try [UInt8](Data(contentsOf: corpusDirectory.appendingPathComponent($0)))) }
    }

    /// A prepaid card as the simulator and Weavr send it (unknown members, `cardNumber` and `cvv`, included).
    static let card = #"""
    {"id":"110154985389785091","profileId":"101","externalHandle":"h1","tag":null,"friendlyName":"Travel \"EUR\" \u00e9 😀",
     "currency":"EUR","state":{"state":"BLOCKED","blockedReason":"USER"},"type":"VIRTUAL","cardBrand":"MASTERCARD",
     "cardNumber":{"value":"tok_123"},"cvv":{"value":"tok_9"},"cardNumberFirstSix":"522093","cardNumberLastFour":"1234",
     "nameOnCard":"Alice","startMmyy":"0126","expiryMmyy":"0129","cardLevelClassification":"CONSUMER","expiryPeriodMonths":36,
     "renewalType":"RENEW","creationTimestamp":1764000000000,"billingAddress":{"addressLine1":"1 Main St","city":"Valletta",
     "postCode":"VLT1","country":"MT"},"digitalWallets":{"walletsEnabled":false,"pushProvisioningEnabled":true},"mode":"PREPAID_MODE",
     "balances":{"availableBalance":-5,"actualBalance":9223372036854775807},"availableToSpend":[{"interval":"DAILY","value":{"currency":"EUR","amount":0}}],
     "physicalCardDetails":{"pendingActivation":false,"pinBlocked":null,"extra":[1,2.5e-3,{"a":[]}]}}
    """#

    static func replacing(_ old: String, _ new: String) -> String {
        precondition(card.contains(old), old)
        return card.replacingOccurrences(of: old, with: new)
    }

    /// Both readers on `text`: (JSONDecoder's card, WeavrJSON's card).
    static func both<T: Decodable & WeavrJSONDecodable>(_ type: T.Type, _ bytes: [UInt8]) -> (T?, T?) {
        (try? JSONDecoder().decode(T.self, from: Data(bytes)), try? WeavrJSON.decode(T.self, from: bytes))
    }

    static func pageItems(_ page: WeavrPage<ManagedCard>?) -> [ManagedCard]? { page?.items }

    @Test func theCardReadsTheSameAsWithJSONDecoder() throws {
        let (foundation, scanned) = Self.both(ManagedCard.self, Array(Self.card.utf8))
        let card = try #require(scanned)
        #expect(card == foundation)
        #expect(card.friendlyName == "Travel \"EUR\" é 😀")
        #expect(card.state == ManagedInstrumentState(state: "BLOCKED", blockedReason: "USER"))
        #expect(card.balances == InstrumentBalances(availableBalance: -5, actualBalance: Int64.max))
        #expect(card.tag == nil && card.physicalCardDetails?.pinBlocked == nil)
    }

    @Test func everySpecExampleAndCorpusFileReadsAsJSONDecoderReadsIt() throws {
        let files = try Self.corpus()
        #expect(files.filter { $0.name.hasPrefix("spec-card-") }.count >= 7, "no spec examples in \(Self.corpusDirectory.path)")
        for (name, bytes) in files {
            let (card, scannedCard) = Self.both(ManagedCard.self, bytes)
            let (page, scannedPage) = Self.both(WeavrPage<ManagedCard>.self, bytes)
            if card == nil { #expect(scannedCard == nil, "\(name): WeavrJSON accepted a card JSONDecoder refuses") }
            if let scannedCard { #expect(scannedCard == card, "\(name)") }
            if page == nil { #expect(scannedPage == nil, "\(name): WeavrJSON accepted a page JSONDecoder refuses") }
            if let scannedPage {
                #expect(scannedPage.items == page?.items && scannedPage.count == page?.count && scannedPage.responseCount == page?.responseCount, "\(name)")
            }
            if name.hasPrefix("spec-card-page") {
                #expect(scannedPage?.items.count == 3, "\(name): the spec's page must read")
            } else if name.hasPrefix("spec-card-") {
                #expect(scannedCard != nil, "\(name): the spec's card must read")
            }
        }
    }

    /// Documents `JSONDecoder` refuses as a card: WeavrJSON refuses each of them too.
    @Test(arguments: [
        ("not JSON", "{"), ("empty", ""), ("whitespace only", " "), ("an array", "[]"), ("trailing bytes", "CARD x"),
        ("NUL after", "CARD\u{0}"), ("missing id", #"REPLACE "id":"110154985389785091","|"#),
        ("null id", #"REPLACE "id":"110154985389785091"|"id":null"#), ("number id", #"REPLACE "id":"110154985389785091"|"id":110154985389785091"#),
        ("missing nested required", #"REPLACE "city":"Valletta",|"#), ("bool as number", #"REPLACE "pendingActivation":false|"pendingActivation":0"#),
        ("string as bool", #"REPLACE "walletsEnabled":false|"walletsEnabled":"false""#),
        ("fraction in integer", #"REPLACE "expiryPeriodMonths":36|"expiryPeriodMonths":36.5"#),
        ("integer overflow", #"REPLACE 9223372036854775807|9223372036854775808"#),
        ("huge integer", #"REPLACE "creationTimestamp":1764000000000|"creationTimestamp":1e400"#),
        ("leading zero", #"REPLACE "expiryPeriodMonths":36|"expiryPeriodMonths":036"#),
        ("plus sign", #"REPLACE "expiryPeriodMonths":36|"expiryPeriodMonths":+36"#),
        ("lone high surrogate", #"REPLACE Alice|\ud800"#), ("lone low surrogate", #"REPLACE Alice|\udc00x"#),
        ("bad escape", #"REPLACE Alice|\x"#), ("raw control character", "REPLACE Alice|A\u{1}b"), ("raw tab", "REPLACE Alice|A\tb"),
        ("unquoted key", #"REPLACE "tag":null|tag:null"#), ("single quotes", #"REPLACE "tag":null|'tag':null"#),
        ("leading comma", #"REPLACE {"id"|{,"id""#), ("missing colon", #"REPLACE "tag":null|"tag" null"#),
        ("bad literal in a skipped member", #"REPLACE "extra":[|"extra":[tru,"#), ("form feed as whitespace", "REPLACE \"tag\":null|\"tag\"\u{0C}:null"),
        ("array instead of object", #"REPLACE "state":{"state":"BLOCKED","blockedReason":"USER"}|"state":[]"#),
        ("object instead of array", #"REPLACE "availableToSpend":[|"availableToSpend":{"x":"#),
    ])
    func refusesWhatJSONDecoderRefuses(_ label: String, _ recipe: String) throws {
        let text: String
        if recipe.hasPrefix("REPLACE ") {
            let parts = recipe.dropFirst(8).split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            text = Self.replacing(String(parts[0]), String(parts[1]))
        } else {
            text = recipe.replacingOccurrences(of: "CARD", with: Self.card)
        }
        let (foundation, scanned) = Self.both(ManagedCard.self, Array(text.utf8))
        try #require(foundation == nil, "\(label): JSONDecoder accepts this; the table is wrong")
        #expect(scanned == nil, "\(label)")
    }

    @Test func refusesBytesThatAreNotUTF8() {
        for bad: [UInt8] in [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            let bytes = Array(Self.card.utf8.prefix { $0 != UInt8(ascii: "A") }) + bad + Array(Self.card.utf8.drop { $0 != UInt8(ascii: "A") }.dropFirst())
            let (foundation, scanned) = Self.both(ManagedCard.self, bytes)
            #expect(foundation == nil && scanned == nil, "\(bad)")
        }
    }

    /// Strings are scanned eight bytes at a time until a word holds a quote, a backslash, a control or a non-ASCII
    /// byte: each such byte at every offset of the first three words of a string is read as `JSONDecoder` reads it
    /// (or refused alike), so a byte the word test missed would show here.
    @Test func aSpecialByteAtEveryOffsetOfAStringReadsAsWithJSONDecoder() throws {
        let specials: [(label: String, text: [UInt8], valid: Bool)] = [
            ("escaped quote", Array(#"\""#.utf8), true), ("escape", Array(#"\n"#.utf8), true),
            ("unicode escape", Array(#"\u00e9"#.utf8), true), ("two-byte UTF-8", Array("é".utf8), true),
            ("four-byte UTF-8", Array("😀".utf8), true), ("raw DEL", [0x7F], true), ("raw control", [0x01], false),
            ("raw tab", [0x09], false), ("raw newline", [0x0A], false), ("bad UTF-8", [0xC3], false),
        ]
        let value = Array(#"Travel \"EUR\" \u00e9 😀"#.utf8)
        let card = Array(Self.card.utf8)
        let at = try #require(card.firstRange(of: value))
        let plain = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        for offset in 0...24 {
            for special in specials {
                let name = Array(plain.prefix(offset)) + special.text + Array(plain.prefix(24 - offset))
                let bytes = Array(card[..<at.lowerBound]) + name + Array(card[at.upperBound...])
                let (foundation, scanned) = Self.both(ManagedCard.self, bytes)
                #expect(scanned == foundation, "\(special.label) at offset \(offset)")
                #expect((scanned != nil) == special.valid, "\(special.label) at offset \(offset)")
            }
        }
    }

    @Test func nestingIsLimitedAt512LevelsLikeJSONDecoder() {
        func nested(_ depth: Int) -> [UInt8] {
            Array(Self.card.dropLast().utf8) + Array(#","deep":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: depth)
                + Array(repeating: UInt8(ascii: "]"), count: depth) + [UInt8(ascii: "}")]
        }
        let (okFoundation, okScanned) = Self.both(ManagedCard.self, nested(511))
        #expect(okFoundation != nil && okScanned == okFoundation)
        let (deepFoundation, deepScanned) = Self.both(ManagedCard.self, nested(512))
        #expect(deepFoundation == nil && deepScanned == nil)
        #expect(throws: WeavrJSONError.self) { try WeavrJSON.decode(ManagedCard.self, from: nested(100_000)) }
    }

    /// Accepted by both, read alike: escapes, a byte order mark, whitespace, escaped names, nulls, `-0`.
    @Test(arguments: [
        #"REPLACE Alice|A\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00\u0000"#, #"REPLACE "nameOnCard"|"\u006eameOnCard""#,
        #"REPLACE "tag":null|"tag":"t""#, #"REPLACE "availableBalance":-5|"availableBalance":-0"#,
        "REPLACE {\"id\"|\r\n\t {  \"id\"  ", #"REPLACE "availableToSpend":[{"interval":"DAILY","value":{"currency":"EUR","amount":0}}]|"availableToSpend":null"#,
        #"REPLACE "balances":{"availableBalance":-5,"actualBalance":9223372036854775807}|"balances":{"availableBalance":-9223372036854775808,"actualBalance":0}"#,
    ])
    func readsVariantsAsJSONDecoderDoes(_ recipe: String) throws {
        let parts = recipe.dropFirst(8).split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        let bytes = Array(Self.replacing(String(parts[0]), String(parts[1])).utf8)
        let (foundation, scanned) = Self.both(ManagedCard.self, bytes)
        let card = try #require(foundation)
        #expect(scanned == card)
        let (bomFoundation, bomScanned) = Self.both(ManagedCard.self, [0xEF, 0xBB, 0xBF] + bytes)
        #expect(bomFoundation == card && bomScanned == card)
    }

    /// Where JSONDecoder is lenient beyond RFC 8259, WeavrJSON refuses (documented on `WeavrJSONReader`).
    @Test(arguments: [
        ("trailing comma", #"REPLACE "tag":null,|"tag":null,"x":[1,],"#), ("repeated member", #"REPLACE "tag":null|"tag":null,"tag":"x""#),
        ("integer with a fraction", #"REPLACE "expiryPeriodMonths":36|"expiryPeriodMonths":36.0"#),
        ("bad escape in a skipped member", #"REPLACE "cvv":{"value":"tok_9"}|"cvv":{"value":"\uZZZZ"}"#),
    ])
    func refusesWhatRFC8259Refuses(_ label: String, _ recipe: String) throws {
        let parts = recipe.dropFirst(8).split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        let bytes = Array(Self.replacing(String(parts[0]), String(parts[1])).utf8)
        #expect(throws: WeavrJSONError.self, "\(label)") { try WeavrJSON.decode(ManagedCard.self, from: bytes) }
    }

    @Test func aPageReadsItsItemsAndDefaults() throws {
        let page = try WeavrJSON.decode(WeavrPage<ManagedCard>.self, from: Array(#"{"cards":[\#(Self.card),\#(Self.card)],"count":7}"#.utf8))
        #expect(page.items.count == 2 && page.count == 7 && page.responseCount == 2)
        let empty = try WeavrJSON.decode(WeavrPage<ManagedCard>.self, from: Array(#"{"cards":null,"other":{}}"#.utf8))
        #expect(empty.items.isEmpty && empty.count == 0 && empty.responseCount == 0)
        #expect(throws: WeavrJSONError.self) { try WeavrJSON.decode(WeavrPage<ManagedCard>.self, from: Array(#"{"cards":[{"id":"1"}]}"#.utf8)) }
    }
}
