extension SimulatorState {
    /// The currency, state and balances of `instrument` when it exists and belongs to `identityID`.
    func funds(of instrument: SimulatedInstrumentRef, identityID: String) -> InstrumentFunds? {
        switch instrument.kind {
        case .managedCards:
            guard let index = cardIndex[instrument.id], cards[index].identityID == identityID else { return nil }
            let card = cards[index]
            return InstrumentFunds(
                currency: card.currency, state: card.state, availableBalance: card.isPrepaid ? card.availableBalance : 0,
                actualBalance: card.isPrepaid ? card.actualBalance : 0, isDebitModeCard: !card.isPrepaid
            )
        case .managedAccounts:
            guard let account = accounts.first(where: { $0.id == instrument.id && $0.identityID == identityID }) else { return nil }
            return InstrumentFunds(
                currency: account.currency, state: account.state, availableBalance: account.availableBalance,
                actualBalance: account.actualBalance, isDebitModeCard: false
            )
        }
    }

    /// Adds `available` and `actual` (minor units, negative to take) to the balances of a prepaid card or an
    /// account. Callers check the instrument and the funds first.
    mutating func adjustBalances(of instrument: SimulatedInstrumentRef, available: Int64, actual: Int64) {
        switch instrument.kind {
        case .managedCards:
            guard let index = cardIndex[instrument.id] else { return }
            cards[index].availableBalance += available
            cards[index].actualBalance += actual
        case .managedAccounts:
            guard let index = accounts.firstIndex(where: { $0.id == instrument.id }) else { return }
            accounts[index].availableBalance += available
            accounts[index].actualBalance += actual
        }
    }
}
