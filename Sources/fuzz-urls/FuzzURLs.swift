import BackstageCore
import FuzzSupport

/// The URL and audience rules on arbitrary text. Input: UTF-8 lines; the first is the request URL
/// (also the token URL), then audiences, a blank line starting the next connection. The matcher's
/// answer is compared with the rule said the slow way (the same rule the property tests check).
@main
enum FuzzURLs {
    static func main() {
        FuzzEntry.main { bytes in
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let url = lines.first ?? ""
            for line in lines { parse(line) }
            let connections = world(Array(lines.dropFirst()), tokenURL: url)
            for connection in connections {
                _ = connection.validationErrors()
                _ = connection.normalizedForSave().validationErrors(hasStoredSecret: true)
            }
            let matcher = AudienceMatcher(connections: connections)
            let found = matcher.match(url)
            let expected = reference(connections, url)
            precondition(found?.connection.id == expected?.id && found?.audience == expected?.audience,
                         "matcher \(String(describing: found)) but the rule says \(String(describing: expected)) for \(url.debugDescription)")
            let result = matcher.resolve(url)
            precondition(result.match == found)
            precondition(result.match == nil || result.nearMisses.isEmpty, "near misses next to a match")
            precondition(result.nearMisses.allSatisfy { !$0.reasons.isEmpty }, "a near miss without a reason")
            _ = Banner(result, nearMisses: .max)
            checkOverlaps(connections, matcher)
        }
    }

    static func parse(_ text: String) {
        let problem = HTTPURL.problem(in: text)
        _ = problem?.sentence
        precondition(HTTPURL.isValid(text) == (problem == nil))
        _ = HTTPURL.isLoopback(text)
        _ = HTTPURL.isCleartextToAnotherMachine(text)
        _ = HTTPURL.port(of: text)
        _ = HTTPURL.hostName(of: text)
    }

    static func world(_ lines: [String], tokenURL: String) -> [OutgoingOAuthConnection] {
        var groups: [[String]] = [[]]
        for line in lines {
            if line.isEmpty { groups.append([]) } else { groups[groups.count - 1].append(line) }
        }
        // Few distinct creation times, so the tie-break by id is exercised too.
        return groups.prefix(12).enumerated().map { index, audiences in
            OutgoingOAuthConnection(id: "id\(index % 10)\(index)", createAt: Int64(audiences.count % 3),
                                    name: "c\(index)", clientId: "client", clientSecret: Secret("s"),
                                    oauthTokenURL: tokenURL, audiences: audiences)
        }
    }

    /// Exact beats wildcard, the longest wildcard prefix wins, then the connection created first;
    /// compared as UTF-8 bytes after trimming whitespace.
    static func reference(_ connections: [OutgoingOAuthConnection], _ url: String) -> (id: String, audience: String)? {
        let target = Array(trim(url).utf8)
        let ordered = connections.sorted { ($0.createAt, $0.id) < ($1.createAt, $1.id) }
        for connection in ordered {
            for audience in connection.audiences.map(trim) where !audience.isEmpty && !audience.hasSuffix("*") {
                if Array(audience.utf8) == target { return (connection.id, audience) }
            }
        }
        var best: (id: String, audience: String, length: Int)?
        for connection in ordered {
            for audience in connection.audiences.map(trim) where audience.hasSuffix("*") {
                let prefix = Array(String(audience.dropLast()).utf8)
                if target.starts(with: prefix), prefix.count > (best?.length ?? -1) {
                    best = (connection.id, audience, prefix.count)
                }
            }
        }
        return best.map { ($0.id, $0.audience) }
    }

    /// What one connection's save warns about is what the whole list reports for it.
    static func checkOverlaps(_ connections: [OutgoingOAuthConnection], _ matcher: AudienceMatcher) {
        let all = matcher.allOverlaps().map { "\($0)" }
        for candidate in connections.prefix(4) {
            let others = AudienceMatcher(connections: connections.filter { $0.id != candidate.id })
            _ = others.duplicateAudienceErrors(for: candidate)
            let mine = others.overlaps(for: candidate).map { "\($0)" }.sorted()
            let expected = matcher.allOverlaps()
                .filter { $0.wildcardOwner.id == candidate.id || $0.coveredOwner.id == candidate.id }
                .map { "\($0)" }.sorted()
            precondition(mine == expected, "overlaps for \(candidate.name): \(mine) but all: \(expected) of \(all.count)")
        }
    }

    static func trim(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
