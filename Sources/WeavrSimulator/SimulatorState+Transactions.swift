extension SimulatorState {
    /// `GET /managed_cards/{id}/transactions` and `GET /managed_accounts/{id}/transactions`: the instrument's side
    /// of every transfer and, for a card, its card payments; 404 for an instrument of another identity.
    func instrumentTransactions(_ kind: SimulatedInstrumentRef.Kind, _ call: SimulatorCall) -> SimulatorReply {
        guard let principal = call.principal else { return .unauthorized }
        let instrument = SimulatedInstrumentRef(id: call.pathParameters["id"] ?? "", kind: kind)
        guard funds(of: instrument, identityID: principal.identityID) != nil else {
            return .notFound(kind == .managedCards ? "Managed card" : "Managed account")
        }
        let (query, invalid) = TransactionActivityQuery.parse(call)
        guard invalid.isEmpty else { return .badRequest(invalid) }
        return page(query.apply(to: activity(of: instrument)).map(\.json), key: "transactions", call: call)
    }

    /// Every activity entry of `instrument`, in no particular order.
    func activity(of instrument: SimulatedInstrumentRef) -> [TransactionActivityEntry] {
        var entries: [TransactionActivityEntry] = []
        for transfer in transfers where transfer.source == instrument || transfer.destination == instrument {
            entries.append(TransactionActivityEntry(
                id: transfer.id, type: "transfers", status: transfer.activityStatus,
                direction: transfer.source == instrument ? "DEBIT" : "CREDIT", currency: transfer.currency, amount: transfer.amount,
                creationTimestamp: transfer.creationTimestamp,
                lastUpdatedTimestamp: transfer.executionTimestamp ?? transfer.creationTimestamp, transaction: transfer.json
            ))
        }
        if instrument.kind == .managedCards, let index = cardIndex[instrument.id] {
            let card = cards[index].summaryJSON
            for payment in cardPayments where payment.cardID == instrument.id {
                entries.append(TransactionActivityEntry(
                    id: payment.id, type: "card_payments", status: payment.activityStatus, direction: "DEBIT",
                    currency: payment.currency, amount: payment.amount, creationTimestamp: payment.creationTimestamp,
                    lastUpdatedTimestamp: payment.lastUpdatedTimestamp, transaction: payment.json(card: card)
                ))
            }
        }
        return entries
    }
}
