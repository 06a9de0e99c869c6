import Upstream

extension WeavrSession {
    func statement(of instrument: InstrumentRef, filter: StatementFilter, offset: Int?, limit: Int) async throws(WeavrError) -> WeavrResult<Statement> {
        try await client.statement(token: token, of: instrument, filter: filter, offset: offset, limit: limit, requestID: requestID)
    }

    func statementFile(
        of instrument: InstrumentRef, format: WeavrClient.StatementFileFormat, filter: StatementFilter, offset: Int?, limit: Int
    ) async throws(WeavrError) -> WeavrStatementFile {
        try await client.statementFile(token: token, of: instrument, format: format, filter: filter, offset: offset, limit: limit, requestID: requestID)
    }
}
