/// Why a secret could not be read. Never contains the secret.
enum SecretInputError: Error, Sendable, Hashable {
    /// The source could not be opened or read.
    case unreadable(source: String)
    /// Nothing but whitespace before the first newline.
    case empty(source: String)
    /// Longer than 4096 bytes.
    case tooLong(source: String)
}

extension SecretInputError: CustomStringConvertible {
    /// A message for the operator.
    var description: String {
        switch self {
        case .unreadable(let source): "cannot read the secret from \(source)"
        case .empty(let source): "no secret on the first line of \(source)"
        case .tooLong(let source): "the secret on \(source) is longer than \(SecretInput.maxLength) bytes"
        }
    }
}
