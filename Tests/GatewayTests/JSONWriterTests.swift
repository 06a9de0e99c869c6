import Foundation
import Gateway
import Testing

/// `JSONWriter`: commas tracked per depth in one word for the first 63 levels and in a list beyond, integers
/// written digit by digit. Its output is parsed back with `JSONSerialization`.
@Suite("JSON writer")
struct JSONWriterTests {
    @Test(arguments: [Int64.min, Int64.min + 1, -1_000_000_007, -10, -9, -1, 0, 1, 9, 10, 99, 100, 1_764_000_000_000, Int64.max])
    func integersAreWrittenInDecimal(_ value: Int64) throws {
        var json = JSONWriter()
        json.beginObject()
        json.field("a", value)
        json.field("b", Int(truncatingIfNeeded: value))
        json.field("c", Optional(value))
        json.field("d", nil as Int64?)
        json.endObject()
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"{"a":\#(value),"b":\#(value),"c":\#(value),"d":null}"#)
    }

    /// Arrays and objects nested 200 deep, each with three members, cross the 63 levels kept in one word both ways.
    @Test func commasAreRightAtEveryDepth() throws {
        let depth = 200
        var json = JSONWriter()
        for level in 0..<depth {
            if level.isMultiple(of: 2) {
                json.beginArray()
                json.value("a\(level)")
            } else {
                json.beginObject()
                json.field("k\(level)", Int64(level))
                json.key("nested")
                if level == depth - 1 { json.null() }  // the innermost (depth is even: an object)
            }
        }
        for level in (0..<depth).reversed() {
            if level.isMultiple(of: 2) {
                json.value("z\(level)")
                json.endArray()
            } else {
                json.field("after\(level)", true)
                json.endObject()
            }
        }
        var parsed = try JSONSerialization.jsonObject(with: Data(json.bytes), options: [])
        for level in 0..<depth {
            if level.isMultiple(of: 2) {
                let array = try #require(parsed as? [Any], "level \(level)")
                try #require(array.count == 3, "level \(level)")
                #expect(array[0] as? String == "a\(level)" && array[2] as? String == "z\(level)")
                parsed = array[1]
            } else {
                let object = try #require(parsed as? [String: Any], "level \(level)")
                #expect(object.count == 3 && object["k\(level)"] as? Int == level && object["after\(level)"] as? Bool == true)
                parsed = try #require(object["nested"], "level \(level)")
            }
        }
    }
}
