/// The value of an operation that answers with no body (204).
public struct WeavrEmpty: Sendable, Equatable, Codable {
    public init() {}
}
