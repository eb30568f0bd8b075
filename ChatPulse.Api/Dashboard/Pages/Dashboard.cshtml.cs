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

/// <summary>The streamer's dashboard: configuration form, overlay URL, rotate, reset, connected overlays.</summary>
[Authorize]
[EnableRateLimiting(RateLimits.Dashboard)]
public sealed class DashboardModel(
    StreamerStore store,
    OverlayPresence presence,
    StreamerActions actions) : PageModel
{
    [BindProperty]
    public ConfigurationForm Form { get; set; } = new();

    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    public Streamer Streamer { get; private set; } = null!;

    public long Version { get; private set; }

    /// <summary>Null while Redis does not answer: the page shows the count as unknown.</summary>
    public long? ConnectedOverlays { get; private set; }

    public bool NeedsReconnect { get; private set; }

    public string OverlayUrl => $"{Request.Scheme}://{Request.Host}{Request.PathBase}/overlay/{Streamer.OverlayId}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not { } configuration)
        {
            return await SignedOutAsync();
        }

        Form = ConfigurationForm.From(configuration);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not { } current)
        {
            return await SignedOutAsync();
        }

        var (next, errors) = Form.ToConfiguration();
        if (errors.Count > 0)
        {
            foreach (var (field, message) in errors)
            {
                ModelState.AddModelError($"{nameof(Form)}.{field}", message);
            }

            Status = "invalid";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        await actions.SaveAsync(Streamer, current, next, cancellationToken);
        return RedirectToPage(null, new { status = "saved" });
    }

    public async Task<IActionResult> OnPostRotateAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is null)
        {
            return await SignedOutAsync();
        }

        await actions.RotateOverlayAsync(Streamer, cancellationToken);
        return RedirectToPage(null, new { status = "rotated" });
    }

    public async Task<IActionResult> OnPostResetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is null)
        {
            return await SignedOutAsync();
        }

        await actions.ResetVotesAsync(Streamer, cancellationToken);
        return RedirectToPage(null, new { status = "reset" });
    }

    /// <summary>The streamer, their stored configuration and the overlay count; null when the streamer is gone.</summary>
    private async Task<OverlayConfiguration?> LoadAsync(CancellationToken cancellationToken)
    {
        if (User.GetStreamerId() is not { } id || await store.GetByIdAsync(id, cancellationToken) is not { } streamer
            || await store.GetConfigurationAsync(id, cancellationToken) is not { } configuration)
        {
            return null;
        }

        Streamer = streamer;
        Version = configuration.Version;
        ConnectedOverlays = await presence.TryCountAsync(streamer.TwitchUserId, cancellationToken);
        NeedsReconnect = (await store.GetReconnectStateAsync(streamer.Id, cancellationToken))?.NeedsReconnect == true;
        return configuration;
    }

    private async Task<IActionResult> SignedOutAsync()
    {
        await HttpContext.SignOutAsync(AccountsExtensions.SessionScheme);
        return Redirect("/login");
    }
}
