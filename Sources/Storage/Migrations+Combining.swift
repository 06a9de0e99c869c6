extension Migrations {
    /// One history made of the steps of several, ordered by version, for a database shared by
    /// modules that each own some tables. Versions must not repeat.
    public init(combining histories: Migrations...) {
        let steps = histories.flatMap(\.steps).sorted { $0.version < $1.version }
        precondition(
            zip(steps, steps.dropFirst()).allSatisfy { $0.version != $1.version },
            "two modules claim the same migration version"
        )
        self.init(steps)
    }
}
