using ChatPulse.Api.Accounts;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPulse.Api.Dashboard;

/// <summary>
/// <c>PATCH /api/dashboard/style</c>: the overlay's look as JSON, for scripts beside the dashboard form. Fields left
/// out keep their saved value; a bad one is a 400 problem naming it and nothing is saved; a save reaches open
/// overlays as the form's does. Needs the antiforgery token in the <c>RequestVerificationToken</c> header.
/// </summary>
public static class StyleApi
{
    /// <summary>Any subset of the style; names and values as docs/overlay-styles.md lists them (<c>hideWhenIdleSeconds</c> 0: never).</summary>
    public sealed record StyleRequest(string? ForColor, string? AgainstColor, string? TextColor, string? Font, string? LabelPosition,
        bool? ShowPercentages, bool? ShowVotes, bool? ShowLabels, int? CornerRadius, int? HideWhenIdleSeconds);

    public static IEndpointRouteBuilder MapStyleApi(this IEndpointRouteBuilder app)
    {
        app.MapPatch("/api/dashboard/style", PatchStyleAsync).WithName("PatchOverlayStyle")
            .RequireAuthorization().RequireRateLimiting(RateLimits.Dashboard).DisableAntiforgery(); // checked below, as a header
        return app;
    }

    private static async Task<Results<Ok<OverlayStyleFrame>, ValidationProblem, ProblemHttpResult, UnauthorizedHttpResult>> PatchStyleAsync(
        StyleRequest request, HttpContext context, IAntiforgery antiforgery, StreamerStore store, StreamerActions actions,
        CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token",
                detail: "Send the dashboard form's token in the RequestVerificationToken header.");
        }

        if (context.User.GetStreamerId() is not { } id || await store.GetByIdAsync(id, cancellationToken) is not { } streamer
            || await store.GetConfigurationAsync(id, cancellationToken) is not { } current)
        {
            return TypedResults.Unauthorized();
        }

        var style = Apply(current.Style, request);
        var errors = style.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(e => char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => new[] { e.Value }),
                title: "The style was not saved.");
        }

        // A row saved under older rules (e.g. a 101–500 character trigger, kept by migration 0005) saves only once fixed.
        var configuration = current with { Style = style };
        if (configuration.Validate() is { Count: > 0 } others)
        {
            return TypedResults.ValidationProblem(others.ToDictionary(e => char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => new[] { e.Value }),
                title: "The style was not saved: the saved configuration breaks a rule; fix it in the dashboard form first.");
        }

        var saved = await actions.SaveAsync(streamer, current, configuration, cancellationToken);
        return TypedResults.Ok(OverlayStyleFrame.From(saved.Style));
    }

    private static OverlayStyle Apply(OverlayStyle current, StyleRequest request) => new(
        request.ForColor?.Trim() ?? current.ForColor,
        request.AgainstColor?.Trim() ?? current.AgainstColor,
        request.TextColor?.Trim() ?? current.TextColor,
        request.Font is null ? current.Font : ConfigurationForm.ParseName(request.Font, (OverlayFont)(-1)),
        request.LabelPosition is null ? current.LabelPosition : ConfigurationForm.ParseName(request.LabelPosition, (LabelPosition)(-1)),
        request.ShowPercentages ?? current.ShowPercentages,
        request.ShowVotes ?? current.ShowVotes,
        request.ShowLabels ?? current.ShowLabels,
        request.CornerRadius ?? current.CornerRadius,
        request.HideWhenIdleSeconds is 0 ? null : request.HideWhenIdleSeconds ?? current.HideWhenIdleSeconds);
}
