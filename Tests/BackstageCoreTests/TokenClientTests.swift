import Foundation
import Testing
import TestSupport
@testable import BackstageCore

/// Token requests against real HTTP servers on 127.0.0.1.
@Suite("Token client")
struct TokenClientTests {
    static let secret = "s3cret-Value/with+specials"

    static func request(_ url: String, grant: OutgoingOAuthConnection.GrantType = .clientCredentials) -> TokenRequest {
        TokenRequest(tokenURL: url, clientId: "backstage client", clientSecret: Secret(secret), grantType: grant,
                     username: grant == .password ? "svc" : nil, password: grant == .password ? Secret("pw-Secret") : nil)
    }

    static func fetch(_ script: @escaping @Sendable (ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply,
                      settings: HTTPSettings = HTTPSettings(), grant: OutgoingOAuthConnection.GrantType = .clientCredentials,
                      path: String = "/oauth/token") async throws -> (Result<AccessToken, TokenError>, [ScriptedHTTPServer.Request]) {
        let server = try await ScriptedHTTPServer(script)
        let http = OutboundHTTP(settings: settings)
        let result: Result<AccessToken, TokenError>
        do { result = .success(try await TokenClient(http: http).fetchToken(request(server.url(path), grant: grant))) } catch { result = .failure(error) }
        await http.shutdown()
        await server.shutdown()
        return (result, server.requests)
    }

    @Test func clientCredentialsAsAURLEncodedForm() async throws {
        let (result, requests) = try await Self.fetch { _ in
            .json(200, #"{"access_token":"tok-123","token_type":"bearer","expires_in":3600,"scope":"commands"}"#)
        }
        let token = try result.get()
        #expect(token.tokenType == "Bearer")
        #expect(token.expiresIn == 3600)
        #expect(token.scope == "commands")
        #expect(token.authorizationHeader.revealForTransmission() == "Bearer tok-123")
        let request = try #require(requests.first)
        #expect(request.method == "POST")
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(request.header("Accept") == "application/json")
        #expect(request.form == ["grant_type": "client_credentials", "client_id": "backstage client", "client_secret": Self.secret])
        #expect(request.bodyText.hasPrefix("grant_type=client_credentials&client_id=backstage+client&client_secret=s3cret-Value%2Fwith%2Bspecials"))
    }

    @Test func passwordGrantAddsUsernameAndPassword() async throws {
        let (result, requests) = try await Self.fetch({ _ in .json(200, #"{"access_token":"t"}"#) }, grant: .password)
        #expect(try result.get().tokenType == "Bearer") // missing token_type means Bearer
        #expect(requests.first?.form["grant_type"] == "password")
        #expect(requests.first?.form["username"] == "svc")
        #expect(requests.first?.form["password"] == "pw-Secret")
    }

    @Test func wrongSecretNamesTheProvidersError() async throws {
        let (result, _) = try await Self.fetch { _ in
            .json(401, #"{"error":"invalid_client","error_description":"Client authentication failed"}"#)
        }
        guard case .failure(let error) = result else { Issue.record("expected a failure"); return }
        #expect(error == .status(code: 401, reason: "Unauthorized", host: "127.0.0.1", error: "invalid_client", errorDescription: "Client authentication failed"))
        #expect(error.description.contains("401 Unauthorized: invalid_client (Client authentication failed). Check the Client ID and Client Secret"))
    }

    @Test func unsupportedGrantAndServerErrors() async throws {
        let (unsupported, _) = try await Self.fetch { _ in .json(400, #"{"error":"unsupported_grant_type"}"#) }
        #expect(unsupported.failureDescription.contains("400 Bad Request: unsupported_grant_type"))
        let (broken, _) = try await Self.fetch { _ in .text(500, "<html>oops</html>", contentType: "text/html") }
        #expect(broken.failureDescription == "the token endpoint at 127.0.0.1 answered 500 Internal Server Error")
    }

    @Test func repliesThatAreNotATokenAreExplained() async throws {
        let (html, _) = try await Self.fetch { _ in .text(200, "<html>login page</html>", contentType: "text/html") }
        #expect(html.failureDescription.contains("answered 200 with text/html, not a JSON token"))
        let (noToken, _) = try await Self.fetch { _ in .json(200, #"{"token_type":"bearer"}"#) }
        #expect(noToken.failureDescription == "the token endpoint at 127.0.0.1 answered without an access_token")
    }

    @Test func aSlowProviderTimesOutAtTheLimit() async throws {
        let settings = HTTPSettings(connectTimeout: .seconds(2), totalTimeout: .milliseconds(300))
        let (hang, _) = try await Self.fetch({ _ in .hang }, settings: settings)
        #expect(hang.failure == .transport(.timeout(host: "127.0.0.1", limit: .milliseconds(300))))
        // A body that trickles in also counts against the total limit.
        let (drip, _) = try await Self.fetch({ _ in
            .drip(status: 200, headers: [("Content-Type", "application/json")], body: Array(#"{"access_token":"slow"}"#.utf8), chunk: 1, every: .milliseconds(100))
        }, settings: settings)
        #expect(drip.failure == .transport(.timeout(host: "127.0.0.1", limit: .milliseconds(300))))
    }

    @Test func aHugeReplyIsRefused() async throws {
        let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 20 << 20)
        let (result, _) = try await Self.fetch { _ in .respond(status: 200, headers: [("Content-Type", "application/json")], body: huge) }
        #expect(result.failure == .transport(.tooLarge(host: "127.0.0.1", limit: 1 << 20)))
        #expect(result.failureDescription == "the reply from 127.0.0.1 is larger than 1024 KiB and was refused")
        // Without a Content-Length the limit still holds while the body streams in.
        let (unframed, _) = try await Self.fetch { _ in .unframed(status: 200, headers: [("Content-Type", "application/json")], body: huge) }
        #expect(unframed.failure == .transport(.tooLarge(host: "127.0.0.1", limit: 1 << 20)))
    }

    @Test func aResetConnectionIsReported() async throws {
        let (result, _) = try await Self.fetch { _ in .reset }
        #expect(result.failure == .transport(.closedEarly(host: "127.0.0.1")))
    }

    @Test func aRedirectIsNeverFollowedAndNamesItsTarget() async throws {
        let target = try await ScriptedHTTPServer { _ in .json(200, #"{"access_token":"stolen"}"#) }
        let (result, requests) = try await Self.fetch { _ in
            .respond(status: 307, headers: [("Location", target.url("/elsewhere"))], body: [])
        }
        #expect(result.failure == .redirect(code: 307, host: "127.0.0.1", location: target.url("/elsewhere")))
        #expect(result.failureDescription.contains("redirects (307) to \(target.url("/elsewhere"))"))
        #expect(requests.count == 1)
        #expect(target.requests.isEmpty) // the secret never reached the redirect target
        await target.shutdown()
        let (withPassword, _) = try await Self.fetch { _ in
            .respond(status: 302, headers: [("Location", "https://sso:hunter2@login.example.com/token")], body: [])
        }
        #expect(withPassword.failure == .redirect(code: 302, host: "127.0.0.1", location: "https://sso:********@login.example.com/token"))
    }

    @Test func escapeSequencesAndEchoedSecretsNeverComeThrough() async throws {
        let (result, _) = try await Self.fetch { _ in
            .json(400, #"{"error":"invalid_request\u001b[2J","error_description":"\u001b]0;pwned\u0007bad secret s3cret-Value/with+specials \u009b31m"}"#)
        }
        let text = result.failureDescription
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(!text.contains(Self.secret))
        #expect(text.contains("bad secret ********"))
        #expect(!text.contains("pwned") && !text.contains("[2J") && !text.contains("31m"), "no residue of the sequences: \(text)")
    }

    @Test func refusedConnectionsAndUnknownHostsSayWhich() async throws {
        // A port that was just free: bind, note it, close.
        let probe = try await ScriptedHTTPServer { _ in .hang }
        let port = probe.port
        await probe.shutdown()
        let http = OutboundHTTP(settings: HTTPSettings(connectTimeout: .seconds(3), totalTimeout: .seconds(5)))
        defer { Task { await http.shutdown() } }
        await #expect(throws: TokenError.transport(.refused(host: "127.0.0.1", port: port))) {
            _ = try await TokenClient(http: http).fetchToken(Self.request("http://127.0.0.1:\(port)/token"))
        }
        do {
            _ = try await TokenClient(http: http).fetchToken(Self.request("https://no-such-host.invalid/token"))
            Issue.record("expected a DNS failure")
        } catch {
            #expect(error == .transport(.dns(host: "no-such-host.invalid")))
        }
        await http.shutdown()
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        let server = try await ScriptedHTTPServer { _ in .hang }
        let http = OutboundHTTP(settings: HTTPSettings(totalTimeout: .seconds(30)))
        let task = Task { try await TokenClient(http: http).fetchToken(Self.request(server.url("/token"))) }
        let deadline = ContinuousClock.now + .seconds(30)
        while server.requests.isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5)) // poll until the request is in flight
        }
        let cancelledAt = ContinuousClock.now
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("expected cancellation")
        } catch {
            #expect(error as? TokenError == .transport(.cancelled))
        }
        // Sooner than the 30 s limit the request would otherwise wait for (the error above already
        // says it was cancelled, not timed out; the margin is for a loaded machine).
        #expect(ContinuousClock.now - cancelledAt < .seconds(25))
        await http.shutdown()
        await server.shutdown()
    }

    @Test func plainHTTPToAnotherMachineIsFlagged() {
        #expect(Self.request("http://idp.example.com/token").sendsSecretInClear)
        #expect(!Self.request("https://idp.example.com/token").sendsSecretInClear)
        #expect(!Self.request("http://127.0.0.1:8080/token").sendsSecretInClear)
        #expect(!Self.request("http://localhost/token").sendsSecretInClear)
    }
}

extension Result where Failure == TokenError {
    var failure: TokenError? { if case .failure(let error) = self { return error }; return nil }
    var failureDescription: String { failure?.description ?? "succeeded" }
}

@Suite("TLS")
struct TLSTests {
    @Test(.enabled(if: TestCertificate.canBeMade, "needs /usr/bin/openssl"))
    func anUntrustedCertificateNamesTheHostAndACAFileFixesIt() async throws {
        let certificate = try TestCertificate()
        defer { certificate.remove() }
        let server = try await ScriptedHTTPServer(tls: (certificate.certificate, certificate.key)) { _ in
            .json(200, #"{"access_token":"over-tls"}"#)
        }
        let url = server.url("/token")
        let untrusted = OutboundHTTP(settings: HTTPSettings(connectTimeout: .seconds(5), totalTimeout: .seconds(10)))
        do {
            _ = try await TokenClient(http: untrusted).fetchToken(TokenClientTests.request(url))
            Issue.record("a self-signed certificate was trusted")
        } catch {
            guard case .transport(.tls(let host, _)) = error else { Issue.record("expected a TLS failure, got \(error)"); return }
            #expect(host == "localhost")
            #expect(error.description.contains("pass --ca-file or set SSL_CERT_FILE"))
        }
        await untrusted.shutdown()
        #expect(server.requests.isEmpty) // the secret never left over an untrusted connection

        let trusted = OutboundHTTP(settings: HTTPSettings(extraCAFile: certificate.certificate))
        let token = try await TokenClient(http: trusted).fetchToken(TokenClientTests.request(url))
        #expect(token.value.revealForTransmission() == "over-tls")
        await trusted.shutdown()
        await server.shutdown()
    }

    @Test func theCAFileComesFromTheOptionElseSSLCertFile() {
        #expect(HTTPSettings.standard(caFile: "/opt/ca.pem", environment: ["SSL_CERT_FILE": "/etc/x.pem"]).extraCAFile == "/opt/ca.pem")
        #expect(HTTPSettings.standard(environment: ["SSL_CERT_FILE": "/etc/x.pem"]).extraCAFile == "/etc/x.pem")
        #expect(HTTPSettings.standard(environment: [:]).extraCAFile == nil)
    }

    @Test func anUnreadableCAFileIsNamed() async {
        let http = OutboundHTTP(settings: HTTPSettings(extraCAFile: "/nonexistent/ca.pem"))
        await #expect(throws: TokenError.transport(.unreadableCAFile(path: "/nonexistent/ca.pem"))) {
            _ = try await TokenClient(http: http).fetchToken(TokenClientTests.request("https://localhost:1/token"))
        }
        await http.shutdown()
    }
}
