import Testing
@testable import Upstream

/// Labels and path segments the client takes shortcuts for on the hot path must equal the general answers.
struct CallLabelTests {
    @Test func theGivenCardReadLabelIsTheDerivedOne() {
        for id in ["1", "100000000000000301", "abc"] {
            #expect(WeavrClient.getCardOperation == WeavrCallObservation.operationLabel(method: "GET", path: "/managed_cards/\(WeavrClient.segment(id))"))
        }
    }

    @Test(arguments: [
        ("100000000000000301", "100000000000000301"),
        ("a-b_c.d~E", "a-b_c.d~E"),
        ("a/b", "a%2Fb"),
        ("é", "%C3%A9"),
        ("..%", "..%25"),
        ("", ""),
    ])
    func segmentsEncodeExactlyWhatIsNotUnreserved(id: String, encoded: String) {
        #expect(WeavrClient.segment(id) == encoded)
    }
}
