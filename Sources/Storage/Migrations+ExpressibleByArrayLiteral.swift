extension Migrations: ExpressibleByArrayLiteral {
    /// Creates the history from a literal list of migrations.
    public init(arrayLiteral steps: Migration...) {
        self.init(steps)
    }
}
