using System.Security.Cryptography;
using System.Text.Json.Serialization;
using ChatPulse.TwitchStandIn.EventSub;

namespace ChatPulse.TwitchStandIn.Helix;

/// <summary>
/// <c>/helix/eventsub/conduits/shards</c>. PATCH performs the real handshake: a signed
/// <c>webhook_callback_verification</c> to the callback, and the shard is enabled only when the answer is 200
/// with exactly the challenge as body. Per-shard failures come back in the 202's <c>errors</c>.
/// </summary>
public static class ShardEndpoints
{
    public sealed record TransportDto(string? Method, string? Callback, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);

    public sealed record ShardUpdate(string? Id, TransportDto? Transport);

    public sealed record UpdateShardsRequest(string? ConduitId, IReadOnlyList<ShardUpdate>? Shards);

    public sealed record ShardDto(string Id, string Status, TransportDto Transport);

    public sealed record ShardError(string Id, string Message, string Code);

    public sealed record UpdateShardsResponse(IReadOnlyList<ShardDto> Data, IReadOnlyList<ShardError> Errors);

    public sealed record ShardList(IReadOnlyList<ShardDto> Data, Pagination Pagination);

    public static void MapShards(this RouteGroupBuilder helix)
    {
        helix.MapGet("/eventsub/conduits/shards", List);
        helix.MapMethods("/eventsub/conduits/shards", ["PATCH"], Update);
    }

    private static IResult List(HttpContext context, string? conduit_id, string? status, string? after, ConduitStore conduits)
    {
        var caller = HelixCaller.From(context);
        if (!caller.IsAppToken)
        {
            return HelixError.Unauthorized("An app access token is required");
        }

        var conduit = conduits.Find(caller.Client.ClientId, conduit_id);
        if (conduit is null)
        {
            return string.IsNullOrEmpty(conduit_id) ? HelixError.BadRequest("Missing required parameter \"conduit_id\"") : HelixError.NotFound("conduit not found");
        }

        var shards = conduit.Shards.Where(s => status is null || s.Status == status).ToList();
        var page = Pagination.Page(shards, s => long.Parse(s.Id, System.Globalization.CultureInfo.InvariantCulture), after, caller.Client.PageSize);
        return page.Error ?? Results.Json(new ShardList([.. page.Items.Select(Dto)], page.Pagination));
    }

    private static async Task<IResult> Update(HttpContext context, ConduitStore conduits, WebhookSender sender, TimeProvider time)
    {
        var caller = HelixCaller.From(context);
        if (!caller.IsAppToken)
        {
            return HelixError.Unauthorized("An app access token is required");
        }

        var (request, error) = await HelixJson.ReadAsync<UpdateShardsRequest>(context.Request);
        if (error is not null)
        {
            return error;
        }

        if (string.IsNullOrEmpty(request!.ConduitId) || request.Shards is not { Count: > 0 })
        {
            return HelixError.BadRequest("The parameters \"conduit_id\" and \"shards\" are required");
        }

        var conduit = conduits.Find(caller.Client.ClientId, request.ConduitId);
        if (conduit is null)
        {
            return HelixError.NotFound("conduit not found");
        }

        var data = new List<ShardDto>();
        var errors = new List<ShardError>();
        foreach (var update in request.Shards)
        {
            var id = update.Id ?? "";
            if (Invalid(update, conduit) is { } problem)
            {
                errors.Add(new ShardError(id, problem, "invalid_parameter"));
                continue;
            }

            var transport = update.Transport!;
            conduits.Update(conduit.Id, new Shard(id, "webhook_callback_verification_pending", transport.Callback, transport.Secret));
            var failure = await ChallengeAsync(sender, time, conduit.Id, id, transport, context.RequestAborted);
            var shard = new Shard(id, failure is null ? "enabled" : "webhook_callback_verification_failed", transport.Callback, transport.Secret);
            conduits.Update(conduit.Id, shard);
            if (failure is null)
            {
                data.Add(Dto(shard));
            }
            else
            {
                errors.Add(new ShardError(id, failure, "webhook_callback_verification_failed"));
            }
        }

        return Results.Json(new UpdateShardsResponse(data, errors), statusCode: StatusCodes.Status202Accepted);
    }

    private static string? Invalid(ShardUpdate update, Conduit conduit)
    {
        if (update.Id is null || conduit.Shards.All(s => s.Id != update.Id))
        {
            return $"shard id '{update.Id}' is outside the conduit's {conduit.Shards.Count} shard(s)";
        }

        if (update.Transport is not { Method: "webhook" } transport)
        {
            return "transport.method must be \"webhook\" (the stand-in has no WebSocket transport)";
        }

        if (!Uri.TryCreate(transport.Callback, UriKind.Absolute, out var callback) || callback.Scheme is not ("http" or "https"))
        {
            return "transport.callback must be an absolute http(s) URL";
        }

        return transport.Secret is { Length: >= 10 and <= 100 } secret && secret.All(c => c is >= '!' and <= '~')
            ? null
            : "transport.secret must be 10–100 ASCII characters";
    }

    /// <summary>Null when the callback echoed the challenge; otherwise what went wrong.</summary>
    private static async Task<string?> ChallengeAsync(WebhookSender sender, TimeProvider time, string conduitId, string shardId, TransportDto transport, CancellationToken cancellationToken)
    {
        var challenge = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var body = WebhookSender.Serialize(new { challenge, conduit_shard = new { conduit_id = conduitId, shard = shardId } });
        var message = new WebhookMessage(Guid.NewGuid().ToString(), "webhook_callback_verification", RfcTimestamp.FormatVarying(time.GetUtcNow()),
            0, null, null, body, transport.Callback!, transport.Secret!);
        var answer = await sender.SendAsync(message, cancellationToken);
        return answer switch
        {
            { Error: { } e } => $"the callback could not be reached: {e}",
            { Status: not 200 } => $"the callback answered {answer.Status} instead of 200",
            _ when answer.Body != challenge => "the callback's answer was not exactly the challenge",
            _ => null,
        };
    }

    private static ShardDto Dto(Shard shard) => new(shard.Id, shard.Status, new TransportDto(shard.Callback is null ? null : "webhook", shard.Callback));
}
