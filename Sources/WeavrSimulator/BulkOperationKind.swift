import Foundation

/// The single operations a bulk process can run, with their submit and single-operation paths.
enum BulkOperationKind: String, Sendable, CaseIterable {
    case createUser
    case inviteUser
    case blockCard
    case unblockCard
    case removeCard

    /// The bulk submit path (`POST`).
    var submitPath: String {
        switch self {
        case .createUser: "/bulks/users"
        case .inviteUser: "/bulks/users/_user_id_/invite"
        case .blockCard: "/bulks/managed_cards/_id_/block"
        case .unblockCard: "/bulks/managed_cards/_id_/unblock"
        case .removeCard: "/bulks/managed_cards/_id_/remove"
        }
    }

    /// The equivalent single operation, as Weavr's `BulkProcess.operation` shows it.
    var singleOperationPath: String {
        switch self {
        case .createUser: "/users"
        case .inviteUser: "/users/{user_id}/invite"
        case .blockCard: "/managed_cards/{id}/block"
        case .unblockCard: "/managed_cards/{id}/unblock"
        case .removeCard: "/managed_cards/{id}/remove"
        }
    }

    /// The `pathParams` key each item must carry, if any.
    var pathParameterName: String? {
        switch self {
        case .createUser: nil
        case .inviteUser: "_user_id_"
        case .blockCard, .unblockCard, .removeCard: "_id_"
        }
    }

    /// `remove` declares no idempotency-ref, single or bulk.
    var acceptsIdempotencyRef: Bool { self != .removeCard }

    func concretePath(_ id: String?) -> String {
        guard let id else { return singleOperationPath }
        return singleOperationPath.replacingOccurrences(of: "{id}", with: id).replacingOccurrences(of: "{user_id}", with: id)
    }
}
