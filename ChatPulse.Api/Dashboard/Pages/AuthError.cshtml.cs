using ChatPulse.Api.Platform;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatPulse.Api.Dashboard.Pages;

/// <summary>The friendly page for a login that did not work (never a 500).</summary>
[EnableRateLimiting(RateLimits.Auth)]
public sealed class AuthErrorModel : PageModel
{
    [FromQuery(Name = "code")]
    public string? Code { get; set; }

    public string Title => Code switch
    {
        "denied" => "Login cancelled",
        "state" => "That login link expired",
        "database" => "ChatPulse couldn't save your login",
        _ => "Twitch didn't answer",
    };

    public string Message => Code switch
    {
        "denied" => "You chose not to connect your Twitch account, so nothing was set up. You can try again whenever you like.",
        "state" => "The login could not be verified — it may be old, used twice, or started in another browser. Start again from here.",
        "database" => "Twitch confirmed who you are, but our database didn't answer, so no session was started. Please try again in a moment.",
        _ => "We couldn't complete the login with Twitch just now. Nothing was changed; please try again in a moment.",
    };

    public void OnGet()
    {
    }
}
