/// A session token failure. Verification has exactly one public outcome, `.invalid`, so
/// callers answer every bad token with the same 401; the reason is only available to
/// metrics through `SessionToken.verify(_:audience:now:keyRing:onRejection:)`.
public enum SessionTokenError: Error, Sendable, Hashable {
    /// The token is not acceptable. Deliberately says nothing more.
    case invalid
    /// A token cannot be issued: no active signing key, or claims outside the token grammar.
    case cannotIssue
}
