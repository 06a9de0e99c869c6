import Foundation
import Testing
import Upstream
import WeavrSimulator

@Suite struct HeaderTests {
    /// Routes whose spec operation declares `idempotency-ref` (the test passes one to each).
    static let declaringIdempotencyRef: Set<String> = [
        "POST /managed_cards", "PATCH /managed_cards/{id}", "POST /managed_cards/{id}/block", "POST /managed_cards/{id}/unblock",
        "POST /users", "POST /users/{user_id}/invite", "POST /stepup/challenges/otp/{channel}",
        "POST /stepup/challenges/otp/{channel}/verify", "POST /bulks/managed_cards/_id_/block", "POST /bulks/users",
        "POST /bulks/users/_user_id_/invite", "POST /transfers",
        "POST /managed_cards/{id}/spend_rules", "PATCH /managed_cards/{id}/spend_rules", "POST /managed_cards/{id}/physical",
        "POST /managed_cards/{id}/physical/activate", "POST /managed_cards/{id}/physical/report_lost",
        "POST /managed_cards/{id}/physical/report_stolen", "POST /managed_cards/{id}/physical/replace_lost_stolen",
        "POST /managed_cards/{id}/physical/replace_damaged", "POST /managed_accounts/{id}/iban",
        "PATCH /users/{user_id}", "POST /users/{user_id}/invite/consume", "POST /authentication_factors/otp/{channel}",
        "POST /authentication_factors/otp/{channel}/verify",
    ]

    /// Routes called with the api-key alone (no user token).
    static let apiKeyOnly: Set<String> = [
        "POST /login_with_password", "POST /users/{user_id}/invite/consume", "POST /passwords/lost_password/start", "POST /passwords/lost_password/resume",
    ]

    @Test func secretsAuthorisationIdempotencyAndRequestIDHeaders() async throws {
        try await withUpstream { harness in
            try await exerciseEveryOperation(harness)
            let captured = harness.simulator.capturedRequests
            #expect(captured.count >= 25)
            for request in captured {
                let headers = Dictionary(request.headers.map { ($0[0].lowercased(), $0[1]) }, uniquingKeysWith: { first, _ in first })
                let operation = "\(request.method) \(request.route ?? request.path)"
                #expect(headers["api-key"] == "<redacted>", "\(operation)")
                if Self.apiKeyOnly.contains(operation) {
                    #expect(headers["authorization"] == nil)
                } else {
                    #expect(headers["authorization"] == "<redacted>", "\(operation)")
                }
                #expect((headers["idempotency-ref"] != nil) == Self.declaringIdempotencyRef.contains(operation), "\(operation)")
                #expect(headers["x-request-id"]?.hasPrefix("trace-") == true, "\(operation)")
                #expect((headers["content-type"] == "application/json") == !request.body.isEmpty, "\(operation)")
            }
        }
    }
}

/// Calls every `WeavrClient` operation once, with an idempotency-ref wherever the API takes one.
func exerciseEveryOperation(_ harness: UpstreamHarness) async throws {
    let client = harness.client
    var counter = 0
    func rid() -> String {
        counter += 1
        return "trace-\(counter)"
    }
    let login = try await client.loginWithPassword(email: Demo.aliceEmail, password: Demo.alicePassword, requestID: rid()).value
    let token = login.token
    _ = try await client.accessToken(authToken: token, identity: login.identity, requestID: rid())
    _ = try await client.identities(token: token, offset: 0, limit: 10, requestID: rid())
    _ = try await client.stepUpChallenge(token: token, channel: .sms, idempotencyRef: "h-challenge", requestID: rid())
    _ = try await client.stepUpVerify(token: token, channel: .sms, code: "123456", idempotencyRef: "h-verify", requestID: rid())

    var filter = CardListFilter()
    filter.states = ["ACTIVE", "BLOCKED"]
    filter.currency = "EUR"
    _ = try await client.listCards(token: token, filter: filter, offset: 0, limit: 5, requestID: rid())
    _ = try await client.getCard(token: token, id: Demo.fundedCard, requestID: rid())
    let card = try await client.createCard(token: token, body: Demo.cardBody(name: "Headers", tag: "hdr"), idempotencyRef: "h-create", requestID: rid()).value
    _ = try await client.patchCard(token: token, id: card.id, body: CardPatchBody(tag: "hdr2", friendlyName: "Headers 2"), idempotencyRef: "h-patch", requestID: rid())
    _ = try await client.blockCard(token: token, id: card.id, idempotencyRef: "h-block", requestID: rid())
    _ = try await client.unblockCard(token: token, id: card.id, idempotencyRef: "h-unblock", requestID: rid())
    _ = try await client.removeCard(token: token, id: card.id, requestID: rid())
    _ = try await client.listAccounts(token: token, offset: 0, limit: 10, requestID: rid())
    _ = try await client.getAccount(token: token, id: Demo.eurAccount, requestID: rid())
    _ = try await client.getAccountIBAN(token: token, id: Demo.eurAccount, requestID: rid())
    _ = try await client.upgradeAccountIBAN(token: token, id: Demo.eurAccount, idempotencyRef: "h-iban", requestID: rid())
    let account = InstrumentRef(id: Demo.eurAccount, type: .managedAccounts)
    let funded = InstrumentRef(id: Demo.fundedCard, type: .managedCards)
    let transfer = try await client.createTransfer(
        token: token, body: TransferCreateBody(profileId: Demo.transferProfile, tag: "hdr", source: account, destination: funded,
                                               destinationAmount: CurrencyAmount(currency: "EUR", amount: 100), description: "Headers"),
        idempotencyRef: "h-transfer", requestID: rid()
    ).value
    _ = try await client.listTransfers(token: token, states: ["COMPLETED", "PENDING"], offset: 0, limit: 10, requestID: rid())
    _ = try await client.getTransfer(token: token, id: transfer.id, requestID: rid())
    var activity = TransactionFilter()
    activity.types = ["transfers", "card_payments"]
    activity.statuses = ["COMPLETED"]
    activity.direction = "CREDIT"
    activity.createdFrom = 0
    activity.createdTo = transfer.creationTimestamp
    activity.sortOrder = "ASC"
    _ = try await client.transactions(token: token, of: funded, filter: activity, offset: 0, limit: 10, requestID: rid())
    _ = try await client.transactions(token: token, of: account, requestID: rid())

    let limit = SpendLimit(value: CurrencyAmount(currency: "EUR", amount: 5000), interval: "MONTHLY")
    let rules = SpendRules(blockedMerchantCategories: ["7995"], allowedMerchantCountries: ["MT"], allowContactless: true, minTransactionAmount: 1,
                           spendLimit: [limit])
    _ = try await client.createSpendRules(token: token, id: Demo.fundedCard, rules: rules, idempotencyRef: "h-rules", requestID: rid())
    _ = try await client.updateSpendRules(token: token, id: Demo.fundedCard, rules: SpendRules(spendLimit: [limit], updateSpendLimitMethod: "INCREMENT"),
                                          idempotencyRef: "h-rules-patch", requestID: rid())
    _ = try await client.getSpendRules(token: token, id: Demo.fundedCard, requestID: rid())
    _ = try await client.deleteSpendRules(token: token, id: Demo.fundedCard, requestID: rid())
    let delivery = DeliveryAddress(name: "Alice", surname: "Admin", addressLine1: "1 Main St", city: "London", postCode: "N1 1AA", country: "GB")
    let physical = Demo.emptyGBPCard
    _ = try await client.upgradeToPhysical(token: token, id: physical, body: PhysicalUpgradeBody(deliveryMethod: "COURIER", deliveryAddress: delivery, activationCode: "1234"),
                                           idempotencyRef: "h-physical", requestID: rid())
    _ = try await client.activatePhysical(token: token, id: physical, activationCode: "1234", idempotencyRef: "h-activate", requestID: rid())
    _ = try await client.physicalPin(token: token, id: physical, requestID: rid())
    _ = try await client.unblockPhysicalPin(token: token, id: physical, requestID: rid())
    _ = try await client.replaceDamagedPhysical(token: token, id: physical, activationCode: "5678", idempotencyRef: "h-damaged", requestID: rid())
    _ = try await client.reportPhysical(token: token, id: physical, stolen: false, idempotencyRef: "h-lost", requestID: rid())
    let replacement = try await client.replaceLostStolenPhysical(token: token, id: physical, activationCode: "4321", idempotencyRef: "h-replace", requestID: rid()).value
    _ = try await client.activatePhysical(token: token, id: replacement.id, activationCode: "4321", idempotencyRef: "h-activate-2", requestID: rid())
    _ = try await client.reportPhysical(token: token, id: replacement.id, stolen: true, idempotencyRef: "h-stolen", requestID: rid())

    let user = try await client.createUser(token: token, body: Demo.userBody(42), idempotencyRef: "h-user", requestID: rid()).value
    _ = try await client.inviteUser(token: token, userId: user.id, idempotencyRef: "h-invite", requestID: rid())
    _ = try await client.listUsers(token: token, requestID: rid())
    _ = try await client.getUser(token: token, id: user.id, requestID: rid())
    _ = try await client.updateUser(token: token, id: user.id, body: UserPatchBody(surname: "Patched", mobile: MobileNumber(countryCode: "+356", number: "79000001"),
                                                                                 dateOfBirth: DateOfBirth(year: 1990, month: 2, day: 28)),
                                    idempotencyRef: "h-user-patch", requestID: rid())
    _ = try await client.deactivateUser(token: token, id: user.id, requestID: rid())
    _ = try await client.activateUser(token: token, id: user.id, requestID: rid())
    let invited = try await client.consumeInvite(userId: user.id, body: InviteConsumeBody(inviteCode: "123456", password: "Invited#Pass1"),
                                                 idempotencyRef: "h-consume", requestID: rid()).value
    let invitedToken = try #require(invited.token)
    _ = try await client.updatePassword(token: invitedToken, oldPassword: "Invited#Pass1", newPassword: "Changed#Pass2", requestID: rid())
    _ = try await client.enrolOTP(token: invitedToken, channel: .sms, idempotencyRef: "h-enrol", requestID: rid())
    _ = try await client.enrolOTPVerify(token: invitedToken, channel: .sms, code: "123456", idempotencyRef: "h-enrol-verify", requestID: rid())
    _ = try await client.lostPasswordStart(email: user.email, requestID: rid())
    _ = try await client.lostPasswordResume(email: user.email, nonce: "123456", newPassword: "Reset#Pass3", requestID: rid())

    let users = try await client.submitUsersBulk(token: token, users: [Demo.userBody(43)], idempotencyRef: "h-bulk-users", requestID: rid()).value
    _ = try await client.submitUserInvitesBulk(token: token, userIds: [user.id], idempotencyRef: "h-bulk-invites", requestID: rid())
    let blocks = try await client.submitCardBlockBulk(token: token, cardIds: [Demo.fundedCard], idempotencyRef: "h-bulk-block", requestID: rid()).value
    _ = try await client.executeBulk(token: token, id: blocks.bulkId, mode: .onFailureContinue, requestID: rid())
    _ = try await client.listBulks(token: token, requestID: rid())
    _ = try await client.getBulk(token: token, id: blocks.bulkId, requestID: rid())
    _ = try await client.bulkOperations(token: token, id: blocks.bulkId, requestID: rid())
    _ = try await client.executeBulk(token: token, id: users.bulkId, requestID: rid())
    _ = await weavrError { () async throws(WeavrError) in try await client.pauseBulk(token: token, id: users.bulkId, requestID: rid()) }
    _ = await weavrError { () async throws(WeavrError) in try await client.resumeBulk(token: token, id: users.bulkId, requestID: rid()) }
    _ = await weavrError { () async throws(WeavrError) in try await client.cancelBulk(token: token, id: users.bulkId, requestID: rid()) }
    _ = try await client.logout(token: token, requestID: rid())
}
