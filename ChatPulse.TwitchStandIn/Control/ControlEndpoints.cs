using ChatPulse.TwitchStandIn.Helix;
using ChatPulse.TwitchStandIn.State;

namespace ChatPulse.TwitchStandIn.Control;

/// <summary>
/// <c>/standin</c>: test switches that are not part of Twitch — register another app (so tests do not share state),
/// create users with grants, make an app's next Helix calls fail, expire an app's tokens.
/// </summary>
public static class ControlEndpoints
{
    public sealed record ClientRequest(string? ClientId, string? ClientSecret, string? RedirectUri, int? PageSize);

    public sealed record UserRequest(string? Login, string? DisplayName, string? GrantClientId, IReadOnlyList<string>? Scopes);

    /// <param name="Status">429 or 500–599.</param>
    /// <param name="ResetAfterSeconds">For 429: Ratelimit-Reset lies this many seconds ahead.</param>
    public sealed record FaultRequest(string? ClientId, int Status, int Count, int? ResetAfterSeconds);

    public sealed record ExpireRequest(string? ClientId);

    public static IEndpointRouteBuilder MapStandInControl(this IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/standin").DisableAntiforgery();
        control.MapPost("/clients", AddClient);
        control.MapPost("/users", AddUser);
        control.MapPost("/faults", InjectFaults);
        control.MapDelete("/faults", (string client_id, HelixTraffic traffic) =>
        {
            traffic.ClearFaults(client_id);
            return Results.NoContent();
        });
        control.MapPost("/tokens/expire", (ExpireRequest request, TokenStore tokens) =>
            Results.Ok(new { expired = tokens.ExpireAll(request.ClientId ?? "") }));
        return app;
    }

    private static IResult AddClient(ClientRequest request, ClientRegistry clients, IOptions<StandInOptions> options)
    {
        if (string.IsNullOrWhiteSpace(request.ClientId) || string.IsNullOrWhiteSpace(request.ClientSecret)
            || !Uri.TryCreate(request.RedirectUri, UriKind.Absolute, out _))
        {
            return Results.Problem("client_id, client_secret and an absolute redirect_uri are required", statusCode: 400);
        }

        if (request.PageSize is < 1 or > 100)
        {
            return Results.Problem("page_size must be 1–100", statusCode: 400);
        }

        var client = new ClientRegistration(request.ClientId, request.ClientSecret, request.RedirectUri!, request.PageSize ?? options.Value.PageSize);
        return clients.TryAdd(client)
            ? Results.Created($"/standin/clients/{client.ClientId}", new { client_id = client.ClientId, page_size = client.PageSize })
            : Results.Problem($"client '{client.ClientId}' is already registered", statusCode: 409);
    }

    private static IResult AddUser(UserRequest request, UserDirectory users, ClientRegistry clients)
    {
        if (!UserDirectory.IsValidLogin(request.Login))
        {
            return Results.Problem("login must be 3–25 letters, digits or underscores", statusCode: 400);
        }

        if (request.GrantClientId is not null && clients.Find(request.GrantClientId) is null)
        {
            return Results.Problem($"grant_client_id '{request.GrantClientId}' is not a registered client", statusCode: 400);
        }

        if (users.FindByLogin(request.Login) is not null)
        {
            return Results.Problem($"user '{request.Login}' already exists", statusCode: 409);
        }

        var user = users.Create(request.Login!, request.DisplayName);
        if (request.GrantClientId is not null)
        {
            users.Grant(user.Id, request.GrantClientId, request.Scopes ?? ["channel:bot"]);
        }

        return Results.Created($"/standin/users/{user.Id}", UserEndpoints.Dto(user));
    }

    private static IResult InjectFaults(FaultRequest request, HelixTraffic traffic, ClientRegistry clients)
    {
        if (clients.Find(request.ClientId) is null)
        {
            return Results.Problem($"client '{request.ClientId}' is not registered", statusCode: 400);
        }

        if (request.Status is not (429 or (>= 500 and <= 599)) || request.Count is < 1 or > 1000)
        {
            return Results.Problem("status must be 429 or 5xx and count 1–1000", statusCode: 400);
        }

        traffic.Inject(request.ClientId!, request.Status, request.Count, request.ResetAfterSeconds ?? 2);
        return Results.NoContent();
    }
}
