import Glibc

/// Seconds on the system's monotonic clock: for timing sweeps and pacing progress displays.
package enum MonotonicClock {
    /// Now, in seconds since an arbitrary fixed point (differences are meaningful, not the value).
    package static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
