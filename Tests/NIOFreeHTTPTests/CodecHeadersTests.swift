import NIOFreeHTTP
import Testing

struct CodecHeadersTests {
    @Test func looksUpNamesCaseInsensitively() {
        let headers: HTTPHeaders = ["Content-Type": "a", "X-Multi": "1", "x-multi": "2"]
        #expect(headers["content-type"] == "a")
        #expect(headers["X-MULTI"] == "1")
        #expect(headers.values("x-Multi") == ["1", "2"])
        #expect(headers.contains("CONTENT-TYPE"))
        #expect(!headers.contains("Content-Typ"))
        #expect(headers["missing"] == nil)
        #expect(headers.count == 3)
    }

    @Test func keepsOrderAndSpelling() {
        var headers = HTTPHeaders([("B", "1"), ("a", "2")])
        headers.add("C", "3")
        #expect(headers.map(\.name) == ["B", "a", "C"])
        #expect(headers.map(\.value) == ["1", "2", "3"])
    }

    @Test func replaceOrAddReplacesFirstAndDropsTheRest() {
        var headers = HTTPHeaders([("X", "1"), ("Y", "2"), ("x", "3")])
        headers.replaceOrAdd("X", "new")
        #expect(headers == HTTPHeaders([("X", "new"), ("Y", "2")]))
        headers.replaceOrAdd("Z", "z")
        #expect(headers.values("z") == ["z"])
    }

    @Test func removeDropsEveryMatch() {
        var headers = HTTPHeaders([("X", "1"), ("Y", "2"), ("x", "3")])
        headers.remove("X")
        #expect(headers == HTTPHeaders([("Y", "2")]))
    }

    @Test func equalityIsOrderSensitive() {
        #expect(HTTPHeaders([("A", "1"), ("B", "2")]) != HTTPHeaders([("B", "2"), ("A", "1")]))
        #expect(HTTPHeaders() == [:])
    }
}
