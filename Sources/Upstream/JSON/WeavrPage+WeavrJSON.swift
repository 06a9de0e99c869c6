/// A page of items that read themselves: `{<pageKey>: [...], count, responseCount}` with `WeavrPage`'s own
/// rules (an absent or null item list is empty; absent counts default to the number of items).
extension WeavrPage: WeavrJSONDecodable where Item: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) {
        var items: [Item]??
        var count: Int??
        var responseCount: Int??
        var cursor = try json.beginObject()
        while let key = try json.nextKey(&cursor) {
            if key.equals(Item.pageKey) {
                try json.field(&items)
            } else if "count" ~= key {
                try json.field(&count)
            } else if "responseCount" ~= key {
                try json.field(&responseCount)
            } else {
                try json.skipValue()
            }
        }
        self.items = (items ?? nil) ?? []
        self.count = (count ?? nil) ?? self.items.count
        self.responseCount = (responseCount ?? nil) ?? self.items.count
    }
}
