import Foundation
import Testing
import Upstream
import WeavrSimulator

@Suite struct ErrorMappingTests {
    @Test func badCardCreateDecodesInvalidFields() async throws {
        try await withUpstream { harness in
            let token = try await harness.login()
            var body = Demo.cardBody()
            body.nameOnCard = ""
            body.billingAddress.country = "gb"
            let error = await weavrError { () async throws(WeavrError) in try await harness.client.createCard(token: token, body: body) }
            guard case .badRequest(let fields) = error?.kind else {
                Issue.record("expected badRequest, got \(String(describing: error))")
                return
            }
            #expect(Set(fields.map(\.fieldName)).isSuperset(of: ["nameOnCard", "billingAddress.country"]))
            #expect(error?.status == 400 && error?.requestRef != nil)
        }
    }

    @Test func unknownAndIdleExpiredTokensAreUnauthorized() async throws {
        let clock = ManualSimulatorClock()
        try await withUpstream(clock: clock) { harness in
            let unknown = await weavrError { () async throws(WeavrError) in try await harness.client.listCards(token: "simtok.nope") }
            #expect(unknown?.kind == .unauthorized && unknown?.requestRef != nil)
            let token = try await harness.login()
            clock.advance(by: .seconds(301))
            let expired = await weavrError { () async throws(WeavrError) in try await harness.client.getCard(token: token, id: Demo.fundedCard) }
            #expect(expired?.kind == .unauthorized)
            let badKey = harness.makeClient(apiKey: "wrong-key")
            let keyError = await weavrError { () async throws(WeavrError) in try await badKey.loginWithPassword(email: Demo.aliceEmail, password: Demo.alicePassword) }
            #expect(keyError?.kind == .unauthorized)
        }
    }

    @Test func userCreateWithoutStepUpIsForbiddenStepUpRequired() async throws {
        try await withUpstream { harness in
            let token = try await harness.login()
            let error = await weavrError { () async throws(WeavrError) in try await harness.client.createUser(token: token, body: Demo.userBody(7)) }
            #expect(error?.kind == .forbidden(code: "STEP_UP_REQUIRED"))
            #expect(error?.isStepUpRequired == true && error?.code == "STEP_UP_REQUIRED")
            let wrongPassword = await weavrError { () async throws(WeavrError) in try await harness.client.loginWithPassword(email: Demo.aliceEmail, password: "nope") }
            #expect(wrongPassword?.kind == .forbidden(code: nil) && wrongPassword?.isStepUpRequired == false)
        }
    }

    @Test func unknownCardIsNotFound() async throws {
        try await withUpstream { harness in
            let token = try await harness.login()
            let error = await weavrError { () async throws(WeavrError) in try await harness.client.getCard(token: token, id: "999999") }
            #expect(error?.kind == .notFound(code: "NOT_FOUND") && error?.status == 404)
        }
    }

    @Test func blockingABlockedCardConflicts() async throws {
        try await withUpstream { harness in
            let token = try await harness.login()
            let error = await weavrError { () async throws(WeavrError) in try await harness.client.blockCard(token: token, id: Demo.systemBlockedCard) }
            #expect(error?.kind == .conflict(code: "INSTRUMENT_ALREADY_BLOCKED"))
            #expect(error?.code == "INSTRUMENT_ALREADY_BLOCKED" && error?.requestRef != nil)
        }
    }

    @Test func repeatedFailedLoginsLock() async throws {
        try await withUpstream { harness in
            var last: WeavrError?
            for _ in 0..<5 {
                last = await weavrError { () async throws(WeavrError) in try await harness.client.loginWithPassword(email: Demo.bobEmail, password: "wrong") }
            }
            #expect(last?.kind == .locked)
            let correct = await weavrError { () async throws(WeavrError) in try await harness.client.loginWithPassword(email: Demo.bobEmail, password: Demo.bobPassword) }
            #expect(correct?.kind == .locked && correct?.status == 423)
        }
    }

    @Test func rateLimitIsDecodedWithResetAndNotWaitedOut() async throws {
        try await withUpstream(simulatorConfiguration: { $0.rateLimitPerMinute = 3 }) { harness in
            let token = try await harness.login()
            _ = try await harness.client.getCard(token: token, id: Demo.fundedCard)
            _ = try await harness.client.getCard(token: token, id: Demo.fundedCard)
            let start = ContinuousClock.now
            let error = await weavrError { () async throws(WeavrError) in try await harness.client.getCard(token: token, id: Demo.fundedCard) }
            guard case .rateLimited(let seconds) = error?.kind else {
                Issue.record("expected rateLimited, got \(String(describing: error))")
                return
            }
            #expect(seconds.map { $0 > 2 && $0 <= 60 } == true)
            // A reset longer than `maxRateLimitWait` is not waited out: one attempt only, answered long
            // before the reset (a bound that holds on a busy machine, not a speed target).
            let resetMilliseconds = Int64((seconds ?? 60) - 1) * 1000
            #expect(elapsedMilliseconds(since: start) < resetMilliseconds)
            #expect(harness.captured("GET", "/managed_cards/{id}").count == 3)
        }
    }

    @Test func faultStatusesMapToTypedErrors() async throws {
        try await withUpstream { harness in
            let token = try await harness.login()
            harness.simulator.setFault(.status(500), for: "GET", path: "/managed_cards/{id}")
            let server = await weavrError { () async throws(WeavrError) in try await harness.client.getCard(token: token, id: Demo.fundedCard) }
            #expect(server?.kind == .serverError(status: 500) && server?.requestRef != nil)
            #expect(harness.captured("GET", "/managed_cards/{id}").count == 1, "500 is not transient: no retry")

            harness.simulator.setFault(SimulatorFault(kind: .tooManyRequests), for: "GET", path: "/managed_accounts")
            let limited = await weavrError { () async throws(WeavrError) in try await harness.client.listAccounts(token: token) }
            #expect(limited?.kind == .rateLimited(retryAfterSeconds: 60))
        }
    }

    @Test func descriptionsNeverContainSecrets() async throws {
        try await withUpstream { harness in
            let login = try await harness.client.loginWithPassword(email: Demo.aliceEmail, password: Demo.alicePassword)
            let token = login.value.token
            var errors: [WeavrError] = []
            var bad = Demo.cardBody()
            bad.nameOnCard = ""
            let cardNumber = "5555444433331111"
            bad.friendlyName = cardNumber
            let badBody = bad
            let client = harness.client
            func collect(_ error: WeavrError?) {
                if let error { errors.append(error) }
            }
            collect(await weavrError { () async throws(WeavrError) in try await client.createCard(token: token, body: badBody) })
            collect(await weavrError { () async throws(WeavrError) in try await client.getCard(token: token, id: cardNumber) })
            collect(await weavrError { () async throws(WeavrError) in try await client.createUser(token: token, body: Demo.userBody(3)) })
            collect(await weavrError { () async throws(WeavrError) in
                try await client.loginWithPassword(email: Demo.aliceEmail, password: "Secret-Password!")
            })
            collect(await weavrError { () async throws(WeavrError) in try await client.listCards(token: token + "x") })
            harness.simulator.setFault(SimulatorFault(kind: .garbageBody), for: "*", path: "*")
            if let error = await weavrError({ () async throws(WeavrError) in try await client.getCard(token: token, id: Demo.fundedCard) }) { errors.append(error) }
            #expect(errors.count == 6)
            let secrets = [Demo.apiKey, token, Demo.alicePassword, "Secret-Password!", cardNumber]
            for error in errors {
                let texts = [error.description, String(describing: error), String(reflecting: error), "\(error.localizedDescription)"]
                for text in texts {
                    for secret in secrets { #expect(!text.contains(secret), "\(text)") }
                }
            }
            #expect(!String(describing: login.value).contains(token))
            #expect(!String(reflecting: LoginRequest(email: "a@b.c", password: "Secret-Password!")).contains("Secret-Password!"))
        }
    }
}
