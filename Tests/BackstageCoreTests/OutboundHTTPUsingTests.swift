import Foundation
import Synchronization
import Testing
import TestSupport
@testable import BackstageCore

/// `OutboundHTTP.using` makes its client in advance, on another thread; what a request gives must
/// not change: https with the same trust, the same failures, every client shut down.
@Suite("OutboundHTTP.using")
struct OutboundHTTPUsingTests {
    @Test(.enabled(if: TestCertificate.canBeMade, "needs /usr/bin/openssl"))
    func httpsTrustsWhatItTrustedBefore() async throws {
        let certificate = try TestCertificate()
        defer { certificate.remove() }
        let server = try await ScriptedHTTPServer(tls: (certificate.certificate, certificate.key)) { _ in
            .json(200, #"{"access_token":"over-tls"}"#)
        }
        let request = TokenClientTests.request(server.url("/token"))
        do {
            _ = try await OutboundHTTP.using(HTTPSettings(connectTimeout: .seconds(5), totalTimeout: .seconds(10))) { http in
                try await TokenClient(http: http).fetchToken(request)
            }
            Issue.record("a self-signed certificate was trusted")
        } catch {
            guard case .transport(.tls(let host, _)) = error as? TokenError else { Issue.record("expected a TLS failure, got \(error)"); return }
            #expect(host == "localhost")
        }
        #expect(server.requests.isEmpty)
        let token = try await OutboundHTTP.using(HTTPSettings(extraCAFile: certificate.certificate)) { http in
            try await TokenClient(http: http).fetchToken(request)
        }
        #expect(token.value.revealForTransmission() == "over-tls")
        await server.shutdown()
    }

    /// Every client runs on the process's one event loop thread, not on NIO's one-per-core
    /// singleton (made whole at first use: 16 threads on a 16-core server).
    @Test func everyClientSharesOneEventLoopThread() async throws {
        let first = OutboundHTTP(), second = OutboundHTTP()
        let groups = try [first.client().eventLoopGroup, second.client().eventLoopGroup]
        await first.shutdown()
        await second.shutdown()
        #expect(groups.allSatisfy { $0 === OutboundHTTP.loops })
        var loops = OutboundHTTP.loops.makeIterator()
        #expect(loops.next() != nil && loops.next() == nil)
    }

    /// The client made in advance cannot be made; the request says why, as it did without it.
    @Test func anUnreadableCAFileIsStillNamed() async {
        await #expect(throws: TokenError.transport(.unreadableCAFile(path: "/nonexistent/ca.pem"))) {
            try await OutboundHTTP.using(HTTPSettings(extraCAFile: "/nonexistent/ca.pem")) { http in
                try await TokenClient(http: http).fetchToken(TokenClientTests.request("https://localhost:1/token"))
            }
        }
    }

    /// A body that fails before any request returns its own error, and the client made meanwhile
    /// is shut down with the others, not left to whoever frees it last.
    @Test func aBodyFailingAtOnceGivesItsErrorAndNoClientIsLeft() async throws {
        struct Early: Error, Equatable {}
        for _ in 0..<20 {
            let used = Mutex<OutboundHTTP?>(nil)
            await #expect(throws: Early()) {
                try await OutboundHTTP.using(HTTPSettings()) { (http: OutboundHTTP) async throws -> Int in
                    used.withLock { $0 = http }
                    throw Early()
                }
            }
            #expect(used.withLock { $0?.hasClient } == false)
        }
    }

    @Test func aClientUsedIsShutDownAfterwards() async throws {
        let server = try await ScriptedHTTPServer { _ in .json(200, #"{"access_token":"tok"}"#) }
        let used = Mutex<OutboundHTTP?>(nil)
        let token = try await OutboundHTTP.using(HTTPSettings()) { http in
            used.withLock { $0 = http }
            return try await TokenClient(http: http).fetchToken(TokenClientTests.request(server.url("/token")))
        }
        #expect(token.value.revealForTransmission() == "tok")
        #expect(used.withLock { $0?.hasClient } == false)
        await server.shutdown()
    }
}
