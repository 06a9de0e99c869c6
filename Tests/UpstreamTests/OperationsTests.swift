import Foundation
import Testing
import Upstream

@Suite struct OperationsTests {
    @Test func authOperationsLoginExchangeListIdentitiesAndLogout() async throws {
        try await withUpstream { harness in
            let client = harness.client
            let login = try await client.loginWithPassword(email: Demo.aliceEmail, password: Demo.alicePassword, requestID: "req-1")
            #expect(login.value.identity == IdentityID(type: "CORPORATE", id: Demo.acmeIdentity))
            #expect(login.value.credentials == CredentialID(type: "ROOT", id: Demo.alice))
            #expect(login.value.tokenType == "ACCESS")
            #expect(login.requestRef?.hasPrefix("sim-") == true)

            let exchanged = try await client.accessToken(authToken: login.value.token, identity: login.value.identity)
            #expect(exchanged.value.identity.id == Demo.acmeIdentity)
            #expect(exchanged.value.status == "STANDARD")

            let identities = try await client.identities(token: exchanged.value.token)
            #expect(identities.value.items.map(\.name) == ["Acme Ltd"])
            #expect(identities.value.count == 1 && identities.value.responseCount == 1)

            _ = try await client.logout(token: exchanged.value.token)
            let after = await weavrError { () async throws(WeavrError) in try await client.listCards(token: exchanged.value.token) }
            #expect(after?.kind == .unauthorized)
        }
    }

    @Test func cardLifecycleListGetCreatePatchBlockUnblockRemove() async throws {
        try await withUpstream { harness in
            let client = harness.client
            let token = try await harness.login()

            var filter = CardListFilter()
            filter.states = ["BLOCKED"]
            let blocked = try await client.listCards(token: token, filter: filter, offset: 0, limit: 10)
            #expect(Set(blocked.value.items.map(\.id)) == [Demo.systemBlockedCard, Demo.userBlockedCard])
            #expect(blocked.value.count == 2)

            let funded = try await client.getCard(token: token, id: Demo.fundedCard).value
            #expect(funded.balances == InstrumentBalances(availableBalance: 2500, actualBalance: 2500))
            #expect(funded.state.state == "ACTIVE" && funded.cardNumberLastFour.count == 4 && funded.expiryMmyy.count == 4)

            let created = try await client.createCard(token: token, body: Demo.cardBody(name: "Lifecycle", tag: "life"), idempotencyRef: "create-1")
            let card = created.value
            #expect(card.friendlyName == "Lifecycle" && card.mode == "PREPAID_MODE" && card.currency == "EUR")
            #expect(card.balances?.availableBalance == 0 && card.creationTimestamp > 0)

            let patched = try await client.patchCard(token: token, id: card.id, body: CardPatchBody(friendlyName: "Renamed"), idempotencyRef: "patch-1")
            #expect(patched.value.friendlyName == "Renamed" && patched.value.tag == "life")

            _ = try await client.blockCard(token: token, id: card.id, idempotencyRef: "block-1")
            #expect(try await client.getCard(token: token, id: card.id).value.state == ManagedInstrumentState(state: "BLOCKED", blockedReason: "USER"))
            _ = try await client.unblockCard(token: token, id: card.id, idempotencyRef: "unblock-1")
            #expect(try await client.getCard(token: token, id: card.id).value.state.state == "ACTIVE")
            _ = try await client.removeCard(token: token, id: card.id)
            let removed = try await client.getCard(token: token, id: card.id).value.state
            #expect(removed == ManagedInstrumentState(state: "DESTROYED", destroyedReason: "USER"))
        }
    }

    @Test func accountsListAndGet() async throws {
        try await withUpstream { harness in
            let token = try await harness.login()
            let accounts = try await harness.client.listAccounts(token: token)
            #expect(accounts.value.items.count == 2 && accounts.value.count == 2)
            let eur = try await harness.client.getAccount(token: token, id: Demo.eurAccount).value
            #expect(eur.currency == "EUR" && eur.balances.availableBalance == 500_000 && eur.state.state == "ACTIVE")
        }
    }

    @Test func usersStepUpThenCreateInviteListGet() async throws {
        try await withUpstream { harness in
            let client = harness.client
            let token = try await harness.login()
            _ = try await client.stepUpChallenge(token: token, channel: .sms, idempotencyRef: "challenge-1")
            _ = try await client.stepUpVerify(token: token, channel: .sms, code: "123456", idempotencyRef: "verify-1")
            let user = try await client.createUser(token: token, body: Demo.userBody(1), idempotencyRef: "user-1").value
            #expect(user.active && user.identity.id == Demo.acmeIdentity && user.name == "User1")
            _ = try await client.inviteUser(token: token, userId: user.id, idempotencyRef: "invite-1")
            let users = try await client.listUsers(token: token, limit: 100).value
            #expect(users.items.contains { $0.id == user.id } && users.count == 3)
            #expect(try await client.getUser(token: token, id: Demo.bob).value.email == Demo.bobEmail)
        }
    }

    @Test func bulkBlockSubmitExecuteAndPollToCompleted() async throws {
        try await withUpstream { harness in
            let client = harness.client
            let token = try await harness.login()
            let submitted = try await client.submitCardBlockBulk(token: token, cardIds: [Demo.fundedCard, Demo.emptyGBPCard], idempotencyRef: "bulk-block-1").value
            #expect(submitted.operationCount == 2 && submitted.path == "/bulks/managed_cards/_id_/block")
            _ = try await client.executeBulk(token: token, id: submitted.bulkId, mode: .onFailureContinue)
            let details = try await poll(client, token, submitted.bulkId) { $0.isFinal }
            #expect(details.status == "COMPLETED")
            #expect(details.operationStatusCounts?.first { $0.status == "COMPLETED" }?.count == 2)
            let operations = try await client.bulkOperations(token: token, id: submitted.bulkId).value
            #expect(operations.items.map(\.status) == ["COMPLETED", "COMPLETED"] && operations.count == 2)
            let bulks = try await client.listBulks(token: token, status: "COMPLETED").value
            #expect(bulks.items.map(\.bulkId) == [submitted.bulkId])
            #expect(try await client.getCard(token: token, id: Demo.fundedCard).value.state.state == "BLOCKED")
        }
    }

    @Test func bulkUsersAndInvitesPauseResumeCancel() async throws {
        try await withUpstream(simulatorConfiguration: { $0.bulkOperationDelay = .milliseconds(20) }) { harness in
            let client = harness.client
            let token = try await harness.login()
            let users = try await client.submitUsersBulk(token: token, users: (1...3).map(Demo.userBody), idempotencyRef: "bulk-users-1").value
            _ = try await client.executeBulk(token: token, id: users.bulkId)
            #expect(try await poll(client, token, users.bulkId) { $0.isFinal }.status == "COMPLETED")
            let created = try await client.listUsers(token: token).value.items.filter { $0.name.hasPrefix("User") }.map(\.id)
            #expect(created.count == 3)

            let invites = try await client.submitUserInvitesBulk(token: token, userIds: created, idempotencyRef: "bulk-invites-1").value
            #expect(invites.operationCount == 3)
        }
        // A bulk that cannot finish on its own while the test pauses, resumes and cancels it (51 operations a
        // second apart), however long a busy machine stalls the test between two calls.
        try await withUpstream(simulatorConfiguration: { $0.bulkOperationDelay = .seconds(1) }) { harness in
            let client = harness.client
            let token = try await harness.login()
            let many = try await client.submitUsersBulk(token: token, users: (10...60).map(Demo.userBody)).value
            _ = try await client.executeBulk(token: token, id: many.bulkId, mode: .onFailureStop)
            _ = try await client.pauseBulk(token: token, id: many.bulkId)
            #expect(try await poll(client, token, many.bulkId) { $0.status == "PAUSED" }.status == "PAUSED")
            _ = try await client.resumeBulk(token: token, id: many.bulkId)
            _ = try await client.cancelBulk(token: token, id: many.bulkId)
            let cancelled = try await poll(client, token, many.bulkId) { $0.isFinal }
            #expect(cancelled.status == "CANCELLED")

            let again = await weavrError { () async throws(WeavrError) in try await client.resumeBulk(token: token, id: many.bulkId) }
            #expect(again?.kind == .conflict(code: "INVALID_STATE"))
        }
    }

    @Test func manyCallsReuseFewPooledConnections() async throws {
        try await withUpstream { harness in
            let token = try await harness.login()
            for _ in 0..<100 {
                _ = try await harness.client.getCard(token: token, id: Demo.fundedCard)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        for _ in 0..<25 { _ = try await harness.client.getCard(token: token, id: Demo.fundedCard) }
                    }
                }
                try await group.waitForAll()
            }
            #expect(harness.http.connectionsOpened <= 9)
            #expect(harness.http.requestsSent >= 301)
        }
    }

    private func poll(
        _ client: WeavrClient, _ token: String, _ id: String, until done: (BulkProcessDetails) -> Bool
    ) async throws -> BulkProcessDetails {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let details = try await client.getBulk(token: token, id: id).value
            if done(details) || ContinuousClock.now > deadline { return details }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
