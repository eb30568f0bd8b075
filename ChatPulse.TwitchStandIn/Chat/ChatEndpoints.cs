using ChatPulse.TwitchStandIn.Helix;
using ChatPulse.TwitchStandIn.State;

namespace ChatPulse.TwitchStandIn.Chat;

/// <summary>
/// <c>/chat</c>: say a message as a viewer (delivered to every matching <c>channel.chat.message</c> subscription),
/// re-deliver the last batch, revoke a subscription. Answers with what was delivered, so tests can assert.
/// </summary>
public static class ChatEndpoints
{
    /// <param name="Broadcaster">Login or numeric id of the channel.</param>
    /// <param name="Chatter">Login of the viewer; created when unknown.</param>
    /// <param name="Stale">Timestamp 11 minutes old (receivers must reject it).</param>
    /// <param name="SharedWith">Also deliver a shared-chat copy to this second channel (source_* fields set).</param>
    public sealed record SayRequest(string? Broadcaster, string? Chatter, string? Text, string? Color, string? MessageType, bool Stale, string? SharedWith);

    public sealed record SayResponse(string ChatMessageId, IReadOnlyList<DeliveryReport> Deliveries);

    public sealed record DeliveriesResponse(IReadOnlyList<DeliveryReport> Deliveries);

    /// <param name="Broadcaster">Instead of an id: the channel's (login or id) most recent chat subscription.</param>
    public sealed record RevokeRequest(string? SubscriptionId, string? Reason, string? Broadcaster = null);

    public static readonly string[] RevocationReasons =
    [
        "user_removed", "authorization_revoked", "notification_failures_exceeded", "version_removed",
        "moderator_removed", "chat_user_banned", "beta_maintenance", "conduit_deleted",
    ];

    public static IEndpointRouteBuilder MapChat(this IEndpointRouteBuilder app)
    {
        var chat = app.MapGroup("/chat").DisableAntiforgery();
        chat.MapGet("/", ChatPage.Render);
        chat.MapPost("/say", Say);
        chat.MapPost("/redeliver", Redeliver);
        chat.MapPost("/revoke", Revoke);
        return app;
    }

    private static async Task<IResult> Say(SayRequest request, UserDirectory users, SubscriptionStore subscriptions, ChatDelivery delivery, CancellationToken cancellationToken)
    {
        var broadcaster = users.Find(request.Broadcaster);
        if (broadcaster is null)
        {
            return Results.Problem($"broadcaster '{request.Broadcaster}' is not a known user (login or id)", statusCode: 400);
        }

        if (!UserDirectory.IsValidLogin(request.Chatter))
        {
            return Results.Problem("chatter must be a login name (3–25 letters, digits or underscores)", statusCode: 400);
        }

        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > 500)
        {
            return Results.Problem("text must be 1–500 characters", statusCode: 400);
        }

        TwitchUser? sharedWith = null;
        if (!string.IsNullOrEmpty(request.SharedWith) && (sharedWith = users.Find(request.SharedWith)) is null)
        {
            return Results.Problem($"shared_with '{request.SharedWith}' is not a known user (login or id)", statusCode: 400);
        }

        var chatter = users.GetOrCreate(request.Chatter!);
        var color = request.Color ?? "#00FF7F";
        var messageType = request.MessageType ?? "text";
        var original = ChatMessage.Build(broadcaster, chatter, request.Text, color, messageType, users.FindByLogin);
        var items = subscriptions.ForBroadcaster(SubscriptionTypes.ChatMessage, broadcaster.Id).Select(s => (s, original)).ToList();
        if (sharedWith is not null)
        {
            var copy = ChatMessage.Build(sharedWith, chatter, request.Text, color, messageType, users.FindByLogin, broadcaster, original.MessageId);
            items.AddRange(subscriptions.ForBroadcaster(SubscriptionTypes.ChatMessage, sharedWith.Id).Select(s => (s, copy)));
        }

        var reports = await delivery.NotifyAsync(items, request.Stale, cancellationToken);
        return Results.Ok(new SayResponse(original.MessageId, reports));
    }

    private static async Task<IResult> Redeliver(ChatDelivery delivery, CancellationToken cancellationToken) =>
        Results.Ok(new DeliveriesResponse(await delivery.RedeliverLastAsync(cancellationToken)));

    /// <summary>Twitch revokes: the subscription goes away, and <c>authorization_revoked</c> also withdraws the channel's grant.</summary>
    private static async Task<IResult> Revoke(RevokeRequest request, SubscriptionStore subscriptions, UserDirectory users, ChatDelivery delivery, CancellationToken cancellationToken)
    {
        if (request.Reason is null || !RevocationReasons.Contains(request.Reason))
        {
            return Results.Problem($"reason must be one of: {string.Join(", ", RevocationReasons)}", statusCode: 400);
        }

        var id = request.SubscriptionId ?? (users.Find(request.Broadcaster) is { } channelUser
            ? subscriptions.ForBroadcaster(SubscriptionTypes.ChatMessage, channelUser.Id).LastOrDefault()?.Id
            : null);
        var subscription = id is null ? null : subscriptions.Remove(id);
        if (subscription is null)
        {
            return Results.Problem(request.SubscriptionId is null
                ? $"channel '{request.Broadcaster}' has no chat subscription"
                : $"subscription '{request.SubscriptionId}' does not exist", statusCode: 404);
        }

        if (request.Reason == "authorization_revoked" && subscription.Condition.TryGetValue("broadcaster_user_id", out var channel))
        {
            users.RevokeGrant(channel, subscription.ClientId);
        }

        return Results.Ok(new DeliveriesResponse([await delivery.RevokeAsync(subscription, request.Reason, cancellationToken)]));
    }
}
