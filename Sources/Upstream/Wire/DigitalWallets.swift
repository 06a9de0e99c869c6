/// Weavr's `DigitalWallets` settings of a card.
public struct DigitalWallets: Sendable, Equatable, Codable {
    public var pushProvisioningEnabled: Bool?
    public var walletsEnabled: Bool?

    public init(pushProvisioningEnabled: Bool? = nil, walletsEnabled: Bool? = nil) {
        self.pushProvisioningEnabled = pushProvisioningEnabled
        self.walletsEnabled = walletsEnabled
    }
}
