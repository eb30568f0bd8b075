using System.Text.Json;
using System.Text.Json.Nodes;
using ChatPulse.Api.Accounts;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Polls;

/// <summary>
/// <c>/api/dashboard/polls</c> (docs/polls.md): the signed-in streamer's polls, the channel from the session. POSTs need
/// the antiforgery token in the <c>RequestVerificationToken</c> header; errors are problem details (400 with the
/// field errors, 404 not this streamer's poll, 409 the poll's state forbids it, 503 Redis or Postgres away).
/// </summary>
public static class PollApi
{
    /// <summary>Maps the endpoints on the dashboard API's group (signed in, rate limited).</summary>
    public static RouteGroupBuilder MapPolls(this RouteGroupBuilder api)
    {
        var polls = api.MapGroup("/polls").DisableAntiforgery(); // checked below, as a header
        polls.MapGet("/current", GetCurrentAsync).WithName("GetCurrentPoll");
        polls.MapGet("/", ListAsync).WithName("ListPolls");
        polls.MapPost("/", StartAsync).WithName("StartPoll");
        polls.MapPost("/{id:guid}/end", (Guid id, HttpContext c, IAntiforgery a, StreamerStore s, PollActions p, CancellationToken t) =>
            EndAsync(id, PollRecord.Ended, c, a, s, p, t)).WithName("EndPoll");
        polls.MapPost("/{id:guid}/cancel", (Guid id, HttpContext c, IAntiforgery a, StreamerStore s, PollActions p, CancellationToken t) =>
            EndAsync(id, PollRecord.Cancelled, c, a, s, p, t)).WithName("CancelPoll");
        polls.MapPost("/{id:guid}/show", ShowAsync).WithName("ShowPoll");
        polls.MapPost("/dismiss", DismissAsync).WithName("DismissPoll");
        return api;
    }

    private static async Task<Results<Ok<CurrentPollResponse>, ProblemHttpResult, UnauthorizedHttpResult>> GetCurrentAsync(
        HttpContext context, StreamerStore store, PollState state, CancellationToken cancellationToken)
    {
        if (await SignedInAsync(context, store, cancellationToken) is not { } streamer)
        {
            return TypedResults.Unauthorized();
        }

        context.Response.Headers.CacheControl = "no-store";
        try
        {
            return TypedResults.Ok(new CurrentPollResponse(await state.ReadViewAsync(streamer.TwitchUserId)));
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            return RedisUnavailable(context);
        }
    }

    private static async Task<Results<Ok<PollListResponse>, UnauthorizedHttpResult, ValidationProblem>> ListAsync(
        HttpContext context, StreamerStore store, PollStore polls, CancellationToken cancellationToken, int limit = 20)
    {
        if (limit is < 1 or > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["The limit is 1–100."] });
        }

        if (await SignedInAsync(context, store, cancellationToken) is not { } streamer)
        {
            return TypedResults.Unauthorized();
        }

        context.Response.Headers.CacheControl = "no-store";
        var list = await polls.ListAsync(streamer.Id, limit, cancellationToken);
        return TypedResults.Ok(new PollListResponse([.. list.Select(PollResult.From)]));
    }

    private static async Task<Results<Created<JsonObject>, ValidationProblem, ProblemHttpResult, UnauthorizedHttpResult>> StartAsync(
        StartPollRequest request, HttpContext context, IAntiforgery antiforgery, StreamerStore store, PollActions actions,
        OverlayPresence presence, CancellationToken cancellationToken)
    {
        if (await AntiforgeryProblemAsync(context, antiforgery) is { } forged)
        {
            return forged;
        }

        if (await SignedInAsync(context, store, cancellationToken) is not { } streamer
            || await store.GetConfigurationAsync(streamer.Id, cancellationToken) is not { } mood)
        {
            return TypedResults.Unauthorized();
        }

        var errors = new Dictionary<string, string>();
        var poll = request.ToDefinition(errors);
        foreach (var (field, message) in PollRules.Validate(poll, mood))
        {
            errors.TryAdd(field, message);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }), title: "The poll was not started.");
        }

        var (result, view) = await actions.StartAsync(streamer, poll, cancellationToken);
        if (result != PollActionResult.Done)
        {
            return Problem(context, result, "A poll is already running", "End or cancel the running poll first.");
        }

        var connected = await presence.TryCountAsync(streamer.TwitchUserId, cancellationToken);
        var body = JsonSerializer.SerializeToNode(view, PollJson.Options)!.AsObject();
        body["overlaysConnected"] = connected;
        body["notice"] = connected == 0
            ? "No overlay is connected: the poll runs, but chat's votes count only while an overlay, the preview or the dock is open."
            : null;
        return TypedResults.Created($"/api/dashboard/polls/{view!.Id}", body);
    }

    private static async Task<Results<Ok<PollView>, Ok<PollResult>, ProblemHttpResult, UnauthorizedHttpResult>> EndAsync(
        Guid id, string status, HttpContext context, IAntiforgery antiforgery, StreamerStore store, PollActions actions, CancellationToken cancellationToken)
    {
        if (await AntiforgeryProblemAsync(context, antiforgery) is { } forged)
        {
            return forged;
        }

        if (await SignedInAsync(context, store, cancellationToken) is not { } streamer)
        {
            return TypedResults.Unauthorized();
        }

        var (result, poll) = await actions.EndAsync(streamer, id, status, cancellationToken);
        if (result == PollActionResult.Done && poll is not null)
        {
            return status == PollRecord.Cancelled ? TypedResults.Ok(PollResult.From(poll)) : TypedResults.Ok(poll.ToView(ShowUntil(poll)));
        }

        var problem = Problem(context, result, "The poll is not running", "It was ended or cancelled already (or its live state was lost).");
        if (result == PollActionResult.Conflict && poll is { Status: PollRecord.Ended })
        {
            problem.ProblemDetails.Extensions["poll"] = poll.ToView(ShowUntil(poll));
        }

        return problem;
    }

    private static async Task<Results<Ok<PollView>, ProblemHttpResult, UnauthorizedHttpResult>> ShowAsync(
        Guid id, HttpContext context, IAntiforgery antiforgery, StreamerStore store, PollActions actions, CancellationToken cancellationToken)
    {
        if (await AntiforgeryProblemAsync(context, antiforgery) is { } forged)
        {
            return forged;
        }

        if (await SignedInAsync(context, store, cancellationToken) is not { } streamer)
        {
            return TypedResults.Unauthorized();
        }

        var (result, view) = await actions.ShowAgainAsync(streamer, id, cancellationToken);
        return result == PollActionResult.Done
            ? TypedResults.Ok(view!)
            : Problem(context, result, "The result cannot be shown now", "Only an ended poll's result can be shown, and not while a poll runs.");
    }

    private static async Task<Results<NoContent, ProblemHttpResult, UnauthorizedHttpResult>> DismissAsync(
        HttpContext context, IAntiforgery antiforgery, StreamerStore store, PollState state, CancellationToken cancellationToken)
    {
        if (await AntiforgeryProblemAsync(context, antiforgery) is { } forged)
        {
            return forged;
        }

        if (await SignedInAsync(context, store, cancellationToken) is not { } streamer)
        {
            return TypedResults.Unauthorized();
        }

        try
        {
            await state.DismissAsync(streamer.TwitchUserId);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            return RedisUnavailable(context);
        }

        return TypedResults.NoContent();
    }

    // The result's end of display, as the end stored it (Redis has the exact one; this is the API's answer).
    private static long? ShowUntil(PollRecord poll) =>
        poll.Definition.ResultSeconds is { } seconds && poll.EndedAt is { } ended ? ended.AddSeconds(seconds).ToUnixTimeMilliseconds() : null;

    private static ProblemHttpResult RedisUnavailable(HttpContext context) => Problem(context, PollActionResult.RedisUnavailable, "", "");

    private static ProblemHttpResult Problem(HttpContext context, PollActionResult result, string conflictTitle, string conflictDetail)
    {
        if (result is PollActionResult.RedisUnavailable or PollActionResult.EndPending)
        {
            context.Response.Headers.RetryAfter = "5"; // a Redis restart or failover takes seconds
        }

        return ProblemFor(result, conflictTitle, conflictDetail);
    }

    private static ProblemHttpResult ProblemFor(PollActionResult result, string conflictTitle, string conflictDetail) => result switch
    {
        PollActionResult.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such poll",
            detail: "You have no poll with this id."),
        PollActionResult.RedisUnavailable => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Polls unavailable", detail: "ChatPulse cannot reach Redis right now; nothing was changed. Try again in a few seconds."),
        PollActionResult.EndPending => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Poll ended, result pending", detail: "The poll has ended; ChatPulse stores and shows its result as soon as its database answers again."),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: conflictTitle, detail: conflictDetail),
    };

    private static async Task<ProblemHttpResult?> AntiforgeryProblemAsync(HttpContext context, IAntiforgery antiforgery) =>
        await antiforgery.IsRequestValidAsync(context) ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token",
                detail: "Send the dashboard form's token in the RequestVerificationToken header.");

    private static async Task<Streamer?> SignedInAsync(HttpContext context, StreamerStore store, CancellationToken cancellationToken) =>
        context.User.GetStreamerId() is { } id ? await store.GetByIdAsync(id, cancellationToken) : null;
}
