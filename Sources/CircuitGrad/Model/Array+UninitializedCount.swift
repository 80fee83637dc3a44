extension Array {
    /// `count` elements that `body` writes, setting the initialized count as with
    /// `init(unsafeUninitializedCapacity:initializingWith:)`; for a count of 0, `[]` without
    /// calling `body`. The standard initializer writes a count of 0 into the storage that every
    /// empty array shares, which ThreadSanitizer reports as a data race when two threads do it
    /// while a third reads an empty array.
    @inlinable
    init(uninitializedCount count: Int,
         initializingWith body: (inout UnsafeMutableBufferPointer<Element>, inout Int) throws -> Void) rethrows {
        if count == 0 {
            self = []
        } else {
            try self.init(unsafeUninitializedCapacity: count, initializingWith: body)
        }
    }
}
