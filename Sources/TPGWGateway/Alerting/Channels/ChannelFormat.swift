/// How a channel wants its messages; the raw value is the `format` of `POST /v1/channels`.
package enum ChannelFormat: String, Sendable, Codable, CaseIterable {
    case json
    case alertmanager
    case alertmanagerWebhook = "alertmanager-webhook"
    case slack
    case dingtalk
    case feishu
    case wecom

    /// IM robots answer 200 with an error code in the body, and rate-limit per robot.
    package var isRobot: Bool {
        switch self {
        case .dingtalk, .feishu, .wecom, .slack: true
        case .json, .alertmanager, .alertmanagerWebhook: false
        }
    }

    /// The robot's documented send limits (DingTalk and WeCom 20/min, Feishu 5/s and 100/min); empty: unlimited.
    package var rateLimits: [SlidingWindowLimiter.Limit] {
        switch self {
        case .dingtalk, .wecom: [.init(count: 20, per: 60)]
        case .feishu: [.init(count: 5, per: 1), .init(count: 100, per: 60)]
        case .json, .alertmanager, .alertmanagerWebhook, .slack: []
        }
    }
}
