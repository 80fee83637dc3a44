/// A generator option that cannot be honoured (a zero size, an op a kind cannot use, …),
/// with a message that names the option and says what is allowed.
public struct GeneratorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what would be accepted.
    public var message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
