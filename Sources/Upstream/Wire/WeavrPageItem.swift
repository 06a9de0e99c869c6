/// A type listed in a Weavr page, under the envelope key `pageKey` (`cards`, `accounts`, `users`, …).
public protocol WeavrPageItem: Decodable, Sendable {
    static var pageKey: String { get }
}
