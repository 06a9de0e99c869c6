/// A tenant store refusal (storage failures are `StorageError`s).
public enum TenantStoreError: Error, Sendable, Hashable {
    /// No tenant has this id.
    case notFound(id: String)
    /// A tenant with this id exists already.
    case alreadyExists(id: String)
}

extension TenantStoreError: CustomStringConvertible {
    /// A message for the operator.
    public var description: String {
        switch self {
        case .notFound(let id): "no tenant with id \(id)"
        case .alreadyExists(let id): "a tenant with id \(id) already exists"
        }
    }
}
