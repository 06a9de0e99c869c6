extension SimulatorSeed {
    /// The demo data: api-key `sim-demo-api-key`; corporate identity "Acme Ltd" (id 100000000000000001) with
    /// alice@example.com / `Password1!` (root) and bob@example.com / `Password2!`; prepaid profiles
    /// 101 EUR, 102 GBP, 103 USD and debit profile 104 EUR; transfer profile 401; two managed accounts
    /// (EUR funded with 500000, GBP empty); cards: EUR funded (2500), GBP empty, EUR SYSTEM-blocked,
    /// USD USER-blocked, EUR debit.
    /// A second, consumer identity (carol@example.com / `Password3!`) owns one card, for isolation tests.
    public static var demo: SimulatorSeed {
        let acme = Identity(
            id: "100000000000000001", type: "CORPORATE", name: "Acme Ltd",
            users: [
                User(id: "100000000000000101", email: "alice@example.com", password: "Password1!", name: "Alice", surname: "Admin",
                     credentialType: "ROOT", mobileCountryCode: "+44", mobileNumber: "7700900001"),
                User(id: "100000000000000102", email: "bob@example.com", password: "Password2!", name: "Bob", surname: "Builder",
                     mobileCountryCode: "+44", mobileNumber: "7700900002"),
            ],
            managedAccounts: [
                Account(id: "100000000000000201", profileId: "201", friendlyName: "Operating EUR", currency: "EUR",
                        availableBalance: 500_000, actualBalance: 500_000),
                Account(id: "100000000000000202", profileId: "202", friendlyName: "Payroll GBP", currency: "GBP",
                        availableBalance: 0, actualBalance: 0),
            ],
            managedCards: [
                Card(id: "100000000000000301", profileId: "101", friendlyName: "Travel card", nameOnCard: "Alice Admin", balance: 2500, tag: "travel"),
                Card(id: "100000000000000302", profileId: "102", friendlyName: "Office supplies", nameOnCard: "Bob Builder", tag: "office"),
                Card(id: "100000000000000303", profileId: "101", friendlyName: "Suspended card", nameOnCard: "Bob Builder",
                     state: "BLOCKED", blockedReason: "SYSTEM"),
                Card(id: "100000000000000304", profileId: "103", friendlyName: "Paused card", nameOnCard: "Alice Admin",
                     state: "BLOCKED", blockedReason: "USER"),
                Card(id: "100000000000000305", profileId: "104", friendlyName: "Team debit", nameOnCard: "Alice Admin",
                     parentManagedAccountId: "100000000000000201"),
            ]
        )
        let carol = Identity(
            id: "100000000000000002", type: "CONSUMER", name: "Carol Consumer",
            users: [
                User(id: "100000000000000103", email: "carol@example.com", password: "Password3!", name: "Carol", surname: "Consumer",
                     credentialType: "ROOT", mobileCountryCode: "+44", mobileNumber: "7700900003"),
            ],
            managedAccounts: [],
            managedCards: [
                Card(id: "100000000000000311", profileId: "101", friendlyName: "Carol's card", nameOnCard: "Carol Consumer"),
            ]
        )
        return SimulatorSeed(programmes: [
            Programme(
                apiKey: "sim-demo-api-key",
                cardProfiles: [
                    CardProfile(id: "101", currency: "EUR"),
                    CardProfile(id: "102", currency: "GBP"),
                    CardProfile(id: "103", currency: "USD"),
                    CardProfile(id: "104", currency: "EUR", mode: "DEBIT_MODE"),
                ],
                transferProfileId: "401",
                identities: [acme, carol]
            ),
        ])
    }
}
