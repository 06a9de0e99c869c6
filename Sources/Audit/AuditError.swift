/// Why an audit entry or a query was refused. Storage failures are `StorageError`s.
public enum AuditError: Error, Sendable, Hashable {
    /// A details key names something secret (password, token, api key, PAN, CVV, …).
    case forbiddenDetailKey(String)
    /// A details key is empty, too long, or not `A-Z a-z 0-9 _ . -`.
    case invalidDetailKey(String)
    /// A details string value looks like a card number (a Luhn-valid run of 13–19 digits).
    case detailValueLooksLikeCardNumber(key: String)
    /// More than `AuditDetails.maxFieldCount` details fields.
    case tooManyDetailFields(Int)
    /// `prune` found the rows it was about to delete do not verify; nothing was deleted.
    case chainBroken(seq: Int64, reason: String)
    /// The `details` column of a stored row is not a JSON object of the expected shape.
    case malformedStoredRow(seq: Int64)
}

extension AuditError: CustomStringConvertible {
    /// A one-line description; never contains a details value.
    public var description: String {
        switch self {
        case .forbiddenDetailKey(let key): "audit details key '\(key)' names a secret and is not allowed"
        case .invalidDetailKey(let key): "audit details key '\(AuditText.clean(key, maxLength: 64))' is not a valid key"
        case .detailValueLooksLikeCardNumber(let key): "audit details value of '\(key)' looks like a card number"
        case .tooManyDetailFields(let count): "audit details have \(count) fields (at most \(AuditDetails.maxFieldCount))"
        case .chainBroken(let seq, let reason): "audit chain is broken at seq \(seq) (\(reason)); refusing to prune"
        case .malformedStoredRow(let seq): "audit row \(seq) is malformed"
        }
    }
}
