extension String: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) { self = try json.readString() }
}

extension Int64: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) { self = try json.readInt64() }
}

extension Int: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) { self = try json.readInt() }
}

extension Bool: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) { self = try json.readBool() }
}

extension Array: WeavrJSONDecodable where Element: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) {
        var cursor = try json.beginArray()
        var items: [Element] = []
        while try json.nextElement(&cursor) {
            items.append(try Element(json: &json))
        }
        self = items
    }
}
