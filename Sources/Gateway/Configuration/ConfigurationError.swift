/// Why a configuration was refused: one line per problem, each naming the key path (and the environment
/// variable or flag it came from) and the expected form.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        problems.joined(separator: "\n")
    }
}
