/// Body of `POST /bulks/{bulk_id}/execute` (required, may be `{}`).
struct BulkExecuteBody: Encodable {
    var mode: String?
    var webhookInterval: Int?
}
