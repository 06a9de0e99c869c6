/// The OTP channel of a step-up challenge.
public enum StepUpChannel: String, Sendable, Equatable {
    case sms = "SMS"
}
