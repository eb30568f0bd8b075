using ChatPulse.Api.Accounts;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Dashboard;

/// <summary>
/// <c>POST /api/dashboard/test-votes</c> (form field <c>kind</c>: <c>for</c>, <c>against</c> or <c>burst</c>): the
/// dashboard's and the dock's test-vote buttons. Each test vote is a simulated viewer's chat vote on chat's own path
/// (<see cref="VoteProcessor.ProcessTestAsync"/>: the same window, debounce, presence gate and fan-out to every
/// replica), always into the signed-in streamer's own channel: the channel comes from the session, never from the
/// request. Antiforgery like every dashboard POST; <see cref="TestVoteLimiter"/> per streamer.
/// </summary>
public static class TestVotes
{
    public const string Path = "/api/dashboard/test-votes";

    /// <summary>Simulated viewers' ids (and their messages') start with this; Twitch user ids are digits only.</summary>
    public const string ChatterPrefix = "test:";

    /// <summary>Votes of one "+10 for" / "+10 against" press.</summary>
    public const int PressVotes = 10;

    /// <summary>A random burst: this many votes at least, <see cref="BurstMaxVotes"/> at most, in a random mix.</summary>
    public const int BurstMinVotes = 20;

    public const int BurstMaxVotes = 40;

    /// <summary>What one press did: votes sent, those counted (applied), and every outcome's tag with its count.</summary>
    public sealed record TestVotesResponse(string Kind, int Sent, int Counted, IReadOnlyDictionary<string, int> Outcomes);

    internal static RouteHandlerBuilder MapTestVotes(this RouteGroupBuilder api) =>
        api.MapPost("/test-votes", CastAsync).WithName("CastTestVotes");

    /// <summary>The sides of one press of <paramref name="kind"/>; empty for an unknown kind.</summary>
    public static VoteSide[] Sides(string kind, Random random)
    {
        switch (kind)
        {
            case "for":
                return Enumerable.Repeat(VoteSide.For, PressVotes).ToArray();
            case "against":
                return Enumerable.Repeat(VoteSide.Against, PressVotes).ToArray();
            case "burst":
                var share = 0.2 + (0.6 * random.NextDouble()); // a lean somewhere between 20/80 and 80/20
                return [.. Enumerable.Range(0, random.Next(BurstMinVotes, BurstMaxVotes + 1))
                    .Select(_ => random.NextDouble() < share ? VoteSide.For : VoteSide.Against)];
            default:
                return [];
        }
    }

    private static async Task<Results<Ok<TestVotesResponse>, ProblemHttpResult, UnauthorizedHttpResult>> CastAsync(
        HttpContext context, IAntiforgery antiforgery, StreamerStore store, TestVoteLimiter limiter, VoteProcessor votes,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: "Missing or invalid antiforgery token", detail: "Reload the page and try again.");
        }

        if (context.User.GetStreamerId() is not { } id || await store.GetByIdAsync(id, cancellationToken) is not { } streamer)
        {
            return TypedResults.Unauthorized();
        }

        var kind = context.Request.HasFormContentType ? (await context.Request.ReadFormAsync(cancellationToken))["kind"].ToString() : "";
        var sides = Sides(kind, Random.Shared);
        if (sides.Length == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown kind of test votes",
                detail: "kind must be for, against or burst.");
        }

        if (limiter.TryAcquire(streamer.TwitchUserId) is { } retryAfterSeconds)
        {
            context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many test votes",
                detail: $"Slow down a little: try again in {retryAfterSeconds} s.");
        }

        var now = time.GetUtcNow();
        var outcomes = await Task.WhenAll(sides.Select(side =>
        {
            var viewer = ChatterPrefix + Guid.NewGuid().ToString("N"); // a new simulated viewer, never debounced by another
            return votes.ProcessTestAsync(new ChatVote(streamer.TwitchUserId, viewer, viewer, "", now), side, cancellationToken);
        }));
        var counted = outcomes.Count(o => o == VoteOutcome.Applied);
        if (counted == 0 && outcomes.Contains(VoteOutcome.NoViewers))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No overlay is connected",
                detail: "Test votes count like chat votes: only while an overlay is open (OBS, the dock, or the dashboard's preview).");
        }

        return TypedResults.Ok(new TestVotesResponse(kind, outcomes.Length, counted,
            outcomes.GroupBy(o => o.Tag()).ToDictionary(g => g.Key, g => g.Count())));
    }
}
