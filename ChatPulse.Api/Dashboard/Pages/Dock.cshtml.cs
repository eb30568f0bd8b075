using ChatPulse.Api.Accounts;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatPulse.Api.Dashboard.Pages;

/// <summary>
/// <c>/dock</c>, for an OBS Custom Browser Dock: the live bar and totals, connected overlays, test votes, reset, a
/// link to the dashboard. The dashboard's session and headers (no framing: OBS opens a dock as a top-level page). Its
/// bar reads the overlay's socket itself (<c>Assets/dock.js</c>, allowed by <c>connect-src 'self'</c>) rather than
/// framing the overlay page: nothing to frame, and the totals in a layout of its own at 300 px.
/// </summary>
[Authorize]
[EnableRateLimiting(RateLimits.Dashboard)]
public sealed class DockModel(StreamerStore store, OverlayPresence presence, StreamerActions actions) : PageModel
{
    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    public Streamer Streamer { get; private set; } = null!;

    public OverlayConfiguration Configuration { get; private set; } = null!;

    /// <summary>Null while Redis does not answer: the page shows the count as unknown.</summary>
    public long? ConnectedOverlays { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : await SignedOutAsync();

    /// <summary>The dashboard's "Reset to center", back to the dock.</summary>
    public async Task<IActionResult> OnPostResetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return await SignedOutAsync();
        }

        await actions.ResetVotesAsync(Streamer, cancellationToken);
        return RedirectToPage(null, new { status = "reset" });
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (User.GetStreamerId() is not { } id || await store.GetByIdAsync(id, cancellationToken) is not { } streamer
            || await store.GetConfigurationAsync(id, cancellationToken) is not { } configuration)
        {
            return false;
        }

        (Streamer, Configuration) = (streamer, configuration);
        ConnectedOverlays = await presence.TryCountAsync(streamer.TwitchUserId, cancellationToken);
        return true;
    }

    private async Task<IActionResult> SignedOutAsync()
    {
        await HttpContext.SignOutAsync(AccountsExtensions.SessionScheme);
        return Redirect("/login");
    }
}
