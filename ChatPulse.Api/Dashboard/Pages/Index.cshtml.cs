using ChatPulse.Api.Platform;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatPulse.Api.Dashboard.Pages;

/// <summary>The landing page.</summary>
[EnableRateLimiting(RateLimits.Dashboard)]
public sealed class IndexModel : PageModel
{
}
