public import Hummingbird

/// A refusal or failure as Docker's volume plugin protocol answers it: status 200 and the message
/// in `Err` (Docker reads `Err`; the status is 200 for every call it answers).
extension PluginError: HTTPResponseError {
    public var status: HTTPResponse.Status { .ok }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        PluginServer.reply(PluginReply(error: self))
    }
}
