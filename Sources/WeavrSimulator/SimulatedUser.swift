/// A user (root or authorised) in the simulator's state.
struct SimulatedUser: Sendable {
    var id: String
    var identityID: String
    var identityType: String
    var credentialType: String
    var name: String
    var surname: String
    var email: String
    /// Nil until an invite is consumed (users created through the API cannot log in).
    var password: String?
    var active: Bool
    var mobileCountryCode: String?
    var mobileNumber: String?
    var tag: String?
    var roles: [String]?
    var dateOfBirth: [String: Int]?
    var countryOfResidence: String?
    var locale: String?
    var loginTokenType: String
    var invitesSent: Int = 0
    /// Whether the mobile number is enrolled for SMS OTP (step-up needs it). Seeded users with a mobile are;
    /// users created through the API are not until `/authentication_factors/otp/SMS/verify`.
    var smsEnrolled = false
    var smsEnrolmentPending = false
    /// A lost-password email was sent (its nonce resumes it).
    var lostPasswordPending = false
    var consecutiveLoginFailures: Int = 0
    var lockedUntil: Int64?

    /// The spec's `User` JSON.
    var json: [String: Any] {
        var object: [String: Any] = [
            "id": id,
            "identity": ["type": identityType, "id": identityID],
            "name": name,
            "surname": surname,
            "email": email,
            "active": active,
        ]
        if let mobileCountryCode, let mobileNumber { object["mobile"] = ["countryCode": mobileCountryCode, "number": mobileNumber] }
        if let tag { object["tag"] = tag }
        if let roles { object["roles"] = roles }
        if let dateOfBirth { object["dateOfBirth"] = dateOfBirth }
        if let countryOfResidence { object["countryOfResidence"] = countryOfResidence }
        if let locale { object["locale"] = locale }
        return object
    }
}
