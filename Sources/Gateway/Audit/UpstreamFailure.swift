import Upstream

/// A Weavr failure already mapped to the problem the client gets, keeping Weavr's status and `request-ref`
/// for the audit row (`UpstreamFieldNames.mapped` and `BulkSubmission.problem` would otherwise drop them).
struct UpstreamFailure: Error {
    var problem: Problem
    var weavr: WeavrError
}
