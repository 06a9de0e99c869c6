extension Database {
    /// `url` with its database name replaced by `name` (the path after the host), keeping the query.
    public static func url(_ url: String, withDatabase name: String) -> String {
        let characters = Array(url)
        guard let colon = characters.firstIndex(of: ":"), characters[colon...].starts(with: Array("://")) else { return url }
        let authorityStart = colon + 3
        let query = characters[authorityStart...].firstIndex(of: "?") ?? characters.endIndex
        let pathStart = characters[authorityStart..<query].firstIndex(of: "/") ?? query
        return String(characters[..<pathStart]) + "/" + name + String(characters[query...])
    }
}
