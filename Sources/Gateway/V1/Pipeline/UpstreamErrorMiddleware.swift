import NIOFreeHTTP
import Upstream

/// The one place a Weavr failure becomes the client's problem (`Problem.upstream`), innermost around the
/// handler so idempotency stores, and rate limits stamp, the mapped answer. Here, too, what a failure means
/// for the session: a Weavr 401 ends the gateway session, and a refusal for want of step-up is audited
/// (`V1Denials`).
struct UpstreamErrorMiddleware: HTTPMiddleware {
    let denials: V1Denials
    let sessions: SessionResolver

    func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        do {
            return try await next(request, context)
        } catch {
            let problem: Problem
            let thrown: any Error
            switch error {
            case let weavr as WeavrError:
                let failure = UpstreamFailure(weavr)
                (problem, thrown) = (failure.problem, failure)
            case let failure as UpstreamFailure:
                (problem, thrown) = (failure.problem, failure)
            case let own as Problem:
                (problem, thrown) = (own, own)
            default:
                throw error
            }
            if let principal = context.principal {
                await sessions.endSessionIfWeavrRejected(problem, principal)
                await denials.record(problem, request, context, principal: principal)
            }
            throw thrown
        }
    }
}
