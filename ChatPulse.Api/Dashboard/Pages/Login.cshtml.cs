using ChatPulse.Api.Accounts;
using ChatPulse.Api.Platform;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatPulse.Api.Dashboard.Pages;

/// <summary>Where a visitor without a session is sent; a signed-in streamer goes straight on to the dashboard.</summary>
[EnableRateLimiting(RateLimits.Auth)]
public sealed class LoginModel : PageModel
{
    public IActionResult OnGet() =>
        User.Identity?.IsAuthenticated == true ? Redirect(AuthEndpoints.DashboardPath) : Page();
}
