using System.Text.Json;
using ChatPulse.TwitchStandIn.State;

namespace ChatPulse.TwitchStandIn.Helix;

/// <summary><c>/helix/eventsub/subscriptions</c>: create (202, 409 on a duplicate), list (paginated, one filter), delete.</summary>
public static class SubscriptionEndpoints
{
    public const int MaxTotalCost = 10_000;

    public sealed record TransportRequest(string? Method, string? ConduitId);

    public sealed record CreateRequest(string? Type, string? Version, Dictionary<string, JsonElement>? Condition, TransportRequest? Transport);

    public sealed record TransportDto(string Method, string ConduitId);

    public sealed record SubscriptionDto(string Id, string Status, string Type, string Version, IReadOnlyDictionary<string, string> Condition, string CreatedAt, TransportDto Transport, int Cost);

    public sealed record CreateResponse(IReadOnlyList<SubscriptionDto> Data, int Total, int TotalCost, int MaxTotalCost);

    public sealed record ListResponse(IReadOnlyList<SubscriptionDto> Data, int Total, int TotalCost, int MaxTotalCost, Pagination Pagination);

    public static void MapSubscriptions(this RouteGroupBuilder helix)
    {
        helix.MapPost("/eventsub/subscriptions", Create);
        helix.MapGet("/eventsub/subscriptions", List);
        helix.MapDelete("/eventsub/subscriptions", Delete);
    }

    private static async Task<IResult> Create(HttpContext context, SubscriptionStore subscriptions, ConduitStore conduits, UserDirectory users, TimeProvider time)
    {
        var caller = HelixCaller.From(context);
        if (!caller.IsAppToken)
        {
            return HelixError.Unauthorized("An app access token is required for the conduit transport");
        }

        var (request, error) = await HelixJson.ReadAsync<CreateRequest>(context.Request);
        if (error is not null)
        {
            return error;
        }

        if (request!.Type is null || !SubscriptionTypes.Known.TryGetValue(request.Type, out var known))
        {
            return HelixError.BadRequest($"The parameter \"type\" is not a supported subscription type: '{request.Type}'");
        }

        if (request.Version != known.Version)
        {
            return HelixError.BadRequest($"The parameter \"version\" must be \"{known.Version}\" for {request.Type}");
        }

        var condition = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in known.Condition)
        {
            if (request.Condition?.GetValueOrDefault(field) is not { ValueKind: JsonValueKind.String } value || value.GetString() is not { Length: > 0 } id)
            {
                return HelixError.BadRequest($"The parameter \"condition.{field}\" is missing or not a string");
            }

            if (users.FindById(id) is null)
            {
                return HelixError.BadRequest($"The parameter \"condition.{field}\" is not a valid user id: '{id}'");
            }

            condition[field] = id;
        }

        if (request.Condition?.Keys.FirstOrDefault(k => !known.Condition.Contains(k)) is { } extra)
        {
            return HelixError.BadRequest($"The condition field \"{extra}\" is not valid for {request.Type}");
        }

        if (request.Transport is not { Method: "conduit" } transport)
        {
            return HelixError.BadRequest("The parameter \"transport.method\" must be \"conduit\" (the stand-in supports conduits only)");
        }

        if (conduits.Find(caller.Client.ClientId, transport.ConduitId) is null)
        {
            return HelixError.BadRequest($"The parameter \"transport.conduit_id\" does not name a conduit of this client: '{transport.ConduitId}'");
        }

        if (request.Type == SubscriptionTypes.ChatMessage && !MayReadChat(users, caller.Client.ClientId, condition))
        {
            return HelixError.Of(StatusCodes.Status403Forbidden, "subscription missing proper authorization");
        }

        var created = subscriptions.TryAdd(caller.Client.ClientId, request.Type, request.Version, condition, transport.ConduitId!, time.GetUtcNow());
        if (created is null)
        {
            return HelixError.Of(StatusCodes.Status409Conflict, "subscription already exists");
        }

        var total = subscriptions.List(caller.Client.ClientId).Count;
        return Results.Json(new CreateResponse([Dto(created)], total, 0, MaxTotalCost), statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The bot model: the reader granted user:read:chat + user:bot; the channel granted channel:bot (or is the reader).</summary>
    private static bool MayReadChat(UserDirectory users, string clientId, Dictionary<string, string> condition)
    {
        var reader = condition["user_id"];
        var channel = condition["broadcaster_user_id"];
        return users.HasGranted(reader, clientId, "user:read:chat") && users.HasGranted(reader, clientId, "user:bot")
            && (reader == channel || users.HasGranted(channel, clientId, "channel:bot"));
    }

    private static IResult List(HttpContext context, string? status, string? type, string? user_id, string? subscription_id, string? after, SubscriptionStore subscriptions)
    {
        var caller = HelixCaller.From(context);
        if (!caller.IsAppToken)
        {
            return HelixError.Unauthorized("An app access token is required");
        }

        if (new[] { status, type, user_id, subscription_id }.Count(f => !string.IsNullOrEmpty(f)) > 1)
        {
            return HelixError.BadRequest("Only one of the filters status, type, user_id and subscription_id may be given");
        }

        var all = subscriptions.List(caller.Client.ClientId);
        var matching = all.Where(s =>
            (string.IsNullOrEmpty(status) || s.Status == status)
            && (string.IsNullOrEmpty(type) || s.Type == type)
            && (string.IsNullOrEmpty(user_id) || s.Condition.Values.Contains(user_id))
            && (string.IsNullOrEmpty(subscription_id) || s.Id == subscription_id));
        var page = Pagination.Page(matching, s => s.Position, after, caller.Client.PageSize);
        return page.Error ?? Results.Json(new ListResponse([.. page.Items.Select(Dto)], all.Count, 0, MaxTotalCost, page.Pagination));
    }

    private static IResult Delete(HttpContext context, string? id, SubscriptionStore subscriptions)
    {
        var caller = HelixCaller.From(context);
        if (string.IsNullOrEmpty(id))
        {
            return HelixError.BadRequest("Missing required parameter \"id\"");
        }

        return subscriptions.Remove(id, caller.Client.ClientId) is null
            ? HelixError.NotFound("subscription not found")
            : Results.NoContent();
    }

    public static SubscriptionDto Dto(Subscription s) => new(s.Id, s.Status, s.Type, s.Version, s.Condition,
        EventSub.RfcTimestamp.Format(s.CreatedAt, 9), new TransportDto("conduit", s.ConduitId), 0);
}
