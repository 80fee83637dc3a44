import ArgumentParser
import CircuitGrad
#if canImport(Glibc)
import Glibc
#endif

/// The tool's exit statuses, after the `sysexits.h` convention, so scripts can tell
/// failures apart. Every failure also prints one line on standard error starting with
/// `circuitgrad: `.
enum ExitStatus: Int32, CaseIterable {
    /// Success.
    case ok = 0
    /// A check that ran and failed: gradients disagree (`check`, `example`, `bench`), or
    /// `--check-finite` found NaN or infinity.
    case checkFailed = 1
    /// Bad usage: an unknown or invalid option or argument (EX_USAGE).
    case usage = 64
    /// Bad input data: a malformed circuit, batch or results file (EX_DATAERR).
    case dataError = 65
    /// An input file cannot be opened or read (EX_NOINPUT).
    case noInput = 66
    /// Too large: a size beyond the limits or more memory than the machine has (EX_OSERR).
    case resourceLimit = 71
    /// An internal error, a bug (EX_SOFTWARE).
    case software = 70
    /// An output cannot be created, written or replaced (EX_CANTCREAT).
    case cannotCreate = 73
    /// Interrupted by SIGINT (128 + 2); temporary files were removed.
    case interrupted = 130
    /// Terminated by SIGTERM (128 + 15); temporary files were removed.
    case terminated = 143

    /// The status for a library error of `kind`.
    init(_ kind: CircuitError.Kind) {
        switch kind {
        case .syntax, .unknownOp, .arity, .undefinedWire, .duplicateWire, .cycle, .missingOutput, .duplicateOutput, .batchShape:
            self = .dataError
        case .inputRead: self = .noInput
        case .outputWrite: self = .cannotCreate
        case .resourceLimit: self = .resourceLimit
        case .invalidArgument: self = .usage
        case .internal: self = .software
        }
    }

    /// The table printed at the end of `circuitgrad --help` and in the README.
    static let helpText = """
        Exit status: 0 success; 1 a check failed (gradients, --check-finite); 64 bad usage; \
        65 bad input data; 66 an input cannot be read; 70 internal error; 71 too large (memory or a \
        size limit); 73 an output cannot be written; 130/143 interrupted by SIGINT/SIGTERM.
        """
}

extension CircuitGradCommand {
    /// Runs the command; prints every failure as one line `circuitgrad: error: …` on
    /// standard error and exits with its ``ExitStatus``.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CircuitError {
            fail(error.description, ExitStatus(error.kind))
        } catch let error as GeneratorError {
            fail(error.description, .usage)
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode { exit(withError: error) }   // help, version, a reported check failure
            let text = fullMessage(for: error)
            let firstLine = text.split(separator: "\n").first.map(String.init) ?? "\(error)"
            let message = firstLine.hasPrefix("Error: ") ? String(firstLine.dropFirst(7)) : firstLine
            fail(message + " (see 'circuitgrad help')", code == .validationFailure ? .usage : ExitStatus(rawValue: code.rawValue) ?? .usage)
        }
        Glibc.exit(0)
    }

    private static func fail(_ message: String, _ status: ExitStatus) -> Never {
        Terminal.note("circuitgrad: error: " + message)
        Glibc.exit(status.rawValue)
    }
}
