using Microsoft.AspNetCore.WebUtilities;

namespace ChatPulse.TwitchStandIn.Helix;

/// <summary>Helix's error shape: <c>{"error":"Conflict","status":409,"message":"…"}</c>.</summary>
public static class HelixError
{
    public sealed record Body(string Error, int Status, string Message);

    public static IResult Of(int status, string message) =>
        Results.Json(new Body(ReasonPhrases.GetReasonPhrase(status), status, message), StandInExtensions.Json, statusCode: status);

    public static IResult BadRequest(string message) => Of(StatusCodes.Status400BadRequest, message);

    public static IResult Unauthorized(string message) => Of(StatusCodes.Status401Unauthorized, message);

    public static IResult NotFound(string message) => Of(StatusCodes.Status404NotFound, message);
}
