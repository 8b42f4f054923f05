import Foundation
import Testing
@testable import BackstageCore

@Suite("Mattermost JSON")
struct ModelJSONTests {
    @Test func connectionDecodesMattermostsJSONAndNeverEncodesSecrets() throws {
        let json = """
            {"id":"abcdefghijklmnopqrstuvwxyz","creator_id":"u","create_at":1700000000000,"update_at":1700000000001,
             "name":"Payroll","client_id":"cid","client_secret":"topsecret","credentials_username":"svc",
             "credentials_password":"pw-secret","oauth_token_url":"https://idp/t","grant_type":"password",
             "audiences":["https://a/*","https://b"]}
            """
        let connection = try JSONDecoder().decode(OutgoingOAuthConnection.self, from: Data(json.utf8))
        #expect(connection.grantType == .password)
        #expect(connection.clientSecret?.revealForTransmission() == "topsecret")
        #expect(connection.audiences == ["https://a/*", "https://b"])
        #expect(connection.createAt == 1_700_000_000_000)

        let encoded = String(decoding: try JSONEncoder().encode(connection), as: UTF8.self)
        #expect(!encoded.contains("topsecret"))
        #expect(!encoded.contains("pw-secret"))
        #expect(!encoded.contains("client_secret"))
        let object = try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String: Any]
        #expect(Set(object?.keys.map { $0 } ?? []) == ["id", "creator_id", "create_at", "update_at", "name", "client_id",
                                                       "credentials_username", "oauth_token_url", "grant_type", "audiences"])

        let forServer = JSONEncoder()
        forServer.userInfo[.includeSecrets] = true
        let withSecrets = String(decoding: try forServer.encode(connection), as: UTF8.self)
        #expect(withSecrets.contains("\"client_secret\":\"topsecret\""))
    }

    @Test func commandUsesMattermostsFieldNames() throws {
        let command = SlashCommand(id: "i", token: "t", teamId: "team", trigger: "w", method: .get, iconURL: "https://i",
                                   autoComplete: true, autoCompleteDesc: "d", autoCompleteHint: "h", displayName: "T", url: "https://u")
        let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(command)) as? [String: Any]
        #expect(object?["method"] as? String == "G")
        #expect(object?["auto_complete"] as? Bool == true)
        #expect(object?["auto_complete_hint"] as? String == "h")
        #expect(object?["display_name"] as? String == "T")
        #expect(object?["icon_url"] as? String == "https://i")
        #expect(object?["team_id"] as? String == "team")
        let back = try JSONDecoder().decode(SlashCommand.self, from: try JSONEncoder().encode(command))
        #expect(back == command)
    }
}
