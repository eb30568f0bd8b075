using System.Text.Json.Serialization;
using ChatPulse.TwitchStandIn.State;

namespace ChatPulse.TwitchStandIn.OAuth;

/// <summary><c>/oauth2/token</c>, <c>/oauth2/validate</c>, <c>/oauth2/revoke</c> with Twitch's JSON answers and errors.</summary>
public static class OAuthEndpoints
{
    public static IEndpointRouteBuilder MapOAuth(this IEndpointRouteBuilder app)
    {
        var oauth = app.MapGroup("/oauth2");
        oauth.MapAuthorize();
        oauth.MapPost("/token", Token).DisableAntiforgery();
        oauth.MapGet("/validate", Validate);
        oauth.MapPost("/revoke", Revoke).DisableAntiforgery();
        return app;
    }

    /// <summary>An app token has no refresh token and no scope list, so those fields are left out.</summary>
    internal sealed record TokenResponse(
        string AccessToken,
        int ExpiresIn,
        string TokenType,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Scope = null);

    /// <summary>An app token validates without login and user_id.</summary>
    internal sealed record ValidateResponse(
        string ClientId,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Login,
        IReadOnlyList<string> Scopes,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserId,
        int ExpiresIn);

    private static async Task<IResult> Token(HttpRequest request, ClientRegistry clients, TokenStore tokens)
    {
        if (!request.HasFormContentType)
        {
            return Error(400, "request body must be application/x-www-form-urlencoded");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var client = clients.Find(form["client_id"]);
        if (client is null)
        {
            return Error(400, "invalid client");
        }

        if (form["client_secret"] != client.ClientSecret)
        {
            return Error(403, "invalid client secret");
        }

        switch (form["grant_type"].ToString())
        {
            case "client_credentials":
                var app = tokens.IssueAppToken(client.ClientId);
                return Results.Json(new TokenResponse(app.Value, tokens.SecondsLeft(app), "bearer"));

            case "authorization_code":
                if (form["redirect_uri"] != client.RedirectUri)
                {
                    return Error(400, "Parameter redirect_uri does not match registered URI");
                }

                var code = tokens.RedeemCode(form["code"].ToString());
                if (code is null || code.ClientId != client.ClientId)
                {
                    return Error(400, "Invalid authorization code");
                }

                return UserToken(tokens.IssueUserToken(client.ClientId, code.UserId, code.Scopes), tokens);

            case "refresh_token":
                var refresh = form["refresh_token"].ToString();
                var grant = tokens.FindRefresh(refresh);
                if (grant is null || grant.ClientId != client.ClientId)
                {
                    return Error(400, "Invalid refresh token");
                }

                return UserToken(tokens.IssueUserToken(client.ClientId, grant.UserId, grant.Scopes, refresh), tokens);

            case "":
                return Error(400, "missing grant_type");

            default:
                return Error(400, "unsupported grant type");
        }
    }

    private static IResult UserToken((AccessToken Access, string Refresh) issued, TokenStore tokens) =>
        Results.Json(new TokenResponse(issued.Access.Value, tokens.SecondsLeft(issued.Access), "bearer", issued.Refresh, issued.Access.Scopes));

    private static IResult Validate(HttpRequest request, TokenStore tokens, UserDirectory users)
    {
        var header = request.Headers.Authorization.ToString();
        var value = header.StartsWith("OAuth ", StringComparison.OrdinalIgnoreCase) || header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header[(header.IndexOf(' ') + 1)..].Trim()
            : "";
        if (value.Length == 0)
        {
            return Error(401, "missing authorization token");
        }

        var token = tokens.Find(value);
        if (token is null)
        {
            return Error(401, "invalid access token");
        }

        var login = token.UserId is null ? null : users.FindById(token.UserId)?.Login;
        return Results.Json(new ValidateResponse(token.ClientId, login, token.Scopes, token.UserId, tokens.SecondsLeft(token)));
    }

    private static async Task<IResult> Revoke(HttpRequest request, ClientRegistry clients, TokenStore tokens)
    {
        if (!request.HasFormContentType)
        {
            return Error(400, "request body must be application/x-www-form-urlencoded");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var client = clients.Find(form["client_id"]);
        if (client is null)
        {
            return Error(404, "client does not exist");
        }

        return tokens.Revoke(form["token"].ToString(), client.ClientId) switch
        {
            RevokeOutcome.Revoked => Results.Ok(),
            RevokeOutcome.WrongClient => Error(400, "Invalid token"),
            _ => Error(400, "Invalid token"),
        };
    }

    /// <summary>id.twitch.tv's error shape: <c>{"status":400,"message":"…"}</c>.</summary>
    private static IResult Error(int status, string message) => Results.Json(new { status, message }, statusCode: status);
}
