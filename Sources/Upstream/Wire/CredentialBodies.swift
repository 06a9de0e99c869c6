/// Body of `POST /users/{user_id}/invite/consume`: the invite's code and the password the user chooses.
public struct InviteConsumeBody: Sendable, Equatable, Encodable {
    public var inviteCode: String
    public var password: SensitivePassword
    public var mobile: MobileNumber?

    public init(inviteCode: String, password: String, mobile: MobileNumber? = nil) {
        self.inviteCode = inviteCode
        self.password = SensitivePassword(value: password)
        self.mobile = mobile
    }
}

/// Body of `POST /passwords/lost_password/start`.
struct LostPasswordStartBody: Encodable {
    var email: String
}

/// Body of `POST /passwords/lost_password/resume`.
struct LostPasswordResumeBody: Encodable {
    var nonce: String
    var email: String
    var newPassword: SensitivePassword
}

/// Body of `POST /passwords/update`.
struct PasswordUpdateBody: Encodable {
    var oldPassword: SensitivePassword
    var newPassword: SensitivePassword
}

/// Weavr's `TokenResponse` `{token}` (invite consume, lost-password resume) and the token of `PasswordResponse`.
/// Its description never shows the token.
public struct TokenResponse: Sendable, Equatable, Decodable, CustomStringConvertible, CustomDebugStringConvertible {
    public var token: String?

    public var description: String { "TokenResponse(<redacted>)" }
    public var debugDescription: String { description }
}
