import BackstageCore
import Foundation

/// `backstage-bench tokens --url URL [--count N]`: N token requests one after another through
/// the app's token client (one pooled keep-alive connection), then "fetches/s" on stdout.
enum TokensMode {
    static func run(_ arguments: [String]) async -> Int32 {
        var url: String?
        var count = 500
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "--url": url = rest.popFirst()
            case "--count": count = rest.popFirst().flatMap(Int.init) ?? -1
            default: count = -1
            }
        }
        guard let url, count > 0 else {
            FileHandle.standardError.write(Data("usage: backstage-bench tokens --url URL [--count N]\n".utf8))
            return 64
        }
        let http = OutboundHTTP()
        let client = TokenClient(http: http)
        let request = TokenRequest(tokenURL: url, clientId: "bench-client", clientSecret: Secret("bench-secret"))
        do {
            _ = try await client.fetchToken(request) // connect once, as the loop it is compared with does
            let start = ContinuousClock.now
            for _ in 0..<count { _ = try await client.fetchToken(request) }
            let elapsed = (ContinuousClock.now - start).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            print(String(format: "%.0f", Double(count) / seconds))
            await http.shutdown()
            return 0
        } catch {
            FileHandle.standardError.write(Data("backstage-bench: \(error)\n".utf8))
            await http.shutdown()
            return 1
        }
    }
}
