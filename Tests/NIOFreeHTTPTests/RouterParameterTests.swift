@testable import NIOFreeHTTP
import Testing

/// A path parameter is its segment as sent when the segment has no `%` (the router then keeps the segment's own
/// string), and percent-decoded when it has one; a bad escape matches no route.
@Suite("Router parameters")
struct RouterParameterTests {
    static func parameter(_ path: String) -> String?? {
        var router = Router()
        router.get("/items/{id}") { _, _ in HTTPResponse(status: 200) }
        router.get("/items/{id}/parts") { _, _ in HTTPResponse(status: 200) }
        guard case .found(_, _, let parameters) = router.match(method: "GET", path: path) else { return .none }
        return .some(parameters["id"])
    }

    @Test(arguments: [
        ("/items/100000000000000301", "100000000000000301"), ("/items/abc", "abc"), ("/items/a+b", "a+b"),
        ("/items/a%20b", "a b"), ("/items/%2F", "/"), ("/items/caf%C3%A9", "café"), ("/items/x/parts", "x"),
        ("/items/a%2Fb/parts", "a/b"),
    ])
    func parametersAreTheSegmentOrItsDecoding(path: String, expected: String) {
        #expect(Self.parameter(path) == .some(expected))
    }

    @Test(arguments: ["/items/bad%zz", "/items/%", "/items/%C3", "/items/", "/items"])
    func badEscapesAndMissingSegmentsMatchNothing(path: String) {
        #expect(Self.parameter(path) == .none)
    }
}
