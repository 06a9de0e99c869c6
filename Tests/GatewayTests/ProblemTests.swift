import Foundation
import Gateway
import Testing

@Suite("Problem documents")
struct ProblemTests {
    @Test(arguments: Problem.Code.allCases)
    func everyCodeRendersValidProblemJSON(_ code: Problem.Code) throws {
        let response = Problem(code, detail: "a \"quoted\"\ndetail", retryAfter: code == .rateLimited ? 3 : nil).response()
        #expect(response.status == code.status)
        #expect(response.headers["content-type"] == "application/problem+json")
        guard case .bytes(let body) = response.body else { Issue.record("not a byte body"); return }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(object["code"] as? String == code.rawValue)
        #expect(object["status"] as? Int == code.status)
        #expect(object["type"] as? String == "urn:weavr-gateway:problem:\(code.rawValue)")
        #expect(object["detail"] as? String == "a \"quoted\"\ndetail")
        if code == .rateLimited { #expect(response.headers["retry-after"] == "3") }
    }

    @Test func invalidFieldsAndUpstreamCodeAreListed() throws {
        let problem = Problem(.validationFailed, invalidFields: [.init(name: "nameOnCard", reason: "too long"), .init(name: "currency", reason: "unsupported")], upstreamCode: "X")
        guard case .bytes(let body) = problem.response().body else { return }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let fields = try #require(object["invalidFields"] as? [[String: String]])
        #expect(fields == [["name": "nameOnCard", "reason": "too long"], ["name": "currency", "reason": "unsupported"]])
        #expect(object["upstreamCode"] as? String == "X")
    }

    @Test func jsonWriterEscapesControlCharacters() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("a", "\u{01}\u{1f}\\")
        writer.key("list")
        writer.beginArray()
        writer.value("x")
        writer.value("y")
        writer.endArray()
        writer.field("n", 5)
        writer.field("b", true)
        writer.endObject()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any])
        #expect(object["a"] as? String == "\u{01}\u{1f}\\")
        #expect(object["list"] as? [String] == ["x", "y"])
        #expect(object["n"] as? Int == 5)
        #expect(object["b"] as? Bool == true)
    }
}
