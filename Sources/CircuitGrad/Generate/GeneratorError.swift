/// A generator option that cannot be honoured (a zero size, an op a kind cannot use, …),
/// with a message that names the option and says what is allowed.
package struct GeneratorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what would be accepted.
    package var message: String

    /// An error with `message`.
    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
