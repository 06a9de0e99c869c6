/// Body of `POST /login_with_password`.
public struct LoginRequest: Sendable, Equatable, Codable {
    public var email: String
    public var password: SensitivePassword

    public init(email: String, password: String) {
        self.email = email
        self.password = SensitivePassword(value: password)
    }
}
