/// The paging query of a `/v1` list: `limit` (1…100, default 20) and the opaque `cursor`, turned into
/// Weavr's `offset` and `limit`. Bad values are recorded on the `ListQuery` (422 `validation_failed`
/// naming `limit` or `cursor` when the caller validates it).
struct PageRequest: Sendable, Equatable {
    static let defaultLimit = 20
    static let maxLimit = 100

    var scope: String
    var offset: Int
    var limit: Int

    init(_ query: inout ListQuery, scope: String) {
        self.scope = scope
        limit = query.limit(1...PageRequest.maxLimit, default: PageRequest.defaultLimit)
        offset = query.cursorOffset(list: scope, filters: "")
    }

    /// The cursor of the page after one that returned `returned` of `total` items; nil on the last page.
    func nextCursor(returned: Int, total: Int) -> String? {
        guard returned > 0, offset + returned < total else { return nil }
        return PageCursor(list: scope, filters: "", offset: offset + returned).encoded
    }
}
