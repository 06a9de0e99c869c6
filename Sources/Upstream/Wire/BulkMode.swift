/// How a bulk process treats a failing operation.
public enum BulkMode: String, Sendable, Equatable {
    /// Stop after the first failing operation.
    case onFailureStop = "ON_FAILURE_STOP"
    /// Run every operation.
    case onFailureContinue = "ON_FAILURE_CONTINUE"
}
