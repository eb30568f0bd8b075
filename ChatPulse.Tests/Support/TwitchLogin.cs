using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Streamers;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatPulse.Tests.Support;

/// <summary>The browser's side of "Log in with Twitch" against the stand-in, hop by hop.</summary>
public static class TwitchLogin
{
    /// <summary>A login name the stand-in accepts and no other test uses.</summary>
    public static string NewLogin(string prefix = "streamer") => StandInApp.UniqueLogin(prefix);

    /// <summary><c>GET /auth/login</c>; returns the stand-in's authorize URL it redirected to.</summary>
    public static async Task<Uri> StartAsync(Visitor visitor)
    {
        using var response = await visitor.GetAsync("/auth/login");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Shows the consent page and answers it; returns where the stand-in sends the browser back to.</summary>
    public static async Task<Uri> ConsentAsync(Visitor visitor, Uri authorize, string login, bool approve = true)
    {
        var page = await visitor.PageAsync(authorize.ToString());
        var form = page.QuerySelector<IHtmlFormElement>("form")!;
        var fields = Visitor.FieldsOf(form, new Dictionary<string, string?>
        {
            ["new_login"] = login,
            ["decision"] = approve ? "approve" : "deny",
        });
        using var response = await visitor.PostFormAsync(Visitor.ActionOf(form, authorize), fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>The whole round trip; returns the dashboard page the browser lands on.</summary>
    public static async Task<IHtmlDocument> LogInAsync(Visitor visitor, string login)
    {
        var callback = await ConsentAsync(visitor, await StartAsync(visitor), login);
        using var landed = await visitor.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, landed.StatusCode);
        Assert.Equal("/dashboard", landed.Headers.Location?.OriginalString);
        return await visitor.PageAsync("/dashboard");
    }

    /// <summary>A query parameter of <paramref name="url"/>.</summary>
    public static string? Query(Uri url, string name) =>
        QueryHelpers.ParseQuery(url.Query).TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>Logs a new streamer in through <paramref name="replica"/>; returns the signed-in browser and the stored streamer.</summary>
    public static async Task<(Visitor SignedIn, Streamer Streamer)> SignInNewStreamerAsync(ApiInstance replica, string prefix)
    {
        var visitor = replica.NewVisitor();
        var login = NewLogin(prefix);
        await LogInAsync(visitor, login);
        var streamer = await StreamerRows.ByLoginAsync(replica.Database, login);
        return (visitor, streamer);
    }
}
