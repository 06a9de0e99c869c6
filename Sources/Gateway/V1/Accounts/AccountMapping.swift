import Upstream

// Accounts, Weavr → public JSON. Accounts take no input: the list filters are applied by `AccountsRoutes`.

/// The public JSON of a managed account: `{id, name, currency, state, blockedReason, balance, createdAt}`.
enum AccountView {
    static func write(_ account: ManagedAccount, into json: inout JSONWriter) {
        json.beginObject()
        json.field("id", account.id)
        json.field("name", account.friendlyName)
        json.field("currency", account.currency)
        InstrumentStateView.write(account.state, into: &json)
        json.key("balance")
        BalanceView.write(account.balances, into: &json)
        json.field("createdAt", Timestamp.iso8601(milliseconds: account.creationTimestamp))
        json.endObject()
    }
}
