/// Validates every saved connection, `concurrency` at a time, each through the one Validate path
/// (`ConnectionValidation`) and recorded as a single Validate is. Reports as answers arrive, for a
/// progress line and rows that update. Cancelling the task that runs it (Swift task cancellation)
/// starts nothing more; validations already asked finish and are recorded.
public struct ValidateAll: Sendable {
    public let validation: ConnectionValidation
    public let concurrency: Int
    /// The most one connection may take; nil: the HTTP client's own limits only.
    public let timeout: Duration?

    public init(validation: ConnectionValidation, concurrency: Int = 4, timeout: Duration? = nil) {
        self.validation = validation
        self.concurrency = max(1, concurrency)
        self.timeout = timeout
    }

    public struct Result: Sendable, Equatable {
        public enum Status: Sendable, Equatable {
            case validated(ConnectionValidation.Validated)
            /// No token: the identity provider's or the server's reason. `failure`: a server failure
            /// that was not about the credentials (permission, feature off, unreachable).
            case failed(reason: String, failure: MattermostError?)
            case timedOut(Duration)
            /// Not tried: this server needs the secret sent along and none was given.
            case skipped(reason: String)
            /// Not started before the run was cancelled.
            case cancelled
        }

        public let connection: AudienceMatcher.ConnectionRef
        public let status: Status
        /// What was recorded in the store (the Validated column's new value); nil when nothing was
        /// tried or the store could not keep it.
        public let record: ValidationRecord?

        public init(connection: AudienceMatcher.ConnectionRef, status: Status, record: ValidationRecord? = nil) {
            self.connection = connection
            self.status = status
            self.record = record
        }

        public var gotToken: Bool {
            if case .validated = status { return true }
            return false
        }

        public var didFail: Bool {
            switch status {
            case .failed, .timedOut: return true
            default: return false
            }
        }

        /// The outcome in words, without the connection's name.
        public var outcomeText: String {
            switch status {
            case .validated(let validated): return "Validated connection (\(validated.details))"
            case .failed(let reason, _): return "Connection not validated: \(reason)"
            case .timedOut(let limit): return "Connection not validated: \(ValidateAll.noAnswer(limit))"
            case .skipped(let reason): return "Skipped: \(reason)"
            case .cancelled: return "Not validated: cancelled before it started"
            }
        }

        /// `"Payroll": Validated connection (token_type Bearer, expires_in 3600 s)`.
        public var line: String { "\"\(TerminalText.sanitized(connection.name))\": \(outcomeText)" }
    }

    public struct Progress: Sendable, Equatable {
        public let total: Int
        /// Answered, timed out or skipped.
        public let finished: Int
        public let failed: Int
        public let skipped: Int
        public let running: Int
        public let cancelled: Int

        public var isDone: Bool { finished + cancelled == total }

        /// The tally of a finished run's results.
        public init(results: [Result]) {
            total = results.count
            cancelled = results.filter { $0.status == .cancelled }.count
            finished = total - cancelled
            failed = results.filter(\.didFail).count
            skipped = results.filter { if case .skipped = $0.status { return true } else { return false } }.count
            running = 0
        }

        init(total: Int, finished: Int, failed: Int, skipped: Int, running: Int, cancelled: Int) {
            self.total = total
            self.finished = finished
            self.failed = failed
            self.skipped = skipped
            self.running = running
            self.cancelled = cancelled
        }

        /// "Validating 3/12 · 1 failed": the console's progress line.
        public var line: String {
            var line = "Validating \(finished)/\(total)"
            if failed > 0 { line += " · \(failed) failed" }
            if skipped > 0 { line += " · \(skipped) skipped" }
            return line
        }

        /// When done: "12 validated · 1 failed", "All 12 validated", "Cancelled: 3/12 done · 1 failed".
        public var summary: String {
            let validated = finished - failed - skipped
            if cancelled > 0 {
                var text = "Cancelled: \(finished)/\(total) done"
                if failed > 0 { text += " · \(failed) failed" }
                return text + " · \(cancelled) not started"
            }
            if total == 0 { return "No connections to validate" }
            if failed == 0 && skipped == 0 { return total == 1 ? "The connection validated" : "All \(total) validated" }
            var parts = ["\(validated) validated"]
            if failed > 0 { parts.append("\(failed) failed") }
            if skipped > 0 { parts.append("\(skipped) skipped") }
            return parts.joined(separator: " · ")
        }
    }

    public enum Event: Sendable, Equatable {
        case started(AudienceMatcher.ConnectionRef, Progress)
        case finished(Result, Progress)
    }

    /// Why a connection was skipped on a server that needs each secret sent along.
    public static func secretNotGiven(_ version: String) -> String {
        "this server (\(version)) validates a saved connection only with its client secret sent along (MM-70208), and none was given"
    }

    /// "no answer within 5 s".
    public static func noAnswer(_ limit: Duration) -> String {
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
        let shown = seconds == seconds.rounded() ? "\(Int(seconds))" : String(format: "%.1f", seconds)
        return "no answer within \(shown) s"
    }

    /// Validates `connections` (saved ones), returns one result per connection in their order.
    /// `given`: secrets typed once, by connection id (a server that needs them sent along).
    public func run(_ connections: [OutgoingOAuthConnection], given: [String: ConnectionCredentials] = [:],
                    onEvent: @Sendable (Event) -> Void = { _ in }) async -> [Result] {
        var results = [Result?](repeating: nil, count: connections.count)
        var counts = (finished: 0, failed: 0, skipped: 0, running: 0)
        func progress(cancelled: Int = 0) -> Progress {
            Progress(total: connections.count, finished: counts.finished, failed: counts.failed, skipped: counts.skipped,
                     running: counts.running, cancelled: cancelled)
        }
        await withTaskGroup(of: (Int, Result).self) { group in
            var next = 0
            func launch() {
                let index = next
                next += 1
                counts.running += 1
                let connection = connections[index]
                // In a task of its own: cancelling the run must not cancel what started, nor its recording.
                group.addTask { (index, await Task { await self.validateOne(connection, given: given[connection.id]) }.value) }
                onEvent(.started(AudienceMatcher.ref(connection), progress()))
            }
            while next < min(concurrency, connections.count), !Task.isCancelled { launch() }
            while let (index, result) = await group.next() {
                results[index] = result
                counts.running -= 1
                counts.finished += 1
                if result.didFail { counts.failed += 1 }
                if case .skipped = result.status { counts.skipped += 1 }
                let notStarted = Task.isCancelled ? connections.count - next : 0
                onEvent(.finished(result, progress(cancelled: counts.running == 0 ? notStarted : 0)))
                if next < connections.count, !Task.isCancelled { launch() }
            }
        }
        return results.enumerated().map { index, result in
            result ?? Result(connection: AudienceMatcher.ref(connections[index]), status: .cancelled)
        }
    }

    /// The same run as a stream of events; ending the iteration (or cancelling the task that
    /// iterates) cancels the run.
    public func events(_ connections: [OutgoingOAuthConnection], given: [String: ConnectionCredentials] = [:]) -> AsyncStream<Event> {
        AsyncStream { continuation in
            let task = Task {
                _ = await run(connections, given: given) { continuation.yield($0) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// One connection, recorded; only the time limit cancels its Validate.
    private func validateOne(_ connection: OutgoingOAuthConnection, given: ConnectionCredentials?) async -> Result {
        let ref = AudienceMatcher.ref(connection)
        let validation = self.validation
        var outcome: ConnectionValidation.Outcome?
        if let timeout {
            outcome = await withTaskGroup(of: ConnectionValidation.Outcome?.self) { group in
                group.addTask { await validation.validate(connection, storedId: connection.id, given: given) }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll() // the Validate (its HTTP request) or the timer
                return first
            }
        } else {
            outcome = await validation.validate(connection, storedId: connection.id, given: given)
        }
        guard let outcome else {
            let record = try? await validation.record(.notValidated(reason: Self.noAnswer(timeout!)), connectionId: connection.id)
            return Result(connection: ref, status: .timedOut(timeout!), record: record ?? nil)
        }
        let record = (try? await validation.record(outcome, connectionId: connection.id)) ?? nil
        switch outcome {
        case .validated(let validated):
            return Result(connection: ref, status: .validated(validated), record: record)
        case .notValidated(let reason, let failure):
            return Result(connection: ref, status: .failed(reason: reason, failure: failure), record: record)
        case .needsSecret(let version):
            return Result(connection: ref, status: .skipped(reason: Self.secretNotGiven(version)))
        }
    }
}
