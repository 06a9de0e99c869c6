import NIOFreeHTTP

/// The paging query of a `/v1` list: `limit` (1…100, default 20) and the opaque `cursor`, turned into
/// Weavr's `offset` and `limit`. Bad values are 422 `validation_failed` naming `limit` or `cursor`.
struct PageRequest: Sendable, Equatable {
    static let defaultLimit = 20
    static let maxLimit = 100

    var scope: String
    var offset: Int
    var limit: Int

    init(_ request: HTTPRequest, scope: String) throws(Problem) {
        self.scope = scope
        var invalid: [Problem.InvalidField] = []
        limit = PageRequest.defaultLimit
        if let text = request.queryParameter("limit") {
            if text.utf8.count <= 3, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(text), (1...PageRequest.maxLimit).contains(value) {
                limit = value
            } else {
                invalid.append(.init(name: "limit", reason: "must be an integer 1…\(PageRequest.maxLimit)"))
            }
        }
        offset = 0
        if let text = request.queryParameter("cursor") {
            if let cursor = PageCursor.decode(text, list: scope, filters: "") {
                offset = cursor.offset
            } else {
                invalid.append(.init(name: "cursor", reason: "not a cursor returned by this list"))
            }
        }
        if !invalid.isEmpty { throw Problem(.validationFailed, invalidFields: invalid) }
    }

    /// The cursor of the page after one that returned `returned` of `total` items; nil on the last page.
    func nextCursor(returned: Int, total: Int) -> String? {
        guard returned > 0, offset + returned < total else { return nil }
        return PageCursor(list: scope, filters: "", offset: offset + returned).encoded
    }
}
