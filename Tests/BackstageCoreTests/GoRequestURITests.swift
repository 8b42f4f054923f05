import Testing
@testable import BackstageCore

/// Go's url.ParseRequestURI, case by case from Go's own table (src/net/url/url_test.go
/// parseRequestURLTests), then Mattermost's IsValidHTTPURL on top (server/public/model/utils.go).
@Suite("Go's ParseRequestURI and IsValidHTTPURL")
struct GoRequestURITests {
    static let goTable: [(String, Bool)] = [
        ("http://foo.com", true), ("http://foo.com/", true), ("http://foo.com/path", true), ("/", true),
        ("//not.a.user@not.a.host/just/a/path", true), ("http://192.168.0.1/", true), ("http://192.168.0.1:8080/", true),
        ("http://[fe80::1]/", true), ("http://[fe80::1]:8080/", true), ("http://[fe80::1%25en0]/", true),
        ("http://[fe80::1%25en0]:8080/", true), ("http://[fe80::1%25%65%6e%301-._~]/", true),
        ("foo.html", false), ("../dir/", false), (" http://foo.com", false), ("http://192.168.0.%31/", false),
        ("http://192.168.0.%31:8080/", false), ("http://[fe80::%31]/", false), ("http://[fe80::%31]:8080/", false),
        ("http://[fe80::1%en0]/", false), ("http://[fe80::1%en0]:8080/", false),
    ]

    @Test func goParsesRequestURIsAsItsOwnTableSays() {
        for (text, valid) in Self.goTable {
            let parsed = GoRequestURI.parse(text)
            if case .success = parsed { #expect(valid, "\(text) should be refused") } else { #expect(!valid, "\(text) should parse: \(parsed)") }
        }
    }

    @Test func hostPortAndUserinfoAreWhereGoPutsThem() throws {
        let parsed = try GoRequestURI.parse("https://user:pa%20ss@api.example.com:99999/p a/th?x=1#f").get()
        #expect(parsed.scheme == "https" && parsed.userinfo == "user:pa%20ss" && parsed.host == "api.example.com:99999")
        #expect(parsed.hostname == "api.example.com" && parsed.port == "99999")
        #expect(parsed.path == "/p a/th" && parsed.rawQuery == "x=1#f")
        #expect(try GoRequestURI.parse("http://[::1]:80/").get().hostname == "::1")
        #expect(try GoRequestURI.parse("http://h:/x").get().port == "")
    }

    /// IsValidHTTPURL: the literal prefix, Go's parser, a host. What it accepts is stored as is.
    @Test func mattermostAcceptsWhatGoAccepts() {
        for accepted in ["https://api.example.com/x", "http://127.0.0.1:8080/t", "https://x.com/api/*", "https://idp:99999/t",
                         "https://a.example.com/with space", "https://*.example.com/", "https://:80/t", "https://u:p@h/t",
                         "https://h/%E2%9C%93", "https://ホスト.example/x"] {
            #expect(HTTPURL.problem(in: accepted) == nil, "\(accepted)")
        }
        let refused: [(String, HTTPURL.Problem)] = [
            (" https://h/t", .leadingSpace), ("HTTPS://h/t", .schemeCase), ("ftp://h/t", .scheme), ("https://", .host),
            ("https:///path", .host), ("https://h/t\tx", .controlCharacter), ("https://h:8o/t", .port(":8o")),
            ("https://h h/t", .character(" ")), ("https://h/%zz", .escape), ("https://h{/t", .character("{")),
            ("https://us er@h/t", .userinfo), ("https://h#x", .character("#")), ("https://[example.com]/", .character("[")),
        ]
        for (text, problem) in refused { #expect(HTTPURL.problem(in: text) == problem, "\(text)") }
    }

    /// Accepted for storage is not trusted with a secret: the host contacted must be the one Go sees.
    @Test func secretsGoOnlyWhereMattermostWouldSendThem() {
        #expect(HTTPURL.refusalToSend("https://idp.example.com:8443/token") == nil)
        #expect(HTTPURL.refusalToSend("http://[::1]:8080/token") == nil)
        #expect(HTTPURL.refusalToSend("https://*.example.com/t")?.contains("\"*\"") == true)
        #expect(HTTPURL.refusalToSend("https://idp:99999/t")?.contains("99999") == true)
        #expect(HTTPURL.refusalToSend("https://idp/a b")?.contains("space") == true)
        #expect(HTTPURL.refusalToSend("https://id%C3%A9p/t") != nil)
        #expect(HTTPURL.maskingCredentials("https://svc:hunter2@idp.example.com/t?x=a@b") == "https://svc:********@idp.example.com/t?x=a@b")
        #expect(HTTPURL.maskingCredentials("https://svc@idp/t") == "https://svc@idp/t")
        #expect(HTTPURL.warnings(in: "https://svc:hunter2@idp/t") == [.credentials])
    }
}
