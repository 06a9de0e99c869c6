/// Weavr's list envelope `{<items>: [...], count, responseCount}`.
public struct WeavrPage<Item: WeavrPageItem>: Sendable, Decodable {
    public var items: [Item]
    /// Total records matching, ignoring the paging limit.
    public var count: Int
    /// Records in this page (capped at 100).
    public var responseCount: Int

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        items = try container.decodeIfPresent([Item].self, forKey: Key(stringValue: Item.pageKey)) ?? []
        count = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: "count")) ?? items.count
        responseCount = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: "responseCount")) ?? items.count
    }
}
