namespace ChatPulse.TwitchStandIn.Helix;

/// <summary><c>/helix/eventsub/conduits</c>: create, list, delete (app access token only).</summary>
public static class ConduitEndpoints
{
    public sealed record CreateConduitRequest(int? ShardCount);

    public sealed record ConduitDto(string Id, int ShardCount);

    public sealed record ConduitList(IReadOnlyList<ConduitDto> Data);

    public static void MapConduits(this RouteGroupBuilder helix)
    {
        helix.MapPost("/eventsub/conduits", Create);
        helix.MapGet("/eventsub/conduits", List);
        helix.MapDelete("/eventsub/conduits", Delete);
        helix.MapShards();
    }

    private static async Task<IResult> Create(HttpContext context, ConduitStore conduits)
    {
        var caller = HelixCaller.From(context);
        if (!caller.IsAppToken)
        {
            return HelixError.Unauthorized("An app access token is required");
        }

        var (request, error) = await HelixJson.ReadAsync<CreateConduitRequest>(context.Request);
        if (error is not null)
        {
            return error;
        }

        if (request!.ShardCount is not (>= 1 and <= 20_000))
        {
            return HelixError.BadRequest("The parameter \"shard_count\" must be between 1 and 20000");
        }

        var conduit = conduits.Create(caller.Client.ClientId, request.ShardCount.Value);
        return conduit is null
            ? HelixError.Of(StatusCodes.Status429TooManyRequests, $"The client has reached the limit of {ConduitStore.MaxPerClient} conduits")
            : Results.Json(new ConduitList([Dto(conduit)]));
    }

    private static IResult List(HttpContext context, ConduitStore conduits)
    {
        var caller = HelixCaller.From(context);
        return caller.IsAppToken
            ? Results.Json(new ConduitList([.. conduits.List(caller.Client.ClientId).Select(Dto)]))
            : HelixError.Unauthorized("An app access token is required");
    }

    /// <summary>Deleting a conduit ends its subscriptions too (Twitch revokes them with <c>conduit_deleted</c>).</summary>
    private static IResult Delete(HttpContext context, string? id, ConduitStore conduits, SubscriptionStore subscriptions)
    {
        var caller = HelixCaller.From(context);
        if (!caller.IsAppToken)
        {
            return HelixError.Unauthorized("An app access token is required");
        }

        if (string.IsNullOrEmpty(id))
        {
            return HelixError.BadRequest("Missing required parameter \"id\"");
        }

        if (!conduits.Delete(caller.Client.ClientId, id))
        {
            return HelixError.NotFound("conduit not found");
        }

        subscriptions.RemoveByConduit(id);
        return Results.NoContent();
    }

    private static ConduitDto Dto(Conduit conduit) => new(conduit.Id, conduit.Shards.Count);
}
