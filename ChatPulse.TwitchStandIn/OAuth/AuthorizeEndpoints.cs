using ChatPulse.TwitchStandIn.State;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatPulse.TwitchStandIn.OAuth;

/// <summary>
/// <c>/oauth2/authorize</c>: the consent page. A request with an unknown client_id or a redirect_uri that is not
/// exactly the registered one gets an error page and no redirect, as on Twitch.
/// </summary>
public static class AuthorizeEndpoints
{
    public static void MapAuthorize(this RouteGroupBuilder oauth)
    {
        oauth.MapGet("/authorize", ShowConsent);
        oauth.MapPost("/authorize", Decide).DisableAntiforgery();
    }

    /// <summary>What the page was asked for; the same fields travel through the consent form.</summary>
    internal sealed record AuthorizeRequest(string ClientId, string RedirectUri, string ResponseType, string Scope, string State);

    private static IResult ShowConsent(HttpRequest request, ClientRegistry clients, UserDirectory users)
    {
        var ask = Read(request.Query);
        return Check(ask, clients) is { } problem
            ? AuthorizePage.Error(problem)
            : AuthorizePage.Consent(ask, users.All());
    }

    private static async Task<IResult> Decide(HttpRequest request, ClientRegistry clients, UserDirectory users, TokenStore tokens)
    {
        if (!request.HasFormContentType)
        {
            return AuthorizePage.Error("The consent form must be posted as a form.");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var ask = Read(form);
        if (Check(ask, clients) is { } problem)
        {
            return AuthorizePage.Error(problem);
        }

        if (form["decision"] == "deny")
        {
            return Results.Redirect(QueryHelpers.AddQueryString(ask.RedirectUri, new Dictionary<string, string?>
            {
                ["error"] = "access_denied",
                ["error_description"] = "The user denied you access",
                ["state"] = ask.State,
            }));
        }

        if (form["decision"] != "approve")
        {
            return AuthorizePage.Error("Choose Authorize or Cancel.");
        }

        TwitchUser? user;
        var newLogin = form["new_login"].ToString().Trim();
        if (newLogin.Length > 0)
        {
            if (!UserDirectory.IsValidLogin(newLogin))
            {
                return AuthorizePage.Error($"'{newLogin}' is not a valid login: use 3–25 letters, digits or underscores.");
            }

            user = users.GetOrCreate(newLogin);
        }
        else
        {
            user = users.FindById(form["user_id"]);
            if (user is null)
            {
                return AuthorizePage.Error("Pick a user or type a login name to create one.");
            }
        }

        var scopes = ask.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        users.Grant(user.Id, ask.ClientId, scopes);
        var code = tokens.IssueCode(ask.ClientId, user.Id, scopes, ask.RedirectUri);
        return Results.Redirect(QueryHelpers.AddQueryString(ask.RedirectUri, new Dictionary<string, string?>
        {
            ["code"] = code,
            ["scope"] = string.Join(' ', scopes),
            ["state"] = ask.State,
        }));
    }

    private static AuthorizeRequest Read(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values)
    {
        var map = values.ToDictionary(v => v.Key, v => v.Value.ToString(), StringComparer.Ordinal);
        return new AuthorizeRequest(
            map.GetValueOrDefault("client_id", ""),
            map.GetValueOrDefault("redirect_uri", ""),
            map.GetValueOrDefault("response_type", ""),
            map.GetValueOrDefault("scope", ""),
            map.GetValueOrDefault("state", ""));
    }

    private static string? Check(AuthorizeRequest ask, ClientRegistry clients)
    {
        var client = clients.Find(ask.ClientId);
        if (client is null)
        {
            return $"invalid client: no application is registered with client_id '{ask.ClientId}'.";
        }

        if (!string.Equals(client.RedirectUri, ask.RedirectUri, StringComparison.Ordinal))
        {
            return $"redirect_mismatch: the redirect_uri '{ask.RedirectUri}' does not match the registered redirect URI.";
        }

        if (ask.ResponseType != "code")
        {
            return $"unsupported response_type '{ask.ResponseType}': the stand-in supports the authorization code flow only.";
        }

        return null;
    }
}
