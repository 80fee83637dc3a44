/// Lists of names in messages, kept short: a circuit may have millions of inputs, and an
/// error message must stay one readable line.
package enum NameListing {
    /// The first `limit` names joined by ", ", then "and N more" when there are more.
    package static func short(_ names: [String], limit: Int = 5) -> String {
        if names.count <= limit { return names.joined(separator: ", ") }
        return names.prefix(limit).joined(separator: ", ") + " and \(names.count - limit) more"
    }
}
