extension SimulatorState {
    /// `GET /managed_accounts` with Weavr's filters.
    func listAccounts(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        let exact: [(String, (SimulatedAccount) -> String?)] = [
            ("profileId", \.profileID), ("friendlyName", \.friendlyName), ("currency", \.currency), ("tag", \.tag),
        ]
        let anyOf: [(String, (SimulatedAccount) -> String?)] = [
            ("state", \.state.state), ("state.blockedReason", \.state.blockedReason), ("state.destroyedReason", \.state.destroyedReason),
        ]
        let matching = accounts.filter { account in
            guard account.identityID == principal.identityID else { return false }
            for (name, value) in exact {
                if let wanted = call.queryValue(name), value(account) != wanted { return false }
            }
            for (name, value) in anyOf {
                let wanted = (call.query[name] ?? []).flatMap { $0.split(separator: ",").map(String.init) }
                if !wanted.isEmpty, !wanted.contains(value(account) ?? "") { return false }
            }
            return true
        }
        return page(matching.map(\.json), key: "accounts", call: call)
    }

    /// `GET /managed_accounts/{id}`.
    func getAccount(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let account = accounts.first(where: { $0.id == call.pathParameters["id"] && $0.identityID == principal.identityID }) else {
            return .notFound("Managed account")
        }
        return .json(200, account.json)
    }

    /// `POST /managed_accounts/{id}/iban`: allocates at once → 200 `ALLOCATED` with the bank details; 409
    /// `INSTRUMENT_ALREADY_UPGRADED_TO_IBAN` a second time, `INSTRUMENT_IS_NOT_ACTIVE` unless the account is active.
    mutating func upgradeAccountIBAN(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let index = accounts.firstIndex(where: { $0.id == call.pathParameters["id"] && $0.identityID == principal.identityID }) else {
            return .notFound("Managed account")
        }
        if accounts[index].iban != nil { return .errorCode(409, "INSTRUMENT_ALREADY_UPGRADED_TO_IBAN") }
        if accounts[index].state.state != "ACTIVE" { return .errorCode(409, "INSTRUMENT_IS_NOT_ACTIVE") }
        let owner = identities[accounts[index].identityID]?.name ?? ""
        accounts[index].iban = SimulatedIBAN(accountID: accounts[index].id, currency: accounts[index].currency, beneficiary: owner)
        accounts[index].ibanPending = accounts[index].ibanAllocationDelayed
        return .json(200, accounts[index].ibanJSON)
    }

    /// Test-only: `delay` makes the account's upgrade stay pending; `allocate` completes a pending one.
    mutating func testIBANAllocation(accountID: String?, allocate: Bool) -> SimulatorReply {
        guard let index = accounts.firstIndex(where: { $0.id == accountID }) else { return .notFound("Managed account") }
        if allocate {
            guard accounts[index].ibanPending else { return .errorCode(409, "NOT_PENDING") }
            accounts[index].ibanPending = false
        } else {
            accounts[index].ibanAllocationDelayed = true
        }
        return .json(200, accounts[index].ibanJSON)
    }

    /// `GET /managed_accounts/{id}/iban`: `UNALLOCATED` with no details until upgraded.
    func getAccountIBAN(_ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        guard let account = accounts.first(where: { $0.id == call.pathParameters["id"] && $0.identityID == principal.identityID }) else {
            return .notFound("Managed account")
        }
        return .json(200, account.ibanJSON)
    }
}
