/// Why a ``WorkerPool`` cannot be built as asked.
package struct WorkerPoolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, in words.
    package let message: String

    /// An error saying `message`.
    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
