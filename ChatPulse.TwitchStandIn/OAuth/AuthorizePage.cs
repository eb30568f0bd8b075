using System.Text;
using ChatPulse.TwitchStandIn.State;
using static System.Net.WebUtility;

namespace ChatPulse.TwitchStandIn.OAuth;

/// <summary>The consent and error pages of <c>/oauth2/authorize</c>: plain HTML, no script.</summary>
internal static class AuthorizePage
{
    private const string Style = "body{font-family:sans-serif;max-width:32rem;margin:2rem auto;background:#0e0e10;color:#efeff1}"
        + "fieldset{border:1px solid #555;margin:1rem 0}button{margin-right:.5rem;padding:.4rem 1rem}";

    public static IResult Consent(AuthorizeEndpoints.AuthorizeRequest ask, IReadOnlyList<TwitchUser> users)
    {
        var html = new StringBuilder();
        html.Append($"<h1>Twitch stand-in</h1><p><b>{HtmlEncode(ask.ClientId)}</b> wants access to your account:</p>");
        html.Append($"<p>scopes: <code>{HtmlEncode(ask.Scope)}</code></p>");
        html.Append("<form method=\"post\" action=\"/oauth2/authorize\">");
        foreach (var (name, value) in new[] { ("client_id", ask.ClientId), ("redirect_uri", ask.RedirectUri), ("response_type", ask.ResponseType), ("scope", ask.Scope), ("state", ask.State) })
        {
            html.Append($"<input type=\"hidden\" name=\"{name}\" value=\"{HtmlEncode(value)}\">");
        }

        html.Append("<fieldset><legend>Log in as an existing test user</legend>");
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            html.Append($"<label><input type=\"radio\" name=\"user_id\" value=\"{HtmlEncode(user.Id)}\"{(i == 0 ? " checked" : "")}> ")
                .Append($"{HtmlEncode(user.DisplayName)} ({HtmlEncode(user.Login)}, id {HtmlEncode(user.Id)})</label><br>");
        }

        html.Append("</fieldset><fieldset><legend>…or create one</legend>")
            .Append("<input name=\"new_login\" placeholder=\"login name\" pattern=\"[A-Za-z0-9_]{3,25}\"></fieldset>")
            .Append("<button name=\"decision\" value=\"approve\">Authorize</button>")
            .Append("<button name=\"decision\" value=\"deny\">Cancel</button></form>");
        return Page("Authorize", html.ToString(), StatusCodes.Status200OK);
    }

    public static IResult Error(string message) =>
        Page("Error", $"<h1>Twitch stand-in</h1><p role=\"alert\">{HtmlEncode(message)}</p>", StatusCodes.Status400BadRequest);

    private static IResult Page(string title, string body, int status) => Results.Content(
        $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title} - Twitch stand-in</title><style>{Style}</style></head><body>{body}</body></html>",
        "text/html; charset=utf-8", Encoding.UTF8, status);
}
