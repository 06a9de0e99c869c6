import Upstream

/// One request's way to Weavr: the tenant's client, the user's Weavr token, the request id and — for a
/// mutation sent with an `Idempotency-Key` — the derived `idempotency-ref`, bound once so a handler reads
/// `try await call.weavr.blockCard(id)`. The only place Gateway calls Weavr on a user's behalf; the token
/// never leaves it.
struct WeavrSession: Sendable {
    let client: WeavrClient
    let token: String
    let requestID: String
    let idempotencyRef: String?

    // Transfers and history.
    func createTransfer(_ body: TransferCreateBody) async throws(WeavrError) -> WeavrResult<Transfer> {
        try await client.createTransfer(token: token, body: body, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func listTransfers(states: [String], offset: Int?, limit: Int?) async throws(WeavrError) -> WeavrResult<WeavrPage<Transfer>> {
        try await client.listTransfers(token: token, states: states, offset: offset, limit: limit, requestID: requestID)
    }

    func getTransfer(_ id: String) async throws(WeavrError) -> WeavrResult<Transfer> {
        try await client.getTransfer(token: token, id: id, requestID: requestID)
    }

    func transactions(of instrument: InstrumentRef, filter: TransactionFilter, offset: Int?, limit: Int?) async throws(WeavrError) -> WeavrResult<WeavrPage<InstrumentTransaction>> {
        try await client.transactions(token: token, of: instrument, filter: filter, offset: offset, limit: limit, requestID: requestID)
    }

    // Card controls: spend rules and physical cards.
    func getSpendRules(_ id: String) async throws(WeavrError) -> WeavrResult<AllLevelSpendRules> {
        try await client.getSpendRules(token: token, id: id, requestID: requestID)
    }

    func createSpendRules(_ id: String, _ rules: SpendRules) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.createSpendRules(token: token, id: id, rules: rules, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    /// Puts rules back after a failed replace: without the request's `idempotency-ref`, which Weavr would
    /// answer with the failed create's replay.
    func restoreSpendRules(_ id: String, _ rules: SpendRules) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.createSpendRules(token: token, id: id, rules: rules, requestID: requestID)
    }

    func updateSpendRules(_ id: String, _ rules: SpendRules) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.updateSpendRules(token: token, id: id, rules: rules, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func deleteSpendRules(_ id: String) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.deleteSpendRules(token: token, id: id, requestID: requestID)
    }

    func upgradeToPhysical(_ id: String, _ body: PhysicalUpgradeBody) async throws(WeavrError) -> WeavrResult<ManagedCard> {
        try await client.upgradeToPhysical(token: token, id: id, body: body, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func activatePhysical(_ id: String, activationCode: String) async throws(WeavrError) -> WeavrResult<ManagedCard> {
        try await client.activatePhysical(token: token, id: id, activationCode: activationCode, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    /// The card's tokenised number and CVV (Weavr returns them to a stepped-up token only).
    func sensitiveCardDetails(_ id: String) async throws(WeavrError) -> WeavrResult<SensitiveCardDetails> {
        try await client.sensitiveCardDetails(token: token, id: id, requestID: requestID)
    }

    func physicalPin(_ id: String) async throws(WeavrError) -> WeavrResult<TokenisedPin> {
        try await client.physicalPin(token: token, id: id, requestID: requestID)
    }

    func unblockPhysicalPin(_ id: String) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.unblockPhysicalPin(token: token, id: id, requestID: requestID)
    }

    func reportPhysical(_ id: String, stolen: Bool) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.reportPhysical(token: token, id: id, stolen: stolen, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func replaceDamagedPhysical(_ id: String, activationCode: String) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.replaceDamagedPhysical(token: token, id: id, activationCode: activationCode, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func replaceLostStolenPhysical(_ id: String, activationCode: String) async throws(WeavrError) -> WeavrResult<ManagedCard> {
        try await client.replaceLostStolenPhysical(token: token, id: id, activationCode: activationCode, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    // Cards.
    func listCards(filter: CardListFilter, offset: Int?, limit: Int?) async throws(WeavrError) -> WeavrResult<WeavrPage<ManagedCard>> {
        try await client.listCards(token: token, filter: filter, offset: offset, limit: limit, requestID: requestID)
    }

    func getCard(_ id: String) async throws(WeavrError) -> WeavrResult<ManagedCard> {
        try await client.getCard(token: token, id: id, requestID: requestID)
    }

    func createCard(_ body: CardCreateBody) async throws(WeavrError) -> WeavrResult<ManagedCard> {
        try await client.createCard(token: token, body: body, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func patchCard(_ id: String, _ body: CardPatchBody) async throws(WeavrError) -> WeavrResult<ManagedCard> {
        try await client.patchCard(token: token, id: id, body: body, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func blockCard(_ id: String) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.blockCard(token: token, id: id, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func unblockCard(_ id: String) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.unblockCard(token: token, id: id, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func removeCard(_ id: String) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.removeCard(token: token, id: id, requestID: requestID)
    }

    // Accounts.
    func listAccounts(offset: Int?, limit: Int?) async throws(WeavrError) -> WeavrResult<WeavrPage<ManagedAccount>> {
        try await client.listAccounts(token: token, offset: offset, limit: limit, requestID: requestID)
    }

    func getAccount(_ id: String) async throws(WeavrError) -> WeavrResult<ManagedAccount> {
        try await client.getAccount(token: token, id: id, requestID: requestID)
    }

    func upgradeAccountIBAN(_ id: String) async throws(WeavrError) -> WeavrResult<ManagedAccountIBAN> {
        try await client.upgradeAccountIBAN(token: token, id: id, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func getAccountIBAN(_ id: String) async throws(WeavrError) -> WeavrResult<ManagedAccountIBAN> {
        try await client.getAccountIBAN(token: token, id: id, requestID: requestID)
    }

    // Users.
    func listUsers(offset: Int?, limit: Int?) async throws(WeavrError) -> WeavrResult<WeavrPage<WeavrUser>> {
        try await client.listUsers(token: token, offset: offset, limit: limit, requestID: requestID)
    }

    func createUser(_ body: UserCreateBody) async throws(WeavrError) -> WeavrResult<WeavrUser> {
        try await client.createUser(token: token, body: body, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func getUser(_ id: String) async throws(WeavrError) -> WeavrResult<WeavrUser> {
        try await client.getUser(token: token, id: id, requestID: requestID)
    }

    func updateUser(_ id: String, _ body: UserPatchBody) async throws(WeavrError) -> WeavrResult<WeavrUser> {
        try await client.updateUser(token: token, id: id, body: body, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func setUserActive(_ id: String, _ active: Bool) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        active ? try await client.activateUser(token: token, id: id, requestID: requestID) : try await client.deactivateUser(token: token, id: id, requestID: requestID)
    }

    func inviteUser(_ id: String) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.inviteUser(token: token, userId: id, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    // Bulks.
    func submitCardBlockBulk(_ cardIds: [String]) async throws(WeavrError) -> WeavrResult<BulkSubmitResponse> {
        try await client.submitCardBlockBulk(token: token, cardIds: cardIds, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func submitUsersBulk(_ users: [UserCreateBody]) async throws(WeavrError) -> WeavrResult<BulkSubmitResponse> {
        try await client.submitUsersBulk(token: token, users: users, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func submitUserInvitesBulk(_ userIds: [String]) async throws(WeavrError) -> WeavrResult<BulkSubmitResponse> {
        try await client.submitUserInvitesBulk(token: token, userIds: userIds, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func executeBulk(_ id: String, mode: BulkMode) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.executeBulk(token: token, id: id, mode: mode, requestID: requestID)
    }

    func getBulk(_ id: String) async throws(WeavrError) -> WeavrResult<BulkProcessDetails> {
        try await client.getBulk(token: token, id: id, requestID: requestID)
    }

    func bulkOperations(_ id: String, status: String?, offset: Int?, limit: Int?) async throws(WeavrError) -> WeavrResult<WeavrPage<BulkOperation>> {
        try await client.bulkOperations(token: token, id: id, status: status, offset: offset, limit: limit, requestID: requestID)
    }

    func pauseBulk(_ id: String) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.pauseBulk(token: token, id: id, requestID: requestID)
    }

    func resumeBulk(_ id: String) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.resumeBulk(token: token, id: id, requestID: requestID)
    }

    func cancelBulk(_ id: String) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.cancelBulk(token: token, id: id, requestID: requestID)
    }

    // The session itself.
    func logout() async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.logout(token: token, requestID: requestID)
    }

    func updatePassword(old: String, new: String) async throws(WeavrError) -> WeavrResult<TokenResponse> {
        try await client.updatePassword(token: token, oldPassword: old, newPassword: new, requestID: requestID)
    }

    func enrolSMS() async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.enrolOTP(token: token, channel: .sms, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func enrolSMSVerify(code: String) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.enrolOTPVerify(token: token, channel: .sms, code: code, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func stepUpChallenge() async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.stepUpChallenge(token: token, channel: .sms, idempotencyRef: idempotencyRef, requestID: requestID)
    }

    func stepUpVerify(code: String) async throws(WeavrError) -> WeavrResult<WeavrEmpty> {
        try await client.stepUpVerify(token: token, channel: .sms, code: code, idempotencyRef: idempotencyRef, requestID: requestID)
    }
}
