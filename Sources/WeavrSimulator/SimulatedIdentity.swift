/// A corporate or consumer identity and the programme (api-key) it belongs to.
struct SimulatedIdentity: Sendable {
    var id: String
    var type: String
    var name: String
    var apiKey: String
}
