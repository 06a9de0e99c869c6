import NIOFreeHTTP
import Upstream

/// A Weavr failure already mapped to the problem the client gets, keeping Weavr's status and `request-ref`
/// for the audit row (`UpstreamFieldNames.mapped` and `BulkSubmission.problem` would otherwise drop them).
struct UpstreamFailure: HTTPResponseError {
    var problem: Problem
    var weavr: WeavrError

    /// A Weavr failure with the gateway's problem for it: the one mapping (`Problem.upstream`).
    init(_ weavr: WeavrError) {
        self.init(problem: Problem.upstream(weavr), weavr: weavr)
    }

    init(problem: Problem, weavr: WeavrError) {
        self.problem = problem
        self.weavr = weavr
    }

    func response() -> HTTPResponse { problem.response() }

    /// The problem, the Weavr error and what to throw on (itself: it is already mapped).
    var parts: (Problem, WeavrError?, any Error) { (problem, weavr, self) }
}
