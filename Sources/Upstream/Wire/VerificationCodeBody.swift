/// Body of `POST /stepup/challenges/otp/{channel}/verify`.
struct VerificationCodeBody: Encodable {
    var verificationCode: String
}
