import Audit
import NIOFreeHTTP
import Upstream

/// A card's limits (Weavr's spend rules) and its physical life, under `/v1/cards/{id}`:
///
/// - `GET|PUT|PATCH|DELETE /limits`: read, replace, change, remove — each change audited as
///   `card.limits.update` with the rules before and after;
/// - `POST /physical` (upgrade with a delivery address), `POST /physical/activate`, `POST /physical/report`
///   (`lost` | `stolen`), `POST /physical/replace` (`damaged` | `lost_stolen`), `POST /physical/pin/unblock`,
///   and `GET /physical/pin` (a stepped-up session only; Weavr's tokenised PIN for its Display PIN component,
///   never the digits) — each audited with its reason.
///
/// Replacing the limits is Weavr's DELETE then POST (Weavr has no replace): if the POST fails, the rules read
/// before are put back, so a failed replace never leaves a card with fewer limits than it had.
struct CardControlsRoutes: Sendable {
    let v1: V1Router

    func register(on routes: inout V1Routes) {
        let limits = AuditStep(action: .cardLimitsUpdate, targetParameter: "id")
        routes.query("/cards/{id}/limits") { call in try await getLimits(call) }
        routes.mutation("PUT", "/cards/{id}/limits", bodyLimit: 32 * 1024, audit: limits) { call in try await replaceLimits(call) }
        routes.mutation("PATCH", "/cards/{id}/limits", bodyLimit: 32 * 1024, audit: limits) { call in try await changeLimits(call) }
        routes.mutation("DELETE", "/cards/{id}/limits", bodyLimit: 1024, audit: limits) { call in try await removeLimits(call) }
        routes.mutation("POST", "/cards/{id}/physical", bodyLimit: 8 * 1024, audit: AuditStep(action: .cardPhysicalUpgrade, targetParameter: "id")) { call in
            try await upgrade(call)
        }
        routes.mutation("POST", "/cards/{id}/physical/activate", bodyLimit: 1024, audit: AuditStep(action: .cardPhysicalActivate, targetParameter: "id")) { call in
            try await activate(call)
        }
        routes.mutation("POST", "/cards/{id}/physical/report", bodyLimit: 1024, audit: AuditStep(action: .cardReport, quota: .cardsBlock, targetParameter: "id")) { call in
            try await report(call)
        }
        routes.mutation("POST", "/cards/{id}/physical/replace", bodyLimit: 1024, audit: AuditStep(action: .cardReplace, quota: .cardsIssue, targetParameter: "id")) { call in
            try await replace(call)
        }
        routes.mutation("POST", "/cards/{id}/physical/pin/unblock", bodyLimit: 1024, audit: AuditStep(action: .cardPinUnblock, targetParameter: "id")) { call in
            try await unblockPin(call)
        }
        routes.mutation("POST", "/cards/{id}/physical/pin", bodyLimit: 1024, replayable: false, audit: AuditStep(action: .cardPinReveal, targetParameter: "id")) { call in
            try await revealPin(call)
        }
    }

    // MARK: limits

    /// `GET /v1/cards/{id}/limits` → the card's own limits.
    func getLimits(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        try ListQuery(call.request, allowed: []).validate()
        let rules = try await call.weavr.getSpendRules(id).value.cardLevelSpendRules
        return CardsRoutes.json(200, LimitsView.body(rules))
    }

    /// `PUT /v1/cards/{id}/limits`: the whole set (absent members: no rule) → 200 with the limits now.
    func replaceLimits(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        let rules = try LimitsInput.rules(call.request, partial: false)
        let before = try await call.weavr.getSpendRules(id).value.cardLevelSpendRules
        return try await call.audited(details: ["change": "replace", "before": .string(LimitsInput.summary(before)), "after": .string(LimitsInput.summary(rules))]) {
            var last: WeavrResult<WeavrEmpty>?
            if let before, !LimitsInput.isEmpty(before) {
                last = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.deleteSpendRules(id) }
            }
            if !LimitsInput.isEmpty(rules) {
                do {
                    last = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.createSpendRules(id, rules) }
                } catch {
                    if let before, !LimitsInput.isEmpty(before) {
                        _ = try? await call.weavr.restoreSpendRules(id, before)  // put the old limits back
                    }
                    throw error
                }
            }
            return try await Self.fresh(call, id, last)
        }
    }

    /// `PATCH /v1/cards/{id}/limits`: only the members given change → 200 with the limits now.
    func changeLimits(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        var rules = try LimitsInput.rules(call.request, partial: true)
        let before = try await call.weavr.getSpendRules(id).value.cardLevelSpendRules
        return try await call.audited(details: ["change": "change", "before": .string(LimitsInput.summary(before)), "after": .string(LimitsInput.summary(rules))]) {
            let result: WeavrResult<WeavrEmpty>
            if let before, !LimitsInput.isEmpty(before) {
                if rules.spendLimit != nil { rules.updateSpendLimitMethod = "OVERWRITE" }
                result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.updateSpendRules(id, rules) }
            } else {
                result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.createSpendRules(id, rules) }
            }
            return try await Self.fresh(call, id, result)
        }
    }

    /// `DELETE /v1/cards/{id}/limits` → 204.
    func removeLimits(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        let before = try await call.weavr.getSpendRules(id).value.cardLevelSpendRules
        return try await call.audited(details: ["change": "remove", "before": .string(LimitsInput.summary(before)), "after": "none"]) {
            let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.deleteSpendRules(id) }
            return AuditedOutcome(response: HTTPResponse(status: 204, headers: ["cache-control": "no-store"]), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    /// The limits as they are after a change (read back from Weavr).
    private static func fresh(_ call: V1Call, _ id: String, _ result: WeavrResult<WeavrEmpty>?) async throws -> AuditedOutcome {
        let now = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.getSpendRules(id) }
        return AuditedOutcome(response: CardsRoutes.json(200, LimitsView.body(now.value.cardLevelSpendRules)),
                              upstreamStatus: result?.status ?? now.status, upstreamRequestRef: result?.requestRef ?? now.requestRef)
    }

    // MARK: physical

    /// `POST /v1/cards/{id}/physical` → 200 with the card (`type: physical`, `physical.activated: false`).
    func upgrade(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        let body = try PhysicalInput.upgrade(call.request)
        let details: [String: AuditDetails.Value] = [
            "delivery_method": .string(body.deliveryMethod?.lowercased() ?? "standard_delivery"), "delivery_country": .string(body.deliveryAddress.country),
        ]
        return try await call.audited(details: details) {
            let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.upgradeToPhysical(id, body) }
            return AuditedOutcome(response: CardsRoutes.json(200, CardView.body(result.value)), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    /// `POST /v1/cards/{id}/physical/activate` `{activationCode}` → 200 with the card.
    func activate(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        let code = try PhysicalInput.activation(call.request)
        return try await call.audited {
            let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.activatePhysical(id, activationCode: code) }
            return AuditedOutcome(response: CardsRoutes.json(200, CardView.body(result.value)), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    /// `POST /v1/cards/{id}/physical/report` `{reason: lost|stolen}` → 200 with the card as it is now (blocked).
    func report(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        let (reason, _) = try PhysicalInput.reason(call.request, ["lost", "stolen"], activation: false)
        return try await call.audited(details: ["reason": .string(reason)]) {
            let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.reportPhysical(id, stolen: reason == "stolen") }
            let card = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.getCard(id) }
            return AuditedOutcome(response: CardsRoutes.json(200, CardView.body(card.value)), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    /// `POST /v1/cards/{id}/physical/replace` `{reason: damaged|lost_stolen, activationCode}`: a damaged card →
    /// 202 (a replacement is printed on the same card id); a lost or stolen one → 201 with the new card and
    /// `Location` (the old card is destroyed by Weavr).
    func replace(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        let (reason, code) = try PhysicalInput.reason(call.request, ["damaged", "lost_stolen"], activation: true)
        guard let code else { throw Problem(.validationFailed) }
        return try await call.audited(details: ["reason": .string(reason)]) {
            if reason == "damaged" {
                let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.replaceDamagedPhysical(id, activationCode: code) }
                let card = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.getCard(id) }
                return AuditedOutcome(response: CardsRoutes.json(202, CardView.body(card.value)), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
            }
            let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.replaceLostStolenPhysical(id, activationCode: code) }
            return AuditedOutcome(
                response: CardsRoutes.json(201, CardView.body(result.value), location: "/v1/cards/" + result.value.id),
                upstreamStatus: result.status, upstreamRequestRef: result.requestRef, details: ["replacement": .string(result.value.id)]
            )
        }
    }

    /// `POST /v1/cards/{id}/physical/pin/unblock` → 204.
    func unblockPin(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        return try await call.audited {
            let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.unblockPhysicalPin(id) }
            return AuditedOutcome(response: HTTPResponse(status: 204, headers: ["cache-control": "no-store"]), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    /// `POST /v1/cards/{id}/physical/pin` (a POST so that every reveal is a deliberate, audited act, and no
    /// cache or prefetch ever asks for it) → 200 `{pin: {token}}`: Weavr's tokenised PIN, for Weavr's Display
    /// Card PIN UI component. Only for a stepped-up session.
    func revealPin(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        guard call.auth.session.isSteppedUp else {
            throw Problem(.stepUpRequired, detail: "verify a step-up challenge to see the card's PIN")
        }
        return try await call.audited {
            let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.physicalPin(id) }
            var json = JSONWriter()
            json.beginObject()
            json.key("pin")
            json.beginObject()
            json.field("token", result.value.pin.value)
            json.endObject()
            json.endObject()
            return AuditedOutcome(response: CardsRoutes.json(200, json.bytes), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }
}
