import Testing
@testable import BackstageCore

@Suite("Outgoing OAuth connection rules")
struct ConnectionRulesTests {
    static func valid() -> OutgoingOAuthConnection {
        OutgoingOAuthConnection(
            name: "Payroll", clientId: "client", clientSecret: Secret("s3cret"),
            oauthTokenURL: "https://idp.example.com/oauth/token", audiences: ["https://api.example.com/payroll/*"])
    }

    func errors(_ change: (inout OutgoingOAuthConnection) -> Void, stored: Bool = false) -> [FieldError] {
        var connection = Self.valid()
        change(&connection)
        return connection.normalizedForSave().validationErrors(hasStoredSecret: stored)
    }

    @Test func aValidConnectionHasNoErrors() {
        #expect(Self.valid().validationErrors().isEmpty)
    }

    /// The web form checks only for "" (OutgoingOAuthConnection.IsValid: 1-64 runes); a name of
    /// spaces is accepted (spec D7) and warned about.
    @Test func nameIsRequiredAndAtMost64Runes() {
        #expect(errors { $0.name = "" } == [FieldError("name", "Name for the OAuth connection is required.")])
        #expect(errors { $0.name = "   " }.isEmpty)
        #expect(Self.warnings { $0.name = "   " }.map(\.field) == ["name"])
        #expect(errors { $0.name = String(repeating: "é", count: 64) }.isEmpty)
        let long = errors { $0.name = String(repeating: "名", count: 65) }
        #expect(long.map(\.field) == ["name"])
        #expect(long.first?.message.hasPrefix("Invalid name.") == true)
        #expect(long.first?.message.contains("65") == true)
    }

    static func warnings(_ change: (inout OutgoingOAuthConnection) -> Void) -> [FieldError] {
        var connection = valid()
        change(&connection)
        return connection.normalizedForSave().warnings()
    }

    @Test func clientIDIsRequiredAndAtMost255() {
        #expect(errors { $0.clientId = "" } == [FieldError("client_id", "Client Id for the OAuth connection is required.")])
        #expect(errors { $0.clientId = String(repeating: "x", count: 255) }.isEmpty)
        #expect(errors { $0.clientId = String(repeating: "x", count: 256) }.first?.message.hasPrefix("Invalid client id.") == true)
    }

    @Test func clientSecretIsRequiredUnlessStoredAndAtMost255() {
        #expect(errors { $0.clientSecret = nil } == [FieldError("client_secret", "Client Secret for the OAuth connection is required.")])
        #expect(errors { $0.clientSecret = Secret("") }.map(\.field) == ["client_secret"])
        #expect(errors({ $0.clientSecret = nil }, stored: true).isEmpty)
        let long = errors { $0.clientSecret = Secret(String(repeating: "k", count: 256)) }
        #expect(long.map(\.field) == ["client_secret"])
        #expect(long.first?.message.contains("kkk") == false) // a secret never appears in a message
    }

    /// IsValid: IsValidHTTPURL (server/public/model/utils.go: the literal prefix, then Go's
    /// url.ParseRequestURI) and at most 256 runes. Nothing is trimmed: the web form sends it as typed.
    @Test func tokenURLMustBeHTTPAndAtMost256() {
        #expect(errors { $0.oauthTokenURL = "" } == [FieldError("oauth_token_url", "OAuth Token URL for the OAuth connection is required.")])
        for bad in ["ftp://idp/token", "idp.example.com/token", "https://", "https://idp example.com/t", "HTTPS://idp/t", "https://idp:8o/t",
                    "https://idp/t\tx", "https://idp/%zz", "https://[::1/t", "https://idp#frag"] {
            let found = errors { $0.oauthTokenURL = bad }
            #expect(found.map(\.field) == ["oauth_token_url"], "\(bad)")
            #expect(found.first?.message.hasPrefix("Invalid oauth token url.") == true, "\(bad)")
        }
        let long = "https://idp.example.com/" + String(repeating: "a", count: 233)
        #expect(errors { $0.oauthTokenURL = long }.first?.message.contains("at most 256") == true)
        // A leading space is refused, and the message says so (spec D4).
        #expect(errors { $0.oauthTokenURL = " http://127.0.0.1:8080/token" }
            == [FieldError("oauth_token_url", "Invalid oauth token url. It begins with a space: remove it.")])
        // What Go accepts, Mattermost stores: a port of any digits, a space in the path, * in the host.
        for odd in ["https://idp:99999/t", "https://idp.example.com/a b", "https://*.example.com/t", "https://:80/t", "https://u:p@idp/t"] {
            #expect(errors { $0.oauthTokenURL = odd }.isEmpty, "\(odd)")
            #expect(Self.warnings { $0.oauthTokenURL = odd }.map(\.field).contains("oauth_token_url") || odd == "https://:80/t", "\(odd)")
        }
    }

    @Test func passwordGrantNeedsUsernameAndPassword() {
        let missing = errors { $0.grantType = .password }
        #expect(missing.map(\.field) == ["credentials_username", "credentials_password"])
        #expect(missing.allSatisfy { $0.message.hasPrefix("Invalid password credentials.") })
        #expect(errors { $0.grantType = .password; $0.credentialsUsername = "svc"; $0.credentialsPassword = Secret("pw") }.isEmpty)
        #expect(OutgoingOAuthConnection(name: "n", clientId: "c", clientSecret: Secret("s"), credentialsUsername: "svc",
                                        credentialsPassword: Secret("pw"), oauthTokenURL: "https://i/t", audiences: ["https://a"])
            .normalizedForSave().credentialsUsername == nil) // client_credentials drops them
    }

    /// IsValid: each audience passes IsValidHTTPURL ("Audience URL is invalid: {url}"). A `*` not at
    /// the end and the same audience twice are accepted (spec D7) and warned about.
    @Test func audiencesAreRequiredAndValidOddOnesWarn() {
        #expect(errors { $0.audiences = [" ", ""] } == [FieldError("audiences", "One or more audience URLs are required.")])
        #expect(errors { $0.audiences = ["not a url"] }.first?.message.hasPrefix("Audience URL is invalid: not a url") == true)
        #expect(errors { $0.audiences = ["https://a.example.com/api/*", "http://b:8080/hook"] }.isEmpty)
        for odd in [["https://a.example.com/*/x"], ["https://*.example.com/"], ["https://a/x", " https://a/x "]] {
            #expect(errors { $0.audiences = odd }.isEmpty, "\(odd)")
            #expect(!Self.warnings { $0.audiences = odd }.isEmpty, "\(odd)")
        }
        #expect(Self.warnings { $0.audiences = ["https://a/x", "https://a/x"] }.first?.message == "https://a/x is listed twice.")
        #expect(Self.warnings { $0.audiences = ["https://a.example.com/api/*"] }.isEmpty)
    }

    @Test func errorsComeInFormOrder() {
        let empty = OutgoingOAuthConnection(name: "", clientId: "", oauthTokenURL: "", audiences: [])
        #expect(empty.validationErrors().map(\.field) == ["name", "client_id", "client_secret", "oauth_token_url", "audiences"])
        #expect(ValidationFailure(empty.validationErrors()).description
            == "name: Name for the OAuth connection is required. (also: client_id, client_secret, oauth_token_url, audiences)")
    }
}

@Suite("Secrets and identifiers")
struct SecretTests {
    @Test func aSecretNeverPrintsItself() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "********")
        #expect(String(reflecting: secret).contains("hunter2") == false)
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(dumped.contains("hunter2") == false)
        let connection = ConnectionRulesTests.valid()
        #expect("\(connection)".contains("s3cret") == false)
        #expect(secret.revealForTransmission() == "hunter2")
    }

    @Test func idsLookLikeMattermostNewId() {
        var seen = Set<String>()
        for _ in 0..<500 {
            let id = MattermostID.make()
            #expect(id.count == 26)
            #expect(id.allSatisfy { $0.isLowercase || $0.isNumber })
            #expect(MattermostID.isValid(id))
            seen.insert(id)
        }
        #expect(seen.count == 500)
        #expect(MattermostID.encode([UInt8](repeating: 0, count: 16)) == String(repeating: "y", count: 26))
        #expect(!MattermostID.isValid("short"))
    }

    @Test func terminalTextLosesEveryControlCharacter() {
        let hostile = "ok\u{1B}[31mred\u{1B}]0;title\u{07}\u{9B}2J\u{7F}\u{202E}gnp\ttab\nline"
        let clean = TerminalText.sanitized(hostile)
        #expect(clean == "okredgnp tab line") // whole sequences go, not only their ESC
        #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(TerminalText.sanitizedKeepingLines("a\u{1B}\nb") == "a\nb")
    }

    @Test func terminalTextDropsWhatTerminalsWidenDifferently() {
        // Joiners, selectors and skin tones go; the characters they joined stay, one by one.
        #expect(TerminalText.sanitized("❤\u{FE0F}👍\u{1F3FD}👩\u{200D}👧a\u{200B}b\u{FEFF}\u{2060}漢é") == "❤👍👩👧ab漢é")
    }
}
