/// A stored first response: status, the headers that are safe to replay, and the body.
struct IdempotentResponse: Sendable, Equatable {
    var status: Int
    var contentType: String?
    var location: String?
    var body: [UInt8]
}
