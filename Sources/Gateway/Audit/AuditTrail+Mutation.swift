import Audit
import NIOFreeHTTP
import Storage
import Upstream

extension AuditTrail {
    /// Runs an audited mutation (docs/ARCHITECTURE.md "Quotas and audit"), in this order:
    ///
    /// 1. the daily quotas (`units` of `quota`, then each of `extraCharges`, e.g. a transfer's minor units of
    ///    `money.EUR`; each atomically): over a limit → 429 `quota_exceeded` with `Retry-After` (seconds to
    ///    UTC midnight) and the RateLimit fields, a `quota.denied` row, and none of the charges kept;
    /// 2. the `intent` row, durably — in the same commit as step 1 (`MutationJournal`): if it cannot be
    ///    written, no unit is counted, Weavr is not called and the answer is 503 `service_unavailable`
    ///    (fail closed);
    /// 3. `perform` (the Weavr call);
    /// 4. the outcome row (`success` / `failure`, statuses, Weavr `request-ref`), durable before the answer:
    ///    under an `Idempotency-Key` in one commit with the stored response (`DeferredOutcomes`), else here.
    ///
    /// If the outcome row cannot be written after Weavr acted, the client still gets Weavr's answer: the
    /// action happened and the intent row proves the attempt; refusing would invite a retry of something
    /// already done. The loss is reported on standard error.
    ///
    /// Quota units go back when Weavr answered with a 4xx (it did nothing). After a timeout, a 5xx or a
    /// broken connection Weavr may have acted, so the unit stays spent: the quota is never exceeded.
    ///
    /// `alsoIntended` rows (a bulk's per-item intents) are written in the same append as the intent.
    ///
    /// `perform` should throw `UpstreamFailure` (or the bare `WeavrError`) for Weavr failures so that the
    /// row gets Weavr's status and `request-ref`. Validate the request before calling this: nothing that
    /// fails here is the client's fault except the quota.
    func mutation(
        _ call: V1Call, action: AuditAction, target: String?, quota: QuotaOperation?, units: Int = 1, also extraCharges: [QuotaCharge] = [],
        details: [String: AuditDetails.Value] = [:], alsoIntended: [AuditEntry] = [], _ perform: () async throws -> AuditedOutcome
    ) async throws -> HTTPResponse {
        // The benchmark's comparison path (`Settings.auditsMutations`): the same route, nothing around Weavr.
        guard enabled else { return try await perform().response }
        let tenantID = call.auth.tenant.id
        // The route's count, then e.g. the money moved; a charge is made only where the tenant has a limit.
        let charges = (quota.map { [QuotaCharge(operation: $0, units: units)] } ?? []) + extraCharges
        let limited = charges.compactMap { charge in
            DailyQuota(charge.operation, tenant: call.auth.tenant).map { (daily: $0, units: charge.units) }
        }
        // Steps 1 and 2 in one commit (`MutationJournal`): every charge and the intent row, or nothing.
        let start: MutationStart
        do {
            start = try await journal.begin(
                tenant: tenantID,
                charges: limited.map { MutationCharge(operation: $0.daily.operation, units: $0.units, limit: $0.daily.limit) },
                intent: [entry(call, action, target: target, outcome: .intent, details: Self.details(details))] + alsoIntended
            )
        } catch {
            throw Problem(.serviceUnavailable, detail: "the audit log cannot be written; nothing was done", retryAfter: 1)
        }
        let now = clock.now
        let decisions: [QuotaDecision]
        switch start {
        case .begun(let taken):
            decisions = taken
        case .refused(let index, let decision, let earlier):
            let (daily, requested) = limited[index]
            let shown = earlier + [decision]
            var denied = details
            denied["operation"] = .string(daily.operation.rawValue)
            denied["limit"] = .integer(Int64(daily.limit))
            denied["used"] = .integer(Int64(decision.used))
            denied["requested"] = .integer(Int64(requested))
            await record([entry(call, .quotaDenied, target: target, outcome: .denied, httpStatus: 429, details: Self.details(denied))])
            metrics.recordQuotaDenial(tenant: call.auth.tenant.id, operation: daily.operation.rawValue)
            let what = daily.operation.moneyCurrency.map { "daily \($0) amount" } ?? "daily \(daily.operation.rawValue) quota"
            return Problem(
                .quotaExceeded, detail: "the tenant's \(what) is used up",
                retryAfter: DailyQuota.secondsUntilReset(decision, now: now)
            ).response(headers: DailyQuota.headers(
                policies: limited[...index].map(\.daily.policy),
                remaining: zip(limited, shown).map { $0.daily.remaining($1, now: now) }
            ))
        }
        let quotaHeaders = DailyQuota.headers(
            policies: limited.map(\.daily.policy), remaining: zip(limited, decisions).map { $0.daily.remaining($1, now: now) }
        )
        // Given back when Weavr did nothing (a 4xx): the units the journal took.
        func giveBack() async {
            for (daily, units) in limited {
                do {
                    try await quotas.release(tenant: tenantID, operation: daily.operation, amount: units, day: nil)
                } catch {
                    Self.report("quota release failed (\(daily.operation.rawValue), request \(call.requestID)): \(error)")
                }
            }
        }

        let outcome: AuditedOutcome
        do {
            outcome = try await perform()
        } catch {
            let (problem, weavr, rethrown): (Problem, WeavrError?, any Error) =
                switch error {
                case let failure as UpstreamFailure: (failure.problem, failure.weavr, failure.problem)
                case let weavr as WeavrError: UpstreamFailure(weavr).parts
                case let problem as Problem: (problem, nil, problem)
                default: (Problem(.internalError), nil, error)
                }
            var failed = details
            if let code = weavr?.code { failed["upstream_code"] = .string(code) }
            failed["problem"] = .string(problem.code.rawValue)
            if weavr == nil || (400..<500).contains(weavr?.status ?? 0) { await giveBack() }
            await recordOutcome(call, [entry(
                call, action, target: target, outcome: .failure, httpStatus: problem.code.status,
                upstreamStatus: weavr?.status, upstreamRequestRef: weavr?.requestRef, details: Self.details(failed)
            )])
            throw rethrown
        }
        await recordOutcome(call, [entry(
            call, action, target: outcome.target ?? target, outcome: .success, httpStatus: outcome.response.status,
            upstreamStatus: outcome.upstreamStatus, upstreamRequestRef: outcome.upstreamRequestRef,
            details: Self.details(details.merging(outcome.details) { _, new in new })
        )])
        var response = outcome.response
        for (name, value) in quotaHeaders { response.headers.replaceOrAdd(name, value) }
        return response
    }

    /// An outcome row: held for the idempotency step when the call runs under a key (it writes them with the
    /// stored response, in one commit, before the answer), else written now.
    private func recordOutcome(_ call: V1Call, _ entries: [AuditEntry]) async {
        if let deferred = call.deferredOutcomes {
            deferred.append(entries)
        } else {
            await record(entries)
        }
    }
}
