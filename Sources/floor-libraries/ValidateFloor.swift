#if FLOOR_LIBRARIES
// validate's floors in the binary that carries all of backstage, linked as its release is
// (issue 18): what `connections validate NAME` cannot go under with these libraries.
//   --exit                  the binary's start alone;
//   --token-socket DB NAME  and the connection read with SQLite's C API, and its client_credentials
//                           POST over a blocking socket (plain http only): the least the work needs;
//   --token-ahc DB NAME     the same read, and the same POST sent with AsyncHTTPClient, configured
//                           as backstage's OutboundHTTP configures it.
// Each prints the token response's status line (socket) or status (AsyncHTTPClient) and exits 0 on 200.
import AsyncHTTPClient
import GRDBSQLite
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

struct ValidateFloor {
    enum Way { case exit, socket, asyncHTTPClient }
    let way: Way
    let db: String
    let name: String

    init?(arguments: [String]) {
        switch arguments.first {
        case "--exit": way = .exit
        case "--token-socket": way = .socket
        case "--token-ahc": way = .asyncHTTPClient
        default: return nil
        }
        guard way == .exit || arguments.count == 3 else { return nil }
        db = arguments.count == 3 ? arguments[1] : ""
        name = arguments.count == 3 ? arguments[2] : ""
    }

    func run() async -> Int32 {
        if way == .exit { return 0 }
        guard let (url, form) = Self.request(db: db, name: name) else { return 3 }
        switch way {
        case .socket: return Self.postOverSocket(url: url, form: form) ? 0 : 1
        default: return await Self.postWithAsyncHTTPClient(url: url, form: form) ? 0 : 1
        }
    }

    /// The connection's Token URL and its client_credentials form, read as backstage stores them.
    static func request(db path: String, name: String) -> (url: String, form: String)? {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { return nil }
        defer { sqlite3_close(db) }
        var statement: OpaquePointer?
        let sql = """
            SELECT c.oauth_token_url, c.client_id, s.client_secret FROM outgoing_oauth_connections c
            JOIN connection_secrets s ON s.connection_id = c.id WHERE c.name = ?
            """
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { return nil }
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_text(statement, 1, name, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        guard sqlite3_step(statement) == SQLITE_ROW else { return nil }
        func text(_ column: Int32) -> String { sqlite3_column_text(statement, column).map { String(cString: $0) } ?? "" }
        func encoded(_ value: String) -> String {
            value.addingFormEncoding()
        }
        let form = "grant_type=client_credentials&client_id=\(encoded(text(1)))&client_secret=\(encoded(text(2)))"
        return (text(0), form)
    }

    /// One HTTP/1.1 POST over a blocking TCP socket; true on a 200.
    static func postOverSocket(url: String, form: String) -> Bool {
        guard url.hasPrefix("http://") else { return false }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        let host = String(authority.prefix { $0 != ":" })
        let port = authority.contains(":") ? String(authority.drop { $0 != ":" }.dropFirst()) : "80"
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, port, &hints, &found) == 0, let address = found else { return false }
        defer { freeaddrinfo(found) }
        let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else { return false }
        let message = "POST \(path.isEmpty ? "/" : path) HTTP/1.1\r\nHost: \(authority)\r\nAccept: application/json\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(form.utf8.count)\r\nConnection: close\r\n\r\n\(form)"
        let bytes = Array(message.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else { return false }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            reply += chunk[..<count]
        }
        let statusLine = String(decoding: reply.prefix { $0 != 13 }, as: UTF8.self)
        print(statusLine)
        return statusLine.split(separator: " ").dropFirst().first == "200"
    }

    /// The same POST with AsyncHTTPClient, made as OutboundHTTP makes its client.
    static func postWithAsyncHTTPClient(url: String, form: String) async -> Bool {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: .makeClientConfiguration(), redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: form))
        var ok = false
        do {
            let response = try await client.execute(request, deadline: .now() + .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
            print(response.status.code)
            ok = response.status.code == 200
        } catch {
            print("failed: \(error)")
        }
        try? await client.shutdown()
        return ok
    }
}

extension String {
    /// application/x-www-form-urlencoded: unreserved bytes as they are, the rest as %XX.
    fileprivate func addingFormEncoding() -> String {
        var out = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }
}
#endif
